using Kimberlite.Statistics;
using Kimberlite.Statistics.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

public sealed class StatisticsImporterTests : EmptyAppTest
{

    // Real rows of data/kp_production.csv, lines 163 and 199.
    private const string Cod2022 = "COD,2022,9908997.66,64959638.25,,https://howafrica.com/discovering-africas-top-10-diamond-producers/,HowAfrica (citing KP; same figures in mwebantu.news),\"9,908,997.66 | $64,959,638.25\",exact,";
    private const string Cod2022Sputnik = "COD,2022,9900000,,,https://en.sputniknews.africa/20231105/which-countries-lead-diamond-production-in-world--africa-1063330799.html,Sputnik Africa (RIA calculation from KP data),9.9 million carats,rounded,";

    private async Task<ImportResult> Import(byte[] content, string name = "test.csv", Provenance? provenance = null)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StatisticsImporter>()
            .ImportAsync(content, name, provenance ?? new Provenance("Test file", "Test publisher", "https://example.org/file.csv", new DateOnly(2026, 11, 1)),
                cancellationToken: TestContext.Current.CancellationToken);
    }

    private async Task<List<Figure>> Figures() =>
        await App.WithDb(db => db.Figures.AsNoTracking().OrderBy(f => f.Line).ToListAsync());

    [Fact]
    public async Task AGoodFileLoadsWithItsProvenanceAndEveryFigureKeepsItsSource()
    {
        var result = await Import(ImportFiles.Csv(ImportFiles.ProductionHeader, Cod2022, Cod2022Sputnik));

        Assert.Equal(ImportOutcome.Imported, result.Outcome);
        Assert.Equal(StatisticsFormat.KpProduction, result.Format);
        Assert.Equal(2, result.RowsLoaded);
        var dataset = await App.WithDb(db => db.Datasets.AsNoTracking().SingleAsync());
        Assert.Equal(("Test file", "Test publisher", "https://example.org/file.csv", new DateOnly(2026, 11, 1)),
            (dataset.Title, dataset.Publisher, dataset.Address, dataset.RetrievedOn));
        Assert.Equal(64, dataset.Sha256.Length);
        var figures = await Figures();
        Assert.Equal([9908997.66m, 9900000m], figures.Select(f => f.Carats));
        Assert.Equal(64959638.25m, figures[0].Value);
        Assert.Equal("USD", figures[0].Currency);
        Assert.Equal("9,908,997.66 | $64,959,638.25", figures[0].AsPublished);
        Assert.Equal("HowAfrica (citing KP; same figures in mwebantu.news)", figures[0].SourcePublisher);
        Assert.Equal(SourceKind.KimberleyProcess, figures[0].SourceKind);
        Assert.Equal(2, figures[0].Line);
    }

    [Fact]
    public async Task AnEmptyCellIsStoredAsNotPublishedNeverAsZero()
    {
        await Import(ImportFiles.Csv(ImportFiles.ProductionHeader, Cod2022Sputnik));

        var figure = Assert.Single(await Figures());
        Assert.Null(figure.Value);
        Assert.Null(figure.Currency);
        Assert.Null(figure.UsdPerCaratPublished);
    }

    [Fact]
    public async Task AFileWithBadRowsIsRefusedWholeAndEveryBadRowIsListed()
    {
        var content = ImportFiles.Csv(ImportFiles.ProductionHeader,
            Cod2022,
            "COD,2021,-14,,,https://example.org,Somebody,,exact,",
            "XXX,2021,100,,,https://example.org,Somebody,,exact,",
            "CAF,2021,\"1,234\",\"5 millions et demi\",,https://example.org,Somebody,,exact,",
            "AGO,,100,200,,https://example.org,Somebody,,exact,",
            Cod2022Sputnik);

        var result = await Import(content);

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        Assert.Equal(
            [
                (3, "carats", "-14", "Import_Number_Negative"),
                (4, "country_iso3", "XXX", "Import_UnknownCountryCode"),
                (5, "carats", "1,234", "Import_Number_Ambiguous"),
                (5, "usd", "5 millions et demi", "Import_Number_NotANumber"),
                (6, "year", null, "Import_Required"),
            ],
            result.Refusals.Select(p => (p.Line, p.Column, p.Value, p.Reason)));
        Assert.Empty(await Figures());
        Assert.Equal(0, await App.WithDb(db => db.Datasets.CountAsync()));
    }

    [Fact]
    public async Task ImportingTheSameFileAgainChangesNothingAndSaysSo()
    {
        var content = ImportFiles.Csv(ImportFiles.ProductionHeader, Cod2022);
        var first = await Import(content);
        var second = await Import(content, "renamed-copy.csv");

        Assert.Equal(ImportOutcome.Imported, first.Outcome);
        Assert.Equal(ImportOutcome.AlreadyImported, second.Outcome);
        Assert.Equal(first.DatasetId, second.DatasetId);
        Assert.Single(await Figures());
    }

    [Fact]
    public async Task TheSameFileSentManyTimesAtOnceIsStoredOnce()
    {
        var content = ImportFiles.Csv(ImportFiles.ProductionHeader, Cod2022, Cod2022Sputnik);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Import(content))));

        Assert.Single(results, r => r.Outcome == ImportOutcome.Imported);
        Assert.All(results, r => Assert.Equal(results[0].DatasetId ?? results[1].DatasetId, r.DatasetId));
        Assert.Equal(2, (await Figures()).Count);
    }

    [Fact]
    public async Task EveryNumberWritingLoadsTheSameValue()
    {
        var content = ImportFiles.Csv(ImportFiles.ProductionHeader,
            "COD,2020,8305796.60,,,,A,,exact,",
            "COD,2019,\"8,305,796.60\",,,,A,,exact,",
            "COD,2018,8 305 796,60,,,,A,,exact,".Replace("8 305 796,60", "\"8 305 796,60\""),
            "COD,2017,\"8.305.796,60\",,,,A,,exact,");

        var result = await Import(content);

        Assert.Equal(ImportOutcome.Imported, result.Outcome);
        Assert.All(await Figures(), f => Assert.Equal(8305796.60m, f.Carats));
    }

    [Fact]
    public async Task APeriodNotUnderstoodIsKeptAsTextAndReportedNeverGuessed()
    {
        // data/national_stats.csv, lines 4 and 101
        var content = ImportFiles.Csv(ImportFiles.NationalHeader,
            "COD,2004,10-30 Jul,export,total,,,USD,http://archive.wn.com/2004/08/13/1400/p/74/39eb5f95b5b66e.html,\"IRIN (12 Aug 2004), DRC mines minister Diomi Ndongala\",\"30 percent rise in the volume\",approx,",
            "GAB,2020,per month,production,artisanal,300,,,https://www.rough-polished.com/en/exclusive/117060.html,Rough & Polished,300 carats per month,approx,",
            "CMR,2023,H1,production,total,1000,,,,Somebody,,exact,");

        var result = await Import(content);

        Assert.Equal(ImportOutcome.Imported, result.Outcome);
        Assert.Equal([(2, "period", "10-30 Jul"), (3, "period", "per month")],
            result.Problems.Where(p => p.Reason == "Import_PeriodNotUnderstood").Select(p => (p.Line, p.Column, p.Value)));
        var figures = await Figures();
        Assert.Equal(("10-30 Jul", PeriodKind.Unknown, (int?)null), (figures[0].PeriodText, figures[0].PeriodKind, figures[0].Year));
        Assert.Equal((PeriodKind.Half, 2023, 1, 6), (figures[2].PeriodKind, figures[2].Year!.Value, figures[2].StartMonth!.Value, figures[2].EndMonth!.Value));
        var notes = await App.WithDb(db => db.ImportIssues.CountAsync(i => i.Kind == ImportIssueKind.Note && i.Reason == "Import_PeriodNotUnderstood"));
        Assert.Equal(2, notes);
    }

    [Fact]
    public async Task AValueInLocalCurrencyIsKeptAsPublishedWithoutConversion()
    {
        // data/national_stats.csv, line 97
        var content = ImportFiles.Csv(ImportFiles.NationalHeader,
            "CMR,2020,FY,export,total,870.55,51510000,XAF,https://ecomatin.be/x,EcoMatin (EITI),\"870,55 carats\",exact,");

        await Import(content);

        var figure = Assert.Single(await Figures());
        Assert.Equal((51510000m, "XAF", (decimal?)null), (figure.Value!.Value, figure.Currency!, figure.UsdPerCarat));
    }

    [Fact]
    public async Task AValueWithoutCurrencyIsRefused()
    {
        var result = await Import(ImportFiles.Csv(ImportFiles.NationalHeader, "CMR,2020,FY,export,total,870.55,51510000,,,A,,exact,"));

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        Assert.Equal((2, "currency", "Import_CurrencyMissing"), result.Refusals.Select(p => (p.Line, p.Column, p.Reason)).Single());
    }

    [Fact]
    public async Task AFileOfAnotherKindIsRefusedForItsHeader()
    {
        var result = await Import(ImportFiles.Csv("name,colour", "a,b"));

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        // The report names the columns found; the reason's text names the layouts Kimberlite reads.
        Assert.Equal(("Import_UnknownHeader", "name | colour"), (Assert.Single(result.Problems).Reason, result.Problems[0].Value!));
    }

    [Fact]
    public async Task TheKimberleyProcessPublicTableLoadsFromCsvWithCountryNames()
    {
        var content = ImportFiles.Csv(
            "Country,Period,Production Volume (carats),Production Value (US$),Production $/ct,Import Volume (carats),Import Value (US$),Import KPC count,Export Volume (carats),Export Value (US$),Export KPC count",
            "Angola,2023,\"9,754,309.81\",\"1,532,000,000.00\",157.06,0,0,0,\"9,510,000.00\",\"1,560,000,000.00\",120",
            "Democratic Republic of Congo,2023 H1,\"4 100 000\",,,,,,\"4 000 000\",\"60 000 000\",45");

        var result = await Import(content, "kp-2023.csv", new Provenance("KP annual global summary 2023", "Kimberley Process", "https://kimberleyprocessstatistics.org/", null));

        Assert.Equal((ImportOutcome.Imported, StatisticsFormat.KpPublicTable), (result.Outcome, result.Format!.Value));
        var figures = await Figures();
        Assert.Equal(5, figures.Count);
        var angolaExports = figures.Single(f => f.CountryIso3 == "AGO" && f.Metric == Metric.Export);
        Assert.Equal((9510000m, 1560000000m, 120), (angolaExports.Carats!.Value, angolaExports.Value!.Value, angolaExports.Certificates!.Value));
        Assert.Equal(("Kimberley Process", "https://kimberleyprocessstatistics.org/"), (angolaExports.SourcePublisher!, angolaExports.SourceAddress!));
        var codExports = figures.Single(f => f.CountryIso3 == "COD" && f.Metric == Metric.Export);
        Assert.Equal((PeriodKind.Half, 45), (codExports.PeriodKind, codExports.Certificates!.Value));
    }

    [Fact]
    public async Task TheKimberleyProcessPublicTableLoadsFromXlsx()
    {
        var xlsx = Xlsx.Build(
            ["Country", "Year", "Production volume (ct)", "Production value (USD)", "Export volume (ct)", "Export value (USD)", "Export certificates"],
            ["Central African Republic", 2022, 125000.5, 18000000, 120000, 17000000, 31],
            ["Cameroon", 2022, 2431, null, 2000, 300000, 3]);

        var result = await Import(xlsx, "kp-2022.xlsx");

        Assert.Equal(ImportOutcome.Imported, result.Outcome);
        var figures = await Figures();
        Assert.Equal(4, figures.Count);
        var car = figures.Single(f => f.CountryIso3 == "CAF" && f.Metric == Metric.Production);
        Assert.Equal((125000.5m, 18000000m, 2022), (car.Carats!.Value, car.Value!.Value, car.Year!.Value));
        Assert.Null(figures.Single(f => f.CountryIso3 == "CMR" && f.Metric == Metric.Production).Value);
    }

    [Fact]
    public async Task AnXlsxTableWithBadCellsIsRefusedWithTheirRowsAndColumns()
    {
        var xlsx = Xlsx.Build(
            ["Country", "Year", "Production volume (ct)", "Production value (USD)"],
            ["Atlantis", 2022, 10, 10],
            ["Gabon", 2022, -5, 10]);

        var result = await Import(xlsx, "bad.xlsx");

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        // The columns are named as the file's header names them, so the person can find them.
        Assert.Equal([(2, "Country", "Atlantis"), (3, "Production volume (ct)", "-5")], result.Refusals.Select(p => (p.Line, p.Column, p.Value)));
    }

    [Theory]
    [InlineData("", "Import_EmptyFile")]
    [InlineData(ImportFiles.ProductionHeader + "\n", "Import_NoRows")]
    [InlineData(ImportFiles.ProductionHeader + "\nCOD,2033,\"5,,,https://example.org,A,,exact,\n", "File_QuoteNotClosed")]
    [InlineData("\u0000\u0001PK\u0003binary", "Import_UnknownHeader")]
    public async Task AFileThatCannotBeReadIsRefusedWithAReasonNotACrash(string content, string reason)
    {
        var result = await Import(System.Text.Encoding.UTF8.GetBytes(content));

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        Assert.Equal(reason, Assert.Single(result.Refusals).Reason);
    }

    [Fact]
    public async Task ADamagedSpreadsheetIsRefusedWithAReason()
    {
        var xlsx = Xlsx.Build(["Country", "Year", "Production volume (ct)"], ["Gabon", 2022, 5]);

        var result = await Import(xlsx[..(xlsx.Length / 2)], "damaged.xlsx");

        Assert.Equal("File_DamagedWorkbook", Assert.Single(result.Refusals).Reason);
    }

    [Fact]
    public async Task ARowWithMoreOrFewerCellsThanTheHeaderIsRefused()
    {
        var result = await Import(ImportFiles.Csv(ImportFiles.ProductionHeader,
            Cod2022,
            "COD,2021,100,,,https://example.org,Somebody,,exact,,surplus",
            "COD,2020,100"));

        Assert.Equal([(3, "(row)", "11"), (4, "(row)", "3")],
            result.Refusals.Where(p => p.Reason == "Import_CellCount").Select(p => (p.Line, p.Column, p.Value)));
    }

    [Fact]
    public async Task AFigureWithoutAPublisherIsRefusedUnlessTheImportNamesOne()
    {
        var noPublisher = ImportFiles.Csv(ImportFiles.ProductionHeader, "COD,2021,100,,,,,,exact,");

        var refused = await Import(noPublisher, provenance: new Provenance());
        var named = await Import(noPublisher, provenance: new Provenance(Publisher: "Ministère des Mines"));

        Assert.Equal((2, "source_publisher", "Import_PublisherMissing"), refused.Refusals.Select(p => (p.Line, p.Column, p.Reason)).Single());
        Assert.Equal(ImportOutcome.Imported, named.Outcome);
        Assert.Equal("Ministère des Mines", Assert.Single(await Figures()).SourcePublisher);
    }

    [Fact]
    public async Task AnUnknownColumnIsNotedAsIgnored()
    {
        var result = await Import(ImportFiles.Csv(ImportFiles.ProductionHeader + ",colour", Cod2022 + ",blue"));

        Assert.Equal(ImportOutcome.Imported, result.Outcome);
        Assert.Equal((1, "colour", "Import_ColumnIgnored"), result.Problems.Select(p => (p.Line, p.Column, p.Reason)).Single());
    }

    [Fact]
    public async Task ASpreadsheetNumberStoredInScientificNotationReadsInFull()
    {
        var xlsx = Xlsx.Build(
            ["Country", "Year", "Production volume (ct)", "Production value (USD)", "Production $/ct"],
            ["Angola", 2023, new Xlsx.Raw("9.75430981E+6"), new Xlsx.Raw("1.532E+9"), 157.06]);

        // The layout only suggests its publisher: the user states it (item 8 of issue 13).
        var result = await Import(xlsx, "kp.xlsx", new Provenance("KP 2023", "Kimberley Process"));

        Assert.Equal(ImportOutcome.Imported, result.Outcome);
        var figure = Assert.Single(await Figures());
        Assert.Equal((9754309.81m, 1532000000m, 157.06m, "Kimberley Process"), (figure.Carats!.Value, figure.Value!.Value, figure.UsdPerCaratPublished!.Value, figure.SourcePublisher!));
    }

    [Fact]
    public async Task AValueColumnBeforeTheVolumeColumnNeverLoadsTheValueAsCarats()
    {
        // The Central African Republic, 2004 H1, as the Kimberley Process table gives it, with its value column first.
        var content = ImportFiles.Csv(
            "Country,Period,Production Value (US$),Production Volume (carats)",
            "Central African Republic,2004 H1,27313390,184646.63");

        var result = await Import(content, "kp-car.csv", new Provenance("KP", "Kimberley Process"));

        Assert.Equal(ImportOutcome.Imported, result.Outcome);
        var figure = Assert.Single(await Figures());
        Assert.Equal((184646.63m, 27313390m), (figure.Carats!.Value, figure.Value!.Value));
    }
}
