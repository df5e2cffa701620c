using System.Net;
using System.Net.Http.Json;
using System.Text;
using Kimberlite.Accounts;
using Kimberlite.Field;
using Kimberlite.Imports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kimberlite.Tests;

/// <summary>What waits on the server between two steps, and the files it keeps: encrypted, the service's alone, and gone when done.</summary>
public sealed class SecretsAtRestTests : EmptyAppTest
{
    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private async Task<HttpClient> AnalystAsync()
    {
        await People.CreateAsync(App, "analyst@example.org", MemberRole.Analyst, "CRAGG", twoFactor: false);
        return await People.SignInAsync(App, "analyst@example.org");
    }

    private static IEnumerable<string> FilesUnder(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories) : [];

    private static bool Holds(byte[] content, string text) => content.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    private Task<List<string>> StoredNamesAsync() => App.WithDb(db => db.StoredFiles.AsNoTracking().OrderBy(f => f.Name).Select(f => f.Name).ToListAsync(Cancel));

    [Fact]
    public async Task AWaitingKoboUploadIsNowhereInPlaintextNeitherInTheDataFolderNorInTheFileStore()
    {
        var analyst = await AnalystAsync();

        var (upload, page) = await Uploads.CheckAsync(analyst, Uploads.KoboExport, "kobo.csv", Uploads.KoboMapping);

        Assert.NotNull(upload);
        Assert.DoesNotContain(Uploads.Secrets[0], page);
        // Every file of the data folder, the SQLite database and its journal included, and of the keys folder.
        var files = FilesUnder(App.DataDirectory).Concat(FilesUnder(App.DataDirectory + ".keys")).ToList();
        Assert.NotEmpty(files);
        foreach (var path in files)
            Assert.DoesNotContain(Uploads.Secrets, secret => Holds(File.ReadAllBytes(path), secret));
        var stored = await App.WithDb(db => db.StoredFiles.AsNoTracking().Where(f => f.Name.StartsWith("uploads/")).ToListAsync(Cancel));
        Assert.Equal([$"uploads/{upload}", $"uploads/{upload}.mapping"], stored.Select(f => f.Name).Order());
        Assert.All(stored, f => Assert.DoesNotContain(Uploads.Secrets, secret => Holds(f.Content, secret)));
        Assert.False(Holds(stored.Single(f => f.Name.EndsWith(".mapping")).Content, "informateur_nom"));
        // Sealed under the reporter key and bound to this upload: the key opens it, and only as this upload.
        await using var scope = App.Services.CreateAsyncScope();
        var protector = scope.ServiceProvider.GetRequiredService<ReporterProtector>();
        var sealedFile = stored.Single(f => f.Name == $"uploads/{upload}").Content;
        Assert.Equal(Uploads.KoboExport, protector.Reveal(sealedFile, Guid.ParseExact(upload, "N")));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => protector.Reveal(sealedFile, Guid.NewGuid()));
    }

    [Fact]
    public async Task AWaitingUploadIsDeletedWhenImportedWhenCancelledAndAnHourAfterItsCheck()
    {
        var analyst = await AnalystAsync();
        var (imported, _) = await Uploads.CheckAsync(analyst, Uploads.KoboExport, "kobo.csv", Uploads.KoboMapping);
        var (cancelled, _) = await Uploads.CheckAsync(analyst, Uploads.KpTable(2020), "kp-2020.csv", publisher: "Kimberley Process");
        var (forgotten, _) = await Uploads.CheckAsync(analyst, Uploads.KpTable(2021), "kp-2021.csv", publisher: "Kimberley Process");
        var (recent, _) = await Uploads.CheckAsync(analyst, Uploads.KpTable(2022), "kp-2022.csv", publisher: "Kimberley Process");
        Assert.Equal(5, (await StoredNamesAsync()).Count);

        var import = await Uploads.CommitAsync(analyst, imported!);
        var cancel = await Uploads.CancelAsync(analyst, cancelled!);
        // An hour and a minute pass for one of them; the clean-up runs as the background job runs it, on whichever server gets the lock.
        var forgottenId = Guid.ParseExact(forgotten!, "N");
        await App.WithDb(db => db.PendingUploads.Where(u => u.Id == forgottenId).ExecuteUpdateAsync(u => u.SetProperty(x => x.CreatedAtUtc, x => x.CreatedAtUtc.AddMinutes(-61)), Cancel));
        var ran = await App.Services.GetRequiredService<PendingUploadCleanup>().RunOnceAsync(Cancel);
        var late = await Uploads.CommitAsync(analyst, forgotten!);

        Assert.Equal((HttpStatusCode.Redirect, "/field/incidents"), (import.StatusCode, import.Headers.Location?.OriginalString));
        Assert.Equal(2, await App.WithDb(db => db.Incidents.CountAsync(Cancel)));
        Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        Assert.True(ran);
        Assert.Equal((HttpStatusCode.Redirect, "/import"), (late.StatusCode, late.Headers.Location?.OriginalString));
        Assert.Equal(0, await App.WithDb(db => db.Datasets.CountAsync(Cancel)));
        Assert.Equal([$"uploads/{recent}"], await StoredNamesAsync());
        Assert.Equal([Guid.ParseExact(recent!, "N")], await App.WithDb(db => db.PendingUploads.Select(u => u.Id).ToListAsync(Cancel)));
        Assert.Equal(60, App.Services.GetRequiredService<IOptions<Infrastructure.Files.FileStoreOptions>>().Value.PendingUploadMinutes);
    }

    [Fact, System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task AfterStartAnUploadAndEvidenceNothingInTheDataOrKeysFolderIsReadableByGroupOrOthers()
    {
        var analyst = await AnalystAsync();
        var monitor = await People.ApiClientAsync(App, "monitor@example.org", MemberRole.Monitor, "CRAGG");
        var incident = await (await monitor.PostAsJsonAsync("/api/v1/field/submissions", FieldSubmission(Guid.NewGuid()), Cancel)).Content.ReadFromJsonAsync<SubmissionAnswer>(Cancel);
        var evidence = await monitor.PostAsync($"/api/v1/field/incidents/{incident!.Id}/evidence", new MultipartFormDataContent { { new ByteArrayContent("%PDF-1.4 rapport"u8.ToArray()), "file", "rapport.pdf" } }, Cancel);
        var (upload, _) = await Uploads.CheckAsync(analyst, Uploads.KoboExport, "kobo.csv", Uploads.KoboMapping);
        // A message (an invitation, a sign-in code) lands in the mail pickup folder.
        await using (var scope = App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IMailSender>().SendAsync("someone@example.org", "Invitation", "Code 123456", Cancel);

        Assert.Equal(HttpStatusCode.Created, evidence.StatusCode);
        Assert.NotNull(upload);
        var entries = new[] { App.DataDirectory, App.DataDirectory + ".keys" }
            .SelectMany(f => Directory.EnumerateFileSystemEntries(f, "*", SearchOption.AllDirectories).Append(f)).ToList();
        Assert.Contains(entries, e => e.EndsWith(".eml", StringComparison.Ordinal));
        if (!TestDatabase.IsPostgres)
            Assert.Contains(entries, e => e.EndsWith("kimberlite.db", StringComparison.Ordinal));
        Assert.Empty(entries.Where(e => (File.GetUnixFileMode(e) & GroupOrOthers) != 0).Select(e => $"{e} {File.GetUnixFileMode(e)}"));
    }

    [Fact]
    public async Task EvidenceAndUploadsAnEarlierVersionLeftInTheDataFolderMoveIntoTheStoreOrAreDeletedAtStart()
    {
        await using var app = new KimberliteApp(loadBundledData: false);
        var evidence = Path.Combine(app.DataDirectory, "evidence");
        Directory.CreateDirectory(evidence);
        var photo = TestImages.JpegWithGps();
        await File.WriteAllBytesAsync(Path.Combine(evidence, "0a1b2c.jpg"), photo, Cancel);
        Directory.CreateDirectory(Path.Combine(app.DataDirectory, "uploads"));
        await File.WriteAllBytesAsync(Path.Combine(app.DataDirectory, "uploads", "0123456789abcdef0123456789abcdef"), Uploads.KoboExport, Cancel);

        _ = app.Services;

        var stored = await app.WithDb(db => db.StoredFiles.AsNoTracking().SingleAsync(Cancel));
        Assert.Equal(EvidenceStore.FileStoreName("0a1b2c.jpg"), stored.Name);
        Assert.Equal(photo, stored.Content);
        Assert.False(Directory.Exists(evidence));
        Assert.False(Directory.Exists(Path.Combine(app.DataDirectory, "uploads")));
    }

    [Fact]
    public async Task AnS3StoreWithoutItsBucketOrKeysRefusesToStartNamingTheSettings()
    {
        await using var app = new KimberliteApp(false, ("Kimberlite:Files:Store", "S3"), ("Kimberlite:Files:S3:ServiceUrl", "http://127.0.0.1:9"));

        var refused = Assert.ThrowsAny<Exception>(() => app.Services);

        var message = string.Join(" ", Causes(refused));
        Assert.Contains("Kimberlite:Files:S3:Bucket", message);
        Assert.Contains("AccessKey", message);
    }

    private static IEnumerable<string> Causes(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            yield return e.Message;
    }

    internal static object FieldSubmission(Guid clientId) => new
    {
        clientId, kind = "incident", category = "violence", occurredOn = "2026-11-01", latitude = 4.36712, longitude = 18.58234,
        severity = "serious", description = "Des hommes armés ont pris le contrôle du chantier.", countryIso3 = "CAF", reporterName = "Zéphirin Canari", reporterContact = "+236 70 00 00 00",
    };
}
