using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kimberlite.Analysis;
using Kimberlite.Statistics.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>The rules on real rows of data/ and on boundary cases computed by hand, and the engine that keeps findings.</summary>
public sealed class AnalysisTests : EmptyAppTest
{
    private const string TradeHeader = "reporter_iso3,partner_iso3,year,period,flow,flow_detail,carats,usd,share_pct,source,source_publisher,as_published,precision,data_origin,notes";

    private async Task Import(params string[] lines)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<StatisticsImporter>()
            .ImportAsync(ImportFiles.Csv(lines[0], lines[1..]), "test.csv", new Provenance(Publisher: "Test"), cancellationToken: Cancel);
        Assert.Equal(ImportOutcome.Imported, result.Outcome);
    }

    private async Task<AnalysisSummary> Analyze()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(Cancel);
    }

    private async Task<List<Finding>> Findings(FindingRule rule) =>
        (await Analyze()).Active.Where(f => f.Rule == rule).OrderBy(f => f.Key).ToList();

    [Fact]
    public async Task AFindingWrittenInBulkReadsBackAsTheSameFindingWrittenByEntityFramework()
    {
        var at = new DateTime(2026, 11, 30, 9, 41, 7, 123, DateTimeKind.Utc).AddTicks(4567);
        Finding Make(string key) => new()
        {
            Rule = FindingRule.ValuationGap, Key = key, CountryIso3 = "CAF", PartnerIso3 = "BEL", Year = 2012, PeriodText = "2012", Metric = Statistics.Metric.Export,
            Measure = "usdPerCarat", Observed = 123.456789m, Expected = -0.5m, ExpectedLow = null, ExpectedHigh = 1e20m, Gap = 0m, GapPercent = 33.3m,
            TolerancePercent = 25m, RevenueLost = 1234567.123456m, RatePct = 4m, RateSource = "Loi « 2019 »", Severity = Severity.Serious,
            Status = FindingStatus.Open, Resolved = false, Inputs = "[{\"role\":\"exports\"}]", InputsHash = new string('a', 64), RaisedAtUtc = at, UpdatedAtUtc = at.AddDays(1),
        };
        await App.WithDb(async db =>
        {
            db.Findings.Add(Make("by-ef"));
            await db.SaveChangesAsync(Cancel);
            await using var transaction = await db.Database.BeginTransactionAsync(Cancel);
            await App.Services.GetRequiredService<Infrastructure.Data.IBulkWriter>().WriteAsync(db, FindingTables.Findings, [Make("in-bulk")], Cancel);
            await transaction.CommitAsync(Cancel);
            return 0;
        });

        var both = await App.WithDb(db => db.Findings.AsNoTracking().OrderBy(f => f.Key).ToListAsync(Cancel));

        Assert.Equal(["by-ef", "in-bulk"], both.Select(f => f.Key));
        var (ef, bulk) = (both[0], both[1]);
        static object Fields(Finding f) => new
        {
            f.Rule, f.CountryIso3, f.PartnerIso3, f.Year, f.PeriodText, f.Metric, f.Measure, f.Observed, f.Expected, f.ExpectedLow, f.ExpectedHigh, f.Gap, f.GapPercent,
            f.TolerancePercent, f.RevenueLost, f.RatePct, f.RateSource, f.Severity, f.Status, f.StatusNote, f.Resolved, f.Inputs, f.InputsHash, f.RaisedAtUtc, f.UpdatedAtUtc,
            RaisedKind = f.RaisedAtUtc.Kind,
        };
        Assert.Equal(Fields(ef), Fields(bulk));
        Assert.Equal(("Loi « 2019 »", 1e20m), (bulk.RateSource, bulk.ExpectedHigh));
        // SQLite keeps text: the bulk path writes dates and decimals exactly as EF Core does, so EF compares them alike.
        if (await App.WithDb(db => Task.FromResult(db.Database.IsSqlite())))
            Assert.Equal(
                await App.WithDb(db => db.Database.SqlQuery<string>($"SELECT \"RaisedAtUtc\" || '|' || \"Observed\" || '|' || \"Expected\" AS \"Value\" FROM \"Findings\" WHERE \"Key\" = 'by-ef'").SingleAsync(Cancel)),
                await App.WithDb(db => db.Database.SqlQuery<string>($"SELECT \"RaisedAtUtc\" || '|' || \"Observed\" || '|' || \"Expected\" AS \"Value\" FROM \"Findings\" WHERE \"Key\" = 'in-bulk'").SingleAsync(Cancel)));
    }

    [Fact]
    public async Task SourceConflictOnDrCongo2022ProductionNamesTheSourcesAndIgnoresTheAgreeingOne()
    {
        // data/kp_production.csv lines 163, 196, 199
        await Import(ImportFiles.ProductionHeader,
            "COD,2022,9908997.66,64959638.25,,https://howafrica.com/discovering-africas-top-10-diamond-producers/,HowAfrica (citing KP; same figures in mwebantu.news),\"9,908,997.66 | $64,959,638.25\",exact,",
            "COD,2022,10780000,77000000,,https://naturaldiamonds.com/industry-news/diamond-facts-and-statistics-that-matter,Natural Diamond Council (Source: KPCS),\"10,780 thousand carats | $77m\",\"rounded (thousand ct, $ million)\",",
            "COD,2022,9900000,,,https://en.sputniknews.africa/20231105/which-countries-lead-diamond-production-in-world--africa-1063330799.html,Sputnik Africa (RIA calculation from KP data),9.9 million carats,rounded,");

        var findings = await Findings(FindingRule.SourceConflict);

        Assert.Equal([("carats", 10780000m, 9908997.66m, 8.8m), ("usd", 77000000m, 64959638.25m, 18.5m)],
            findings.Select(f => (f.Measure, f.Observed, f.Expected, f.GapPercent)).OrderBy(f => f.Measure));
        var inputs = FindingTexts.Inputs(findings[0]);
        Assert.Equal(["HowAfrica (citing KP; same figures in mwebantu.news)", "Natural Diamond Council (Source: KPCS)"], inputs.Select(i => i.Publisher));
        Assert.All(inputs, i => Assert.NotNull(i.DatasetId));
    }

    [Theory]
    [InlineData("1001", "exact", 0)]        // two exact figures: exactly the 0.1 % tolerance, no conflict
    [InlineData("1002", "exact", 1)]        // just beyond it: a typing error
    [InlineData("1100", "approx.", 0)]      // an approximate figure: within its 10 % band
    [InlineData("1150", "approx.", 1)]      // beyond it
    [InlineData("100000", "rounded (0.1 Mct)", 0)] // against 140 000: 28.6 % apart, but inside the 50 000 ct rounding band
    [InlineData("80000", "rounded (0.1 Mct)", 1)]  // beyond the rounding band
    public async Task SourceConflictRespectsTheToleranceAndThePrecisionBand(string other, string precision, int expected)
    {
        var reference = precision.StartsWith("rounded") ? "140000" : "1000";
        await Import(ImportFiles.ProductionHeader,
            $"GAB,2020,{reference},,,https://a.example,Source A,,exact,",
            $"GAB,2020,{other},,,https://b.example,Source B,,{precision},");

        Assert.Equal(expected, (await Findings(FindingRule.SourceConflict)).Count);
    }

    [Theory]
    [InlineData("110", 0)] // production 100 plus 10 % for stocks
    [InlineData("111", 1)]
    public async Task BalanceFlagsExportsBeyondProductionPlusImports(string exports, int expected)
    {
        await Import(ImportFiles.NationalHeader,
            "COG,2003,FY,production,total,100,,,https://a.example,Ministry,,exact,",
            $"COG,2003,FY,export,total,{exports},,,https://a.example,Ministry,,exact,");

        var findings = await Findings(FindingRule.Balance);

        Assert.Equal(expected, findings.Count);
        if (expected == 1)
            Assert.Equal((111m, 100m, 110m), (findings[0].Observed, findings[0].Expected, findings[0].ExpectedHigh!.Value));
    }

    [Fact]
    public async Task MirrorGapComparesWhatAngolaExportedWithWhatTheEmiratesImported()
    {
        // data/kp_trade.csv: ARE reports 800 000 000 US$ of imports from AGO in 2008; the export side is built here.
        await Import(TradeHeader,
            "ARE,AGO,2008,FY,import,,,800000000,,https://example.org/dubai,Dubai customs,\"$800 million\",rounded,Dubai customs,",
            "AGO,ARE,2008,FY,export,,,600000000,,https://example.org/sodiam,SODIAM,,rounded,national,");

        var finding = Assert.Single(await Findings(FindingRule.MirrorGap));

        Assert.Equal(("AGO", "ARE", 800000000m, 600000000m, 33.3m), (finding.CountryIso3, finding.PartnerIso3!, finding.Observed, finding.Expected, finding.GapPercent));
    }

    [Theory]
    [InlineData("690000000", 0)] // 15 % above 600 000 000: within the tolerance
    [InlineData("691000000", 1)]
    public async Task MirrorGapToleranceIsFifteenPerCent(string imports, int expected)
    {
        await Import(TradeHeader,
            $"ARE,AGO,2008,FY,import,,,{imports},,https://example.org/dubai,Dubai customs,,exact,Dubai customs,",
            "AGO,ARE,2008,FY,export,,,600000000,,https://example.org/sodiam,SODIAM,,exact,national,");

        Assert.Equal(expected, (await Findings(FindingRule.MirrorGap)).Count);
    }

    [Fact]
    public async Task ValuationGapAgainstTheRegionalBenchmarkStatesTheRevenueLost()
    {
        await using (var scope = App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Analysis.Rates.LegalRateStore>().LoadBundledAsync(Cancel);
        // Comparable producers' export US$/ct in 2019: GAB 150, CMR 100, COD 10, COG 12 → median 56. CAR exports 1 000 ct at 20 US$/ct.
        await Import(ImportFiles.NationalHeader,
            "GAB,2019,FY,export,total,1000,150000,USD,https://a.example,A,,exact,",
            "CMR,2019,FY,export,total,1000,100000,USD,https://a.example,A,,exact,",
            "COD,2019,FY,export,total,1000,10000,USD,https://a.example,A,,exact,",
            "COG,2019,FY,export,total,1000,12000,USD,https://a.example,A,,exact,",
            "CAF,2019,FY,export,total,1000,20000,USD,https://a.example,A,,exact,");

        var finding = Assert.Single(await Findings(FindingRule.ValuationGap), f => f.CountryIso3 == "CAF");

        Assert.Equal((20m, 56m, -64.3m), (finding.Observed, finding.Expected, finding.GapPercent));
        // (56 − 20) US$/ct × 1 000 ct × 4 % (the CAR export tax rate in force in 2019, data/legal_rates.csv)
        Assert.Equal((1440m, 4m), (finding.RevenueLost!.Value, finding.RatePct!.Value));
        Assert.Contains("jewelbuzz", finding.RateSource);
    }

    [Fact]
    public async Task OvervaluationOfDrCongoExportsAgainstItsOwnProductionIn2011()
    {
        await using var app = new KimberliteApp();
        var findings = await app.WithDb(db => db.Findings.AsNoTracking().Where(f => f.Rule == FindingRule.Overvaluation && f.Key == "COD|2011|production").ToListAsync());

        var finding = Assert.Single(findings);
        Assert.True(finding.Observed > finding.Expected * 1.25m);
        Assert.Equal(2011, finding.Year);
    }

    [Theory]
    [InlineData("200", 1)]
    [InlineData("103", 0)]
    public async Task SuddenChangeComparesAYearWithTheMedianOfItsHistory(string value, int expected)
    {
        await Import(ImportFiles.NationalHeader,
            "GAB,2016,FY,production,total,100,,,https://a.example,A,,exact,",
            "GAB,2017,FY,production,total,102,,,https://a.example,A,,exact,",
            "GAB,2018,FY,production,total,98,,,https://a.example,A,,exact,",
            "GAB,2019,FY,production,total,101,,,https://a.example,A,,exact,",
            $"GAB,2020,FY,production,total,{value},,,https://a.example,A,,exact,");

        var findings = await Findings(FindingRule.SuddenChange);

        Assert.Equal(expected, findings.Count);
        if (expected == 1)
            Assert.Equal((2020, 200m, 100.5m), (findings[0].Year!.Value, findings[0].Observed, findings[0].Expected));
    }

    [Fact]
    public async Task SuddenChangeNeedsFourYearsOfHistory()
    {
        await Import(ImportFiles.NationalHeader,
            "GAB,2017,FY,production,total,100,,,https://a.example,A,,exact,",
            "GAB,2018,FY,production,total,102,,,https://a.example,A,,exact,",
            "GAB,2019,FY,production,total,98,,,https://a.example,A,,exact,",
            "GAB,2020,FY,production,total,900,,,https://a.example,A,,exact,");

        Assert.Empty(await Findings(FindingRule.SuddenChange));
    }

    [Fact]
    public async Task PartsThatExceedTheirTotalOrQuartersThatFallShortOfTheYearAreFound()
    {
        await Import(ImportFiles.NationalHeader,
            "CAF,2019,FY,production,total,100,,,https://a.example,Ministry,,exact,",
            "CAF,2019,FY,production,artisanal,60,,,https://a.example,Ministry,,exact,",
            "CAF,2019,FY,production,industrial,60,,,https://a.example,Ministry,,exact,",
            "CAF,2020,FY,export,total,100,,,https://a.example,Ministry,,exact,",
            "CAF,2020,Q1,export,total,20,,,https://a.example,Ministry,,exact,",
            "CAF,2020,Q2,export,total,20,,,https://a.example,Ministry,,exact,",
            "CAF,2020,Q3,export,total,20,,,https://a.example,Ministry,,exact,",
            "CAF,2020,Q4,export,total,20,,,https://a.example,Ministry,,exact,",
            "CAF,2021,FY,export,total,100,,,https://a.example,Ministry,,exact,",
            "CAF,2021,Q1,export,total,30,,,https://a.example,Ministry,,exact,");

        var findings = await Findings(FindingRule.PartsAndTotal);

        // 2021: one quarter of 30 is not the whole year, and does not exceed it: no finding.
        Assert.Equal([(2019, 120m, 100m), (2020, 80m, 100m)], findings.Select(f => (f.Year!.Value, f.Observed, f.Expected)).OrderBy(f => f.Item1));
    }

    [Fact]
    public async Task ReanalysisChangesNothingAndTheAnalystsDecisionSurvivesIt()
    {
        await Import(ImportFiles.NationalHeader,
            "COG,2003,FY,production,total,100,,,https://a.example,Ministry,,exact,",
            "COG,2003,FY,export,total,150,,,https://a.example,Ministry,,exact,");
        var finding = Assert.Single(await Findings(FindingRule.Balance));
        await using (var scope = App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<FindingsEngine>().DecideAsync(finding.Id, FindingStatus.Confirmed, "Vérifié avec le cadastre minier", "analyst", Cancel);

        var again = await Analyze();
        await Import(ImportFiles.ProductionHeader, "GAB,2020,1000,,,https://a.example,Someone,,exact,");
        var afterImport = await Analyze();

        Assert.Equal((0, 0, 0), (again.Raised, again.Changed, again.Resolved));
        var kept = Assert.Single(afterImport.Active, f => f.Rule == FindingRule.Balance);
        Assert.Equal((finding.Id, FindingStatus.Confirmed, "Vérifié avec le cadastre minier"), (kept.Id, kept.Status, kept.StatusNote));
    }

    [Fact]
    public async Task AFindingWhoseInputsChangeIsUpdatedWithItsHistoryAndOneThatNoLongerHoldsIsResolved()
    {
        await Import(ImportFiles.NationalHeader,
            "COG,2003,FY,production,total,100,,,https://a.example,Ministry,,exact,",
            "COG,2003,FY,export,total,150,,,https://a.example,Ministry,,exact,");
        var raised = Assert.Single(await Findings(FindingRule.Balance));

        // A Kimberley Process figure is preferred to the national one: production becomes 120, exports still beyond.
        await Import(ImportFiles.ProductionHeader, "COG,2003,120,,,https://kp.example,Kimberley Process,,exact,");
        var changed = Assert.Single(await Findings(FindingRule.Balance));
        // Then the Kimberley Process's exports, 110 ct, preferred to the national 150: within supply, the finding no longer holds.
        await Import(TradeHeader, "COG,WLD,2003,FY,export,,110,,,https://kp.example,Kimberley Process,,exact,KP,");
        await Analyze();

        Assert.Equal((raised.Id, 120m), (changed.Id, changed.Expected));
        var stored = await App.WithDb(db => db.Findings.AsNoTracking().Include(f => f.Events).SingleAsync(f => f.Id == raised.Id));
        Assert.True(stored.Resolved);
        Assert.Equal([FindingEventKind.Raised, FindingEventKind.InputsChanged, FindingEventKind.Resolved], stored.Events.OrderBy(e => e.Id).Select(e => e.Kind));
        Assert.Equal("150 vs 100", stored.Events.Single(e => e.Kind == FindingEventKind.InputsChanged).Before);
    }

    [Theory]
    [InlineData("fr", "République du Congo, 2003 : les exportations (150 ct) dépassent la production seule (100 ct) de +50,0")]
    [InlineData("en", "Republic of the Congo, 2003: exports (150 ct) exceed production alone (100 ct) by +50.0%")]
    [InlineData("pt", "República do Congo, 2003: as exportações (150 ct) excedem a produção sozinha (100 ct) em +50,0")]
    public async Task AFindingExplainsItselfInTheReadersLanguage(string language, string start)
    {
        await Import(ImportFiles.NationalHeader,
            "COG,2003,FY,production,total,100,,,https://a.example,Ministry,,exact,",
            "COG,2003,FY,export,total,150,,,https://a.example,Ministry,,exact,");
        await Analyze();
        var client = App.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);

        var findings = await client.GetFromJsonAsync<JsonElement>("/api/v1/findings?rule=balance", Cancel);

        Assert.StartsWith(start, Assert.Single(findings.EnumerateArray()).GetProperty("explanation").GetString()!.Replace('\u202F', ' ').Replace('\u00A0', ' '));
    }

    [Fact]
    public async Task TheFindingsApiFiltersAndAnswersInCsvOrWithAProblem()
    {
        await Import(ImportFiles.NationalHeader,
            "COG,2003,FY,production,total,100,,,https://a.example,Ministry,,exact,",
            "COG,2003,FY,export,total,150,,,https://a.example,Ministry,,exact,");
        await Analyze();
        var client = App.CreateClient();

        var csv = await client.GetStringAsync("/api/v1/findings?country=COG&severity=info&format=csv", Cancel); // 50 carats at stake: information
        var none = await client.GetFromJsonAsync<JsonElement>("/api/v1/findings?country=AGO", Cancel);
        var bad = await client.GetAsync("/api/v1/findings?rule=smuggling&year=20x3", Cancel);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors");

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,rule,key,country_iso3,", lines[0]);
        Assert.Contains(",balance,COG|2003|carats,COG,", Assert.Single(lines[1..]));
        Assert.Equal(0, none.GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("balance", errors.GetProperty("rule")[0].GetString());
        Assert.Contains("four digits", errors.GetProperty("year")[0].GetString());
    }

    [Fact]
    public async Task TheBundledDataGivesTheSameFindingsOnEveryAnalysis()
    {
        await using var app = new KimberliteApp();
        await using var scope = app.Services.CreateAsyncScope();
        var engine = scope.ServiceProvider.GetRequiredService<FindingsEngine>();

        var first = await engine.AnalyzeAsync(Cancel);
        var second = await engine.AnalyzeAsync(Cancel);

        Assert.NotEmpty(first.Active);
        Assert.Equal((0, 0, 0), (second.Raised, second.Changed, second.Resolved));
        Assert.Equal(first.Active.Select(f => (f.Rule, f.Key, f.InputsHash)), second.Active.Select(f => (f.Rule, f.Key, f.InputsHash)));
    }
}
