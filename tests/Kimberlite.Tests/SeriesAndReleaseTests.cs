using System.Globalization;
using System.Text.RegularExpressions;
using Kimberlite.Analysis;
using Kimberlite.Statistics.Import;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>
/// A year is compared with a year (both halves, artisanal plus industrial), a publisher's later release revises its
/// earlier one instead of conflicting with it, and the precision of each figure sets how closely sources must agree.
/// Rows are those of data/kp_production_halfyear_2003-2024.xlsx (the Kimberley Process database export) and data/*.csv.
/// </summary>
public sealed partial class SeriesAndReleaseTests : EmptyAppTest
{
    private static readonly string[] KpHeader = ["Country Name", "Year", "Quarter", "Trade Type", "Production Type", "Carat", "US Value", "Public", "Created", "Last Modified"];
    private const string TradeHeader = "reporter_iso3,partner_iso3,year,period,flow,flow_detail,carats,usd,share_pct,source,source_publisher,as_published,precision,data_origin,notes";

    // The Central African Republic: both halves of 2012, and the first half of 2013 published alone.
    private static readonly object?[] Caf2012H1 = ["Central African Republic", 2012, 1, "Production", "Production", 210684.77, 33542107.16, "Public", "09Sep12:18:39:37", null];
    private static readonly object?[] Caf2012H2 = ["Central African Republic", 2012, 2, "Production", "Production", 155231.86, 28587489.5, "Public", "24Apr13:07:14:46", null];
    private static readonly object?[] Caf2013H1 = ["Central African Republic", 2013, 1, "Production", "Production", 81628.85, 14816692.37, "Public", "23May16:03:41:51", null];

    // DR Congo 2022: artisanal and industrial by half; the first half's industrial figure entered twice, revised on 7 September 2023.
    private static readonly object?[][] Cod2022 =
    [
        ["Congo, Democratic Republic of", 2022, 1, "Production", "ASM", 3378987.65, 22639217.26, "Public", "17Mar23:08:15:52", null],
        ["Congo, Democratic Republic of", 2022, 1, "Production", "LSM", 1761189.74, 11799971.26, "Public", "17Mar23:08:17:24", null],
        ["Congo, Democratic Republic of", 2022, 2, "Production", "ASM", 3396495.74, 21737572.74, "Public", "17Mar23:08:18:57", null],
        ["Congo, Democratic Republic of", 2022, 2, "Production", "LSM", 1372324.53, 8782876.99, "Public", "17Mar23:08:20:53", null],
        ["Congo, Democratic Republic of", 2022, 1, "Production", "LSM", 871287.39, 11762379.77, "Public", "07Sep23:07:47:07", null],
    ];

    private async Task ImportKp(params object?[][] rows)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<StatisticsImporter>().ImportAsync(Xlsx.Build([KpHeader, .. rows]), "Production of Diamonds.xlsx",
            new Provenance("KP production by half-year", "Kimberley Process", "https://kimberleyprocessstatistics.org/", new DateOnly(2026, 11, 29)), cancellationToken: Cancel);
        Assert.Equal(ImportOutcome.Imported, result.Outcome);
    }

    private async Task ImportCsv(string header, params string[] rows)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<StatisticsImporter>()
            .ImportAsync(ImportFiles.Csv(header, rows), $"{Guid.NewGuid():N}.csv", new Provenance(Publisher: "Test"), cancellationToken: Cancel);
        Assert.Equal(ImportOutcome.Imported, result.Outcome);
    }

    private async Task<List<Finding>> Findings(FindingRule rule)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var summary = await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(Cancel);
        return summary.Active.Where(f => f.Rule == rule).OrderBy(f => f.Key).ToList();
    }

    private async Task<string> CountryPage(string iso3)
    {
        using var client = App.CreateClient();
        return System.Net.WebUtility.HtmlDecode(await client.GetStringAsync($"/countries/{iso3}", Cancel));
    }

    /// <summary>The years the country page's carats chart draws, with the production carats drawn for each (read from the chart's table).</summary>
    private static Dictionary<int, decimal?> ChartedProduction(string html)
    {
        var start = html.IndexOf("id=\"chart-carats\"", StringComparison.Ordinal);
        var chart = html[start..html.IndexOf("</figure>", start, StringComparison.Ordinal)];
        return ChartRow().Matches(chart).ToDictionary(
            row => int.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture),
            row => ProductionCell().Matches(row.Groups[2].Value).Select(c => c.Groups[1].Value).Where(v => v.Length > 0)
                .Select(v => (decimal?)decimal.Parse(v, CultureInfo.InvariantCulture)).FirstOrDefault());
    }

    [GeneratedRegex("<tr><th scope=\"row\">(\\d{4})</th>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex ChartRow();

    [GeneratedRegex("data-series=\"production\" data-value=\"([^\"]*)\"")]
    private static partial Regex ProductionCell();

    [Fact]
    public async Task BothHalvesMakeTheYearALoneHalfIsNoneAndTheCountryPageSaysHowTheYearWasMade()
    {
        await ImportKp(Caf2012H1, Caf2012H2, Caf2013H1);

        var html = await CountryPage("CAF");

        Assert.Equal(new Dictionary<int, decimal?> { [2012] = 365916.63m }, ChartedProduction(html));
        // The halves in the reader's words (issue 18), the publisher as it publishes itself.
        Assert.Contains("2012 : 1er semestre + 2e semestre, <span lang=\"en\" title=\"tel que publié\">Kimberley Process", html);
        Assert.DoesNotContain("2013 : 1er semestre", html);
    }

    [Fact]
    public async Task AHalfYearIsNeverBalancedAgainstAWholeYearOfExports()
    {
        // The issue: loaded with half-years, the balance rule compared one half with a whole year. DR Congo's first
        // half of 2023 (4.2 M ct) against its 2023 exports (8.3 M ct, CTCPM via Doseco) would read as a serious shortfall.
        await ImportKp(
            ["Congo, Democratic Republic of", 2023, 1, "Production", "ASM", 3344250.19, 24823496.51, "Public", "01Apr24:09:24:49", null],
            ["Congo, Democratic Republic of", 2023, 1, "Production", "LSM", 871287.39, 12108234.49, "Public", "01Apr24:09:29:01", null]);
        await ImportCsv(ImportFiles.NationalHeader,
            "COD,2023,FY,export,total,8305796.60,86527792.25,USD,https://doseco.cd/2024/03/18/la-rdc-a-exporte-8-305-76960-carats-de-diamant-industriel-et-artisanal-en-2023,CTCPM provisional (via Doseco),\"8 305 796,60 carats\",exact,");

        Assert.Empty(await Findings(FindingRule.Balance));

        // With the second half the year is whole, 8,347,462.84 ct, and balances with its exports.
        await ImportKp(
            ["Congo, Democratic Republic of", 2023, 2, "Production", "ASM", 3286414.99, 16281766.57, "Public", "01Apr24:09:32:36", null],
            ["Congo, Democratic Republic of", 2023, 2, "Production", "LSM", 845510.27, 11750011.23, "Public", "01Apr24:09:36:07", null]);

        Assert.Empty(await Findings(FindingRule.Balance));
        Assert.Equal(8347462.84m, ChartedProduction(await CountryPage("COD"))[2023]);
    }

    [Fact]
    public async Task ArtisanalAndIndustrialHalvesMakeTheTotalAndBalanceSaysProductionAloneWithoutImports()
    {
        // DR Congo 2022: the Kimberley Process's artisanal and industrial halves, the industrial first half as revised
        // (871,287.39 ct), make 9,019,095.31 ct; the Ministry of Mines reports 11,683,439.31 ct exported.
        await ImportKp(Cod2022);
        await ImportCsv(ImportFiles.NationalHeader,
            "COD,2022,FY,export,total,11683439.31,145900000,USD,https://mines.cd/?p=7803,Ministry of Mines annual report 2022 (via mines.cd),\"11.683.439,31 ... plus de 145,9 millions de dollars\",exact carats / rounded value,");

        var balance = Assert.Single(await Findings(FindingRule.Balance));

        Assert.Equal((11683439.31m, 9019095.31m), (balance.Observed, balance.Expected));
        var inputs = FindingTexts.Inputs(balance);
        Assert.Equal(["exports", "production"], inputs.Select(i => i.Role));
        Assert.Equal(("segments", 4), (inputs[1].Basis, inputs[1].PartIds!.Count));
        Assert.Contains("\"basis\":\"segments\"", balance.Inputs);
        Assert.Contains("2022 : artisanal 1er semestre + artisanal 2e semestre + industriel 1er semestre + industriel 2e semestre, <span lang=\"en\" title=\"tel que publié\">Kimberley Process",
            await CountryPage("COD"));
    }

    [Fact]
    public async Task APublishersRepeatedRowIsARevisionShownWithBothValuesAndTheLatestIsUsed()
    {
        await ImportKp(Cod2022);

        Assert.Empty(await Findings(FindingRule.SourceConflict));
        Assert.Empty(await Findings(FindingRule.PartsAndTotal));
        var html = await CountryPage("COD");
        Assert.Matches(@"révisé le 7 septembre 2023 : 1\W761\W189,74 ct → 871\W287,39 ct", html);
        Assert.Contains("2 publications d’un même éditeur : la plus récente est retenue", html);
        Assert.Contains("Groupes où les sources diffèrent : 0.", html);
        Assert.Equal(9019095.31m, ChartedProduction(html)[2022]);
    }

    [Fact]
    public async Task TheRepublicOfCongosLaterReleaseRevisesItsEarlierOneWithoutAConflict()
    {
        // Republic of Congo 2023 H1 artisanal: 18.5 ct entered on 18 May 2023, 3,053 ct on 19 September 2023.
        await ImportKp(
            ["Congo, Republic of", 2023, 1, "Production", "ASM", 18.5, 8100, "Public", "18May23:11:27:03", null],
            ["Congo, Republic of", 2023, 1, "Production", "ASM", 3053, 231285, "Public", "19Sep23:13:25:11", null],
            ["Congo, Republic of", 2023, 2, "Production", "ASM", 1002.55, 80839, "Public", "31Jan24:06:02:05", null]);

        Assert.Empty(await Findings(FindingRule.SourceConflict));
        var html = await CountryPage("COG");
        Assert.Matches(@"révisé le 19 septembre 2023 : 18,5 ct → 3\W053 ct", html);
    }

    [Fact]
    public async Task UndatedRepeatedRowsAreRevisionsInTheOrderTheDatabaseListsThem()
    {
        // Indonesia 2007: each half entered twice, without a date; the database lists a country's entries in the order made.
        await ImportKp(
            ["Indonesia", 2007, 1, "Production", "Production", 6960.65, 1681963.62, "Public", null, null],
            ["Indonesia", 2007, 1, "Production", "Production", 2749.88, 668582.78, "Public", null, null],
            ["Indonesia", 2007, 2, "Production", "Production", 3721.6, 1004832, "Public", null, null],
            ["Indonesia", 2007, 2, "Production", "Production", 4380.02, 1335906.1, "Public", null, null]);

        Assert.Empty(await Findings(FindingRule.SourceConflict));
        var html = await CountryPage("IDN");
        Assert.Equal(7129.90m, ChartedProduction(html)[2007]);
        Assert.Matches(@"révisé dans une publication ultérieure : 6\W960,65 ct → 2\W749,88 ct", html);
    }

    [Fact]
    public async Task TwoExactFiguresOneMillionCaratsApartConflictThoughOnlySixTenthsOfAPerCentApart()
    {
        // data/kp_production.csv lines 5 and 6: IDEX and Rapaport citing the same KP world total for 2007.
        await ImportCsv(ImportFiles.ProductionHeader,
            "WLD,2007,169198857.66,12107000000,,http://idexonline.com/FullArticle?Id=30912,IDEX Online (citing KP),\"169,198,857.66 carats; $12.107 billion\",exact carats / value rounded to $M,",
            "WLD,2007,168198857.66,12100000000,71.98,https://rapaportfairtrade.com/2008/07/30/slight-drop-in-2007-global-diamond-production-rough-trading-jumps-12/,Rapaport News (citing KP),\"168,198,857.66 carats; $12.1 billion; $71.98 a carat\",exact carats / value rounded,");

        var conflict = Assert.Single(await Findings(FindingRule.SourceConflict));

        Assert.Equal(("carats", 168198857.66m, 169198857.66m, 0.1m), (conflict.Measure, conflict.Observed, conflict.Expected, conflict.TolerancePercent));
        Assert.Equal(["preferred", "other"], FindingTexts.Inputs(conflict).Select(i => i.Role));
    }

    [Fact]
    public async Task AYearAddedUpFromHalvesAgreesWithAPressFigureWithinItsRoundingAndConflictsWithATypingError()
    {
        // The KP table's CAR 2012 halves make 365,916.63 ct and US$ 62,129,596.66; the Israel Diamond Institute,
        // citing the KP, writes 365,916 ct (exact) and $62 million (rounded): agreement.
        await ImportKp(Caf2012H1, Caf2012H2);
        await ImportCsv(ImportFiles.ProductionHeader,
            "CAF,2012,365916,62000000,,https://en.israelidiamond.co.il/wikidiamond/diamond-industry-history/diamonds-central-african-republic/,Israel Diamond Institute wiki (citing KP),\"CAR produced 365,916 carats of rough diamonds valued at $62 million in 2012\",exact carats / rounded value,");

        Assert.Empty(await Findings(FindingRule.SourceConflict));

        // The same figure with one digit mistyped (366,916 ct, 0.27 % off) is found.
        await ImportCsv(ImportFiles.ProductionHeader,
            "CAF,2012,366916,,,https://example.org/typo,A press article (citing KP),\"366,916 carats\",exact,");

        // Found once, against the year's reference, the year the KP added up; not again against the Institute's figure.
        var conflict = Assert.Single(await Findings(FindingRule.SourceConflict));
        Assert.Equal((366916m, 365916.63m, "2012"), (conflict.Observed, conflict.Expected, conflict.PeriodText));
        var inputs = FindingTexts.Inputs(conflict);
        Assert.Equal(("preferred", "halves", 2), (inputs[0].Role, inputs[0].Basis, inputs[0].PartIds!.Count));
        Assert.Equal(("other", "A press article (citing KP)"), (inputs[1].Role, inputs[1].Publisher));
    }

    [Fact]
    public async Task BothHalvesAreAYearThatBalancesWithTheYearsExports()
    {
        // CAR 2012: production 365,916.63 ct from both halves, exports 371,917 ct (Reuters citing the KP): within the 10 % left for stocks.
        await ImportKp(Caf2012H1, Caf2012H2);
        await ImportCsv(TradeHeader,
            "CAF,WLD,2012,FY,export,,371917,62000000,,http://in.reuters.com/article/centralafrica-diamonds-idINL8N18Y2EX,Reuters 6 Jun 2016 (citing KP data),\"officially exported 371,917 carats\",exact carats / value \">\",KP,");

        Assert.Empty(await Findings(FindingRule.Balance));
        Assert.Empty(await Findings(FindingRule.PartsAndTotal));
    }

    [Fact]
    public async Task AQuarterAndAHalfOfOneSourceAreNoYearAndAreNeverComparedWithOne()
    {
        // CTCPM (DR Congo's Ministry of Mines): production in the first quarter and the first half of 2023, no whole year.
        await ImportCsv(ImportFiles.NationalHeader,
            "COD,2023,Q1,production,total,2035090.71,,,https://ctcpm.cd/fr/publication-des-statistiques-minieres-au-1er-trimestre-2023-filiere-diamantifere,CTCPM (Ministry of Mines),\"2.035.090,71 carats\",exact,",
            "COD,2023,H1,production,total,3841793.20,,,https://ctcpm.cd/fr/statistiques-minieres-au-1er-semestre-2023-filiere-diamantifere,CTCPM (Ministry of Mines),\"3.841.793,20 carats\",exact,",
            "COD,2023,FY,export,total,8305796.60,86527792.25,USD,https://doseco.cd/2024/03/18/la-rdc-a-exporte-8-305-76960-carats-de-diamant-industriel-et-artisanal-en-2023,CTCPM provisional (via Doseco),\"8 305 796,60 carats\",exact,");

        Assert.Empty(await Findings(FindingRule.Balance));
        Assert.Empty(await Findings(FindingRule.SourceConflict));
        Assert.DoesNotContain(2023, ChartedProduction(await CountryPage("COD")).Where(y => y.Value is not null).Select(y => y.Key));
    }
}
