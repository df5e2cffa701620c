using System.Net.Http.Json;
using System.Text.Json;
using Kimberlite.Accounts;
using Kimberlite.Analysis;
using Kimberlite.Analysis.Rates;
using Kimberlite.Statistics.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>Every rule does what its name says (issue 14, item 6), on real rows of data/ and of the Kimberley Process's table.</summary>
public sealed class RuleTests : EmptyAppTest
{
    private const string KpExportHeader = "Country Name,Year,Quarter,Trade Type,Production Type,Carat,US Value,Public,Created,Last Modified";
    private const string TradeHeader = "reporter_iso3,partner_iso3,year,period,flow,flow_detail,carats,usd,share_pct,source,source_publisher,as_published,precision,data_origin,notes";

    /// <summary>The Central African Republic's production in the Kimberley Process's table (data/kp_production_halfyear_2003-2024.xlsx), 2008 to its suspension and back.</summary>
    private static readonly string[] CentralAfricanHalves =
    [
        "Central African Republic,2008,1,Production,Production,231274.15,28914503.7,Public,,",
        "Central African Republic,2008,2,Production,Production,145934.97,18837778.0,Public,,",
        "Central African Republic,2009,1,Production,Production,159542.32,23189981.3,Public,,",
        "Central African Republic,2009,2,Production,Production,152237.1,23896848.3,Public,,",
        "Central African Republic,2010,1,Production,Production,150942.16,25715879.71,Public,,",
        "Central African Republic,2010,2,Production,Production,150615.46,23176496.86,Public,,",
        "Central African Republic,2011,1,Production,Production,173641.1,31609585.94,Public,,",
        "Central African Republic,2011,2,Production,Production,149934.4,29283700.82,Public,,",
        "Central African Republic,2012,1,Production,Production,210684.77,33542107.16,Public,,",
        "Central African Republic,2012,2,Production,Production,155231.86,28587489.5,Public,,",
        "Central African Republic,2013,1,Production,Production,81628.85,14816692.37,Public,,",
        "Central African Republic,2016,1,Production,Production,3702.88,682282.76,Public,,",
        "Central African Republic,2016,2,Production,Production,6950.75,1005860.24,Public,,",
    ];

    private async Task Import(string publisher, string header, params string[] rows)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<StatisticsImporter>()
            .ImportAsync(ImportFiles.Csv(header, rows), "test.csv", new Provenance(Publisher: publisher), cancellationToken: Cancel);
        Assert.Equal(ImportOutcome.Imported, result.Outcome);
    }

    private async Task<List<Finding>> Findings(FindingRule rule)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var summary = await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(Cancel);
        return summary.Active.Where(f => f.Rule == rule).OrderBy(f => f.Key).ToList();
    }

    /// <summary>The findings of a rule as the API states them in English: key and sentence.</summary>
    private async Task<Dictionary<string, string>> Explained(string rule)
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var findings = await client.GetFromJsonAsync<JsonElement>($"/api/v1/findings?rule={rule}", Cancel);
        return findings.EnumerateArray().ToDictionary(f => f.GetProperty("key").GetString()!,
            f => f.GetProperty("explanation").GetString()!.Replace('\u202F', ' ').Replace('\u00A0', ' '));
    }

    private async Task<RatesImport> ImportBundledRates()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LegalRateStore>()
            .ImportAsync(await File.ReadAllBytesAsync(ImportFiles.Bundled("legal_rates.csv"), Cancel), "legal_rates.csv", "analyst@example.org", Cancel);
    }

    [Fact]
    public async Task TheCentralAfricanCollapseAcrossItsMissingYearsIsFoundOnceAndNamedAFallOf97PerCent()
    {
        await Import("Kimberley Process", KpExportHeader, CentralAfricanHalves);

        var carats = Assert.Single(await Findings(FindingRule.SuddenChange), f => f is { CountryIso3: "CAF", Metric: Statistics.Metric.Production, Measure: Measures.Carats });

        // 2012 = H1 + H2; 2013 is a half alone, never a year; 2014 and 2015 are missing.
        Assert.Equal(("CAF|Production|carats|2016|collapse", 2016, 10653.63m, 365916.63m, -97.1m),
            (carats.Key, carats.Year!.Value, carats.Observed, carats.Expected, carats.GapPercent));
        var sentence = (await Explained("suddenChange"))[carats.Key];
        Assert.Contains("the production volume collapsed to 10,654 ct, against 365,917 ct in 2012, the last complete year: a fall of 97.1% across the years with no complete figure (2013–2015), beyond the collapse threshold of 80%", sentence);
    }

    [Fact]
    public async Task ALevelShiftIsReportedOnceInTheYearItBreaks()
    {
        await Import("Test", ImportFiles.NationalHeader,
            "GAB,2014,FY,production,total,100,,,https://a.example,Ministry,,exact,",
            "GAB,2015,FY,production,total,102,,,https://a.example,Ministry,,exact,",
            "GAB,2016,FY,production,total,98,,,https://a.example,Ministry,,exact,",
            "GAB,2017,FY,production,total,101,,,https://a.example,Ministry,,exact,",
            "GAB,2018,FY,production,total,200,,,https://a.example,Ministry,,exact,",
            "GAB,2019,FY,production,total,205,,,https://a.example,Ministry,,exact,",
            "GAB,2020,FY,production,total,198,,,https://a.example,Ministry,,exact,",
            "GAB,2021,FY,production,total,202,,,https://a.example,Ministry,,exact,",
            "GAB,2022,FY,production,total,199,,,https://a.example,Ministry,,exact,");

        var shift = Assert.Single(await Findings(FindingRule.SuddenChange));

        Assert.Equal((2018, 200m, 100.5m), (shift.Year!.Value, shift.Observed, shift.Expected));
        Assert.Contains("the production volume rose to 200 ct, 99.0% above the median of the previous years", (await Explained("suddenChange"))[shift.Key]);
    }

    [Fact]
    public async Task AFallIsNamedAFall()
    {
        await Import("Test", ImportFiles.NationalHeader,
            "GAB,2016,FY,production,total,100,,,https://a.example,Ministry,,exact,",
            "GAB,2017,FY,production,total,102,,,https://a.example,Ministry,,exact,",
            "GAB,2018,FY,production,total,98,,,https://a.example,Ministry,,exact,",
            "GAB,2019,FY,production,total,101,,,https://a.example,Ministry,,exact,",
            "GAB,2020,FY,production,total,40,,,https://a.example,Ministry,,exact,");

        var fall = Assert.Single(await Findings(FindingRule.SuddenChange));

        Assert.Equal((40m, 100.5m), (fall.Observed, fall.Expected));
        var sentence = (await Explained("suddenChange"))[fall.Key];
        Assert.Contains("Gabon, 2020: the production volume fell to 40 ct, 60.2% below the median of the previous years", sentence);
        Assert.DoesNotContain("rose", sentence);
    }

    [Fact]
    public async Task NoSuddenChangeOnAHistoryThatMixesTheKimberleyProcessTableWithAPressFigure()
    {
        // Canada in the Kimberley Process's table, 2011–2015, and the press figure of 2017 that data/kp_production.csv files under 2016.
        await Import("Kimberley Process", KpExportHeader,
            "Canada,2011,1,Production,Production,5337273.0,1213987697.5,Public,,",
            "Canada,2011,2,Production,Production,5457986.0,1336887501.12,Public,,",
            "Canada,2012,1,Production,Production,5114458.0,1067708078.68,Public,,",
            "Canada,2012,2,Production,Production,5336160.0,939509271.95,Public,,",
            "Canada,2013,1,Production,Production,5123559.0,971495445.97,Public,,",
            "Canada,2013,2,Production,Production,5476100.0,935670070.8,Public,,",
            "Canada,2014,1,Production,Production,6137434.0,1066654090.54,Public,,",
            "Canada,2014,2,Production,Production,5874185.0,936613070.9,Public,,",
            "Canada,2015,1,Production,Production,6246301.89,986527755.87,Public,,",
            "Canada,2015,2,Production,Production,5431170.11,689408244.2,Public,,");
        await Import("Test", ImportFiles.ProductionHeader,
            "CAN,2016,23233988,,,https://warpp.info/en/m4/layers/mineral-deposits-and-their-distribution/fossil-and-mineral-resources/diamond-mining/infotext,WARPP infotext (citing KP),\"In 2016, Canada produced 23,233,988 carats\",exact,Likely mislabelled year");

        Assert.DoesNotContain(await Findings(FindingRule.SuddenChange), f => f.Measure == Measures.Carats);
    }

    [Theory]
    [InlineData("fr", "exportations vers la Belgique valorisées à 20 US$/ct", "du même flux par la Belgique (40 US$/ct)")]
    [InlineData("en", "exports to Belgium valued at 20 US$/ct", "of the same flow by Belgium (40 US$/ct)")]
    [InlineData("pt", "exportações para a Bélgica valorizadas a 20 US$/ct", "do mesmo fluxo pela Bélgica (40 US$/ct)")]
    public async Task AnUndervaluationAgainstAPartnerNamesTheFlowWithThePartnersPrepositions(string language, string flow, string partner)
    {
        // Worked by hand: 1,000 ct for US$ 20,000 (20 US$/ct) declared out, the same 1,000 ct declared in at US$ 40,000 (40 US$/ct).
        await Import("Test", TradeHeader,
            "COD,WLD,2015,FY,export,,1000,20000,,https://a.example/cod,Exporter A,,exact,national,",
            "COD,BEL,2015,FY,export,,1000,20000,,https://a.example/cod,Exporter A,,exact,national,",
            "BEL,COD,2015,FY,import,,1000,40000,,https://b.example/bel,Importer B,,exact,national,");
        Assert.Single(await Findings(FindingRule.ValuationGap), f => f.PartnerIso3 == "BEL");

        var client = App.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        var findings = await client.GetFromJsonAsync<JsonElement>("/api/v1/findings?rule=valuationGap", Cancel);
        var sentence = Assert.Single(findings.EnumerateArray(), f => f.GetProperty("partner").GetString() == "BEL")
            .GetProperty("explanation").GetString()!.Replace('\u202F', ' ').Replace('\u00A0', ' ');

        Assert.Contains(flow, sentence);
        Assert.Contains(partner, sentence);
    }

    [Fact]
    public async Task ExportsValuedAboveTheirOwnProductionAreOvervaluationNotAValuationGap()
    {
        // DR Congo 2011: exports 18.8 Mct for US$ 335 M (data/kp_trade.csv), production 19.249 Mct at 9.33 US$/ct (data/kp_production.csv).
        await Import("Test", TradeHeader,
            "COD,WLD,2011,FY,export,,18800000,335000000,,https://rough-polished.expert/en/expertise/68677.html,Rough & Polished (citing KP),exported 18.8 million carats in 2011 for a value of about $335 million,approx,KP,");
        await Import("Test", ImportFiles.ProductionHeader,
            "COD,2011,19249000,,9.33,https://rubel-menasche.com/en/hausse-production-mondiale-2,Rubel & Ménasché / Rapaport (citing KP),19.249 million carats valued at $9.33,rounded,");

        var over = Assert.Single(await Findings(FindingRule.Overvaluation));

        Assert.Equal(("COD|2011|production", 17.82m, 9.33m), (over.Key, over.Observed, over.Expected));
        Assert.Empty(await Findings(FindingRule.ValuationGap));
        Assert.StartsWith("Democratic Republic of the Congo, 2011: exports are valued at 17.82 US$/ct, above the production valuation (9.33 US$/ct) by 91.0%, beyond the tolerance of 25%",
            (await Explained("overvaluation"))[over.Key]);
    }

    [Fact]
    public async Task RevenueAtStakeUsesTheLegalRateInForceThatYearAndNoneForAYearWithoutOne()
    {
        var rates = await ImportBundledRates();
        Assert.Equal((4, 0), (rates.Added, rates.Replaced));
        // Comparable producers' export US$/ct: GAB 150, CMR 100, COD 10, COG 12 → median 56; the CAR exports 1 000 ct at 20 US$/ct.
        var rows = new[] { 2018, 2019, 2021 }.SelectMany(year => new[]
        {
            $"GAB,{year},FY,export,total,1000,150000,USD,https://a.example,A,,exact,",
            $"CMR,{year},FY,export,total,1000,100000,USD,https://a.example,A,,exact,",
            $"COD,{year},FY,export,total,1000,10000,USD,https://a.example,A,,exact,",
            $"COG,{year},FY,export,total,1000,12000,USD,https://a.example,A,,exact,",
            $"CAF,{year},FY,export,total,1000,20000,USD,https://a.example,A,,exact,",
        }).ToArray();
        await Import("Test", ImportFiles.NationalHeader, rows);

        var gaps = (await Findings(FindingRule.ValuationGap)).Where(f => f.CountryIso3 == "CAF").ToDictionary(f => f.Year!.Value);

        Assert.Equal((20m, 56m, -64.3m), (gaps[2019].Observed, gaps[2019].Expected, gaps[2019].GapPercent));
        // (56 − 20) US$/ct × 1 000 ct × 10 % in 2018, then 4 % from 2019 (data/legal_rates.csv)
        Assert.Equal((3600m, 10m), (gaps[2018].RevenueLost!.Value, gaps[2018].RatePct!.Value));
        Assert.Equal((1440m, 4m), (gaps[2019].RevenueLost!.Value, gaps[2019].RatePct!.Value));
        Assert.Contains("(2019): World Diamond Council", gaps[2019].RateSource);
        Assert.Contains("jewelbuzz", gaps[2019].RateSource);
        Assert.Null(gaps[2021].RevenueLost);
        Assert.Null(gaps[2021].RatePct);
        Assert.Contains("At the legal rate of 4% in force in 2019 (diamond export tax 4 % (2019)", (await Explained("valuationGap"))["CAF|2019|regional"]);
    }

    [Fact]
    public async Task ARateFileWithABadRowIsRefusedWholeAndAGoodOneIsAudited()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<LegalRateStore>();
        var header = string.Join(',', LegalRateStore.Columns);

        var refused = await store.ImportAsync(ImportFiles.Csv(header, "CAF,export tax,4,2019,,https://a.example,A,,", "CAF,royalty,140,2019,2018,https://a.example,A,,"), "rates.csv", "analyst@example.org", Cancel);
        var added = await store.ImportAsync(ImportFiles.Csv(header, "CAF,export tax,4,2019,,https://a.example,A,,"), "rates.csv", "analyst@example.org", Cancel);

        Assert.Equal("3: rate_pct '140', in_force_to '2018'", Assert.Single(refused.Refused));
        Assert.Equal((1, 0), (added.Added, added.Replaced));
        Assert.Equal(1, await App.WithDb(db => db.LegalRates.CountAsync(Cancel)));
        Assert.Equal(1, await App.WithDb(db => db.AuditEntries.CountAsync(e => e.Action == LegalRateStore.AuditAction, Cancel)));
    }

    [Fact]
    public async Task BalanceSaysProductionAloneWhenNoImportIsKnownAndCitesThe2004ExpulsionOnlyForTheRepublicOfCongo()
    {
        // Botswana 2009 (exports 21.5 Mct against 17.734 Mct produced) and the Republic of Congo 2003.
        await Import("Test", ImportFiles.NationalHeader,
            "BWA,2009,FY,production,total,17734000,,,https://a.example,Ministry,,exact,",
            "BWA,2009,FY,export,total,21500000,,,https://a.example,Ministry,,exact,",
            "COG,2003,FY,production,total,100,,,https://a.example,Ministry,,exact,",
            "COG,2003,FY,export,total,150,,,https://a.example,Ministry,,exact,");
        Assert.Equal(2, (await Findings(FindingRule.Balance)).Count);

        var sentences = await Explained("balance");

        Assert.Equal("Botswana, 2009: exports (21,500,000 ct) exceed production alone (17,734,000 ct) by +21.2%, beyond the 10% allowed for stocks; no import figure is known for the year.", sentences["BWA|2009|carats"]);
        Assert.EndsWith("This is the check that removed the Republic of the Congo from the Kimberley Process in 2004.", sentences["COG|2003|carats"]);
    }

    [Fact]
    public async Task ATradingHubsReExportsBeyondItsImportsAndItsMarkUpAreFound()
    {
        // data/kp_trade.csv: the United States in 2011 (US ITC), Dubai in 2005 (Dubai Diamond Exchange).
        await Import("Test", TradeHeader,
            "USA,WLD,2011,FY,import,,700000,630300000,,https://www.rubel-menasche.com/?p=826,Edahn Golan (US ITC data),a little more than 0.7 million carats ... $630.3 million,approx,national (US ITC),",
            "USA,WLD,2011,FY,export,,1100000,,,https://www.rubel-menasche.com/?p=826,Edahn Golan (US ITC data),exported nearly 1.1 million carats,approx,national (US ITC),",
            "ARE,WLD,2005,FY,import,,37000000,1484000000,,https://anba.com.br/comercio-de-diamantes-em-dubai-superou-us-37-bilhoes-em-2005,Dubai Diamond Exchange via WAM/ANBA,\"importou US$ 1,484 bilhão\",rounded,Dubai customs,",
            "ARE,WLD,2005,FY,export,,34000000,2248000000,,https://anba.com.br/comercio-de-diamantes-em-dubai-superou-us-37-bilhoes-em-2005,Dubai Diamond Exchange via WAM/ANBA,\"exportou US$ 2,248 bilhões\",rounded,Dubai customs,");

        var hubs = (await Findings(FindingRule.TradingHub)).ToDictionary(f => f.Key);

        Assert.Equal(["ARE|2005|markup", "USA|2011|carats"], hubs.Keys.Order());
        Assert.Equal((1100000m, 700000m, 57.1m), (hubs["USA|2011|carats"].Observed, hubs["USA|2011|carats"].Expected, hubs["USA|2011|carats"].GapPercent));
        Assert.Equal((66.12m, 40.11m, 64.8m), (hubs["ARE|2005|markup"].Observed, hubs["ARE|2005|markup"].Expected, hubs["ARE|2005|markup"].GapPercent));
        var sentences = await Explained("tradingHub");
        Assert.StartsWith("United States, 2011: re-exports (1,100,000 ct) exceed imports (700,000 ct) by +57.1%, beyond the 10% allowed for stocks", sentences["USA|2011|carats"]);
        Assert.StartsWith("United Arab Emirates, 2005: exports are valued at 66.12 US$/ct, imports of the same year at 40.11 US$/ct: a rise of +64.8%, beyond the 50%", sentences["ARE|2005|markup"]);
    }

    [Fact]
    public async Task WhatAHubDeclaredToUnComtradeIsReadTheSameWay()
    {
        // Belgium re-exports 1.2 Mct at 250 US$/ct in 2020 having imported 1.0 Mct at 100 US$/ct.
        var path = ImportFiles.Write(ImportFiles.Csv(ComtradeTests.Header,
            ComtradeTests.Row("BEL", "IND", "X", "710210", "carat", "1200000", "300000000"),
            ComtradeTests.Row("BEL", "COD", "M", "710210", "carat", "1000000", "100000000")), "comtrade.csv");
        await using (var scope = App.Services.CreateAsyncScope())
            Assert.Equal(ImportOutcome.Imported, (await scope.ServiceProvider.GetRequiredService<Statistics.Comtrade.ComtradeImporter>().ImportAsync(path, ComtradeTests.Stated, Cancel)).Outcome);

        var hubs = (await Findings(FindingRule.TradingHub)).ToDictionary(f => f.Key);

        Assert.Equal(["comtrade|BEL|2020|carats", "comtrade|BEL|2020|markup"], hubs.Keys.Order());
        Assert.Equal((1200000m, 1000000m), (hubs["comtrade|BEL|2020|carats"].Observed, hubs["comtrade|BEL|2020|carats"].Expected));
        Assert.Equal((250m, 100m, 150m), (hubs["comtrade|BEL|2020|markup"].Observed, hubs["comtrade|BEL|2020|markup"].Expected, hubs["comtrade|BEL|2020|markup"].GapPercent));
    }
}

/// <summary>The bundled data on first start: its legal rates loaded, the Central African collapse found.</summary>
public sealed class BundledRuleTests
{
    [Fact]
    public async Task OnTheBundledDataTheRatesAreLoadedAndTheCentralAfricanCollapseIsFoundOnce()
    {
        await using var app = new KimberliteApp();

        var rates = await app.WithDb(db => db.LegalRates.AsNoTracking().OrderBy(r => r.CountryIso3).ThenBy(r => r.InForceFrom).Select(r => $"{r.CountryIso3} {r.RatePercent:0.##} {r.Years}").ToListAsync());
        var collapse = await app.WithDb(db => db.Findings.AsNoTracking().SingleAsync(f => f.Rule == FindingRule.SuddenChange && f.Key == "CAF|Production|carats|2016|collapse"));

        Assert.Equal(["CAF 10 2018", "CAF 4 2019", "CMR 12.5 2013", "COD 3.75 2010"], rates);
        // Its page gives the collapse threshold in per cent, not in deviations, and the year it is compared with.
        var page = System.Net.WebUtility.HtmlDecode(await app.CreateClient().GetStringAsync($"/findings/{collapse.Id}?culture=en", TestContext.Current.CancellationToken)).Replace('\u202F', ' ').Replace('\u00A0', ' ');
        Assert.Contains("tolerance of 80%", page);
        Assert.DoesNotContain("median absolute deviations", page);
        Assert.Contains("a fall of 97.1% across the years with no complete figure (2013–2015)", page);
    }
}

/// <summary>`kimberlite rates import` and `kimberlite rates list`: a deployment's own legal rates, audited.</summary>
public sealed class RatesCommandTests : IAsyncLifetime
{
    private readonly Dictionary<string, string> _settings;
    private readonly Func<Task> _drop;

    public RatesCommandTests()
    {
        (_settings, _drop) = TestDatabase.Create();
        _settings["Kimberlite:LoadBundledData"] = "false";
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("en");
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public async ValueTask DisposeAsync() => await _drop();

    private async Task<(int Exit, string Output, string Errors)> Run(params string[] args)
    {
        var (output, errors) = (new StringWriter(), new StringWriter());
        var exit = await Infrastructure.Commands.KimberliteCommands.RunAsync([.. args, .. _settings.Select(s => $"--{s.Key}={s.Value}")], output, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task ADeploymentAddsItsOwnRateFromTheCommandLineAndTheAuditTrailSaysWhoAndFromWhichFile()
    {
        var file = ImportFiles.Write(ImportFiles.Csv(string.Join(',', LegalRateStore.Columns),
            "CAF,diamond export tax,4,2020,2024,https://mines.example/decree,Ministry of Mines,\"4 %\","), "our_rates.csv");
        var bad = ImportFiles.Write(ImportFiles.Csv(string.Join(',', LegalRateStore.Columns), "CAF,,4,20x0,,https://a.example,A,,"), "bad.csv");

        var refused = await Run("rates", "import", bad);
        var imported = await Run("rates", "import", file);
        var list = await Run("rates", "list");

        Assert.Equal(2, refused.Exit);
        Assert.Contains("2: in_force_from '20x0', instrument ''", refused.Errors);
        Assert.Equal(0, imported.Exit);
        Assert.Contains("Legal rates: 1 added, 0 replaced.", imported.Output);
        Assert.StartsWith("CAF\t2020–2024\t4 %\tdiamond export tax\tMinistry of Mines\thttps://mines.example/decree\tcommand line (", list.Output);
        await using var app = new KimberliteApp(_settings);
        var entries = await app.WithDb(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == LegalRateStore.AuditAction).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(("our_rates.csv", "1 added, 0 replaced"), (Assert.Single(entries).Target, entries[0].Summary));
    }
}
