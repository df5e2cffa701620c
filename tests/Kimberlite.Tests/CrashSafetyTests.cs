using System.Diagnostics;
using Kimberlite.Accounts;
using Kimberlite.Imports;
using Kimberlite.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kimberlite.Tests;

/// <summary>
/// Crash-safe imports (issue 13, item 11): the real command line, a child process (`dotnet kimberlite.dll import …`),
/// is killed with SIGKILL at each stage of an import. Whatever the moment, no dataset is left without its audit
/// entry, no part of a file is stored, and an analysis cut short is run again at the next start. The child pauses
/// at the named stage through the documented setting Kimberlite:Testing:PauseAt (docs/decisions/018-one-import-door.md),
/// so the kill lands exactly there, never on a timer.
/// </summary>
public sealed class CrashSafetyTests : IAsyncLifetime
{
    private readonly Dictionary<string, string> _settings;
    private readonly Func<Task> _drop;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // Two sources disagree on the DR Congo's 2022 production: the analysis raises a source conflict from them.
    private static readonly byte[] Production = ImportFiles.Csv(ImportFiles.ProductionHeader,
        "COD,2022,9908997.66,64959638.25,,https://howafrica.com/x,HowAfrica (citing KP),\"9,908,997.66 | $64,959,638.25\",exact,",
        "COD,2022,10780000,77000000,,https://naturaldiamonds.com/x,Natural Diamond Council (Source: KPCS),\"10,780 thousand carats | $77m\",\"rounded (thousand ct, $ million)\",");

    public CrashSafetyTests()
    {
        (_settings, _drop) = TestDatabase.Create();
        _settings["Kimberlite:LoadBundledData"] = "false";
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public async ValueTask DisposeAsync() => await _drop();

    [Theory]
    [InlineData(ImportStages.FileRead)]
    [InlineData(ImportStages.DataWritten)]
    [InlineData(ImportStages.DataCommitted)]
    [InlineData(ImportStages.AnalysisWritten)]
    public async Task AKillAtAnyStageOfAnImportLeavesAStateThatExplainsItselfAndTheNextStartCompletesIt(string stage)
    {
        var file = ImportFiles.Write(Production, "production.csv");

        var killed = await KillAtAsync(stage, "import", "statistics", file);

        Assert.Equal(137, killed); // 128 + SIGKILL
        var committed = stage is ImportStages.DataCommitted or ImportStages.AnalysisWritten;
        var (datasets, figures, imports, findings) = await StateAsync();
        if (committed)
        {
            // The data and its audit entry went in together; the analysis did not finish and says so.
            var dataset = Assert.Single(datasets);
            Assert.Equal((2, $"dataset {dataset.Id}"), (figures, Assert.Single(imports).Target));
            Assert.Null(dataset.AnalysedAtUtc);
            Assert.Equal(0, findings);
        }
        else
            Assert.Equal((0, 0, 0), (datasets.Count, figures, imports.Count)); // nothing of the file, and no entry for it
        Assert.Equal((0, "intact"), await VerifyAuditAsync());

        // The next start (any command starts as the web app does) runs the analysis that was cut short; the
        // import run again completes what was not committed, or says nothing changed.
        var restart = await RunAsync("db", "migrate");
        var again = await RunAsync("import", "statistics", file);

        Assert.Equal(0, restart.Exit);
        Assert.Equal(0, again.Exit);
        (datasets, figures, imports, findings) = await StateAsync();
        var analysed = Assert.Single(datasets);
        Assert.NotNull(analysed.AnalysedAtUtc);
        Assert.Equal((2, $"dataset {analysed.Id}"), (figures, Assert.Single(imports).Target));
        Assert.True(findings > 0, "the findings of the analysis cut short are there after the next start");
        Assert.Equal(0, (await RunAsync("audit", "verify")).Exit);
    }

    [Fact]
    public async Task ARefusedImportFromTheCommandLineIsAuditedAndAKillBeforeItsRefusalLeavesNothing()
    {
        var bad = ImportFiles.Write(ImportFiles.Csv(ImportFiles.ProductionHeader, "XXX,2024,3100,,,Bulletin,Ministère des Mines,3 100 carats,exact,"), "bad.csv");

        var killed = await KillAtAsync(ImportStages.FileRead, "import", "statistics", bad);
        var refused = await RunAsync("import", "statistics", bad);

        Assert.Equal((137, 1), (killed, refused.Exit));
        var entry = Assert.Single(await ReadAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.ImportRefused).ToListAsync(Cancel)));
        Assert.Equal(("bad.csv", $"command line ({Environment.UserName})"), (entry.Target, entry.Actor));
        Assert.Equal(0, await ReadAsync(db => db.Datasets.CountAsync(Cancel)));
    }

    private async Task<(List<Statistics.Dataset> Datasets, int Figures, List<AuditEntry> Imports, int Findings)> StateAsync() => await ReadAsync(async db =>
        (await db.Datasets.AsNoTracking().ToListAsync(Cancel), await db.Figures.CountAsync(Cancel),
         await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.Import).ToListAsync(Cancel), await db.Findings.CountAsync(Cancel)));

    /// <summary>The audit chain as the killed process left it (the command `audit verify` would first start, and repair, the database).</summary>
    private async Task<(int, string)> VerifyAuditAsync()
    {
        var verification = await ReadAsync((db, services) => services.GetRequiredService<AuditLog>().VerifyAsync(Cancel));
        return verification.FirstBrokenSequence is null ? (0, "intact") : (1, verification.Problem ?? "");
    }

    /// <summary>Reads the database as the killed process left it, without starting anything that would repair it.</summary>
    private Task<T> ReadAsync<T>(Func<KimberliteDb, Task<T>> read) => ReadAsync((db, _) => read(db));

    private async Task<T> ReadAsync<T>(Func<KimberliteDb, IServiceProvider, Task<T>> read)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(_settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddKimberliteData();
        builder.Services.AddSingleton<AuditLog>();
        using var host = builder.Build();
        await using var scope = host.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<KimberliteDb>(), scope.ServiceProvider);
    }

    private Process Start(string? pauseAt, string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var (key, value) in _settings)
            info.ArgumentList.Add($"--{key}={value}");
        if (pauseAt is not null)
            info.ArgumentList.Add($"--Kimberlite:Testing:PauseAt={pauseAt}");
        info.Environment["LANG"] = "en_US.UTF-8";
        return Process.Start(info)!;
    }

    private async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args)
    {
        using var process = Start(null, args);
        var output = process.StandardOutput.ReadToEndAsync(Cancel);
        var errors = process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel);
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>Runs the command until it reports the stage, then kills it there with SIGKILL; returns its exit code.</summary>
    private async Task<int> KillAtAsync(string stage, params string[] args)
    {
        using var process = Start(stage, args);
        var output = process.StandardOutput.ReadToEndAsync(Cancel);
        var seen = new List<string>();
        while (await process.StandardError.ReadLineAsync(Cancel) is { } line)
        {
            if (line == $"stage {stage} reached")
            {
                process.Kill(); // SIGKILL on Linux: no handler, no finally block runs
                await process.WaitForExitAsync(Cancel);
                return process.ExitCode;
            }
            seen.Add(line);
        }
        await process.WaitForExitAsync(Cancel);
        Assert.Fail($"The command ended ({process.ExitCode}) without reaching {stage}: {await output} {string.Join('\n', seen)}");
        return -1;
    }
}
