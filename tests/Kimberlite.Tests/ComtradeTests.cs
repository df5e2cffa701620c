using Kimberlite.Analysis;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Comtrade;
using Kimberlite.Statistics.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>UN Comtrade bulk files of HS 7102, with the column names Comtrade publishes.</summary>
public sealed class ComtradeTests : EmptyAppTest
{
    public const string Header = "typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,reporterDesc,flowCode,flowDesc,partnerCode,partnerISO,partnerDesc,partner2Code,partner2ISO,partner2Desc,classificationCode,classificationSearchCode,isOriginalClassification,cmdCode,cmdDesc,aggrLevel,isLeaf,customsCode,customsDesc,mosCode,motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,altQtyUnitCode,altQtyUnitAbbr,altQty,isAltQtyEstimated,netWgt,isNetWgtEstimated,grossWgt,isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,legacyEstimationFlag,isReported,isAggregate";

    public static string Row(string reporter, string partner, string flow, string cmd, string unit, string qty, string value, int year = 2020, string isAggregate = "False", string month = "52", string freq = "A") =>
        $"C,{freq},{year}0101,{year},{month},{year},0,{reporter},,{flow},,0,{partner},,0,W00,,H5,HS,True,{cmd},,6,True,C00,,0,0,,13,{unit},{qty},False,-1,,,False,0.1,False,,False,,,{value},0,True,{isAggregate}";

    private Task<ImportResult> Import(params string[] rows) => ImportAs("comtrade.csv", rows);

    private async Task<ImportResult> ImportAs(string name, params string[] rows)
    {
        var path = ImportFiles.Write(ImportFiles.Csv(Header, rows), name);
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ComtradeImporter>().ImportAsync(path, new Provenance(), Cancel);
    }

    [Fact]
    public async Task AComtradeFileLoadsEveryRecordWithItsDatasetAndProvenance()
    {
        var result = await Import(
            Row("AGO", "BEL", "X", "710210", "carat", "1000000", "150000000"),
            Row("AGO", "W00", "X", "7102", "carat", "1200000", "180000000"),
            Row("BEL", "AGO", "M", "710210", "kg", "200", "151000000"));

        Assert.Equal((ImportOutcome.Imported, 3), (result.Outcome, result.RowsLoaded));
        var flows = await App.WithDb(db => db.TradeFlows.AsNoTracking().OrderBy(f => f.Line).ToListAsync());
        Assert.Equal([("AGO", "BEL", false, 1000000m), ("AGO", "WLD", true, 1200000m)], flows.Take(2).Select(f => (f.ReporterIso3, f.PartnerIso3, f.PartnerIsAggregate, f.Carats!.Value)));
        // A quantity in kilograms is kept with its unit, and never counted as carats.
        Assert.Equal(("kg", 200m, (decimal?)null), (flows[2].QtyUnit!, flows[2].Qty!.Value, flows[2].Carats));
        var dataset = await App.WithDb(db => db.Datasets.AsNoTracking().SingleAsync());
        Assert.Equal((StatisticsFormat.Comtrade, "United Nations Statistics Division (UN Comtrade)"), (dataset.Format, dataset.Publisher));
        // The fingerprint is computed while the rows are read: it must be the file's own.
        var file = ImportFiles.Write(ImportFiles.Csv(Header,
            Row("AGO", "BEL", "X", "710210", "carat", "1000000", "150000000"),
            Row("AGO", "W00", "X", "7102", "carat", "1200000", "180000000"),
            Row("BEL", "AGO", "M", "710210", "kg", "200", "151000000")), "same.csv");
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file))), dataset.Sha256);
    }

    [Fact]
    public async Task ABadComtradeFileIsRefusedWholeWithEveryProblem()
    {
        var result = await Import(
            Row("AGO", "BEL", "X", "710210", "carat", "1000000", "150000000"),
            Row("AGO", "BEL", "X", "7103", "carat", "10", "10"),
            Row("XXX", "BEL", "X", "7102", "carat", "-5", "10"),
            Row("AGO", "BEL", "X", "7102", "carat", "5", "\"1,234\""));

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        Assert.Equal(
            [(3, "cmdCode", "Import_NotRoughDiamonds"), (4, "reporterISO", "Import_UnknownCountryCode"), (4, "qty", "Import_Number_Negative"), (5, "primaryValue", "Import_Number_Ambiguous")],
            result.Refusals.Select(p => (p.Line, p.Column, p.Reason)));
        Assert.Equal(0, await App.WithDb(db => db.TradeFlows.CountAsync()));
        Assert.Equal(0, await App.WithDb(db => db.Datasets.CountAsync()));
    }

    [Fact]
    public async Task AnImportKeepsTheYearlyTotalsOfEachFlowBetweenCountriesWithItsExactDecimals()
    {
        var result = await Import(
            Row("AGO", "BEL", "X", "710210", "carat", "1000.25", "150000.10"),
            Row("AGO", "BEL", "X", "710231", "carat", "0.5", "99.90"),
            Row("AGO", "BEL", "X", "7102", "carat", "1000.75", "150100"),
            Row("AGO", "ARE", "X", "710210", "kg", "2", "10"),
            Row("AGO", "W00", "X", "7102", "carat", "5", "5"),
            Row("AGO", "BEL", "X", "710210", "carat", "7", "7", month: "3", freq: "M"));

        Assert.Equal(ImportOutcome.Imported, result.Outcome);
        var block = Assert.Single(await App.WithDb(db => db.TradeTotalsBlocks.AsNoTracking().ToListAsync()));
        var totals = block.Totals().OrderBy(t => t.Key.Partner).ThenBy(t => t.Subheadings).ToList();
        // The monthly record is not totalled; the world is, as a partner of its own; subheadings and heading
        // are totalled apart; kilograms never make carats.
        Assert.Equal(
            [("AGO", "ARE", 'X', 2020, true, (decimal?)null, (decimal?)10m), ("AGO", "BEL", 'X', 2020, false, 1000.75m, 150100m),
             ("AGO", "BEL", 'X', 2020, true, 1000.75m, 150100.00m), ("AGO", "WLD", 'X', 2020, false, 5m, 5m)],
            totals.Select(t => (t.Key.Reporter, t.Key.Partner, t.Key.Flow, t.Key.Year, t.Subheadings, t.Carats, t.Usd)));
        // Exactly, to the last decimal place written: 150 000.10 + 99.90 keeps its two places.
        Assert.Equal("150100.00", totals[2].Usd!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((result.DatasetId!.Value, 4), (block.DatasetId, block.Count));
        var flows = await App.WithDb(db => db.TradeFlows.AsNoTracking().OrderBy(f => f.Line).Select(f => f.PrimaryValue).ToListAsync());
        Assert.Equal([150000.10m, 99.90m, 150100m, 10m, 5m, 7m], flows);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0.0")]
    [InlineData("1")]
    [InlineData("10")]
    [InlineData("100.00")]
    [InlineData("0.05")]
    [InlineData("-0.05")]
    [InlineData("1234.5000")]
    [InlineData("-7")]
    [InlineData("0.0000000000000000000000000001")]
    [InlineData("123456789012345678901")]
    [InlineData("79228162514264337593543950335")]
    [InlineData("-79228162514264337593543950335")]
    [InlineData("7922816251426433759354395.0335")]
    public void DecimalsAreStoredInSqliteExactlyAsEntityFrameworkStoresThem(string text)
    {
        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var written = new byte[64];
        var length = Infrastructure.Data.SqliteBulkWriter.DecimalText(value, written);
        Assert.Equal(value.ToString("0.0###########################", System.Globalization.CultureInfo.InvariantCulture), System.Text.Encoding.UTF8.GetString(written, 0, length));
    }

    [Fact]
    public async Task TheSameComtradeFileTwiceIsStoredOnce()
    {
        string[] rows = [Row("AGO", "BEL", "X", "710210", "carat", "1000000", "150000000")];
        var first = await Import(rows);
        var second = await Import(rows);
        // Under another name, the file is recognised only once read: its rows are rolled back.
        var renamed = await ImportAs("renamed.csv", rows);

        Assert.Equal((ImportOutcome.Imported, ImportOutcome.AlreadyImported, ImportOutcome.AlreadyImported), (first.Outcome, second.Outcome, renamed.Outcome));
        Assert.Equal((first.DatasetId, first.DatasetId), (second.DatasetId, renamed.DatasetId));
        Assert.Equal(1, await App.WithDb(db => db.TradeFlows.CountAsync()));
        Assert.Equal(1, await App.WithDb(db => db.TradeTotalsBlocks.CountAsync()));
        Assert.Equal(1, await App.WithDb(db => db.Datasets.CountAsync()));
    }

    [Fact]
    public async Task ANewFileUnderAnOldNameIsImportedWhole()
    {
        await Import(Row("AGO", "BEL", "X", "710210", "carat", "1000000", "150000000"));
        var revised = await Import(Row("AGO", "BEL", "X", "710210", "carat", "1000000", "150000000"), Row("BEL", "AGO", "M", "710210", "carat", "990000", "151000000"));

        Assert.Equal((ImportOutcome.Imported, 2), (revised.Outcome, revised.RowsLoaded));
        Assert.Equal(3, await App.WithDb(db => db.TradeFlows.CountAsync()));
        Assert.Equal(2, await App.WithDb(db => db.Datasets.Select(d => d.Sha256).Distinct().CountAsync(h => !h.StartsWith("pending"))));
    }

    [Theory]
    [InlineData("AGO", "BEL", 'X', 2020)]
    [InlineData("ZWE", "ARE", 'M', 1900)]
    [InlineData("B", "CH", 'X', 2155)]
    public void ATradeKeyGivesBackItsCodesAndMirrorsTheFlow(string reporter, string partner, char flow, int year)
    {
        var key = TradeKey.Of(reporter, partner, flow, year);
        Assert.Equal((reporter, partner, flow, year), (key.Reporter, key.Partner, key.Flow, key.Year));
        Assert.Equal(TradeKey.Of(partner, reporter, 'M', year), key.Mirror('M'));
        Assert.Equal(key, TradeKey.FromUInt64(key.ToUInt64()));
    }

    [Fact]
    public void TotalsArePackedInBlocksOfAHundredThousandAndReadBackExactly()
    {
        decimal?[] values = [null, 0m, -7.5m, 0.0000000000000000000000000001m, 79228162514264337593543950335m, -79228162514264337593543950335m, 1234.5000m];
        var countries = CountryCodes.All.ToList();
        var totals = Enumerable.Range(0, 2 * TradeTotalsBlock.MaxTotals + 3)
            .Select(i => new TradeTotalRow(TradeKey.Of(countries[i % 200], "BEL", i % 2 == 0 ? 'X' : 'M', 1900 + i % 256), 7, i % 3 == 0,
                values[i % values.Length], values[(i + 3) % values.Length]))
            .ToList();

        var blocks = TradeTotalsBlock.Pack(7, totals.Count, totals).ToList();

        Assert.Equal([TradeTotalsBlock.MaxTotals, TradeTotalsBlock.MaxTotals, 3], blocks.Select(b => b.Count));
        Assert.Equal([0, 1, 2], blocks.Select(b => b.Part));
        var read = blocks.SelectMany(b => b.Totals()).ToList();
        Assert.Equal(totals, read);
        // Same value and same scale: 1234.5000 stays written with its four places.
        Assert.Equal("1234.5000", read[6].Carats!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Throws<ArgumentException>(() => TradeTotalsBlock.Pack(7, 2, totals.Take(3)).ToList());
        Assert.Throws<ArgumentException>(() => TradeTotalsBlock.Pack(7, 4, totals.Take(3)).ToList());
        Assert.Equal(0, Assert.Single(TradeTotalsBlock.Pack(7, 0, [])).Count);
    }

    [Theory]
    [InlineData("ANGOLA", "BEL", 2020)]
    [InlineData("AGO", "", 2020)]
    [InlineData("AGO", "BÉL", 2020)]
    [InlineData("AGO", "BEL", 1899)]
    [InlineData("AGO", "BEL", 2156)]
    public void WhatCannotBeAYearlyFlowBetweenTwoCountriesIsNoTradeKey(string reporter, string partner, int year) =>
        Assert.False(TradeKey.TryOf(reporter, partner, 'X', year, out _));

    [Fact]
    public async Task MirrorGapOnComtradeCountsSubheadingsOnceAndNeverTheWorldAsAPartner()
    {
        await Import(
            // AGO declares 1 000 000 ct to BEL: the heading 7102 repeats its two subheadings and must not be added to them.
            Row("AGO", "BEL", "X", "7102", "carat", "1000000", "150000000"),
            Row("AGO", "BEL", "X", "710210", "carat", "600000", "90000000"),
            Row("AGO", "BEL", "X", "710231", "carat", "400000", "60000000"),
            Row("BEL", "AGO", "M", "7102", "carat", "1500000", "160000000"),
            // The world is never a partner country: no mirror for these.
            Row("AGO", "W00", "X", "7102", "carat", "9000000", "1000000000"),
            Row("BEL", "_X", "M", "7102", "carat", "5", "10", isAggregate: "True"));
        await using var scope = App.Services.CreateAsyncScope();

        var findings = (await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(Cancel)).Active
            .Where(f => f.Rule == FindingRule.MirrorGap).OrderBy(f => f.Measure).ToList();

        // Carats: 1 500 000 declared by BEL against 1 000 000 by AGO (+50 %); US$ 160 M against 150 M (+6.7 %) is within 15 %.
        var finding = Assert.Single(findings);
        Assert.Equal(("AGO", "BEL", "carats", 1500000m, 1000000m, 50m), (finding.CountryIso3, finding.PartnerIso3!, finding.Measure, finding.Observed, finding.Expected, finding.GapPercent));
    }

    [Theory]
    [InlineData("1150000", 0)]         // exactly 15 % above 1 000 000 ct: within the tolerance
    [InlineData("1150000.0001", 1)]    // the smallest step beyond it that a decimal of the file can say
    [InlineData("850000", 0)]          // exactly 15 % below
    [InlineData("849999.9999", 1)]
    public async Task AComtradeMirrorGapIsRaisedOnlyBeyondTheToleranceCountedExactly(string imported, int expected)
    {
        await Import(
            Row("AGO", "BEL", "X", "710210", "carat", "1000000", "150000000"),
            Row("BEL", "AGO", "M", "710210", "carat", imported, "150000000"));
        await using var scope = App.Services.CreateAsyncScope();

        var findings = (await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(Cancel)).Active;

        Assert.Equal(expected, findings.Count(f => f.Rule == FindingRule.MirrorGap && f.Measure == "carats"));
    }

    // kp_production.csv, as bundled: the Kimberley Process production of the Central African Republic in 2012.
    private const string CarProduction2012 = "CAF,2012,365916,62000000,,https://en.israelidiamond.co.il/wikidiamond/diamond-industry-history/diamonds-central-african-republic/,Israel Diamond Institute wiki (citing KP),\"CAR produced 365,916 carats of rough diamonds valued at $62 million in 2012\",exact carats / rounded value,";

    // The same file, 2022: a second year, so the finding page has a trend to draw.
    private const string CarProduction2022 = "CAF,2022,118044,,,https://www.visualcapitalist.com/cp/world-diamond-mining-by-country/,Visual Capitalist (KP data + estimates by Dr Ashok Damarupurshad),\"118,044 carats\",exact as published,Visual Capitalist table (KP-based)";

    private async Task ImportProduction(params string[] rows)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var content = ImportFiles.Csv("country_iso3,year,carats,usd,usd_per_carat_published,source,source_publisher,as_published,precision,notes", rows);
        Assert.Equal(ImportOutcome.Imported, (await scope.ServiceProvider.GetRequiredService<StatisticsImporter>()
            .ImportAsync(content, "kp_production.csv", new Provenance(), cancellationToken: Cancel)).Outcome);
    }

    [Theory]
    [InlineData("113507.6", 0)]    // exports 413 507.6 ct = (365 916 produced + 10 000 imported) × 1.10: within the 10 % left for stocks
    [InlineData("113507.61", 1)]   // a hundredth of a carat beyond
    public async Task AComtradeBalanceSetsDeclaredExportsAgainstProductionPlusDeclaredImports(string toEmirates, int expected)
    {
        await ImportProduction(CarProduction2012, CarProduction2022);
        await Import(
            Row("CAF", "BEL", "X", "710210", "carat", "300000", "40000000", year: 2012),
            Row("CAF", "ARE", "X", "710231", "carat", toEmirates, "15000000", year: 2012),
            Row("CAF", "COD", "M", "710210", "carat", "10000", "1000000", year: 2012),
            // An area is never a partner country, and without the world's total it is not counted at all.
            Row("CAF", "_X", "X", "7102", "carat", "9000000", "1000000000", year: 2012, isAggregate: "True"));
        await using var scope = App.Services.CreateAsyncScope();

        var balances = (await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(Cancel)).Active
            .Where(f => f.Rule == FindingRule.Balance).ToList();

        Assert.Equal(expected, balances.Count);
        if (expected == 0)
            return;
        var finding = balances[0];
        Assert.Equal(("comtrade|CAF|2012|carats", "CAF", 413507.61m, 375916m), (finding.Key, finding.CountryIso3, finding.Observed, finding.Expected));
        Assert.Equal(
            [("exports", 413507.61m, "UN Comtrade"), ("production", 365916m, "Israel Diamond Institute wiki (citing KP)"), ("imports", 10000m, "UN Comtrade")],
            FindingTexts.Inputs(finding).Select(i => (i.Role, i.Value, i.Publisher!)));

        // Its page says what it compared, and that its chart draws the statistics files' figures, not Comtrade's.
        var page = System.Net.WebUtility.HtmlDecode(await App.CreateClient().GetStringAsync($"/findings/{finding.Id}?culture=en", Cancel));
        // Sentences round to whole carats.
        Assert.Contains("Central African Republic, 2012: exports (413,508 ct) exceed production plus imports (375,916 ct)", page);
        Assert.Contains("Production and exports, ct, by year", page);
        Assert.Contains("the UN Comtrade values compared are in the table below", page);
    }

    [Fact]
    public async Task AComtradeBalanceTakesTheWorldsTotalWhereTheFileGivesOneWithTheAreasNotSpecified()
    {
        await ImportProduction(CarProduction2012);
        await Import(
            Row("CAF", "BEL", "X", "710210", "carat", "480000", "60000000", year: 2012),
            Row("CAF", "W00", "X", "7102", "carat", "480000", "60000000", year: 2012),
            Row("CAF", "COD", "M", "710210", "carat", "10000", "1000000", year: 2012),
            Row("CAF", "_X", "M", "710210", "carat", "100000", "9000000", year: 2012, isAggregate: "True"),
            Row("CAF", "W00", "M", "7102", "carat", "110000", "10000000", year: 2012));
        await using var scope = App.Services.CreateAsyncScope();

        var findings = (await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(Cancel)).Active;

        // 480 000 exported against (365 916 produced + 110 000 imported from the world) × 1.10 = 523 507.6: no finding.
        // With the partner countries alone (10 000 from COD), 413 507.6 would have been exceeded.
        Assert.DoesNotContain(findings, f => f.Rule == FindingRule.Balance);
    }

    [Fact]
    public async Task AComtradeYearWithImportsNotCountedInCaratsIsNoBalance()
    {
        await ImportProduction(CarProduction2012);
        await Import(
            Row("CAF", "BEL", "X", "710210", "carat", "9000000", "40000000", year: 2012),
            Row("CAF", "COD", "M", "710210", "kg", "10", "1000000", year: 2012));
        await using var scope = App.Services.CreateAsyncScope();

        var findings = (await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(Cancel)).Active;

        // 9 million carats exported against 365 916 produced, but the imports' weight in carats is unknown.
        Assert.DoesNotContain(findings, f => f.Rule == FindingRule.Balance);
    }

    [Fact]
    public async Task EveryAnomalyPlantedByTheBenchmarkGeneratorIsFoundAndNothingElse()
    {
        var generator = new Kimberlite.Bench.ComtradeGenerator(reporters: 20, partnersPerReporter: 6, firstYear: 2000, years: 5, seed: 11, plantedShare: 0.05);
        var folder = ImportFiles.NewFolder();
        var (path, productionPath) = (Path.Combine(folder, "generated.csv"), Path.Combine(folder, "production.csv"));
        var plantedGaps = generator.Write(path, CountryCodes.All.ToList());
        var plantedBalances = generator.WriteProduction(productionPath, CountryCodes.All.ToList());
        await using var scope = App.Services.CreateAsyncScope();
        Assert.Equal(ImportOutcome.Imported, (await scope.ServiceProvider.GetRequiredService<ComtradeImporter>().ImportAsync(path, new Provenance(), Cancel)).Outcome);
        Assert.Equal(ImportOutcome.Imported, (await scope.ServiceProvider.GetRequiredService<StatisticsImporter>()
            .ImportAsync(await File.ReadAllBytesAsync(productionPath, Cancel), "production.csv", new Provenance(), cancellationToken: Cancel)).Outcome);

        var findings = (await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(Cancel)).Active;

        // Two producers, each with one year of five planted; the production drops then, a sudden change too.
        Assert.NotEmpty(plantedGaps);
        Assert.Equal(2, plantedBalances.Count);
        Assert.Equal(
            plantedGaps.Select(p => $"comtrade|{p.Exporter}|{p.Importer}|{p.Year}|carats").Order(),
            findings.Where(f => f.Rule == FindingRule.MirrorGap).Select(f => f.Key).Order());
        Assert.Equal(
            plantedBalances.Select(p => $"comtrade|{p.Country}|{p.Year}|carats").Order(),
            findings.Where(f => f.Rule == FindingRule.Balance).Select(f => f.Key).Order());
        Assert.All(findings, f => Assert.Contains(f.Rule, new[] { FindingRule.MirrorGap, FindingRule.Balance, FindingRule.SuddenChange }));
        Assert.All(findings.Where(f => f.Rule == FindingRule.SuddenChange), f => Assert.Contains((f.CountryIso3, f.Year!.Value), plantedBalances));
    }

    [Fact]
    public async Task RecordsOfManyBatchesWithRunsOfTheSameCodesAreStoredAsTheFileWroteThem()
    {
        // Many batches of the bulk writer (4,096 rows; a few of them reused in turn), in runs of the same codes as bulk
        // files come, with an empty unit now and then: a repeated code is written once per batch and later cells point at it.
        var reporters = new[] { "AGO", "BEL", "CAF" };
        var expected = Enumerable.Range(0, 30_000).Select(i => (
            Reporter: reporters[i / 5000 % 3], Partner: i / 7 % 2 == 0 ? "ARE" : "BEL", Flow: i / 1500 % 2 == 0 ? "X" : "M",
            Cmd: i / 500 % 2 == 0 ? "710210" : "710221", Unit: i % 997 == 0 ? null : i / 2000 % 2 == 0 ? "carat" : "kg", Qty: i + 0.5m)).ToList();

        var result = await Import(expected.Select(e => Row(e.Reporter, e.Partner, e.Flow, e.Cmd, e.Unit ?? "", e.Qty.ToString(System.Globalization.CultureInfo.InvariantCulture), "1")).ToArray());

        Assert.Equal((ImportOutcome.Imported, 30_000), (result.Outcome, result.RowsLoaded));
        var stored = await App.WithDb(db => db.TradeFlows.AsNoTracking().OrderBy(f => f.Line)
            .Select(f => new { f.ReporterIso3, f.PartnerIso3, f.FlowCode, f.CommodityCode, f.QtyUnit, f.Qty }).ToListAsync(Cancel));
        Assert.Equal(expected, stored.Select(f => (f.ReporterIso3, f.PartnerIso3, f.FlowCode, f.CommodityCode, f.QtyUnit, f.Qty!.Value)));
    }

    [Fact]
    public async Task TradeRecordsKeepNoCaratsOfTheirOwnAndTheWayBackPutsThemBack()
    {
        await Import(Row("AGO", "BEL", "X", "710210", "CT", "1000000.25", "150000000"), Row("BEL", "AGO", "M", "710210", "kg", "200", "151000000"),
            Row("AGO", "ARE", "X", "710210", "carat", "5", "1"), Row("AGO", "CHE", "X", "710210", "Carats", "6", "1"), Row("AGO", "ISR", "X", "710210", "crt", "7", "1"));
        // Carats are read from quantity and unit: a column of their own would repeat the quantity on millions of rows,
        // and an index on the dataset would cost a tenth of every bulk import (docs/decisions/013-lean-trade-records.md).
        Assert.Empty(await App.WithDb(Indexes));
        Assert.DoesNotContain("Carats", await App.WithDb(Columns));

        await App.WithDb(async db =>
        {
            await db.GetInfrastructure().GetRequiredService<IMigrator>().MigrateAsync("TradeTotalsBlocks", Cancel);
            return 0;
        });
        var (carats, indexes) = await App.WithDb(async db => (await Texts(db, """SELECT CAST("Carats" AS TEXT) AS "Value" FROM "TradeFlows" ORDER BY "Line" """), await Indexes(db)));
        await App.WithDb(async db =>
        {
            await db.Database.MigrateAsync(Cancel);
            return 0;
        });

        Assert.Equal([1000000.25m, null, 5m, 6m, 7m], carats.Select(c => c is null ? (decimal?)null : decimal.Parse(c, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["DatasetId"], indexes);
        Assert.Empty(await App.WithDb(Indexes));
        Assert.Empty(await App.WithDb(db => db.Database.GetPendingMigrationsAsync(Cancel)));
        var flows = await App.WithDb(db => db.TradeFlows.AsNoTracking().OrderBy(f => f.Line).ToListAsync(Cancel));
        Assert.Equal([1000000.25m, null, 5m, 6m, 7m], flows.Select(f => f.Carats));
    }

    /// <summary>The trade records' indexes other than their primary key, each as its columns.</summary>
    private static Task<List<string?>> Indexes(KimberliteDb db) => Texts(db, TestDatabase.IsPostgres
        ? """SELECT string_agg(a.attname, ',') AS "Value" FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = '"TradeFlows"'::regclass AND NOT i.indisprimary GROUP BY i.indexrelid"""
        : """SELECT group_concat(c.name) AS "Value" FROM pragma_index_list('TradeFlows') l, pragma_index_info(l.name) c GROUP BY l.name""");

    private static Task<List<string?>> Columns(KimberliteDb db) => Texts(db, TestDatabase.IsPostgres
        ? """SELECT column_name::text AS "Value" FROM information_schema.columns WHERE table_name = 'TradeFlows'"""
        : """SELECT name AS "Value" FROM pragma_table_info('TradeFlows')""");

    /// <summary>The first column of what a query returns, named "Value" as EF Core reads it.</summary>
    private static Task<List<string?>> Texts(KimberliteDb db, string sql) => db.Database.SqlQueryRaw<string?>(sql).ToListAsync(Cancel);

    [Fact]
    public async Task TotalsThatAnOlderVersionKeptElsewhereAreMadeAgainFromTheRecordsAtStart()
    {
        await Import(Row("AGO", "BEL", "X", "7102", "carat", "1000000", "150000000"), Row("BEL", "AGO", "M", "7102", "carat", "1500000", "150000000"),
            Row("AGO", "W00", "X", "710210", "carat", "1000000.5", "150000000"), Row("BEL", "AGO", "M", "7102", "kg", "1", "2", month: "3", freq: "M"));
        var imported = (await App.WithDb(db => db.TradeTotalsBlocks.AsNoTracking().SingleAsync())).Totals().ToList();
        // As the migration to blocks leaves a database that had Comtrade data: records, no totals.
        await App.WithDb(db => db.TradeTotalsBlocks.ExecuteDeleteAsync());
        await using var scope = App.Services.CreateAsyncScope();

        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(Cancel);
        var findings = (await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(Cancel)).Active;

        var made = (await App.WithDb(db => db.TradeTotalsBlocks.AsNoTracking().SingleAsync())).Totals().ToList();
        Assert.Equal(imported.OrderBy(t => t.Key.ToUInt64()).ThenBy(t => t.Subheadings), made.OrderBy(t => t.Key.ToUInt64()).ThenBy(t => t.Subheadings));
        Assert.Equal(3, made.Count);
        Assert.Equal("comtrade|AGO|BEL|2020|carats", Assert.Single(findings, f => f.Rule == FindingRule.MirrorGap).Key);
    }

    [Fact]
    public async Task ANewerFileOfTheSameFlowReplacesTheOlderInTheAnalysisInsteadOfAddingToIt()
    {
        // The first file has a gap of half; the corrected second file, imported later, has none.
        await Import(Row("AGO", "BEL", "X", "7102", "carat", "1000000", "150000000"), Row("BEL", "AGO", "M", "7102", "carat", "1500000", "150000000"));
        await Import(Row("AGO", "BEL", "X", "7102", "carat", "1000000", "150000000"), Row("BEL", "AGO", "M", "7102", "carat", "1010000", "150000000"), Row("GAB", "BEL", "X", "7102", "carat", "1", "1"));
        await using var scope = App.Services.CreateAsyncScope();

        var findings = (await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(Cancel)).Active;

        Assert.DoesNotContain(findings, f => f.Rule == FindingRule.MirrorGap);
    }
}
