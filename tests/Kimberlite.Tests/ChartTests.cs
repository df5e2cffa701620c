using System.Net;
using System.Text.RegularExpressions;

namespace Kimberlite.Tests;

/// <summary>Charts that speak without a mouse and summaries that round (docs/decisions/035), as the server renders them.</summary>
public sealed partial class ChartTests(BundledApp app) : IClassFixture<BundledApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<string> Get(string url, string language = "fr")
    {
        var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", $".AspNetCore.Culture=c%3D{language}%7Cuic%3D{language}");
        var response = await client.SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Spaces of any width read the same to the reader.
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel)).Replace('\u00A0', ' ').Replace('\u202F', ' ');
    }

    private static List<string> Charts(string html) =>
        ChartFigure().Matches(html).Select(m => m.Value).ToList();

    [Theory]
    [InlineData("fr", "9,75 M ct", "1,53 Md US$")]
    [InlineData("en", "9.75 M ct", "US$ 1.53 bn")]
    [InlineData("pt", "9,75 M ct", "1,53 mil M US$")]
    public async Task TheDashboardSummarisesAngolasProductionRoundedInTheReadersLanguage(string language, string carats, string usd)
    {
        var html = await Get("/", language);
        var angola = html[html.IndexOf("id=\"c-AGO\"", StringComparison.Ordinal)..html.IndexOf("id=\"c-CAF\"", StringComparison.Ordinal)];

        Assert.Contains($"<dd>{carats}</dd>", angola);
        Assert.Contains($"<dd>{usd}</dd>", angola);
        Assert.DoesNotContain("9 754 309,81", html);
    }

    [Fact]
    public async Task TheDashboardSaysWhenProductionAndExportsAreOfDifferentYears()
    {
        var html = await Get("/");
        var car = html[html.IndexOf("id=\"c-CAF\"", StringComparison.Ordinal)..html.IndexOf("id=\"c-CMR\"", StringComparison.Ordinal)];

        // CAF: the latest production is of 2022 (Visual Capitalist), the latest exports of 2020 (IDEX Online).
        Assert.Contains("Production 2022, exportations 2020 : dernière année publiée par chacun", car);
    }

    [Fact]
    public async Task TheDashboardSaysWhenProductionAndExportsComeFromDifferentFamiliesOfSources()
    {
        var html = await Get("/", "en");
        var cameroon = html[html.IndexOf("id=\"c-CMR\"", StringComparison.Ordinal)..html.IndexOf("id=\"c-COD\"", StringComparison.Ordinal)];

        Assert.Contains("Production: Kimberley Process; exports: national statistics — sources of different families.", cameroon);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/countries/COD")]
    [InlineData("/countries/CAF")]
    [InlineData("/countries/COG")]
    public async Task EveryChartHasYearsOnItsAxisATextAlternativeAndATableOfItsFigures(string url)
    {
        var charts = Charts(await Get(url));

        Assert.NotEmpty(charts);
        Assert.All(charts, chart =>
        {
            Assert.Matches("<text class=\"axis\"[^>]*>(19|20)\\d\\d</text>", chart);
            Assert.Contains("<p class=\"chart-summary\">", chart);
            Assert.Matches("<span>[^<]+ en (19|20)\\d\\d", chart);
            Assert.Contains("<table class=\"chart-table\">", chart);
            Assert.Matches("<th scope=\"row\">(19|20)\\d\\d</th>", chart);
            Assert.Contains("role=\"img\" aria-label=", chart);
        });
    }

    [Fact]
    public async Task TheCarChartDrawsOneLinePerSourceNamesItsGapsAndLabelsItsValues()
    {
        var html = await Get("/countries/CAF", "en");
        var carats = Charts(html).Single(c => c.Contains("id=\"chart-carats\"", StringComparison.Ordinal));

        Assert.Contains("Production — Kimberley Process", carats);
        Assert.Contains("Exports — IDEX Online via Canadian Mining Report (citing KP)", carats);
        Assert.Contains("Production — Kimberley Process: no figure published for 2013, 2014, 2015; the line breaks.", carats);
        // Values readable without a mouse: the latest production is written on the chart; IDEX Online gave one year, 50,433 ct
        // in 2020, said beside the chart rather than drawn as a lone dot.
        Assert.Contains(">27,549</text>", carats);
        Assert.Contains("One year published only, not drawn: Exports — President Touadera", carats);
        Assert.Contains("Production — Visual Capitalist (KP data + estimates by Dr Ashok Damarupurshad) 2022: 118,044 ct", carats);
        Assert.Contains("Exports — IDEX Online via Canadian Mining Report (citing KP) 2020: 50,433 ct", carats);
        Assert.DoesNotContain("<script", html[html.IndexOf("id=\"charts-title\"", StringComparison.Ordinal)..html.IndexOf("id=\"findings-title\"", StringComparison.Ordinal)]);
    }

    [Fact]
    public async Task AChartTableShowsWholeCaratsWhileTheFigureTableKeepsThePublishedDecimals()
    {
        var html = await Get("/countries/AGO");
        var carats = Charts(html).Single(c => c.Contains("id=\"chart-carats\"", StringComparison.Ordinal));

        // Angola 2023, data/kp_production.csv: 9754309.81 carats.
        Assert.Contains(">9 754 310</td>", carats);
        Assert.Contains("9 754 309,81", html[html.IndexOf("id=\"table-title\"", StringComparison.Ordinal)..]);
    }

    [Fact]
    public async Task AFindingsChartRingsItsYearAndHasItsTableAndSentence()
    {
        var list = await Get("/findings");
        var id = FindingLink().Match(list).Groups[1].Value;

        var chart = Charts(await Get($"/findings/{id}")).Single();

        Assert.Contains("class=\"marked\"", chart);
        Assert.Matches("<text class=\"axis\"[^>]*>(19|20)\\d\\d</text>", chart);
        Assert.Contains("<table class=\"chart-table\">", chart);
    }

    [Fact]
    public async Task DrCongosChartsDrawNoPublisherAsALoneDotAndNameTheOneYearPublishersWithTheirValues()
    {
        var html = await Get("/countries/COD");
        var charts = Charts(html);

        Assert.NotEmpty(charts);
        Assert.All(charts, chart =>
        {
            var svg = Svg().Match(chart).Value;
            // Each drawn line has a class of its own (metric and dash): none is a single point.
            var dots = ChartDot().Matches(svg).GroupBy(m => m.Groups[1].Value).ToList();
            Assert.All(dots, line => Assert.True(line.Count() > 1, $"{line.Key} is one dot"));
            // At most three publishers a metric, each with its own dash in the key.
            foreach (var metric in new[] { "production", "export" })
            {
                var keys = KeyLine().Matches(chart).Select(m => m.Groups[1].Value).Where(c => c.StartsWith(metric + " ", StringComparison.Ordinal)).ToList();
                Assert.InRange(keys.Count, 0, 3);
                Assert.Equal(keys.Count, keys.Distinct().Count());
            }
        });
        var carats = Charts(html).Single(c => c.Contains("id=\"chart-carats\"", StringComparison.Ordinal));
        var note = Tag().Replace(OneYearNote().Match(carats).Value, "");
        // data/national_stats.csv: the Ministry of Mines' annual report gave DR Congo's exports of 2022 alone, 11 683 439,31 ct.
        Assert.Contains("Une seule année publiée, non tracée :", note);
        Assert.Contains("Exportations — Ministry of Mines annual report 2022 (via mines.cd) 2022 : 11,7 M ct", note);
        Assert.DoesNotContain("Ministry of Mines annual report 2022 (via mines.cd)", Svg().Match(carats).Value);
        // Left out of the drawing, never of the chart's table.
        Assert.Contains("Ministry of Mines annual report 2022 (via mines.cd)</span></th>", carats);
    }

    [Fact]
    public async Task ASourceConflictsChartShowsBothDisputedValuesAtItsYearRingedAndInItsTable()
    {
        var list = await Get("/findings?country=AGO&state=all");
        var id = AngolaConflict().Match(list).Groups[1].Value;
        Assert.NotEmpty(id);

        var chart = Charts(await Get($"/findings/{id}")).Single();
        var svg = Svg().Match(chart).Value;

        // Angola 2005 production: Kimberley Process 7 079 120,65 ct, Macauhub / Lusa 6 000 000 ct.
        Assert.Contains(">7,08 M</text>", svg);
        Assert.Contains(">6 M</text>", svg);
        Assert.Equal(2, Regex.Matches(svg, "class=\"marked\"").Count);
        // The exact value as each database keeps its scale: 7079120.65 or 7079120.650.
        Assert.Matches("data-value=\"7079120\\.650*\"", chart);
        Assert.Matches("data-value=\"6000000(\\.0*)?\"", chart);
        Assert.Contains("Production — <span lang=\"en\" title=\"tel que publié\">Macauhub / Lusa</span>", chart);
        // Two publishers of one metric: the same colour, two dashes.
        Assert.Contains("class=\"production style0\"", chart);
        Assert.Contains("class=\"production style1\"", chart);
    }

    [GeneratedRegex("href=\"/findings/(\\d+)\">Sources en désaccord — Angola, 2005 \\(volume en carats · Macauhub / Lusa\\)")]
    private static partial Regex AngolaConflict();

    [GeneratedRegex("<svg viewBox.*?</svg>", RegexOptions.Singleline)]
    private static partial Regex Svg();

    [GeneratedRegex("<circle class=\"((?:production|export) style\\d)\"")]
    private static partial Regex ChartDot();

    [GeneratedRegex("<svg class=\"key-line\"[^>]*><line class=\"([^\"]+)\"")]
    private static partial Regex KeyLine();

    [GeneratedRegex("<p class=\"chart-note left-out one-year\">.*?</p>", RegexOptions.Singleline)]
    private static partial Regex OneYearNote();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex("href=\"/findings/(\\d+)\"")]
    private static partial Regex FindingLink();

    [GeneratedRegex("<figure class=\"chart trend\".*?</figure>", RegexOptions.Singleline)]
    private static partial Regex ChartFigure();
}
