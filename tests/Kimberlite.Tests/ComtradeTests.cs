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
        $"C,{freq},{year}0101,{year},{month},{year},{CodeOf(reporter)},{reporter},,{flow},,{CodeOf(partner)},{partner},,0,W00,,H5,HS,True,{cmd},,6,True,C00,,0,0,,{(unit == "" ? "-1" : "13")},{unit},{qty},False,-1,,,False,0.1,False,,False,,,{value},0,True,{isAggregate}";

    /// <summary>Comtrade's number for a code, as a real file writes it beside the ISO3 code (empty for a code it does not know).</summary>
    private static string CodeOf(string iso3) =>
        M49.All.Values.FirstOrDefault(e => e.Key == iso3.ToUpperInvariant() || iso3 == "W00" && e.Code == 0) is { } entry ? $"{entry.Code}" : "";

    private Task<ImportResult> Import(params string[] rows) => ImportAs("comtrade.csv", rows);

    private async Task<ImportResult> ImportAs(string name, params string[] rows)
    {
        var path = ImportFiles.Write(ImportFiles.Csv(Header, rows), name);
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ComtradeImporter>().ImportAsync(path, Stated, Cancel);
    }

    /// <summary>What a user states on import: Comtrade is never named the publisher unless the user says so.</summary>
    public static readonly Provenance Stated = new(Publisher: ComtradeImporter.SuggestedPublisher);

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
            [(3, "cmdCode", "Import_NotRoughDiamonds"), (4, "reporterISO", "Comtrade_UnknownCountryCode"), (4, "qty", "Import_Number_Negative"), (5, "primaryValue", "Import_Number_Ambiguous")],
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
        Assert.Equal(ImportOutcome.Imported, (await scope.ServiceProvider.GetRequiredService<ComtradeImporter>().ImportAsync(path, Stated, Cancel)).Outcome);
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

    [Fact]
    public async Task ABlockOfTotalsDamagedInTheDatabaseLeavesOnlyItsDatasetOutOfTheAnalysis()
    {
        // Both files hold a mirror gap of half; the first file's totals are then damaged where they are stored.
        await Import(Row("AGO", "BEL", "X", "7102", "carat", "1000000", "150000000"), Row("BEL", "AGO", "M", "7102", "carat", "1500000", "150000000"));
        await Import(Row("GAB", "BEL", "X", "7102", "carat", "1000000", "150000000"), Row("BEL", "GAB", "M", "7102", "carat", "1500000", "150000000"));
        await App.WithDb(async db =>
        {
            var block = await db.TradeTotalsBlocks.OrderBy(b => b.DatasetId).FirstAsync(Cancel);
            var data = block.Data.ToArray();
            data[23] = 29; // the scale of its first total's carats: no decimal has 29 decimal places
            block.Data = data;
            return await db.SaveChangesAsync(Cancel);
        });
        await using var scope = App.Services.CreateAsyncScope();

        var summary = await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(Cancel);

        Assert.Equal((2, 0), (summary.Skipped, summary.FailedRules.Count));
        Assert.Equal(["comtrade|GAB|BEL|2020|carats"], summary.Active.Where(f => f.Rule == FindingRule.MirrorGap).Select(f => f.Key));
    }

    // ---- Every shape a user downloads (issue 13) ----

    /// <summary>
    /// One record of a Comtrade Plus download of HS 7102, its 47 columns from typeCode to isAggregate as the web page
    /// writes them (descriptions included unless <paramref name="described"/> is false, as the API leaves them).
    /// </summary>
    private static string[] Plus(int reporter, string reporterIso, string reporterDesc, string flow, int partner, string partnerIso, string partnerDesc,
        string cmd, decimal carats, decimal usd, int year = 2021, string mot = "0", string customs = "C00", int partner2 = 0, bool described = true)
    {
        var (motDesc, customsDesc) = (mot == "0" ? "TOTAL MOT" : "Air", customs == "C00" ? "TOTAL CPC" : "Inward processing");
        var isExport = flow == "X";
        var v = (decimal d) => d.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return
        [
            "C", "A", $"{year}0101", $"{year}", "52", $"{year}", $"{reporter}", described ? reporterIso : "", described ? reporterDesc : "", flow, described ? (isExport ? "Export" : "Import") : "",
            $"{partner}", described ? partnerIso : "", described ? partnerDesc : "", $"{partner2}", described ? (partner2 == 0 ? "W00" : "BEL") : "", described ? (partner2 == 0 ? "World" : "Belgium") : "",
            "H5", "HS", "True", cmd, described ? "Diamonds, whether or not worked, but not mounted or set" : "", cmd.Length == 4 ? "4" : "6", cmd.Length == 4 ? "False" : "True",
            customs, described ? customsDesc : "", "0", mot, described ? motDesc : "", "13", described ? "carat" : "", v(carats), "False", "8", described ? "kg" : "", v(carats / 5000m), "False",
            v(carats / 5000m), "False", "0", "False", isExport ? "" : v(usd), isExport ? v(usd) : "", v(usd), "0", "True", "True",
        ];
    }

    private static readonly string[] PlusHeader = Header.Split(',');

    /// <summary>As the Comtrade Plus web page saves a download: every field quoted, a trailing comma, CRLF, Windows-1252.</summary>
    private static byte[] WebDownload(IEnumerable<string[]> records) =>
        Statistics.Import.TextEncodings.Windows1252.GetBytes(string.Concat(new[] { PlusHeader }.Concat(records).Select(r => string.Concat(r.Select(f => $"\"{f}\","))+ "\r\n")));

    /// <summary>
    /// A realistic HS 7102 download of 2021: Angola's exports to Belgium and the United Arab Emirates and their
    /// mirror imports, India, Switzerland and France, the world and areas, every row with isAggregate=True as Comtrade
    /// writes them, and breakdowns beside their totals (mode of transport, customs procedure, second partner).
    /// Belgium declares half as many carats again as Angola says it sent: the one mirror gap it holds.
    /// </summary>
    private static List<string[]> Hs7102Download(int year = 2021, bool described = true) =>
    [
        Plus(24, "AGO", "Angola", "X", 56, "BEL", "Belgium", "7102", 1_000_000, 150_000_000, year, described: described),
        Plus(24, "AGO", "Angola", "X", 56, "BEL", "Belgium", "710210", 400_000, 50_000_000, year, described: described),
        Plus(24, "AGO", "Angola", "X", 56, "BEL", "Belgium", "710231", 600_000, 100_000_000, year, described: described),
        Plus(56, "BEL", "Belgium", "M", 24, "AGO", "Angola", "7102", 1_500_000, 155_000_000, year, described: described),
        Plus(56, "BEL", "Belgium", "M", 24, "AGO", "Angola", "710231", 1_500_000, 155_000_000, year, described: described),
        Plus(24, "AGO", "Angola", "X", 784, "ARE", "United Arab Emirates", "710231", 200_000, 30_000_000, year, described: described),
        // The same exports by mode of transport: counted again, they would double Angola's side and raise a false gap.
        Plus(24, "AGO", "Angola", "X", 784, "ARE", "United Arab Emirates", "710231", 200_000, 30_000_000, year, mot: "1000", described: described),
        Plus(784, "ARE", "United Arab Emirates", "M", 24, "AGO", "Angola", "710231", 205_000, 31_000_000, year, described: described),
        Plus(784, "ARE", "United Arab Emirates", "M", 24, "AGO", "Angola", "710231", 205_000, 31_000_000, year, customs: "C01", described: described),
        Plus(784, "ARE", "United Arab Emirates", "M", 24, "AGO", "Angola", "710231", 205_000, 31_000_000, year, partner2: 56, described: described),
        Plus(784, "ARE", "United Arab Emirates", "X", 699, "IND", "India", "710231", 49_000, 7_000_000, year, described: described),
        Plus(699, "IND", "India", "M", 784, "ARE", "United Arab Emirates", "710231", 50_000, 7_100_000, year, described: described),
        Plus(757, "CHE", "Switzerland", "M", 490, "S19", "Other Asia, nes", "710210", 1_000, 90_000, year, described: described),
        Plus(251, "FRA", "France", "M", 384, "CIV", "Côte d'Ivoire", "710210", 500, 40_000, year, described: described),
        Plus(24, "AGO", "Angola", "X", 0, "W00", "World", "7102", 1_200_000, 180_000_000, year, described: described),
        Plus(24, "AGO", "Angola", "X", 899, "_X", "Areas, nes", "7102", 5_000, 600_000, year, described: described),
        Plus(842, "USA", "USA", "M", 838, "_3", "Free Zones", "710210", 700, 80_000, year, described: described),
    ];

    private async Task<ImportResult> ImportBytes(byte[] content, string name, Provenance? provenance = null, bool checkOnly = false)
    {
        var path = ImportFiles.Write(content, name);
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ComtradeImporter>().ImportAsync(path, provenance ?? Stated, Cancel, checkOnly);
    }

    private async Task<List<string>> MirrorGaps()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(Cancel)).Active
            .Where(f => f.Rule == FindingRule.MirrorGap).Select(f => f.Key).Order().ToList();
    }

    [Fact]
    public async Task ARealComtradePlusDownloadWhereEveryRowSaysIsAggregateTrueRaisesTheMirrorGapItHolds()
    {
        var result = await ImportBytes(WebDownload(Hs7102Download()), "TradeData_2021.csv");

        Assert.Equal((ImportOutcome.Imported, 17, "Windows-1252"), (result.Outcome, result.RowsLoaded, result.Encoding));
        // Three breakdowns kept, not totalled: the report says so.
        Assert.Equal(("Comtrade_BreakdownsKept", "3"), (Assert.Single(result.Problems).Reason, result.Problems[0].Value!));
        var partners = await App.WithDb(db => db.TradeFlows.AsNoTracking().OrderBy(f => f.Line).Select(f => new { f.PartnerIso3, f.PartnerIsAggregate }).ToListAsync(Cancel));
        Assert.Equal(["S19", "CIV", "WLD", "_X", "838"], partners.Skip(12).Select(p => p.PartnerIso3));
        Assert.Equal([true, false, true, true, true], partners.Skip(12).Select(p => p.PartnerIsAggregate));
        Assert.DoesNotContain(partners.Take(12), p => p.PartnerIsAggregate);

        Assert.Equal(["comtrade|AGO|BEL|2021|carats"], await MirrorGaps());
    }

    [Fact]
    public async Task TheComtradePlusApiJsonLoadsRecordByRecordAsTheCsvDoes()
    {
        // Thirty years of the same download: more than the reader's buffer, so records straddle its refills.
        var records = Enumerable.Range(1995, 30).SelectMany(y => Hs7102Download(y)).ToList();
        var json = new System.Text.StringBuilder("{\"elapsedTime\":\"1.2 secs\",\"count\":").Append(records.Count).Append(",\"data\":[");
        for (var r = 0; r < records.Count; r++)
        {
            json.Append(r == 0 ? "{" : ",{");
            for (var c = 0; c < PlusHeader.Length; c++)
            {
                var value = records[r][c];
                var typed = value == "" ? "null" : value is "True" or "False" ? value.ToLowerInvariant()
                    : decimal.TryParse(value, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out _) && PlusHeader[c] is not ("cmdCode" or "customsCode" or "period") ? value
                    : System.Text.Json.JsonSerializer.Serialize(value);
                json.Append(c == 0 ? "" : ",").Append('"').Append(PlusHeader[c]).Append("\":").Append(typed);
            }
            json.Append('}');
        }
        json.Append("],\"error\":\"\"}");

        var result = await ImportBytes(System.Text.Encoding.UTF8.GetBytes(json.ToString()), "comtrade.json");

        Assert.Equal((ImportOutcome.Imported, records.Count), (result.Outcome, result.RowsLoaded));
        var stored = await App.WithDb(db => db.TradeFlows.AsNoTracking().Where(f => f.Year == 2021).OrderBy(f => f.Line)
            .Select(f => new { f.ReporterIso3, f.PartnerIso3, f.FlowCode, f.CommodityCode, f.Qty, f.QtyUnit, f.PrimaryValue }).ToListAsync(Cancel));
        Assert.Equal(17, stored.Count);
        Assert.Equal(("AGO", "BEL", "X", "7102", 1_000_000m, "carat", 150_000_000m), (stored[0].ReporterIso3, stored[0].PartnerIso3, stored[0].FlowCode, stored[0].CommodityCode, stored[0].Qty!.Value, stored[0].QtyUnit!, stored[0].PrimaryValue!.Value));
        Assert.Equal(Enumerable.Range(1995, 30).Select(y => $"comtrade|AGO|BEL|{y}|carats"), await MirrorGaps());
    }

    [Fact]
    public async Task AFileWithOnlyComtradesNumericCodesResolvesCountriesAndAreasThroughTheBundledM49Table()
    {
        var result = await ImportBytes(WebDownload(Hs7102Download(described: false)), "comtrade-codes.csv");

        Assert.Equal(ImportOutcome.Imported, result.Outcome);
        var places = await App.WithDb(db => db.TradeFlows.AsNoTracking().OrderBy(f => f.Line).Select(f => new { f.ReporterIso3, f.PartnerIso3, f.PartnerIsAggregate }).ToListAsync(Cancel));
        // 251 France, 699 India, 842 USA and 757 Switzerland are Comtrade's own numbers; 490, 899, 838 and 0 are areas.
        Assert.Equal(
            [("CHE", "S19", true), ("FRA", "CIV", false), ("AGO", "WLD", true), ("AGO", "_X", true), ("USA", "838", true)],
            places.Skip(12).Select(p => (p.ReporterIso3, p.PartnerIso3, p.PartnerIsAggregate)));
        Assert.Equal(("IND", "ARE"), (places[11].ReporterIso3, places[11].PartnerIso3));
        Assert.Equal(["comtrade|AGO|BEL|2021|carats"], await MirrorGaps());
    }

    [Theory]
    [InlineData(251, "FRA")]
    [InlineData(250, "FRA")]
    [InlineData(699, "IND")]
    [InlineData(842, "USA")]
    [InlineData(757, "CHE")]
    [InlineData(381, "ITA")]
    [InlineData(579, "NOR")]
    [InlineData(180, "COD")]
    [InlineData(810, "SUN")]
    public void ComtradesOwnCountryNumbersAreCountries(int code, string iso3)
    {
        var entry = M49.Find(code)!;
        Assert.Equal((iso3, false), (entry.Key, entry.IsAggregate));
    }

    [Theory]
    [InlineData(0, "WLD")]
    [InlineData(97, "EUU")]
    [InlineData(490, "S19")]
    [InlineData(899, "_X")]
    [InlineData(838, "838")]
    [InlineData(837, "837")]
    [InlineData(839, "839")]
    [InlineData(568, "568")]
    [InlineData(577, "577")]
    [InlineData(637, "637")]
    [InlineData(473, "473")]
    [InlineData(527, "527")]
    [InlineData(711, "711")]
    public void ComtradesAreasAndGroupsAreNeverPartnerCountries(int code, string key)
    {
        var entry = M49.Find(code)!;
        Assert.Equal((key, true), (entry.Key, entry.IsAggregate));
    }

    public const string LegacyHeader = "Classification,Year,Period,Period Desc.,Aggregate Level,Is Leaf Code,Trade Flow Code,Trade Flow,Reporter Code,Reporter,Reporter ISO,Partner Code,Partner,Partner ISO,2nd Partner Code,2nd Partner,2nd Partner ISO,Customs Proc. Code,Customs,Mode of Transport Code,Mode of Transport,Commodity Code,Commodity,Qty Unit Code,Qty Unit,Qty,Alt Qty Unit Code,Alt Qty Unit,Alt Qty,Netweight (kg),Gross weight (kg),Trade Value (US$),CIF Trade Value (US$),FOB Trade Value (US$),Flag";

    private static string Legacy(int flowCode, int reporter, string reporterName, string reporterIso, int partner, string partnerName, string partnerIso, string cmd, string qty, string value) =>
        $"HS,2012,2012,2012,{cmd.Length},{(cmd.Length == 6 ? 1 : 0)},{flowCode},{(flowCode == 1 ? "Import" : "Export")},{reporter},\"{reporterName}\",{reporterIso},{partner},\"{partnerName}\",{partnerIso},,,,,,,,{cmd},\"Diamonds, whether or not worked\",13,Weight in carats,{qty},,,,{qty}0,,{value},,,0";

    [Fact]
    public async Task ALegacyComtradeCsvLoadsWithItsNumberedFlowsAndUnitsInWords()
    {
        var result = await ImportBytes(ImportFiles.Csv(LegacyHeader,
            Legacy(2, 24, "Angola", "AGO", 56, "Belgium", "BEL", "710231", "1000000", "150000000"),
            Legacy(1, 56, "Belgium", "BEL", 24, "Angola", "AGO", "710231", "1500000", "152000000"),
            Legacy(2, 24, "Angola", "AGO", 0, "World", "WLD", "7102", "1200000", "180000000"),
            Legacy(1, 699, "India", "IND", 490, "Other Asia, nes", "", "710210", "100", "10000")), "comtrade-legacy.csv");

        Assert.Equal((ImportOutcome.Imported, 4, ""), (result.Outcome, result.RowsLoaded, string.Join("; ", result.Refusals)));
        var flows = await App.WithDb(db => db.TradeFlows.AsNoTracking().OrderBy(f => f.Line).ToListAsync(Cancel));
        Assert.Equal([("X", "BEL", false), ("M", "AGO", false), ("X", "WLD", true), ("M", "S19", true)], flows.Select(f => (f.FlowCode, f.PartnerIso3, f.PartnerIsAggregate)));
        Assert.Equal([1_000_000m, 1_500_000m, 1_200_000m, 100m], flows.Select(f => f.Carats!.Value));
        Assert.Equal(["comtrade|AGO|BEL|2012|carats"], await MirrorGaps());
    }

    [Theory]
    [InlineData("Your query is too complex. Please add more filters or choose fewer periods.\r\n", "too complex")]
    [InlineData("Too Many Requests", "Too Many Requests")]
    [InlineData("{ \"statusCode\": 429, \"message\": \"Rate limit is exceeded. Try again in 1 seconds.\" }", "429: Rate limit is exceeded")]
    [InlineData("{\"elapsedTime\":\"0.02 secs\",\"count\":0,\"data\":null,\"error\":\"Query too complex: the result exceeds 250000 records.\"}", "exceeds 250000 records")]
    [InlineData("{\"elapsedTime\":\"0.02 secs\",\"count\":0,\"data\":[],\"error\":\"Invalid period.\"}", "Invalid period")]
    public async Task AMessageSavedInPlaceOfDataIsReportedAsWhatItIs(string body, string shown)
    {
        var content = System.Text.Encoding.UTF8.GetBytes(body);
        Assert.True(ComtradeImporter.Recognises(content, "comtrade.csv"));

        var result = await ImportBytes(content, "comtrade.csv");

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("Comtrade_ErrorBody", problem.Reason);
        Assert.Contains(shown, problem.Value);
        Assert.Equal(0, await App.WithDb(db => db.Datasets.CountAsync(Cancel)));
    }

    [Fact]
    public async Task AnotherKindOfFileIsRefusedNamingTheColumnsFoundNotAsMissingColumns()
    {
        var result = await ImportBytes(ImportFiles.Csv(ImportFiles.ProductionHeader, CarProduction2012, CarProduction2022, CarProduction2012), "kp_production.csv");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(("Comtrade_UnknownLayout", ImportOutcome.Refused), (problem.Reason, result.Outcome));
        Assert.StartsWith("country_iso3, year, carats", problem.Value);
    }

    [Theory]
    [InlineData("comtrade.csv", true)]
    [InlineData("comtrade.json", true)]
    [InlineData("legacy.csv", true)]
    [InlineData("production.csv", false)]
    [InlineData("odk.json", false)]
    [InlineData("book.xlsx", false)]
    public void TheImportPageTellsAComtradeFileFromOthers(string name, bool expected)
    {
        var head = name switch
        {
            "comtrade.csv" => WebDownload(Hs7102Download()),
            "comtrade.json" => System.Text.Encoding.UTF8.GetBytes("{\"elapsedTime\":\"0.5 secs\",\"count\":1,\"data\":[{\"typeCode\":\"C\",\"reporterCode\":24,\"cmdCode\":\"7102\"}],\"error\":\"\"}"),
            "legacy.csv" => ImportFiles.Csv(LegacyHeader, Legacy(2, 24, "Angola", "AGO", 56, "Belgium", "BEL", "710231", "1", "1")),
            "production.csv" => ImportFiles.Csv(ImportFiles.ProductionHeader, CarProduction2012),
            "odk.json" => System.Text.Encoding.UTF8.GetBytes("{\"@odata.context\":\"x\",\"value\":[{\"__id\":\"uuid:1\",\"country\":\"CAF\"}]}"),
            _ => [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00],
        };
        Assert.Equal(expected, ComtradeImporter.Recognises(head, name));
    }

    [Fact]
    public async Task TheProblemCountIsTheTrueCountWhereOnlyTheFirstThousandAreListed()
    {
        var result = await Import(Enumerable.Range(0, 1500).Select(_ => Row("AGO", "BEL", "X", "7103", "carat", "1", "1")).ToArray());

        Assert.Equal((ImportOutcome.Refused, ComtradeImporter.MaxListedProblems, 1500), (result.Outcome, result.Problems.Count, result.ProblemCount!.Value));
    }

    [Fact]
    public async Task ACheckReadsAndReportsTheWholeFileAndKeepsNothing()
    {
        var content = WebDownload(Hs7102Download());
        var checkedResult = await ImportBytes(content, "TradeData.csv", new Provenance(), checkOnly: true);

        Assert.Equal((ImportOutcome.Checked, 17, ComtradeImporter.SuggestedPublisher), (checkedResult.Outcome, checkedResult.RowsRead, checkedResult.SuggestedPublisher!));
        Assert.Equal(0, await App.WithDb(db => db.Datasets.CountAsync(Cancel)));
        Assert.Equal(0, await App.WithDb(db => db.TradeFlows.CountAsync(Cancel)));

        var bad = await ImportBytes(ImportFiles.Csv(Header, Row("AGO", "BEL", "X", "7103", "carat", "1", "1")), "bad.csv", new Provenance(), checkOnly: true);
        Assert.Equal(("Import_NotRoughDiamonds", 1), (Assert.Single(bad.Problems).Reason, bad.ProblemCount!.Value));
    }

    [Fact]
    public async Task AComtradeImportWithoutAStatedPublisherIsRefusedAndOnlySuggestsOne()
    {
        var result = await ImportBytes(WebDownload(Hs7102Download()), "TradeData.csv", new Provenance());

        Assert.Equal((ImportOutcome.Refused, "Import_PublisherNotStated", ComtradeImporter.SuggestedPublisher), (result.Outcome, Assert.Single(result.Problems).Reason, result.SuggestedPublisher!));
        Assert.Equal(0, await App.WithDb(db => db.Datasets.CountAsync(Cancel)));

        var stated = await ImportBytes(WebDownload(Hs7102Download()), "TradeData.csv", new Provenance(Publisher: "Comtrade, via the coalition's analyst"));
        Assert.Equal(ImportOutcome.Imported, stated.Outcome);
        Assert.Equal("Comtrade, via the coalition's analyst", await App.WithDb(db => db.Datasets.Select(d => d.Publisher).SingleAsync(Cancel)));
    }

    [Fact]
    public async Task TotalsCountTheFilesTotalRowsNeverTheirBreakdownsNorNationalLinesBesideTheirSubheading()
    {
        string Broken(string mot, string customs, string partner2, string qty) =>
            $"C,A,20200101,2020,52,2020,24,AGO,,X,,56,BEL,,{partner2},,,H5,HS,True,710231,,6,True,{customs},,0,{mot},,13,carat,{qty},False,-1,,,False,0.1,False,,False,,,{qty},0,True,True";
        var result = await Import(
            Broken("0", "C00", "0", "1000"),
            Broken("1000", "C00", "0", "600"),
            Broken("2000", "C00", "0", "400"),
            Broken("0", "C01", "0", "1000"),
            Broken("0", "C00", "784", "1000"),
            Row("AGO", "BEL", "X", "71023100", "carat", "1000", "1000"));

        Assert.Equal(ImportOutcome.Imported, result.Outcome);
        Assert.Equal("4", Assert.Single(result.Problems, p => p.Reason == "Comtrade_BreakdownsKept").Value);
        var total = Assert.Single((await App.WithDb(db => db.TradeTotalsBlocks.AsNoTracking().SingleAsync(Cancel))).Totals());
        Assert.Equal((true, 1000m, 1000m), (total.Subheadings, total.Carats!.Value, total.Usd!.Value));
    }

    [Fact]
    public async Task ValuesBeyondAnyDecimalNeverCrashTheImportNorTheAnalysis()
    {
        const string Huge = "79228162514264337593543950335";
        var result = await Import(
            Row("AGO", "BEL", "X", "710231", "carat", Huge, Huge),
            Row("AGO", "BEL", "X", "710210", "carat", Huge, Huge),
            Row("BEL", "AGO", "M", "710231", "carat", "1000", "1000"));

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        Assert.Equal(["Import_Number_TooLarge"], result.Refusals.Select(p => p.Reason).Distinct());
        Assert.Equal(0, await App.WithDb(db => db.TradeFlows.CountAsync(Cancel)));
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(Cancel);
    }

    [Fact]
    public async Task EveryColumnOfTheBulkWrittenTablesIsWrittenSoNoEntityFieldCanBeDroppedSilently()
    {
        var (flows, figures, findings) = await App.WithDb(db => Task.FromResult((
            TradeFlowTables.Flows.For(db.Model).Columns.Select(c => c.Name).Order().ToList(),
            FigureTables.Figures.For(db.Model).Columns.Select(c => c.Name).Order().ToList(),
            FindingTables.Findings.For(db.Model).Columns.Select(c => c.Name).Order().ToList())));

        foreach (var (table, written) in new[] { ("TradeFlows", flows), ("Figures", figures), ("Findings", findings) })
        {
            var stored = await App.WithDb(db => Texts(db, TestDatabase.IsPostgres
                ? $"""SELECT column_name::text AS "Value" FROM information_schema.columns WHERE table_name = '{table}'"""
                : $"""SELECT name AS "Value" FROM pragma_table_info('{table}')"""));
            // Every column but the key the database numbers.
            Assert.Equal(stored.Where(c => c != "Id").Order(), written);
        }
    }
}
