using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Kimberlite.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>Issue 18, "never lost": unknown addresses, the API reference, forgotten passwords and empty lists.</summary>
public sealed partial class NeverLostTests : EmptyAppTest
{
    [Theory]
    [InlineData("/country/COD")]
    [InlineData("/no/such/page")]
    [InlineData("/admin/nothing-here")]
    public async Task AnUnknownAddressIsATranslatedNotFoundPageWithASearchNeverTheSignInPage(string address)
    {
        var response = await People.Client(App).GetAsync(address, Cancel);
        var html = await response.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page introuvable", html);
        Assert.Contains("action=\"/find\"", html);
        Assert.Contains("href=\"/sites\"", html);
        Assert.DoesNotContain("/account/signin?", html);
    }

    [Fact]
    public async Task AMistypedCountryAddressOffersTheCountryPage()
    {
        var client = People.Client(App);
        await client.GetAsync("/culture/en?returnUrl=%2F", Cancel);
        var response = await client.GetAsync("/country/COD", Cancel);
        var html = await response.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", html);
        Assert.Contains("<a href=\"/countries/COD\">", html);
    }

    [Fact]
    public async Task APageForMembersStillSendsAnAnonymousVisitorToSignIn()
    {
        var response = await People.Client(App).GetAsync("/organisations", Cancel);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/account/signin", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task TheSearchOfThe404PageFindsCountriesAndSitesWithoutAccents()
    {
        await App.WithDb(async db =>
        {
            db.MiningSites.Add(new Field.MiningSite { Name = "Tshikapa Bakwanga", CountryIso3 = "COD", Minerals = "diamond", Source = "test", Latitude = -6.4, Longitude = 20.8 });
            return await db.SaveChangesAsync(Cancel);
        });
        var client = People.Client(App);

        var congo = await client.GetStringAsync("/find?q=congo", Cancel);
        var site = await client.GetStringAsync("/find?q=tshikapa", Cancel);
        var ivory = await client.GetStringAsync("/find?q=cote", Cancel);
        var nothing = await client.GetStringAsync("/find?q=zzzz", Cancel);

        Assert.Contains("href=\"/countries/COD\"", congo);
        Assert.Contains("href=\"/countries/COG\"", congo);
        Assert.Matches("href=\"/sites/\\d+\">Tshikapa Bakwanga</a>", site);
        Assert.Contains("href=\"/countries/CIV\"", ivory);
        Assert.Contains("Aucun pays ni site ne contient « zzzz »", nothing);
    }

    [Fact]
    public async Task RobotsTxtAndTheFaviconAreServed()
    {
        var client = People.Client(App);

        var robots = await client.GetAsync("/robots.txt", Cancel);
        var ico = await client.GetAsync("/favicon.ico", Cancel);
        var svg = await client.GetAsync("/favicon.svg", Cancel);
        var home = await client.GetStringAsync("/countries", Cancel);

        Assert.Equal(HttpStatusCode.OK, robots.StatusCode);
        Assert.Contains("User-agent: *", await robots.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(HttpStatusCode.OK, ico.StatusCode);
        Assert.Equal("image/x-icon", ico.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Contains("<link rel=\"icon\" href=\"/favicon.svg\"", home);
    }

    [Theory]
    [InlineData(null, "Référence de l'API", "tout le monde, sans jeton")]
    [InlineData("en", "API reference", "anyone, without a token")]
    [InlineData("pt", "Referência da API", "qualquer pessoa, sem token")]
    public async Task TheApiReferenceIsAPageOfTheSiteInTheReadersLanguageListingEachOperation(string? language, string title, string publicWho)
    {
        var client = People.Client(App);
        if (language is not null)
            await client.GetAsync($"/culture/{language}?returnUrl=%2F", Cancel);

        var response = await client.GetAsync("/api/docs", Cancel);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"<h1>{title}</h1>", html);
        Assert.Contains("<header class=\"top\">", html);
        Assert.Contains("<code class=\"badge\">GET</code> <code>/api/v1/documents</code>", html);
        Assert.Contains(publicWho, html);
        Assert.Contains("href=\"/openapi/v1.json\"", html);
        Assert.Contains("<form method=\"get\" action=\"/api/v1/documents\"", html);
        Assert.DoesNotContain("<script", html);
    }

    [Fact]
    public async Task TheApiReferenceSaysWhoMayCallAnOperationFromTheEndpointsOwnPolicy()
    {
        var html = await People.Client(App).GetStringAsync("/api/docs", Cancel);

        var sites = OperationPattern().Matches(html).Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)).ToList();
        Assert.Contains(("POST", "/api/v1/sites", "un membre au rôle analyste ou au-dessus"), sites);
        Assert.Contains(("GET", "/api/v1/sites", "tout le monde, sans jeton"), sites);
    }

    [GeneratedRegex("<code class=\"badge\">(\\w+)</code> <code>([^<]+)</code></h3>(?:(?!</article>).)*?<strong>[^<]+</strong> ([^<]+)</p>", RegexOptions.Singleline)]
    private static partial Regex OperationPattern();

    [Fact]
    public async Task TheApiReferenceWeighsAtMost150KilobytesCompressedWithEverythingItLoads()
    {
        var client = People.Client(App);
        client.DefaultRequestHeaders.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        client.DefaultRequestHeaders.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        var page = await client.GetAsync("/api/docs", Cancel);
        var bytes = await page.Content.ReadAsByteArrayAsync(Cancel);
        var html = Decode(bytes, page.Content.Headers.ContentEncoding);
        long total = bytes.Length;
        foreach (Match asset in AssetPattern().Matches(html))
        {
            var response = await client.GetAsync(asset.Groups[1].Value, Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            total += (await response.Content.ReadAsByteArrayAsync(Cancel)).Length;
        }

        Assert.Contains("br", page.Content.Headers.ContentEncoding);
        Assert.InRange(total, 1, 150 * 1024);
        var full = await People.Client(App).GetStringAsync("/openapi/v1.json", Cancel);
        Assert.Contains("\"/api/v1/documents\"", full);
    }

    [GeneratedRegex("(?:href|src)=\"(/(?:css|js|lib|data)/[^\"]+)\"")]
    private static partial Regex AssetPattern();

    private static string Decode(byte[] bytes, ICollection<string> encodings)
    {
        using Stream raw = new MemoryStream(bytes);
        using Stream decoded = encodings.Contains("br") ? new System.IO.Compression.BrotliStream(raw, System.IO.Compression.CompressionMode.Decompress)
            : encodings.Contains("gzip") ? new System.IO.Compression.GZipStream(raw, System.IO.Compression.CompressionMode.Decompress) : raw;
        return new StreamReader(decoded).ReadToEnd();
    }

    [Fact]
    public async Task SignInSaysWhomToAskForAForgottenPassword()
    {
        var html = await People.Client(App).GetStringAsync("/account/signin", Cancel);

        Assert.Contains("Mot de passe oublié ?", html);
        Assert.Contains("Demandez à un coordinateur de votre organisation", html);
    }

    [Fact]
    public async Task ACoordinatorIssuesAOneTimeResetLinkThatIsAuditedMailedAndSpentOnce()
    {
        await People.CreateAsync(App, "coord@example.org", MemberRole.Coordinator);
        await People.CreateAsync(App, "forgot@example.org", MemberRole.Monitor, twoFactor: false);
        var forgotId = await App.WithDb(db => db.Users.Where(u => u.Email == "forgot@example.org").Select(u => u.Id).SingleAsync(Cancel));
        var coordinator = await People.SignInAsync(App, "coord@example.org");

        var issued = await People.PostFormAsync(coordinator, "/organisations/RELUFA?handler=Reset",
            new() { ["userId"] = forgotId.ToString(System.Globalization.CultureInfo.InvariantCulture) }, tokenFrom: "/organisations/RELUFA");
        var page = await issued.Content.ReadAsStringAsync(Cancel);
        var link = WebUtility.HtmlDecode(Regex.Match(page, "<code id=\"reset-link\">([^<]+)</code>").Groups[1].Value);
        var path = new Uri(link).PathAndQuery;
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(link).Query);
        var person = People.Client(App);
        var set = await People.PostFormAsync(person, path, new()
        {
            ["user"] = query["user"]!, ["code"] = query["code"]!, ["password"] = "a brand new long phrase", ["confirm"] = "a brand new long phrase",
        });
        var again = await People.Client(App).GetStringAsync(path, Cancel);

        Assert.Contains("forgot@example.org", page);
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Contains("plus valable : il ne sert qu", again);
        await People.SignInAsync(App, "forgot@example.org", "a brand new long phrase");
        var audit = await App.WithDb(db => db.AuditEntries.Where(e => e.Action == AuditActions.PasswordResetIssued).Select(e => e.Actor + " " + e.Target).ToListAsync(Cancel));
        Assert.Contains(audit, a => a.StartsWith("coord@example.org", StringComparison.Ordinal) && a.Contains("forgot@example.org", StringComparison.Ordinal));
        var mail = Directory.GetFiles(Path.Combine(App.DataDirectory, "mail"));
        Assert.Contains("A link to choose a new Kimberlite password", await File.ReadAllTextAsync(Assert.Single(mail), Cancel));
    }

    [Fact]
    public async Task AMemberCannotIssueAResetLinkForAnother()
    {
        await People.CreateAsync(App, "analyst@example.org", MemberRole.Analyst, twoFactor: false);
        await People.CreateAsync(App, "other@example.org", MemberRole.Monitor, twoFactor: false);
        var otherId = await App.WithDb(db => db.Users.Where(u => u.Email == "other@example.org").Select(u => u.Id).SingleAsync(Cancel));
        var analyst = await People.SignInAsync(App, "analyst@example.org");

        var response = await People.PostFormAsync(analyst, "/organisations/RELUFA?handler=Reset",
            new() { ["userId"] = otherId.ToString(System.Globalization.CultureInfo.InvariantCulture) }, tokenFrom: "/organisations/RELUFA");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await App.WithDb(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.PasswordResetIssued, Cancel)));
    }

    [Fact]
    public async Task TheUsersCommandIssuesAResetLinkThatSetsANewPassword()
    {
        await People.CreateAsync(App, "admin@example.org", administrator: true, twoFactor: false);

        var (exit, output, _) = await CommandLine.RunAsync(App, "users", "reset", "admin@example.org");
        var link = output.Split('\n').Select(l => l.Trim()).Single(l => l.Contains("/account/setup?", StringComparison.Ordinal));
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(link).Query);
        var set = await People.PostFormAsync(People.Client(App), new Uri(link).PathAndQuery, new()
        {
            ["user"] = query["user"]!, ["code"] = query["code"]!, ["password"] = "another long enough phrase", ["confirm"] = "another long enough phrase",
        });

        Assert.Equal(0, exit);
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.True(await App.WithDb(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.PasswordResetIssued && e.Target.Contains("admin@example.org"), Cancel)));
    }

    [Fact]
    public async Task AnAdministratorWithoutTwoStepSignInIsToldWhyNoOrganisationIsListed()
    {
        await People.CreateAsync(App, "admin@example.org", administrator: true, twoFactor: false);
        var admin = await People.SignInAsync(App, "admin@example.org");

        var html = WebUtility.HtmlDecode(await admin.GetStringAsync("/organisations", Cancel));

        Assert.Contains("ne s'appliquent qu'une fois la connexion en deux étapes activée", html);
        Assert.Contains("href=\"/account/two-factor\"", html);
        Assert.DoesNotContain("<table>", html);
    }

    [Fact]
    public async Task AnAuditSearchThatFindsNothingSaysSoAndHowToClearIt()
    {
        await People.CreateAsync(App, "admin@example.org", administrator: true);
        var admin = await People.SignInAsync(App, "admin@example.org");

        var html = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/audit?actor=nobody-at-all", Cancel));

        Assert.Contains("Aucune entrée ne correspond à ces filtres", html);
        Assert.Contains("<a href=\"/admin/audit\">retirez tous les filtres</a>", html);
    }

    [Fact]
    public async Task APersonWithoutTokensIsToldWhatOneIsFor()
    {
        await People.CreateAsync(App, "viewer@example.org", MemberRole.Viewer, twoFactor: false);
        var viewer = await People.SignInAsync(App, "viewer@example.org");

        var html = WebUtility.HtmlDecode(await viewer.GetStringAsync("/account", Cancel));

        Assert.Contains("Vous n'avez aucun jeton d'API", html);
    }
}
