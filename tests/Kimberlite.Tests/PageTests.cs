using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

public sealed partial class PageTests(BundledApp app) : IClassFixture<BundledApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, string Html)> Get(string url, string? acceptLanguage = null, string? cookieLanguage = null)
    {
        var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptLanguage is not null)
            request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        if (cookieLanguage is not null)
            request.Headers.Add("Cookie", $".AspNetCore.Culture=c%3D{cookieLanguage}%7Cuic%3D{cookieLanguage}");
        var response = await client.SendAsync(request, Cancel);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel)));
    }

    [Fact]
    public async Task TheDashboardIsInFrenchByDefaultWithTheSixCountries()
    {
        var (status, html) = await Get("/");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<html lang=\"fr\">", html);
        Assert.Contains("Le diamant en Afrique centrale", html);
        foreach (var name in new[] { "Angola", "République centrafricaine", "Cameroun", "République démocratique du Congo", "République du Congo", "Gabon" })
            Assert.Contains($">{name}</a>", html);
    }

    [Fact]
    public async Task TheDashboardFormatsNumbersForTheReader()
    {
        // Angola's 2023 production, data/kp_production.csv: 9754309.81 carats, summarised; the exact value is in the country's table.
        var (_, french) = await Get("/");
        var (_, english) = await Get("/", acceptLanguage: "en");

        Assert.Contains("<dd>9,75\u00A0M\u00A0ct</dd>", french);
        Assert.Contains("<dd>9.75\u00A0M\u00A0ct</dd>", english);
        Assert.DoesNotContain("309,81", french);
    }

    [Fact]
    public async Task AFigureThatNoSourcePublishedReadsNotPublished()
    {
        var (_, html) = await Get("/");
        var gabon = html[html.IndexOf("id=\"c-GAB\"", StringComparison.Ordinal)..];

        // Gabon: the bundled data holds no export figure; its production is the Kimberley Process's halves, 0 ct in 2023 as published.
        var section = gabon[..gabon.IndexOf("</section>", StringComparison.Ordinal)];
        var exports = section[section.IndexOf("<h3>Exportations", StringComparison.Ordinal)..];
        Assert.Contains("<p class=\"not-published\">non publié</p>", exports[..exports.IndexOf("</div>", StringComparison.Ordinal)]);
        Assert.Contains("<span class=\"year\">2023</span>", section);
    }

    [Theory]
    [InlineData("en", "Diamonds in Central Africa", "Democratic Republic of the Congo")]
    [InlineData("pt", "Os diamantes na África Central", "República Democrática do Congo")]
    [InlineData("fr", "Le diamant en Afrique centrale", "République démocratique du Congo")]
    public async Task TheBrowsersLanguageIsFollowed(string language, string heading, string congo)
    {
        var (_, html) = await Get("/", acceptLanguage: language);

        Assert.Contains($"<html lang=\"{language}\">", html);
        Assert.Contains(heading, html);
        Assert.Contains(congo, html);
    }

    [Fact]
    public async Task TheRememberedChoiceWinsOverTheBrowsersLanguage()
    {
        var (_, html) = await Get("/", acceptLanguage: "en", cookieLanguage: "pt");

        Assert.Contains("Os diamantes na África Central", html);
    }

    [Fact]
    public async Task TheLanguageSwitchRemembersTheChoiceAndReturnsToThePage()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/culture/en?returnUrl=%2Fcountries%2FCOD", Cancel);
        var hostile = await client.GetAsync("/culture/en?returnUrl=https%3A%2F%2Fevil.example", Cancel);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/countries/COD", response.Headers.Location!.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=c%3Den%7Cuic%3Den"));
        Assert.Equal("/", hostile.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task TheCountryPageShowsDifferingSourcesSideBySideWithTheDifference()
    {
        var (status, html) = await Get("/countries/COD");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<h1>République démocratique du Congo</h1>", html);
        // COD 2022 production: HowAfrica 9,908,997.66 (exact, preferred), Natural Diamond Council 10,780,000 (+8.8 %), Sputnik 9,900,000 (-0.1 %).
        Assert.Contains("3 sources diffèrent", html);
        Assert.Matches(@"\+8,8\s%\sct", html);
        Assert.Matches(@"-0,1\s%\sct", html);
        Assert.Contains("HowAfrica (citing KP; same figures in mwebantu.news)", html);
        Assert.Contains("9,908,997.66 | $64,959,638.25", html);
        Assert.Contains("id=\"chart-carats\"", html);
        Assert.DoesNotContain("<script", html[html.IndexOf("id=\"charts-title\"", StringComparison.Ordinal)..html.IndexOf("id=\"findings-title\"", StringComparison.Ordinal)]);
    }

    [Fact]
    public async Task TheCountryChartSaysWhichSourceItDraws()
    {
        var (_, html) = await Get("/countries/AGO", acceptLanguage: "en");

        Assert.Contains("Each point comes from the preferred source for the year: the Kimberley Process, then national statistics", html);
        Assert.Contains("Sources drawn:", html);
    }

    [Fact]
    public async Task LocalCurrencyValuesAreShownAsPublished()
    {
        var (_, html) = await Get("/countries/CMR");

        // data/national_stats.csv line 97: CMR 2020 exports, 51510000 XAF.
        Assert.Matches("51[\u202F\u00A0 ]510[\u202F\u00A0 ]000 XAF", html);
    }

    [Fact]
    public async Task AnUnknownCountryCodeIsAPageNotFound()
    {
        var (status, html) = await Get("/countries/XYZ");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("Page introuvable", html);
    }

    [Fact]
    public async Task TheDatasetsPageListsEveryImportedFileAndItsReport()
    {
        var (_, list) = await Get("/datasets");
        var (_, detail) = await Get("/datasets/4", acceptLanguage: "en");

        Assert.Contains("kp_production.csv", list);
        Assert.Contains("fiscal_revenue.csv", list);
        Assert.Contains("SHA-256", detail);
        Assert.Matches("[0-9a-f]{64}", detail);
        Assert.Contains("November 29, 2026", detail);
        Assert.Contains("read: 15 · loaded: 14 · refused: 1", detail);
        Assert.Contains("200000000-400000000", detail);
        Assert.Contains("not a number", detail);
    }

    [Fact]
    public async Task TheDashboardWeighsUnder100KilobytesCompressedWithEverythingItLoads()
    {
        var client = app.CreateClient();
        var total = 0L;
        async Task<string> Fetch(string url)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.AcceptEncoding.ParseAdd("gzip");
            var response = await client.SendAsync(request, Cancel);
            var bytes = await response.Content.ReadAsByteArrayAsync(Cancel);
            total += bytes.Length;
            var gzipped = response.Content.Headers.ContentEncoding.Contains("gzip");
            using var reader = new StreamReader(gzipped ? new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress) : new MemoryStream(bytes));
            return await reader.ReadToEndAsync(Cancel);
        }

        var html = await Fetch("/");
        var assets = AssetReferences().Matches(html).Select(m => m.Groups[1].Value).Where(u => u.StartsWith('/')).Distinct().ToList();
        foreach (var asset in assets)
            await Fetch(asset);

        Assert.Contains("/css/site.css", assets);
        Assert.DoesNotMatch(@"(src|href)=""https?://", html);
        Assert.InRange(total, 1, 100 * 1024);
    }

    [GeneratedRegex(@"(?:src|href)=""([^""]+\.(?:css|js|svg|png|woff2?))""")]
    private static partial Regex AssetReferences();

    [Fact]
    public async Task ACountryWhoseFiguresHaveNoUnderstoodYearSaysSoInsteadOfNotPublished()
    {
        // The Republic of Congo with one figure only, of a period Kimberlite does not understand.
        await using var empty = new EmptyKimberliteApp();
        await using (var scope = empty.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<Kimberlite.Statistics.Import.StatisticsImporter>().ImportAsync(
                ImportFiles.Csv(ImportFiles.NationalHeader,
                    "COG,2004,annual (pre-July 2004),export,total,5200000,,,https://example.org/ap,Associated Press,5.2 million carats,rounded,"),
                "cog.csv", new Kimberlite.Statistics.Import.Provenance("Congo 2004", "Associated Press"), cancellationToken: Cancel);
            Assert.Equal(Kimberlite.Statistics.Import.ImportOutcome.Imported, result.Outcome);
        }
        var response = await empty.CreateClient().GetAsync("/", Cancel);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel));
        var congo = html[html.IndexOf("id=\"c-COG\"", StringComparison.Ordinal)..];
        congo = congo[..congo.IndexOf("</section>", StringComparison.Ordinal)];

        Assert.Contains("aucun chiffre annuel compris", congo);
        Assert.Contains("href=\"/countries/COG#table-title\"", congo);
    }

    [Fact]
    public async Task TheLanguageLinksOfAMissingPageReturnToTheAddressAsked()
    {
        var (_, html) = await Get("/countries/XYZ");

        Assert.Contains("/culture/en?returnUrl=%2Fcountries%2FXYZ", html);
    }
}
