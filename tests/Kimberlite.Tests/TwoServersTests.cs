using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kimberlite.Accounts;
using Kimberlite.Analysis;
using Kimberlite.Field;
using Kimberlite.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>
/// Two Kimberlite servers on one database, each with a data folder of its own and the same keys: nothing is lost or
/// duplicated, and nothing goes through a local disk. On SQLite the second opens the first one's database file.
/// </summary>
public sealed class TwoServersTests : IAsyncLifetime
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private readonly KimberliteApp _first = new(loadBundledData: false);
    private KimberliteApp _second = null!;
    private string _secondData = null!;

    public ValueTask InitializeAsync()
    {
        _ = _first.Services;
        _secondData = Path.Combine(Path.GetTempPath(), "kimberlite-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string>(_first.Settings)
        {
            ["Kimberlite:DataDirectory"] = _secondData,
            ["Kimberlite:KeysDirectory"] = _first.DataDirectory + ".keys",
        };
        if (!TestDatabase.IsPostgres)
            settings["Kimberlite:Database:ConnectionString"] = $"Data Source={Path.Combine(_first.DataDirectory, "kimberlite.db")}";
        _second = new KimberliteApp(settings);
        _ = _second.Services;
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        try { Directory.Delete(_secondData, recursive: true); } catch (IOException) { }
    }

    /// <summary>A client of the other server carrying the same API token.</summary>
    private static HttpClient SameTokenOn(KimberliteApp app, HttpClient client)
    {
        var other = app.CreateClient();
        other.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
        return other;
    }

    [Fact]
    public async Task ASubmissionPostedToBothServersAtOnceIsStoredOnceAndItsEvidenceSentToOneIsReadFromTheOther()
    {
        var monitorOnFirst = await People.ApiClientAsync(_first, "monitor@example.org", MemberRole.Monitor, "CRAGG");
        var monitorOnSecond = SameTokenOn(_second, monitorOnFirst);
        var analystOnFirst = await People.ApiClientAsync(_first, "analyst@example.org", MemberRole.Analyst, "CRAGG");
        var analystOnSecond = SameTokenOn(_second, analystOnFirst);
        var clientId = Guid.NewGuid();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            (i % 2 == 0 ? monitorOnFirst : monitorOnSecond).PostAsJsonAsync("/api/v1/field/submissions", SecretsAtRestTests.FieldSubmission(clientId), Cancel)));
        foreach (var answer in answers)
            Assert.True(answer.IsSuccessStatusCode, $"{answer.StatusCode} {await answer.Content.ReadAsStringAsync(Cancel)}");
        var ids = await Task.WhenAll(answers.Select(async a => (await a.Content.ReadFromJsonAsync<SubmissionAnswer>(Cancel))!.Id));
        var report = "%PDF-1.4 rapport de terrain"u8.ToArray();
        MultipartFormDataContent Form() => new() { { new ByteArrayContent(report), "file", "rapport.pdf" } };
        var sent = await monitorOnFirst.PostAsync($"/api/v1/field/incidents/{ids[0]}/evidence", Form(), Cancel);
        var again = await monitorOnSecond.PostAsync($"/api/v1/field/incidents/{ids[0]}/evidence", Form(), Cancel);
        var listed = await analystOnSecond.GetFromJsonAsync<List<EvidenceRow>>($"/api/v1/field/incidents/{ids[0]}/evidence", Cancel);
        var read = await analystOnSecond.GetAsync($"/api/v1/field/evidence/{listed![0].Id}", Cancel);

        Assert.Single(ids.Distinct());
        Assert.Equal(1, await _second.WithDb(db => db.Incidents.CountAsync(Cancel)));
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (sent.StatusCode, again.StatusCode));
        Assert.Single(listed);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(report, await read.Content.ReadAsByteArrayAsync(Cancel));
        Assert.Equal(1, await _first.WithDb(db => db.StoredFiles.CountAsync(Cancel)));
        // Neither server wrote the file to its own disk.
        Assert.DoesNotContain(Directory.EnumerateFiles(_secondData, "*", SearchOption.AllDirectories), f => File.ReadAllBytes(f).AsSpan().SequenceEqual(report));
        Assert.DoesNotContain(Directory.EnumerateFiles(_first.DataDirectory, "*", SearchOption.AllDirectories), f => File.ReadAllBytes(f).AsSpan().SequenceEqual(report));
    }

    [Fact]
    public async Task AnUploadCheckedOnOneServerIsImportedOnTheOtherAndEachServersApiShowsWhatTheOtherImported()
    {
        await People.CreateAsync(_first, "analyst@example.org", MemberRole.Analyst, "CRAGG", twoFactor: false);
        var onFirst = await People.SignInAsync(_first, "analyst@example.org");
        var onSecond = await People.SignInAsync(_second, "analyst@example.org");
        var reader = await People.ApiClientAsync(_first, "reader@example.org", MemberRole.Viewer, "CRAGG");
        // Read once on each server before the imports, as a cache would keep it.
        Assert.Empty((await reader.GetFromJsonAsync<List<DatasetRow>>("/api/v1/datasets", Cancel))!);
        Assert.Empty((await SameTokenOn(_second, reader).GetFromJsonAsync<List<DatasetRow>>("/api/v1/datasets", Cancel))!);

        var (checkedOnFirst, _) = await Uploads.CheckAsync(onFirst, Uploads.KpTable(2021), "kp-2021.csv", publisher: "Kimberley Process");
        var committedOnSecond = await Uploads.CommitAsync(onSecond, checkedOnFirst!, "Kimberley Process");
        var (checkedOnSecond, _) = await Uploads.CheckAsync(onSecond, Uploads.KpTable(2022), "kp-2022.csv", publisher: "Kimberley Process");
        var committedOnFirst = await Uploads.CommitAsync(onFirst, checkedOnSecond!, "Kimberley Process");

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect), (committedOnSecond.StatusCode, committedOnFirst.StatusCode));
        // Read with a signed-in token: what each server answers now, whatever it answered the public before.
        var seenByFirst = await reader.GetFromJsonAsync<List<DatasetRow>>("/api/v1/datasets", Cancel);
        var seenBySecond = await SameTokenOn(_second, reader).GetFromJsonAsync<List<DatasetRow>>("/api/v1/datasets", Cancel);
        Assert.Equal(["kp-2021.csv", "kp-2022.csv"], seenByFirst!.Select(d => d.FileName));
        Assert.Equal(["kp-2021.csv", "kp-2022.csv"], seenBySecond!.Select(d => d.FileName));
        Assert.Empty(await _first.WithDb(db => db.PendingUploads.ToListAsync(Cancel)));
        Assert.Empty(await _first.WithDb(db => db.StoredFiles.ToListAsync(Cancel)));
    }

    [Fact]
    public async Task WhileOneServerAnalysesTheOtherWaitsItsTurnAndTheCleanUpRunsOnOneServerAtATime()
    {
        await using var firstScope = _first.Services.CreateAsyncScope();
        await using var secondScope = _second.Services.CreateAsyncScope();
        var secondLock = secondScope.ServiceProvider.GetRequiredService<DatabaseLock>();
        var released = false;
        Task<AnalysisSummary>? waiting = null;
        bool? cleanUpWhileHeld = null, analysisWhileHeld = null;

        await firstScope.ServiceProvider.GetRequiredService<DatabaseLock>().RunAsync("analysis", async token =>
        {
            analysisWhileHeld = await secondLock.TryRunAsync("analysis", _ => Task.CompletedTask, token);
            cleanUpWhileHeld = await secondLock.TryRunAsync("pending-uploads", _ => Task.CompletedTask, token);
            waiting = secondScope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(token, (_, _, _) =>
            {
                Assert.True(released, "the second server analysed while the first held the lock");
                return Task.CompletedTask;
            });
            await Task.Delay(300, token);
            released = true;
            return 0;
        }, Cancel);
        await waiting!;

        Assert.Equal((false, true), (analysisWhileHeld, cleanUpWhileHeld));
        Assert.True(await secondLock.TryRunAsync("analysis", _ => Task.CompletedTask, Cancel));
    }

    private sealed record DatasetRow(int Id, string FileName);
    private sealed record EvidenceRow(int Id);
}
