using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kimberlite.Accounts;
using Kimberlite.Field;
using Kimberlite.Infrastructure.Commands;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Tests;

/// <summary>
/// Public pages and the public API answered from the output cache, and forgotten by every server when the data changes
/// (decision 028). A response served from the cache carries an Age header; a live one does not.
/// </summary>
public sealed partial class PublicCacheTests : IAsyncLifetime
{
    private readonly Dictionary<string, string> _settings;
    private readonly Func<Task> _drop;
    private readonly List<KimberliteApp> _apps = [];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public PublicCacheTests()
    {
        (_settings, _drop) = TestDatabase.Create();
        _settings["Kimberlite:Web:CacheCheckSeconds"] = "1";
    }

    public async ValueTask InitializeAsync()
    {
        // The bundled data, loaded by the command line as an operator would, into the database every server of the test shares.
        var (exit, _, errors) = await RunAsync("db", "migrate");
        Assert.True(exit == 0, errors);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
            await app.DisposeAsync();
        await _drop();
    }

    private async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await KimberliteCommands.RunAsync([.. args, .. _settings.Select(s => $"--{s.Key}={s.Value}")], output, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    /// <summary>A web server over the shared database; a second call starts a second server beside the first.</summary>
    private KimberliteApp Server()
    {
        var app = new KimberliteApp(_settings);
        _apps.Add(app);
        return app;
    }

    /// <summary>A reader with no cookie jar, who sends only the headers given.</summary>
    private static HttpClient Anonymous(KimberliteApp app, params (string Name, string Value)[] headers)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        foreach (var (name, value) in headers)
            client.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        return client;
    }

    private static async Task<(HttpResponseMessage Response, string Body)> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, Cancel);
        return (response, await response.Content.ReadAsStringAsync(Cancel));
    }

    private static bool FromCache(HttpResponseMessage response) => response.Headers.Age is not null;

    /// <summary>Reads the address until it holds the text, as a reader refreshing would: the other server notices at its next poll.</summary>
    private static async Task<HttpResponseMessage> EventuallyAsync(HttpClient client, string url, string text)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (response, body) = await GetAsync(client, url);
            if (body.Contains(text, StringComparison.Ordinal) || attempt == 240)
            {
                Assert.Contains(text, body);
                return response;
            }
            await Task.Delay(250, Cancel);
        }
    }

    [Fact]
    public async Task APublicPageAndAPublicApiListAreAnsweredFromTheCacheTheSecondTimeWithTheirSecurityHeaders()
    {
        var reader = Anonymous(Server());

        foreach (var url in new[] { "/", "/api/v1/countries", "/countries/COD" })
        {
            var (first, firstBody) = await GetAsync(reader, url);
            var (second, secondBody) = await GetAsync(reader, url);

            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
            Assert.False(FromCache(first), url);
            Assert.True(FromCache(second), url);
            Assert.Equal(firstBody, secondBody);
            Assert.Contains("default-src 'self'", second.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("nosniff", second.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.False(second.Headers.Contains("Set-Cookie"), url);
        }
        // Another query string is another page.
        Assert.False(FromCache((await GetAsync(reader, "/api/v1/countries?format=csv")).Response));
    }

    [Fact]
    public async Task ACompressedAnswerIsKeptCompressedAndAPlainReaderStillGetsPlainText()
    {
        var app = Server();
        var brotli = Anonymous(app, ("Accept-Encoding", "br"));
        var plain = Anonymous(app);

        await brotli.GetAsync("/api/v1/countries", Cancel);
        var compressed = await brotli.GetAsync("/api/v1/countries", Cancel);
        var (uncompressed, body) = await GetAsync(plain, "/api/v1/countries");

        Assert.True(FromCache(compressed));
        Assert.Equal("br", compressed.Content.Headers.ContentEncoding.Single());
        Assert.Empty(uncompressed.Content.Headers.ContentEncoding);
        Assert.StartsWith("[", body);
    }

    [Fact]
    public async Task ASignedInReaderIsNeverServedTheAnonymousPageNorStoresTheirsForOthers()
    {
        var app = Server();
        var anonymous = Anonymous(app);
        await People.CreateAsync(app, "analyste@example.org", MemberRole.Analyst, "CRAGG", twoFactor: false);
        var analyst = await People.SignInAsync(app, "analyste@example.org");
        var token = await People.ApiClientAsync(app, "script@example.org", MemberRole.Viewer);

        await anonymous.GetAsync("/", Cancel);
        var (signedIn, signedInPage) = await GetAsync(analyst, "/");
        var (signedInAgain, _) = await GetAsync(analyst, "/");
        var (anonymousAgain, anonymousPage) = await GetAsync(anonymous, "/");
        await token.GetAsync("/api/v1/countries", Cancel);
        var withToken = await token.GetAsync("/api/v1/countries", Cancel);

        Assert.False(FromCache(signedIn));
        Assert.False(FromCache(signedInAgain));
        Assert.Contains("href=\"/import\"", signedInPage);
        Assert.True(FromCache(anonymousAgain));
        Assert.DoesNotContain("href=\"/import\"", anonymousPage);
        Assert.Contains("href=\"/account/signin\"", anonymousPage);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        Assert.False(FromCache(withToken));
    }

    [Fact]
    public async Task FrenchEnglishAndPortugueseReadersAreEachServedTheirOwnCachedPage()
    {
        var app = Server();
        var readers = new Dictionary<string, HttpClient>
        {
            ["fr"] = Anonymous(app, ("Accept-Language", "fr-FR,fr;q=0.9")),
            ["en"] = Anonymous(app, ("Accept-Language", "en-GB,en;q=0.9")),
            ["pt"] = Anonymous(app, ("Cookie", ".AspNetCore.Culture=c%3Dpt%7Cuic%3Dpt")),
        };

        foreach (var (language, reader) in readers)
            await reader.GetAsync("/countries", Cancel);
        foreach (var (language, reader) in readers)
        {
            var (response, page) = await GetAsync(reader, "/countries");
            Assert.True(FromCache(response), language);
            Assert.Contains($"<html lang=\"{language}\">", page);
        }
    }

    [Fact]
    public async Task AChangeMadeThroughThisServerIsShownAtOnce()
    {
        var app = Server();
        var reader = Anonymous(app);
        var analyst = await People.ApiClientAsync(app, "analyst@example.org", MemberRole.Analyst, "CRAGG");
        await reader.GetAsync("/api/v1/sites?country=CAF", Cancel);
        Assert.True(FromCache(await reader.GetAsync("/api/v1/sites?country=CAF", Cancel)));

        var created = await analyst.PostAsJsonAsync("/api/v1/sites",
            new { name = "Chantier de Ndolobo", countryIso3 = "CAF", locality = "Carnot", latitude = 4.94, longitude = 15.87, kind = "artisanal", minerals = "diamond", status = "actif", inCompliantZone = true }, Cancel);
        var (after, body) = await GetAsync(reader, "/api/v1/sites?country=CAF");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False(FromCache(after));
        Assert.Contains("Chantier de Ndolobo", body);
    }

    [Fact]
    public async Task AFindingDecisionShowsAtOnceOnTheCachedFindingPageAndApi()
    {
        var app = Server();
        var reader = Anonymous(app, ("Accept-Language", "en"));
        var id = await app.WithDb(db => db.Findings.OrderBy(f => f.Id).Select(f => f.Id).FirstAsync(Cancel));
        foreach (var url in new[] { $"/findings/{id}", $"/api/v1/findings/{id}" })
        {
            await reader.GetAsync(url, Cancel);
            Assert.True(FromCache(await reader.GetAsync(url, Cancel)), url);
        }
        await People.CreateAsync(app, "analyste@example.org", MemberRole.Analyst, "CRAGG", twoFactor: false);
        var analyst = await People.SignInAsync(app, "analyste@example.org");

        var decided = await People.PostFormAsync(analyst, $"/findings/{id}", new() { ["status"] = "Confirmed", ["note"] = "Checked against the KP annual table" });

        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        foreach (var url in new[] { $"/findings/{id}", $"/api/v1/findings/{id}" })
        {
            var (response, body) = await GetAsync(reader, url);
            Assert.False(FromCache(response), url);
            Assert.Contains("Checked against the KP annual table", body);
        }
    }

    [Fact]
    public async Task AnImportThroughTheCommandLineReachesTheCachedPublicApi()
    {
        var reader = Anonymous(Server());
        await reader.GetAsync("/api/v1/datasets", Cancel);
        Assert.True(FromCache(await reader.GetAsync("/api/v1/datasets", Cancel)));
        var file = ImportFiles.Write(ImportFiles.Csv(ImportFiles.NationalHeader,
            "CMR,2020,FY,export,total,870.55,51510000,XAF,https://ecomatin.be/x,EcoMatin (EITI),\"870,55 carats\",exact,"), "national-2020.csv");

        var (exit, _, errors) = await RunAsync("import", "statistics", file, "--title", "Figures nationales 2020 (cache)", "--publisher", "EcoMatin", "--retrieved", "2026-11-02");

        Assert.True(exit == 0, errors);
        await EventuallyAsync(reader, "/api/v1/datasets", "Figures nationales 2020 (cache)");
    }

    [Fact]
    public async Task TwoServersOnOneDatabaseEachShowAnImportMadeThroughTheOther()
    {
        var a = Server();
        var b = Server();
        var readerOfB = Anonymous(b);
        foreach (var url in new[] { "/api/v1/datasets", "/datasets" })
        {
            await readerOfB.GetAsync(url, Cancel);
            Assert.True(FromCache(await readerOfB.GetAsync(url, Cancel)), url);
        }
        await People.CreateAsync(a, "analyste@example.org", MemberRole.Analyst, "CRAGG", twoFactor: false);
        var analyst = await People.SignInAsync(a, "analyste@example.org");

        var committed = await ImportThroughThePageAsync(analyst, ImportFiles.Csv(ImportFiles.NationalHeader,
            "GAB,2020,per month,production,artisanal,300,,,https://www.rough-polished.com/en/exclusive/117060.html,Rough & Polished,300 carats per month,approx,"),
            "gabon-deux-serveurs.csv");

        Assert.Equal(HttpStatusCode.Redirect, committed.StatusCode);
        await EventuallyAsync(readerOfB, "/api/v1/datasets", "gabon-deux-serveurs");
        await EventuallyAsync(readerOfB, "/datasets", "gabon-deux-serveurs");
    }

    [Fact]
    public async Task TheVersionCheckSaysOnceThatItCannotReadTheDatabaseAndCatchesUpWhenItCanAgain()
    {
        var app = Server();
        var reader = Anonymous(app);
        await reader.GetAsync("/api/v1/datasets", Cancel);
        Assert.True(FromCache(await reader.GetAsync("/api/v1/datasets", Cancel)));
        var warnings = () => app.Logged.Count(l => l.Contains("The public data version cannot be read", StringComparison.Ordinal));

        // The version's table out of reach stands for a database that does not answer, on both databases alike.
        await app.WithDb(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE \"PublicDataVersion\" RENAME TO \"PublicDataVersionAway\"", Cancel));
        while (warnings() == 0)
            await Task.Delay(250, Cancel);
        // Three more checks fail (one a second here) while it stays away.
        await Task.Delay(3500, Cancel);
        var warnedWhileAway = warnings();
        await app.WithDb(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE \"PublicDataVersionAway\" RENAME TO \"PublicDataVersion\"", Cancel));
        var file = ImportFiles.Write(ImportFiles.Csv(ImportFiles.NationalHeader,
            "CMR,2021,FY,export,total,900,,,https://ecomatin.be/y,EcoMatin (EITI),900 carats,exact,"), "national-2021.csv");
        var (exit, _, errors) = await RunAsync("import", "statistics", file, "--title", "Figures nationales 2021 (panne)", "--publisher", "EcoMatin", "--retrieved", "2026-11-02");

        Assert.Equal(1, warnedWhileAway);
        Assert.DoesNotContain(app.Logged, l => l.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) && l.Contains("PublicDataVersion", StringComparison.Ordinal));
        Assert.True(exit == 0, errors);
        await EventuallyAsync(reader, "/api/v1/datasets", "Figures nationales 2021 (panne)");
        Assert.Contains(app.Logged, l => l.Contains("The public data version can be read again", StringComparison.Ordinal));
    }

    /// <summary>The /import page's two steps, as an analyst takes them: check the file, then commit it.</summary>
    private static async Task<HttpResponseMessage> ImportThroughThePageAsync(HttpClient analyst, byte[] file, string name)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent((await People.TokenAsync(analyst, "/import"))!), "__RequestVerificationToken" },
            { new ByteArrayContent(file), "file", name },
            { new StringContent("Rough & Polished"), "publisher" },
        };
        var check = await analyst.PostAsync("/import?handler=Check", form, Cancel);
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        var upload = UploadPattern().Match(await check.Content.ReadAsStringAsync(Cancel)).Groups[1].Value;
        return await People.PostFormAsync(analyst, "/import?handler=Commit", new() { ["upload"] = upload, ["publisher"] = "Rough & Polished" }, tokenFrom: "/import");
    }

    [GeneratedRegex("name=\"upload\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex UploadPattern();
}
