using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Kimberlite.Accounts;
using Kimberlite.Field;
using Kimberlite.Infrastructure.Files;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Tests;

/// <summary>
/// A local S3-compatible server (moto's, which ./test.sh makes sure of) on a port of its own, with one bucket, for as
/// long as a test needs it.
/// </summary>
public sealed class S3Server : IAsyncDisposable
{
    public const string Bucket = "kimberlite", Key = "test-access", Secret = "test-secret";
    private readonly Process _process;
    public string Url { get; }

    private S3Server(Process process, string url) => (_process, Url) = (process, url);

    public static async Task<S3Server> StartAsync()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var process = Process.Start(new ProcessStartInfo("moto_server", $"-H 127.0.0.1 -p {port}") { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException("moto_server did not start: ./test.sh installs it (moto[server]).");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new S3Server(process, $"http://127.0.0.1:{port}");
        using var http = new HttpClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await http.GetAsync(server.Url);
                break;
            }
            catch (HttpRequestException) when (attempt < 200 && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
        using var client = server.Client();
        await client.PutBucketAsync(Bucket);
        return server;
    }

    public IAmazonS3 Client() => S3FileStore.CreateClient(new S3StoreOptions { ServiceUrl = Url, Bucket = Bucket, AccessKey = Key, SecretKey = Secret });

    public (string, string)[] Settings =>
    [
        ("Kimberlite:Files:Store", "S3"), ("Kimberlite:Files:S3:ServiceUrl", Url), ("Kimberlite:Files:S3:Bucket", Bucket),
        ("Kimberlite:Files:S3:AccessKey", Key), ("Kimberlite:Files:S3:SecretKey", Secret), ("Kimberlite:Files:S3:Prefix", "observatory"),
    ];

    public async Task<Dictionary<string, byte[]>> ObjectsAsync()
    {
        using var client = Client();
        var objects = new Dictionary<string, byte[]>();
        foreach (var o in (await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket })).S3Objects ?? [])
        {
            using var response = await client.GetObjectAsync(Bucket, o.Key);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer);
            objects[o.Key] = buffer.ToArray();
        }
        return objects;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

/// <summary>The S3 file store against a real S3-compatible server: evidence and waiting uploads in the bucket, none in the database.</summary>
public sealed class S3StoreTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithTheS3StoreEvidenceAndWaitingUploadsLiveSealedInTheBucketAndNoneInTheDatabase()
    {
        await using var s3 = await S3Server.StartAsync();
        await using var app = new KimberliteApp(false, s3.Settings);
        var monitor = await People.ApiClientAsync(app, "monitor@example.org", MemberRole.Monitor, "CRAGG");
        var reader = await People.ApiClientAsync(app, "reader@example.org", MemberRole.Analyst, "CRAGG");
        await People.CreateAsync(app, "analyst@example.org", MemberRole.Analyst, "CRAGG", twoFactor: false);
        var analyst = await People.SignInAsync(app, "analyst@example.org");
        var incident = await (await monitor.PostAsJsonAsync("/api/v1/field/submissions", SecretsAtRestTests.FieldSubmission(Guid.NewGuid()), Cancel)).Content.ReadFromJsonAsync<SubmissionAnswer>(Cancel);
        var report = "%PDF-1.4 rapport dans le seau"u8.ToArray();

        var sent = await monitor.PostAsync($"/api/v1/field/incidents/{incident!.Id}/evidence", new MultipartFormDataContent { { new ByteArrayContent(report), "file", "rapport.pdf" } }, Cancel);
        var evidence = await app.WithDb(db => db.EvidenceFiles.AsNoTracking().SingleAsync(Cancel));
        var read = await reader.GetAsync($"/api/v1/field/evidence/{evidence.Id}", Cancel);
        var (upload, _) = await Uploads.CheckAsync(analyst, Uploads.KoboExport, "kobo.csv", Uploads.KoboMapping);
        var waiting = await s3.ObjectsAsync();
        var cancel = await Uploads.CancelAsync(analyst, upload!);
        var after = await s3.ObjectsAsync();

        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        Assert.Equal(report, await read.Content.ReadAsByteArrayAsync(Cancel));
        Assert.Equal([$"observatory/evidence/{evidence.StoredName}", $"observatory/uploads/{upload}", $"observatory/uploads/{upload}.mapping"], waiting.Keys.Order());
        Assert.All(waiting.Values, content => Assert.DoesNotContain(Uploads.Secrets, s => content.AsSpan().IndexOf(Encoding.UTF8.GetBytes(s)) >= 0));
        Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        Assert.Equal([$"observatory/evidence/{evidence.StoredName}"], after.Keys);
        Assert.Equal(0, await app.WithDb(db => db.StoredFiles.CountAsync(Cancel)));
    }
}
