using System.Text;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>The layouts as their sources publish them: the Kimberley Process database export and ITC Trade Map.</summary>
public sealed class StatisticsLayoutTests : EmptyAppTest
{
    private static readonly string[] ExportHeader = ["Country Name", "Year", "Quarter", "Trade Type", "Production Type", "Carat", "US Value", "Public", "Created", "Last Modified"];

    /// <summary>Rows of data/kp_production_halfyear_2003-2024.xlsx (lines 3, 292, 330, 420, 421, 45 and 18), as the workbook stores them.</summary>
    private static readonly object?[][] ExportRows =
    [
        ["Angola", 2003, 2, "Production", "Production", 3467590.43, new Xlsx.Raw("483453743.45999998"), "Public", null, null],
        ["Central African Republic", 2003, 1, "Production", "Production", 163174, 0, "Public", null, null],
        ["China, People's Republic of", 2003, 1, "Production", "Production", 23040.83, 577000, "Public", null, null],
        ["Congo, Democratic Republic of", 2023, 1, "Production", "ASM", 3344250.19, new Xlsx.Raw("24823496.510000002"), "Public", "01Apr24:09:24:49", null],
        ["Congo, Democratic Republic of", 2023, 1, "Production", "LSM", 871287.39, 12108234.49, "Public", "01Apr24:09:29:01", null],
        ["Armenia", 2003, 1, "No Production", null, 0, 0, "Public", null, null],
        ["Angola", new Xlsx.Raw("2011.0"), new Xlsx.Raw("1.0"), "Production", "Production", 4146082.85, new Xlsx.Raw("579321996.45000005"), "Public", null, "01Feb12:13:09:18"],
    ];

    /// <summary>The same rows as Excel in French saves them as CSV: ';', decimal comma, Windows-1252, CRLF, numbers as displayed.</summary>
    private static byte[] FrenchCsv()
    {
        string[] lines =
        [
            string.Join(';', ExportHeader),
            "Angola;2003;2;Production;Production;3467590,43;483453743,46;Public;;",
            "Central African Republic;2003;1;Production;Production;163174;0;Public;;",
            "China, People's Republic of;2003;1;Production;Production;23040,83;577000;Public;;",
            "Congo, Democratic Republic of;2023;1;Production;ASM;3344250,19;24823496,51;Public;01Apr24:09:24:49;",
            "Congo, Democratic Republic of;2023;1;Production;LSM;871287,39;12108234,49;Public;01Apr24:09:29:01;",
            "Armenia;2003;1;No Production;;0;0;Public;;",
            "Angola;2011;1;Production;Production;4146082,85;579321996,45;Public;;01Feb12:13:09:18",
        ];
        return TextEncodings.Windows1252.GetBytes(string.Join("\r\n", lines) + "\r\n");
    }

    private async Task<ImportResult> Import(byte[] content, string name, Provenance provenance)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StatisticsImporter>()
            .ImportAsync(content, name, provenance, cancellationToken: Cancel);
    }

    private static readonly Provenance KimberleyProcess = new("KP production by half-year", "Kimberley Process", "https://kimberleyprocessstatistics.org/", new DateOnly(2026, 11, 29));

    private async Task<List<Figure>> Figures() =>
        await App.WithDb(db => db.Figures.AsNoTracking().OrderBy(f => f.DatasetId).ThenBy(f => f.Line).ToListAsync());

    [Fact]
    public async Task TheKimberleyProcessExportLoadsEveryFigureAsTheSourceMeantIt()
    {
        var result = await Import(Xlsx.Build([ExportHeader, .. ExportRows]), "Production of Diamonds.xlsx", KimberleyProcess);

        Assert.Equal((ImportOutcome.Imported, StatisticsFormat.KpDatabaseExport, 7), (result.Outcome, result.Format!.Value, result.FiguresLoaded));
        var f = await Figures();
        Assert.Equal(("AGO", PeriodKind.Half, 2003, 7, 12, "total"), (f[0].CountryIso3, f[0].PeriodKind, f[0].Year!.Value, f[0].StartMonth!.Value, f[0].EndMonth!.Value, f[0].Segment!));
        Assert.Equal((3467590.43m, 483453743.46m), (f[0].Carats!.Value, f[0].Value!.Value));
        // The Central African Republic's 2003 value of 0 is "not reported": kept, flagged, never a valuation.
        Assert.Equal(("CAF", 163174m, 0m, true), (f[1].CountryIso3, f[1].Carats!.Value, f[1].Value!.Value, f[1].ValueNotReported));
        Assert.Null(f[1].UsdPerCarat);
        Assert.Null(f[1].Usd);
        Assert.Equal((3, "US Value", "0"), result.Problems.Where(p => p.Reason == "Import_ValueNotReported").Select(p => (p.Line, p.Column, p.Value)).Single());
        Assert.Equal(("CHN", 23040.83m, 577000m, 25.04m), (f[2].CountryIso3, f[2].Carats!.Value, f[2].Value!.Value, f[2].UsdPerCarat!.Value));
        Assert.Equal(("COD", "artisanal", 3344250.19m, 24823496.51m, new DateTime(2024, 4, 1, 9, 24, 49)), (f[3].CountryIso3, f[3].Segment!, f[3].Carats!.Value, f[3].Value!.Value, f[3].ReleasedAt!.Value));
        Assert.Equal(("COD", "industrial", "H1", 871287.39m), (f[4].CountryIso3, f[4].Segment!, f[4].PeriodText!, f[4].Carats!.Value));
        // "No Production" states zero, not a value left unreported.
        Assert.Equal(("ARM", 0m, 0m, false, "No Production"), (f[5].CountryIso3, f[5].Carats!.Value, f[5].Value!.Value, f[5].ValueNotReported, f[5].AsPublished!));
        // Spreadsheet number cells: 2011.0 is the year 2011, 1.0 the first half.
        Assert.Equal(("2011", PeriodKind.Half, 2011, "H1", 579321996.45m, new DateTime(2012, 2, 1, 13, 9, 18)), (f[6].YearText, f[6].PeriodKind, f[6].Year!.Value, f[6].PeriodText!, f[6].Value!.Value, f[6].ReleasedAt!.Value));
        Assert.All(f, x => Assert.Equal((SourceKind.KimberleyProcess, Metric.Production, "Kimberley Process"), (x.SourceKind, x.Metric, x.SourcePublisher!)));
    }

    [Fact]
    public async Task TheSameTableSavedByExcelInFrenchLoadsTheSameFigures()
    {
        await Import(Xlsx.Build([ExportHeader, .. ExportRows]), "Production of Diamonds.xlsx", KimberleyProcess);
        var result = await Import(FrenchCsv(), "Production of Diamonds.csv", KimberleyProcess);

        Assert.Equal((ImportOutcome.Imported, StatisticsFormat.KpDatabaseExport), (result.Outcome, result.Format!.Value));
        var figures = await Figures();
        static object Read(Figure f) => (f.Line, f.CountryIso3, f.Segment, f.PeriodKind, f.Year, f.StartMonth, f.Carats, f.Value, f.ValueNotReported, f.ReleasedAt);
        var fromWorkbook = figures.Where(f => f.DatasetId == figures[0].DatasetId).Select(Read).ToList();
        var fromCsv = figures.Where(f => f.DatasetId != figures[0].DatasetId).Select(Read).ToList();
        Assert.Equal(7, fromCsv.Count);
        Assert.Equal(fromWorkbook, fromCsv);
    }

    [Fact]
    public async Task AKimberleyProcessExportWithoutAStatedPublisherIsRefusedNamingTheSuggestion()
    {
        var result = await Import(Xlsx.Build([ExportHeader, .. ExportRows]), "Production of Diamonds.xlsx", new Provenance("KP"));

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        Assert.Equal("Kimberley Process", result.SuggestedPublisher);
        Assert.Equal(("(publisher)", "Kimberley Process"), result.Refusals.Select(p => (p.Column, p.Value)).Single());
        Assert.Empty(await Figures());
    }

    [Fact]
    public async Task ARowThatRepeatsACountryHalfAndTypeIsKeptAndNoted()
    {
        // data/kp_production_halfyear_2003-2024.xlsx lines 416 and 419: two 2022 H1 industrial figures for the DRC.
        var result = await Import(Xlsx.Build(ExportHeader,
            ["Congo, Democratic Republic of", 2022, 1, "Production", "LSM", 1761189.74, 11799971.26, "Public", null, null],
            ["Congo, Democratic Republic of", 2022, 1, "Production", "LSM", 871287.39, 11762379.77, "Public", null, null]), "kp.xlsx", KimberleyProcess);

        Assert.Equal(2, result.FiguresLoaded);
        Assert.Equal((3, "Country Name", "COD 2022 H1 industrial: 2"), result.Problems.Where(p => p.Reason == "Import_KpRepeatedRow").Select(p => (p.Line, p.Column, p.Value)).Single());
    }

    [Fact]
    public async Task AHeaderThatFitsTwoLayoutsIsRefusedNamingBoth()
    {
        var content = ImportFiles.Csv("country_iso3,year,carats,usd,usd_per_carat_published,metric,segment,value,currency", "COD,2022,1,2,,production,total,2,USD");

        var result = await Import(content, "both.csv", new Provenance(Publisher: "Somebody"));

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        Assert.Equal(("(header)", "country_iso3 | year | carats | usd | usd_per_carat_published | metric | segment | value | currency", "Import_AmbiguousHeader"),
            (result.Problems[0].Column, result.Problems[0].Value!, result.Problems[0].Reason));
        Assert.Equal(["kp_production.csv (Kimberlite collection)", "national_stats.csv (Kimberlite collection)"],
            result.Problems.Where(p => p.Reason == "Import_LayoutMatched").Select(p => p.Value));
        Assert.Equal(3, result.ProblemCount);
    }

    [Fact]
    public async Task AColumnWrittenTwiceIsRefusedRatherThanGuessed()
    {
        var content = ImportFiles.Csv("Country,Year,Production Volume (carats),Production (carats)", "Gabon,2022,5,6");

        var result = await Import(content, "twice.csv", new Provenance(Publisher: "Kimberley Process"));

        Assert.Equal(("Production (carats)", "Import_DuplicateColumn"), result.Refusals.Select(p => (p.Column, p.Reason)).Single());
    }

    [Fact]
    public async Task TheCountOfProblemsIsTheTrueCountWhenOnlyTheFirstAreListed()
    {
        var rows = Enumerable.Range(0, 1200).Select(i => $"XXX,2021,{i},,,,A,,exact,").ToArray();

        var result = await Import(ImportFiles.Csv(ImportFiles.ProductionHeader, rows), "bad.csv", new Provenance(Publisher: "A"));

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        Assert.Equal((StatisticsImporter.MaxListed, 1200), (result.Problems.Count, result.ProblemCount!.Value));
    }

    /// <summary>
    /// Trade Map's "List of exporters for the selected product" saved as text: tab-separated, a trailing tab,
    /// the world first, values in thousands of US$ (Trade Map's only unit for values), areas among the countries.
    /// </summary>
    private static byte[] TradeMapExporters() => Encoding.UTF8.GetBytes(
        "Exporters\tExported value in 2022\tExported value in 2023\t\n" +
        "World\t15234567\t12876543\t\n" +
        "Botswana\t4321098\t3456789\t\n" +
        "Congo, Democratic Republic of the\t123456\t\t\n" +
        "Area Nes\t12\t34\t\n");

    [Fact]
    public async Task ATradeMapListOfExportersIsReadAsTradeWithTheWorldInUsDollars()
    {
        var result = await Import(TradeMapExporters(), "Trade_Map_-_List_of_exporters_for_the_selected_product.txt", new Provenance(Publisher: "International Trade Centre (ITC Trade Map)"));

        Assert.Equal((ImportOutcome.Imported, StatisticsFormat.TradeMap, 5), (result.Outcome, result.Format!.Value, result.FiguresLoaded));
        Assert.Equal("International Trade Centre (ITC Trade Map)", result.SuggestedPublisher);
        var figures = await Figures();
        var botswana = figures.Where(f => f.CountryIso3 == "BWA").ToList();
        Assert.Equal([(2022, 4321098000m), (2023, 3456789000m)], botswana.Select(f => (f.Year!.Value, f.Value!.Value)));
        Assert.All(figures, f => Assert.Equal(("WLD", Metric.Export, "USD", PeriodKind.Year), (f.PartnerIso3!, f.Metric, f.Currency!, f.PeriodKind)));
        Assert.Equal("123456 (US$ thousand)", figures.Single(f => f.CountryIso3 == "COD").AsPublished);
        Assert.Contains(result.Problems, p => p.Reason == "Import_TradeMapUnitAssumed");
        Assert.Equal((5, "Exporters", "Area Nes"), result.Problems.Where(p => p.Reason == "Import_TradeMapAreaLeftOut").Select(p => (p.Line, p.Column, p.Value)).Single());
    }

    /// <summary>Trade Map's Excel export of one country's markets: title rows above the header name the country and the unit.</summary>
    private static byte[] TradeMapMarketsOfAngola() => Xlsx.Build(
        ["Trade Map - List of importing markets for a product exported by Angola"],
        ["Product: 7102 Diamonds, whether or not worked, but not mounted or set"],
        ["Unit : US Dollar thousand"],
        ["Importers", "Exported value in 2022", "Exported value in 2023"],
        ["World", 1950000, 1700000],
        ["United Arab Emirates", 1200000, 1050000],
        ["Belgium", 600000, 500000]);

    [Fact]
    public async Task ATradeMapListOfACountrysMarketsReadsTheCountryAndUnitFromItsTitleRows()
    {
        var result = await Import(TradeMapMarketsOfAngola(), "Trade_Map_-_List_of_importing_markets_for_a_product_exported_by_Angola.xlsx",
            new Provenance(Publisher: "International Trade Centre (ITC Trade Map)"));

        Assert.Equal(ImportOutcome.Imported, result.Outcome);
        Assert.DoesNotContain(result.Problems, p => p.Reason == "Import_TradeMapUnitAssumed");
        var figures = await Figures();
        Assert.All(figures, f => Assert.Equal(("AGO", Metric.Export), (f.CountryIso3, f.Metric)));
        Assert.Equal([("WLD", 2022, 1950000000m), ("WLD", 2023, 1700000000m), ("ARE", 2022, 1200000000m), ("ARE", 2023, 1050000000m), ("BEL", 2022, 600000000m), ("BEL", 2023, 500000000m)],
            figures.Select(f => (f.PartnerIso3!, f.Year!.Value, f.Value!.Value)));
        Assert.Equal(5, figures[0].Line);
    }

    [Fact]
    public async Task ATradeMapListOfMarketsWithoutItsTitleIsRefusedForWantOfItsCountry()
    {
        var content = Encoding.UTF8.GetBytes("Importers\tExported value in 2023\nWorld\t1700000\nBelgium\t500000\n");

        var result = await Import(content, "markets.txt", new Provenance(Publisher: "International Trade Centre (ITC Trade Map)"));

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        Assert.Contains(result.Refusals, p => p.Reason == "Import_TradeMapReporterUnknown");
        Assert.Empty(await Figures());
    }
}
