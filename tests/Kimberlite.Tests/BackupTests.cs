using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kimberlite.Accounts;
using Kimberlite.Analysis;
using Kimberlite.Field;
using Kimberlite.Infrastructure.Commands;
using Kimberlite.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>`kimberlite backup` while the app runs, then `kimberlite restore` into an empty target: the drill an operator runs.</summary>
public sealed class BackupTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public BackupTests() => CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");

    private static async Task<(int Exit, string Output, string Errors)> Run(Dictionary<string, string> settings, params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await KimberliteCommands.RunAsync([.. args, .. settings.Select(s => $"--{s.Key}={s.Value}")], output, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    private static string NewFolder() => Path.Combine(Path.GetTempPath(), "kimberlite-tests", Guid.NewGuid().ToString("N"));

    private static object Submission(string description) => new
    {
        clientId = Guid.NewGuid(), kind = "incident", category = "violence", occurredOn = "2026-11-01", latitude = 4.36712, longitude = 18.58234,
        severity = "serious", description, countryIso3 = "CAF", reporterName = "Zéphirin Canari", reporterContact = "+236 70 00 00 00",
    };

    /// <summary>What the drill compares: every row a user would miss, by identity and content.</summary>
    private sealed record Holdings(
        List<(int Id, string Title)> Datasets, List<(int Id, FindingStatus Status, string? Note)> Findings, List<(int Id, string Description)> Incidents,
        List<(int Id, string StoredName)> Evidence, List<(long Sequence, string Hash)> Audit);

    private static Task<Holdings> HoldingsOf(KimberliteApp app) => app.WithDb(async db => new Holdings(
        (await db.Datasets.AsNoTracking().OrderBy(d => d.Id).Select(d => new { d.Id, d.Title }).ToListAsync(Cancel)).Select(d => (d.Id, d.Title)).ToList(),
        (await db.Findings.AsNoTracking().OrderBy(f => f.Id).Select(f => new { f.Id, f.Status, f.StatusNote }).ToListAsync(Cancel)).Select(f => (f.Id, f.Status, f.StatusNote)).ToList(),
        (await db.Incidents.AsNoTracking().OrderBy(i => i.Id).Select(i => new { i.Id, i.Description }).ToListAsync(Cancel)).Select(i => (i.Id, i.Description)).ToList(),
        (await db.EvidenceFiles.AsNoTracking().OrderBy(e => e.Id).Select(e => new { e.Id, e.StoredName }).ToListAsync(Cancel)).Select(e => (e.Id, e.StoredName)).ToList(),
        (await db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).Select(e => new { e.Sequence, e.Hash }).ToListAsync(Cancel)).Select(e => (e.Sequence, e.Hash)).ToList()));

    [Fact]
    public async Task TheDrillBacksUpWhileTheAppRunsAndRestoresEveryDatasetFindingIncidentEvidenceFileAndAuditEntry()
    {
        var (source, dropSource) = TestDatabase.Create();
        var (target, dropTarget) = TestDatabase.Create();
        var keys = source["Kimberlite:DataDirectory"] + ".keys";
        // The keys were kept separately: the restored app reads the same folder.
        target["Kimberlite:KeysDirectory"] = keys;
        var folder = NewFolder();
        try
        {
            Assert.Equal(0, (await Run(source, "db", "migrate")).Exit);
            Holdings before, after;
            byte[] photo;
            int evidenceId, incidentId;
            string bearer;
            (int Exit, string Output, string Errors) backup;
            await using (var app = new KimberliteApp(source))
            {
                var file = ImportFiles.Write(ImportFiles.Csv(ImportFiles.NationalHeader,
                    "CMR,2020,FY,export,total,870.55,51510000,XAF,https://ecomatin.be/x,EcoMatin (EITI),\"870,55 carats\",exact,"), "national-2020.csv");
                Assert.Equal(0, (await Run(source, "import", "statistics", file, "--title", "National figures 2020", "--publisher", "EcoMatin", "--retrieved", "2026-11-02")).Exit);
                var monitor = await People.ApiClientAsync(app, "monitor@example.org", MemberRole.Monitor, "CRAGG");
                var analyst = await People.ApiClientAsync(app, "analyst@example.org", MemberRole.Analyst, "CRAGG");
                bearer = analyst.DefaultRequestHeaders.Authorization!.Parameter!;
                var submitted = await monitor.PostAsJsonAsync("/api/v1/field/submissions", Submission("Des hommes armés ont pris le contrôle du chantier."), Cancel);
                incidentId = (await submitted.Content.ReadFromJsonAsync<SubmissionAnswer>(Cancel))!.Id;
                photo = TestImages.JpegWithGps();
                var uploaded = await monitor.PostAsync($"/api/v1/field/incidents/{incidentId}/evidence",
                    new MultipartFormDataContent { { new ByteArrayContent(photo), "file", "IMG_0042.jpg" } }, Cancel);
                Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
                evidenceId = (await uploaded.Content.ReadFromJsonAsync<EvidenceDto>(Cancel))!.Id;
                photo = await (await analyst.GetAsync($"/api/v1/field/evidence/{evidenceId}", Cancel)).Content.ReadAsByteArrayAsync(Cancel);
                await using (var scope = app.Services.CreateAsyncScope())
                {
                    var finding = await scope.ServiceProvider.GetRequiredService<KimberliteDb>().Findings.OrderBy(f => f.Id).FirstAsync(Cancel);
                    await scope.ServiceProvider.GetRequiredService<FindingsEngine>().DecideAsync(finding.Id, FindingStatus.Confirmed, "Vérifié avec le cadastre", "analyst@example.org", Cancel);
                }
                before = await HoldingsOf(app);

                // Monitors keep reporting while the backup runs: the copy is one moment, whole.
                using var stop = new CancellationTokenSource();
                var reports = Task.Run(async () =>
                {
                    var sent = 0;
                    while (!stop.IsCancellationRequested)
                    {
                        await monitor.PostAsJsonAsync("/api/v1/field/submissions", Submission($"Rapport pendant la sauvegarde {sent++}"), CancellationToken.None);
                        await Task.Delay(10, CancellationToken.None);
                    }
                    return sent;
                }, Cancel);
                await Task.Delay(100, Cancel);
                backup = await Run(source, "backup", folder);
                await stop.CancelAsync();
                Assert.True(await reports > 0);
                after = await HoldingsOf(app);
            }

            Assert.Equal(0, backup.Exit);
            Assert.Contains($"The keys are NOT in this backup: they are in {keys}.", backup.Output);
            Assert.DoesNotContain(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories), f => f.Contains(".key", StringComparison.OrdinalIgnoreCase));
            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "manifest.json"), Cancel));
            var counts = manifest.RootElement.GetProperty("counts");

            var restore = await Run(target, "restore", folder);
            var verify = await Run(target, "audit", "verify");

            Assert.True(restore.Exit == 0, restore.Output + restore.Errors);
            foreach (var (name, key) in new[] { ("Datasets", "datasets"), ("Findings", "findings"), ("Incidents", "incidents"), ("Evidence files", "evidenceFiles"), ("Audit entries", "auditEntries") })
                Assert.Contains($"{name}: {counts.GetProperty(key).GetInt64()} (in the backup: {counts.GetProperty(key).GetInt64()})", restore.Output);
            Assert.Contains("Audit trail intact", restore.Output);
            Assert.Equal(0, verify.Exit);

            await using var restored = new KimberliteApp(target);
            var back = await HoldingsOf(restored);
            // Everything made before the backup is back, as it was; what arrived during it is there whole or not at all.
            Assert.Equal(before.Datasets, back.Datasets);
            Assert.Contains(back.Datasets, d => d.Title == "National figures 2020");
            Assert.Equal(before.Findings, back.Findings);
            Assert.Contains(back.Findings, f => f.Status == FindingStatus.Confirmed && f.Note == "Vérifié avec le cadastre");
            Assert.Equal(before.Incidents, back.Incidents.Take(before.Incidents.Count));
            Assert.Equal(after.Incidents.Take(back.Incidents.Count), back.Incidents);
            Assert.Equal(before.Evidence, back.Evidence);
            Assert.Equal(after.Audit.Take(back.Audit.Count), back.Audit);
            Assert.True(back.Audit.Count >= before.Audit.Count);
            Assert.Equal((counts.GetProperty("incidents").GetInt32(), counts.GetProperty("auditEntries").GetInt32()), (back.Incidents.Count, back.Audit.Count));
            Assert.Equal(back.Audit[^1].Sequence, manifest.RootElement.GetProperty("auditHeadSequence").GetInt64());

            // The same token works, and the evidence file is the same bytes.
            var reader = restored.CreateClient();
            reader.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
            var download = await reader.GetAsync($"/api/v1/field/evidence/{evidenceId}", Cancel);
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(photo, await download.Content.ReadAsByteArrayAsync(Cancel));
            var incidents = await reader.GetStringAsync("/api/v1/field/incidents", Cancel);
            Assert.Contains("Des hommes armés ont pris le contrôle du chantier.", incidents);
        }
        finally
        {
            await dropTarget();
            await dropSource();
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task RestoreRefusesATargetThatHoldsDataOrADamagedBackupAndChangesNothing()
    {
        var (source, dropSource) = TestDatabase.Create();
        var (empty, dropEmpty) = TestDatabase.Create();
        source["Kimberlite:LoadBundledData"] = empty["Kimberlite:LoadBundledData"] = "false";
        empty["Kimberlite:KeysDirectory"] = source["Kimberlite:DataDirectory"] + ".keys";
        var (folder, damaged) = (NewFolder(), NewFolder());
        try
        {
            Assert.Equal(0, (await Run(source, "users", "add", "chief@example.org", "--role", "admin")).Exit);
            Assert.Equal(0, (await Run(source, "backup", folder)).Exit);
            Assert.Equal(0, (await Run(source, "users", "add", "deputy@example.org", "--role", "admin")).Exit);
            var intact = await Run(source, "audit", "verify");

            var intoItself = await Run(source, "restore", folder);
            var overBackup = await Run(source, "backup", folder);
            Directory.CreateDirectory(damaged);
            foreach (var file in Directory.GetFiles(folder))
                File.Copy(file, Path.Combine(damaged, Path.GetFileName(file)));
            var database = Directory.GetFiles(damaged).Single(f => Path.GetFileName(f).StartsWith("kimberlite.", StringComparison.Ordinal));
            var bytes = await File.ReadAllBytesAsync(database, Cancel);
            bytes[bytes.Length / 2] ^= 0xFF;
            await File.WriteAllBytesAsync(database, bytes, Cancel);
            var fromDamaged = await Run(empty, "restore", damaged);
            File.Delete(Path.Combine(damaged, "manifest.json"));
            var unfinished = await Run(empty, "restore", damaged);

            Assert.Equal(1, intoItself.Exit);
            Assert.Contains(TestDatabase.IsPostgres ? "already holds tables: nothing was restored" : "already holds a database", intoItself.Errors);
            Assert.Equal(intact, await Run(source, "audit", "verify"));
            Assert.Contains("Audit trail intact: ", intact.Output);
            Assert.Equal(1, overBackup.Exit);
            Assert.Contains("is not empty: nothing was written", overBackup.Errors);
            Assert.Equal(1, fromDamaged.Exit);
            Assert.Contains("The backup is damaged: ", fromDamaged.Errors);
            Assert.Equal(1, unfinished.Exit);
            Assert.Contains("holds no manifest.json", unfinished.Errors);
            // The refusals left the empty target untouched: the good backup still goes into it.
            var good = await Run(empty, "restore", folder);
            Assert.True(good.Exit == 0, good.Output + good.Errors);
            Assert.Matches(@"Audit entries: ([1-9]\d*) \(in the backup: \1\)", good.Output);
        }
        finally
        {
            await dropEmpty();
            await dropSource();
            foreach (var path in new[] { folder, damaged })
                if (Directory.Exists(path))
                    Directory.Delete(path, recursive: true);
        }
    }

    [Fact]
    public async Task BackupAndRestoreNameTheUnreachablePostgresServerAndExitWithThree()
    {
        var settings = new Dictionary<string, string>
        {
            ["Kimberlite:DataDirectory"] = NewFolder(), ["Kimberlite:Database:Provider"] = "Postgres",
            // Nothing listens on port 1: the connection is refused at once, on any machine.
            ["Kimberlite:Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=kimberlite;Password=never-printed;Database=kimberlite;Timeout=5",
        };
        var folder = NewFolder();

        var backup = await Run(settings, "backup", folder);
        var restore = await Run(settings, "restore", folder);

        Assert.Equal(3, backup.Exit);
        Assert.Contains("The PostgreSQL database on 127.0.0.1:1 does not answer", backup.Errors);
        Assert.DoesNotContain("never-printed", backup.Output + backup.Errors);
        Assert.False(Directory.Exists(folder));
        // Nothing to restore from: the backup folder was never left behind.
        Assert.Equal(1, restore.Exit);
        Assert.Contains("holds no manifest.json", restore.Errors);
    }

    [Fact]
    public async Task BackupOfASettingThatNamesNoDatabaseIsRefusedAndCreatesNothing()
    {
        var (settings, drop) = TestDatabase.Create();
        var folder = NewFolder();
        try
        {
            var backup = await Run(settings, "backup", folder);

            Assert.Equal(1, backup.Exit);
            Assert.StartsWith("There is no database to back up: ", backup.Errors.Trim());
            Assert.False(Directory.Exists(folder));
            Assert.False(File.Exists(Path.Combine(settings["Kimberlite:DataDirectory"], "kimberlite.db")));
        }
        finally
        {
            await drop();
        }
    }
}
