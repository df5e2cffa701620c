using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Commands;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Kimberlite.Tests;

/// <summary>
/// Faults get words, not stack traces (issue 15, hole 5): a database that cannot be used is named with its setting and
/// host, the web app waits for it and says so, an upload too large gets the page's own message, a bad token a 401.
/// </summary>
public sealed class FaultTests
{
    private const string Password = "hunter2-never-printed";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(string culture, params string[] args)
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        var (output, errors) = (new StringWriter(), new StringWriter());
        var folder = Path.Combine(Path.GetTempPath(), "kimberlite-tests", Guid.NewGuid().ToString("N"));
        var exit = await KimberliteCommands.RunAsync(["db", "migrate", $"--Kimberlite:DataDirectory={folder}", .. args], output, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    /// <summary>One paragraph: one line, no stack, never the password.</summary>
    private static void AssertOneParagraph(string errors)
    {
        Assert.Single(errors.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", errors);
        Assert.DoesNotContain("Exception", errors);
        Assert.DoesNotContain(Password, errors);
    }

    [Fact]
    public async Task TheCommandLineSaysInFrenchWhichPostgresServerDoesNotAnswerAndExitsWith3()
    {
        var (exit, output, errors) = await RunAsync("fr", "--Kimberlite:Database:Provider=Postgres",
            $"--Kimberlite:Database:ConnectionString=Host=127.0.0.1;Port=1;Database=kimberlite;Username=kimberlite;Password={Password}");

        Assert.Equal((3, ""), (exit, output));
        AssertOneParagraph(errors);
        Assert.StartsWith("La base de données PostgreSQL ne répond pas à 127.0.0.1:1 (réglage Kimberlite:Database:ConnectionString).", errors);
        Assert.Contains("Vérifiez que le serveur PostgreSQL est démarré", errors);
    }

    [Fact]
    public async Task TheCommandLineNamesTheMissingConnectionStringWhenTheProviderIsPostgres()
    {
        var (exit, output, errors) = await RunAsync("en", "--Kimberlite:Database:Provider=Postgres");

        Assert.Equal((3, ""), (exit, output));
        AssertOneParagraph(errors);
        Assert.StartsWith("The setting Kimberlite:Database:Provider is Postgres, but Kimberlite:Database:ConnectionString is empty", errors);
    }

    [Fact]
    public async Task TheCommandLineRefusesAMalformedConnectionStringWithoutRepeatingIt()
    {
        var postgres = await RunAsync("pt", "--Kimberlite:Database:Provider=Postgres", $"--Kimberlite:Database:ConnectionString=Host=db;Pasword={Password};;=x");
        var sqlite = await RunAsync("en", $"--Kimberlite:Database:ConnectionString=Data Sourse=/tmp/x.db;Password={Password}");

        Assert.Equal((3, 3), (postgres.Exit, sqlite.Exit));
        AssertOneParagraph(postgres.Errors);
        AssertOneParagraph(sqlite.Errors);
        Assert.StartsWith("A definição Kimberlite:Database:ConnectionString não se lê (", postgres.Errors);
        Assert.StartsWith("The setting Kimberlite:Database:ConnectionString cannot be read (", sqlite.Errors);
    }

    [Fact]
    public async Task TheCommandLineNamesAnUnknownProvider()
    {
        var (exit, _, errors) = await RunAsync("en", "--Kimberlite:Database:Provider=MySql");

        Assert.Equal(3, exit);
        AssertOneParagraph(errors);
        Assert.StartsWith("The setting Kimberlite:Database:Provider is \"MySql\", which Kimberlite does not know", errors);
    }

    [Fact]
    public async Task TheCommandLineSaysWhichSqliteFileCannotBeOpenedAndWhichDataFolderCannotBeCreated()
    {
        var missing = Path.Combine(Path.GetTempPath(), "kimberlite-tests", Guid.NewGuid().ToString("N"), "not-mounted", "kimberlite.db");
        var file = Path.GetTempFileName();

        var unopened = await RunAsync("en", $"--Kimberlite:Database:ConnectionString=Data Source={missing}");
        var uncreated = await RunAsync("en", $"--Kimberlite:DataDirectory={file}/data");

        Assert.Equal((3, 3), (unopened.Exit, uncreated.Exit));
        AssertOneParagraph(unopened.Errors);
        AssertOneParagraph(uncreated.Errors);
        Assert.StartsWith($"The SQLite file {missing} can be neither opened nor created", unopened.Errors);
        Assert.StartsWith($"The data folder {file}/data cannot be created", uncreated.Errors);
        Assert.Contains("Kimberlite:DataDirectory", uncreated.Errors);
        File.Delete(file);
    }

    /// <summary>An app on a database it cannot reach, left for the test to remove.</summary>
    private static KimberliteApp Unreachable(string folder, params (string Key, string Value)[] database) =>
        new(new Dictionary<string, string>(database.ToDictionary(d => d.Key, d => d.Value)) { ["Kimberlite:DataDirectory"] = folder });

    private static string NewFolder() => Path.Combine(Path.GetTempPath(), "kimberlite-tests", Guid.NewGuid().ToString("N"));

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string path, string language = "en")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptLanguage.ParseAdd(language);
        using var response = await client.SendAsync(request, Cancel);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task WithPostgresDownTheAppStillAnswersHealthNamesTheCauseAndPagesAndApiSay503()
    {
        var folder = NewFolder();
        await using var app = Unreachable(folder, ("Kimberlite:Database:Provider", "Postgres"),
            ("Kimberlite:Database:ConnectionString", $"Host=127.0.0.1;Port=1;Database=kimberlite;Username=kimberlite;Password={Password}"));
        var client = app.CreateClient();

        var health = await GetAsync(client, "/health");
        var page = await GetAsync(client, "/findings");
        var french = await GetAsync(client, "/", "fr");
        using var api = await client.GetAsync("/api/v1/countries", Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        var cause = JsonDocument.Parse(health.Body).RootElement;
        Assert.Equal("unavailable", cause.GetProperty("status").GetString());
        Assert.StartsWith("The PostgreSQL database does not answer at 127.0.0.1:1 (setting Kimberlite:Database:ConnectionString).", cause.GetProperty("cause").GetString());
        Assert.DoesNotContain(Password, health.Body);
        Assert.DoesNotContain(" at ", health.Body.Replace("does not answer at", "", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.Status);
        Assert.Contains("<h1>The database is not reachable yet</h1>", page.Body);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, french.Status);
        Assert.Contains("<h1>La base de données n'est pas encore joignable</h1>", WebUtility.HtmlDecode(french.Body));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "application/problem+json"), (api.StatusCode, api.Content.Headers.ContentType?.MediaType));
        Assert.Equal(503, (await api.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("status").GetInt32());
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    /// <summary>
    /// The database becomes usable while the app waits: on SQLite the folder of the file appears (a volume mounted late);
    /// on PostgreSQL the role the app signs in as is created. The app's own retries bring it up, migrated.
    /// </summary>
    [Fact]
    public async Task TheAppComesUpByItselfOnceTheDatabaseCanBeReached()
    {
        var folder = NewFolder();
        var late = Path.Combine(folder, "mounted-late");
        var role = $"kimberlite_late_{Guid.NewGuid():N}";
        (string, string)[] settings = TestDatabase.IsPostgres
            ? [("Kimberlite:Database:Provider", "Postgres"), ("Kimberlite:Database:ConnectionString", $"{TestDatabase.PostgresServer.Replace("Username=postgres", $"Username={role}", StringComparison.Ordinal)};Database={role}")]
            : [("Kimberlite:Database:ConnectionString", $"Data Source={Path.Combine(late, "kimberlite.db")}")];
        await using var app = Unreachable(folder, settings);
        var client = app.CreateClient();

        var waiting = await GetAsync(client, "/health");
        if (TestDatabase.IsPostgres)
            await AsPostgresAsync($"CREATE ROLE \"{role}\" LOGIN CREATEDB");
        else
            Directory.CreateDirectory(late);
        var health = waiting;
        while (health.Status != HttpStatusCode.OK)
        {
            await Task.Delay(200, Cancel);
            health = await GetAsync(client, "/health");
        }
        var page = await GetAsync(client, "/findings");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, waiting.Status);
        Assert.Contains(TestDatabase.IsPostgres ? $"refuses the user \"{role}\"" : "mounted-late", JsonDocument.Parse(waiting.Body).RootElement.GetProperty("cause").GetString());
        Assert.Equal("ok", JsonDocument.Parse(health.Body).RootElement.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, page.Status);
        await app.DisposeAsync();
        if (TestDatabase.IsPostgres)
        {
            NpgsqlConnection.ClearAllPools();
            await AsPostgresAsync($"DROP DATABASE IF EXISTS \"{role}\" WITH (FORCE)");
            await AsPostgresAsync($"DROP ROLE \"{role}\"");
        }
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    private static async Task AsPostgresAsync(string sql)
    {
        await using var connection = new NpgsqlConnection($"{TestDatabase.PostgresServer};Database=postgres");
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Cancel);
    }

    /// <summary>100 MB of zeros, written as they are sent, never held in memory; chunked when its length is not told.</summary>
    private sealed class Zeros(long length, bool lengthKnown) : HttpContent
    {
        public const long HundredMegabytes = 100L * 1024 * 1024;

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var buffer = new byte[81920];
            for (long sent = 0; sent < length; sent += buffer.Length)
                await stream.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - sent)));
        }

        protected override bool TryComputeLength(out long size)
        {
            size = length;
            return lengthKnown;
        }
    }

    [Fact]
    public async Task AHundredMegabyteImportShowsTheImportPageAgainWithItsOwnMessageAnd413()
    {
        await using var app = new EmptyKimberliteApp();
        await People.CreateAsync(app, "analyste@example.org", MemberRole.Analyst, "CRAGG", twoFactor: false);
        var client = await People.SignInAsync(app, "analyste@example.org");
        var form = new MultipartFormDataContent
        {
            { new StringContent((await People.TokenAsync(client, "/import"))!), "__RequestVerificationToken" },
            { new Zeros(Zeros.HundredMegabytes, lengthKnown: true), "file", "everything.csv" },
        };

        using var response = await client.PostAsync("/import?handler=Check", form, Cancel);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("<p class=\"error\" role=\"alert\">Le fichier dépasse 50 Mo : il n'a pas été lu.", page);
        Assert.Contains("name=\"file\" type=\"file\"", page);
        var uploads = Path.Combine(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Infrastructure.Data.KimberliteOptions>>().Value.DataDirectory, "uploads");
        Assert.False(Directory.Exists(uploads) && Directory.EnumerateFiles(uploads).Any());
    }

    [Fact]
    public async Task AHundredMegabyteEvidenceAnswers413ProblemDetailsThroughTheApiAndTheFieldForm()
    {
        await using var app = new EmptyKimberliteApp();
        var monitor = await People.ApiClientAsync(app, "moniteur@example.org", MemberRole.Monitor, "CRAGG");
        var clientId = Guid.NewGuid();
        using var submitted = await monitor.PostAsJsonAsync("/api/v1/field/submissions", new
        {
            clientId, kind = "incident", category = "violence", occurredOn = "2026-11-01", latitude = 4.36, longitude = 18.58,
            severity = "serious", description = "Des hommes armés ont taxé les creuseurs.", countryIso3 = "CAF", injured = 2, perpetrator = "armed-group",
        }, Cancel);
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetInt32();
        var browser = await People.SignInAsync(app, "moniteur@example.org");

        using var api = await monitor.PostAsync($"/api/v1/field/incidents/{id}/evidence",
            new MultipartFormDataContent { { new Zeros(Zeros.HundredMegabytes, lengthKnown: false), "file", "video.mp4" } }, Cancel);
        using var page = await browser.PostAsync("/field/new?handler=Evidence",
            new MultipartFormDataContent { { new StringContent(clientId.ToString()), "clientId" }, { new Zeros(Zeros.HundredMegabytes, lengthKnown: false), "file", "video.mp4" } }, Cancel);

        foreach (var response in new[] { api, page })
        {
            Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "application/problem+json"), (response.StatusCode, response.Content.Headers.ContentType?.MediaType));
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
            Assert.Equal("Le fichier dépasse 25 Mo : il n'a pas été lu. Envoyez un fichier plus petit ou découpez-le.", problem.GetProperty("errors").GetProperty("file")[0].GetString());
        }
        Assert.Equal(0, await app.WithDb(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.EvidenceFiles, Cancel)));
    }

    [Fact]
    public async Task ABadTokenIsRefusedWith401ProblemDetailsWhateverThePath()
    {
        await using var app = new KimberliteApp();
        var client = app.CreateClient();
        string[] paths = ["/openapi/v1.json", "/api/docs", "/api/v1/countries", "/", "/findings"];

        foreach (var path in paths)
        {
            foreach (var header in new[] { "Bearer kmb_not-a-token", "Basic YWRtaW46YWRtaW4=" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.TryAddWithoutValidation("Authorization", header);
                using var refused = await client.SendAsync(request, Cancel);
                Assert.Equal((path, HttpStatusCode.Unauthorized, "application/problem+json"), (path, refused.StatusCode, refused.Content.Headers.ContentType?.MediaType));
                Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
                Assert.Equal(401, (await refused.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("status").GetInt32());
            }
            using var open = await client.GetAsync(path, Cancel);
            Assert.Equal((path, HttpStatusCode.OK), (path, open.StatusCode));
        }
    }
}
