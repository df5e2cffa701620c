using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Commands;
using Kimberlite.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>
/// The audit trail is sealed with a key kept outside the database, and its head is kept there too: whoever can
/// write the database tampers with it in each way a probe tried, and `audit verify` names what was done, and where.
/// </summary>
public sealed partial class AuditChainTests : IAsyncLifetime
{
    private readonly Dictionary<string, string> _settings;
    private readonly Func<Task> _drop;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public AuditChainTests()
    {
        (_settings, _drop) = TestDatabase.Create();
        _settings["Kimberlite:LoadBundledData"] = "false";
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public async ValueTask DisposeAsync() => await _drop();

    private string Keys => _settings["Kimberlite:DataDirectory"] + ".keys";
    private string HeadFile => Path.Combine(Keys, "audit.head");

    private async Task<(int Exit, string Output, string Errors)> Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await KimberliteCommands.RunAsync([.. args, .. _settings.Select(s => $"--{s.Key}={s.Value}")], output, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    [GeneratedRegex(@"Head: (\d+:[0-9a-f]{64}) ")]
    private static partial Regex Head();

    /// <summary>Six entries: two administrators (created, granted) and a viewer (created, member), written by the command line.</summary>
    private async Task<string> SixEntriesAsync()
    {
        await Run("users", "add", "a@example.org", "--role", "admin");
        await Run("users", "add", "b@example.org", "--org", "CENADEP", "--role", "viewer");
        await Run("users", "add", "c@example.org", "--role", "admin");
        var clean = await Run("audit", "verify");
        Assert.Equal(0, clean.Exit);
        return Head().Match(clean.Output).Groups[1].Value;
    }

    /// <summary>Someone with the database's password, and nothing else, changes it.</summary>
    private async Task TamperAsync(params string[] statements)
    {
        await using var app = new KimberliteApp(_settings);
        await app.WithDb(async db =>
        {
            foreach (var statement in statements)
                await db.Database.ExecuteSqlRawAsync(statement, Cancel);
            return 0;
        });
    }

    private async Task<AuditEntry> EntryAsync(long sequence)
    {
        await using var app = new KimberliteApp(_settings);
        return await app.WithDb(db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.Sequence == sequence, Cancel));
    }

    private async Task AddAsync(AuditEntry entry)
    {
        await using var app = new KimberliteApp(_settings);
        await app.WithDb(db =>
        {
            db.AuditEntries.Add(entry);
            return db.SaveChangesAsync(Cancel);
        });
    }

    private async Task AssertBroken(string sentence, params string[] verifyArguments)
    {
        var verify = await Run(["audit", "verify", .. verifyArguments]);
        Assert.Equal(1, verify.Exit);
        Assert.Contains(sentence, verify.Errors);
    }

    [Fact]
    public async Task ACleanChainPassesAndPrintsItsHeadWhichExpectThenAccepts()
    {
        var head = await SixEntriesAsync();

        var verify = await Run("audit", "verify");
        var expected = await Run("audit", "verify", "--expect", head);
        var unreadable = await Run("audit", "verify", "--expect", "six");

        Assert.Equal(0, verify.Exit);
        Assert.Contains("Audit trail intact: 6 entries verified.", verify.Output);
        Assert.StartsWith("6:", head);
        Assert.Equal($"{head}\n", await File.ReadAllTextAsync(HeadFile, Cancel));
        Assert.Equal(0, expected.Exit);
        Assert.Contains($"Head: {head} ", expected.Output);
        Assert.Equal(2, unreadable.Exit);
        Assert.Contains("--expect takes the head as audit verify prints it: SEQ:MAC", unreadable.Errors);
        Assert.Equal(32, (await File.ReadAllBytesAsync(Path.Combine(Keys, "audit.key"), Cancel)).Length);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Keys, "audit.key")));
    }

    [Fact]
    public async Task EditingAFieldOfAnEntryIsNamedAsAChangeToThatEntry()
    {
        await SixEntriesAsync();

        await TamperAsync("UPDATE \"AuditEntries\" SET \"Summary\" = 'nothing happened' WHERE \"Sequence\" = 2");

        await AssertBroken("Audit trail broken at entry 2: it was changed after it was written (its content no longer matches its seal).");
    }

    [Fact]
    public async Task DeletingAnEntryInTheMiddleIsNamedAsADeletion()
    {
        await SixEntriesAsync();

        await TamperAsync("DELETE FROM \"AuditEntries\" WHERE \"Sequence\" = 3");

        await AssertBroken("Audit trail broken at entry 3: it was deleted (entries 3 to 3 are missing before entry 4).");
    }

    [Fact]
    public async Task SwappingTheSequencesOfTwoEntriesIsNamedAsAReordering()
    {
        await SixEntriesAsync();

        await TamperAsync(
            "UPDATE \"AuditEntries\" SET \"Sequence\" = -3 WHERE \"Sequence\" = 3",
            "UPDATE \"AuditEntries\" SET \"Sequence\" = 3 WHERE \"Sequence\" = 5",
            "UPDATE \"AuditEntries\" SET \"Sequence\" = 5 WHERE \"Sequence\" = -3");

        await AssertBroken("Audit trail broken at entry 3: it holds what was written as entry 5; entries were reordered.");
    }

    [Fact]
    public async Task CuttingTheTailIsDetectedByTheHeadFileAndWithoutItByTheHeadWrittenDown()
    {
        var head = await SixEntriesAsync();

        await TamperAsync("DELETE FROM \"AuditEntries\" WHERE \"Sequence\" > 4");
        await AssertBroken("Audit trail broken after entry 4: the head kept outside the database is entry 6; the last entries were cut, or the head file points past the end.");
        // Whoever also reaches the keys folder removes the head: the head the operator wrote down still tells.
        File.Delete(HeadFile);
        await AssertBroken("Audit trail broken after entry 4: the head you gave is entry 6; the last entries were cut.", "--expect", head);
    }

    [Fact]
    public async Task AnEntryAppendedWithARecomputedPlainHashIsNamedAsForged()
    {
        await SixEntriesAsync();
        var last = await EntryAsync(6);

        // What the version without a key would have accepted: the plain chain recomputed, the MAC column filled with it.
        var forged = new AuditEntry
        {
            Sequence = 7, AtUtc = last.AtUtc.AddMinutes(1), Actor = "a@example.org", Action = AuditActions.SignIn, Target = "a@example.org",
            Summary = "signed in", PreviousHash = last.Hash, Hash = "", PreviousMac = last.Mac,
        };
        forged.Hash = forged.ComputeHash();
        forged.Mac = forged.Hash;
        await AddAsync(forged);

        await AssertBroken("Audit trail broken at entry 7: it was added without the audit key (a forged entry).");
    }

    [Fact]
    public async Task AnEntrySealedWithAnotherKeyIsNamedAsForged()
    {
        await SixEntriesAsync();
        var last = await EntryAsync(6);

        var forged = new AuditEntry
        {
            Sequence = 7, AtUtc = last.AtUtc.AddMinutes(1), Actor = "a@example.org", Action = AuditActions.SignIn, Target = "a@example.org",
            Summary = "signed in", PreviousHash = last.Hash, Hash = "", PreviousMac = last.Mac,
        };
        forged.Hash = forged.ComputeHash();
        forged.Mac = forged.ComputeMac(RandomNumberGenerator.GetBytes(32), last.Mac!, 7);
        await AddAsync(forged);

        await AssertBroken("Audit trail broken at entry 7: it was added without the audit key (a forged entry).");
    }

    [Fact]
    public async Task AHeadFileThatPointsPastTheEndIsDetected()
    {
        var head = await SixEntriesAsync();

        await File.WriteAllTextAsync(HeadFile, "9:" + head[2..] + "\n", Cancel);

        await AssertBroken("Audit trail broken after entry 6: the head kept outside the database is entry 9; the last entries were cut, or the head file points past the end.");
    }

    [Fact]
    public async Task ALostAuditKeyIsReportedAndVerifyDoesNotMakeANewOne()
    {
        await SixEntriesAsync();
        var key = Path.Combine(Keys, "audit.key");

        File.Move(key, key + ".elsewhere");

        await AssertBroken("Audit trail not checked from entry 1: the audit key (Kimberlite:Accounts:AuditKeyFile, in the keys directory) is missing; restore it from where you keep it.");
        Assert.False(File.Exists(key));
        File.Move(key + ".elsewhere", key);
        Assert.Equal(0, (await Run("audit", "verify")).Exit);
    }

    [Fact]
    public async Task AnEntryWrittenInATransactionMovesTheHeadOnlyOnceItCommits()
    {
        await Run("users", "add", "a@example.org", "--role", "admin");
        Assert.StartsWith("2:", await File.ReadAllTextAsync(HeadFile, Cancel));

        await using (var app = new KimberliteApp(_settings))
        {
            var audit = app.Services.GetRequiredService<AuditLog>();
            async Task WriteAsync(bool commit, bool rollback) => await app.WithDb(async db =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(Cancel);
                await audit.AppendInAsync(db, "test", AuditActions.Analysis, "findings", "inside a transaction", Cancel);
                if (commit)
                    await transaction.CommitAsync(Cancel);
                else if (rollback)
                    await transaction.RollbackAsync(Cancel);
                return 0;
            });
            await WriteAsync(commit: false, rollback: true);
            await WriteAsync(commit: false, rollback: false);
            Assert.StartsWith("2:", await File.ReadAllTextAsync(HeadFile, Cancel));
            await WriteAsync(commit: true, rollback: false);
        }

        Assert.StartsWith("3:", await File.ReadAllTextAsync(HeadFile, Cancel));
        var verify = await Run("audit", "verify");
        Assert.Equal((0, ""), (verify.Exit, verify.Errors));
        Assert.Contains("Audit trail intact: 3 entries verified.", verify.Output);
    }

    [Fact]
    public async Task TheAuditPageShowsAnAdministratorTheOutcomeAndTheHeadItVerified()
    {
        await using var app = new KimberliteApp(_settings);
        await People.CreateAsync(app, "chief@example.org", administrator: true);
        var client = await People.SignInAsync(app, "chief@example.org");
        var head = (await File.ReadAllTextAsync(HeadFile, Cancel)).Trim();

        // In French, the first language.
        var intact = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync("/admin/audit?verify=true", Cancel));
        await app.WithDb(db => db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEntries\" SET \"Actor\" = 'nobody' WHERE \"Sequence\" = 1", Cancel));
        var broken = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync("/admin/audit?verify=true", Cancel));

        Assert.Contains("Chaîne intacte : ", intact);
        Assert.Contains($"Tête de la chaîne : {head}", intact);
        Assert.Contains("Journal d'audit rompu à l'entrée 1 : elle a été modifiée après son écriture", broken);
    }

    /// <summary>Three entries as the version before the audit key wrote them: a plain SHA-256 chain, no MAC.</summary>
    private async Task WriteOldChainAsync(string? secondSummaryChangedTo = null)
    {
        Assert.Equal(0, (await Run("db", "migrate")).Exit);
        await using var app = new KimberliteApp(_settings);
        await app.WithDb(async db =>
        {
            var previous = AuditEntry.Genesis;
            for (var sequence = 1; sequence <= 3; sequence++)
            {
                var entry = new AuditEntry
                {
                    Sequence = sequence, AtUtc = new DateTime(2026, 11, 1, 8, sequence, 0, DateTimeKind.Utc), Actor = "old@example.org",
                    Action = AuditActions.SignIn, Target = "old@example.org", Summary = $"signed in ({sequence})", PreviousHash = previous, Hash = "",
                };
                entry.Hash = entry.ComputeHash();
                previous = entry.Hash;
                if (sequence == 2 && secondSummaryChangedTo is not null)
                    entry.Summary = secondSummaryChangedTo;
                db.AuditEntries.Add(entry);
            }
            return await db.SaveChangesAsync(Cancel);
        });
        Assert.False(File.Exists(HeadFile));
    }

    [Fact]
    public async Task AChainWrittenBeforeTheAuditKeyIsSealedAtStartRecordsItAndThenVerifies()
    {
        await WriteOldChainAsync();

        var verify = await Run("audit", "verify");

        Assert.Equal(0, verify.Exit);
        Assert.Contains("Audit trail intact: 4 entries verified.", verify.Output);
        Assert.StartsWith("Head: 4:", verify.Output.Split(Environment.NewLine)[1]);
        var sealedEntry = await EntryAsync(4);
        Assert.Equal((AuditActions.ChainSealed, "audit chain sealed: 3 entries"), (sealedEntry.Action, sealedEntry.Summary));
        Assert.Equal(0, (await Run("audit", "verify")).Exit);
    }

    [Fact]
    public async Task AnOldChainAlreadyBrokenIsNotSealedAndVerifyNamesWhereItBreaks()
    {
        await WriteOldChainAsync(secondSummaryChangedTo: "nothing happened");

        await AssertBroken("Audit trail broken at entry 2: the chain written before the audit key breaks here (changed, deleted or reordered before the upgrade), so it was not sealed.");
        await using var app = new KimberliteApp(_settings);
        Assert.False(await app.WithDb(db => db.AuditEntries.AnyAsync(e => e.Mac != null, Cancel)));
    }

    [Fact]
    public async Task ProcessesMakingTheAuditKeyAtOnceEndWithOneKeyAndTheHeadNeverMovesBack()
    {
        var key = Path.Combine(Keys, "audit.key");

        var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => new AuditSeal(key).Key(), Cancel)));
        var (first, second) = (new AuditSeal(key), new AuditSeal(key));
        first.Advance(new AuditHead(5, new string('a', 64)));
        second.Advance(new AuditHead(3, new string('b', 64)));

        Assert.All(keys, k => Assert.Equal(keys[0], k));
        Assert.Equal(keys[0], await File.ReadAllBytesAsync(key, Cancel));
        Assert.Equal(new AuditHead(5, new string('a', 64)), second.ReadHead().Head);
        Assert.Equal(["audit.head", "audit.head.lock", "audit.key"], Directory.GetFiles(Keys).Select(Path.GetFileName).Order());
    }
}
