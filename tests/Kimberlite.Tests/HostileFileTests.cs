using Kimberlite.Analysis;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>Broken and hostile files, as measured on the importers before: never a crash, never a figure that breaks the analysis.</summary>
public sealed class HostileFileTests : EmptyAppTest
{
    private const string Row = ",,,https://example.org/kp,Kimberley Process,,exact,";

    private async Task<ImportResult> Import(byte[] content, string name = "hostile.csv")
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StatisticsImporter>()
            .ImportAsync(content, name, new Provenance("Hostile", "Tester"), cancellationToken: Cancel);
    }

    private async Task<AnalysisSummary> Analyze()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(Cancel);
    }

    [Fact]
    public async Task AYearInFullWidthDigitsIsReadAsTheYearItMeansNotACrash()
    {
        // Before: ２０２３ passed a \d check, then int.Parse threw a FormatException out of the command line.
        var result = await Import(ImportFiles.Csv(ImportFiles.ProductionHeader, "CAF,２０２３,1500" + Row));

        Assert.Equal(ImportOutcome.Imported, result.Outcome);
        Assert.Equal(2023, (await App.WithDb(db => db.Figures.SingleAsync(Cancel))).Year);
    }

    [Fact]
    public async Task ACaratCountOfThirtyDigitsIsRefusedWithTheReasonAndNothingIsStored()
    {
        var result = await Import(ImportFiles.Csv(ImportFiles.ProductionHeader, "CAF,2022,79228162514264337593543950335" + Row, "COD,2022,1500" + Row));

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        Assert.Equal((2, "carats", "79228162514264337593543950335", "Import_Number_TooLarge"),
            Assert.Single(result.Refusals).Apply(p => (p.Line, p.Column, p.Value, p.Reason)));
        Assert.Equal(0, await App.WithDb(db => db.Figures.CountAsync(Cancel)));
    }

    [Fact]
    public async Task TheAnalysisRunsOverAnAbsurdStoredFigureLeavesItOutAndSaysSo()
    {
        // Before: one such figure made every analysis, and every import after it, crash on an overflow.
        var absurd = TestDatabase.IsPostgres ? 999_999_999_999_999_999.999999m : decimal.MaxValue;
        await App.WithDb(async db =>
        {
            var dataset = new Dataset { Title = "Stored before imports were bounded", Publisher = "Tester", FileName = "old.csv", Sha256 = "old", Format = StatisticsFormat.KpProduction };
            db.Datasets.Add(dataset);
            await db.SaveChangesAsync(Cancel);
            foreach (var (metric, carats) in new[] { (Metric.Production, absurd), (Metric.Export, absurd), (Metric.Import, absurd), (Metric.Production, 1000m) })
                db.Figures.Add(new Figure
                {
                    DatasetId = dataset.Id, CountryIso3 = "CAF", Metric = metric, MetricText = metric.ToString(), YearText = "2022", PeriodKind = PeriodKind.Year,
                    Year = 2022, EndYear = 2022, StartMonth = 1, EndMonth = 12, Carats = carats, Value = carats, Currency = "USD",
                    SourceKind = SourceKind.KimberleyProcess, SourcePublisher = "Tester",
                });
            return await db.SaveChangesAsync(Cancel);
        });

        var summary = await Analyze();

        Assert.Equal(3, summary.Skipped);
        Assert.Empty(summary.FailedRules);
        // And an import after it goes through, analysis included.
        Assert.Equal(ImportOutcome.Imported, (await Import(ImportFiles.Csv(ImportFiles.ProductionHeader, "COD,2022,1500" + Row))).Outcome);
        await Analyze();
    }

    [Fact]
    public async Task TheAnalysisRunsOverAStoredFigureWhosePeriodHasNoYear()
    {
        await App.WithDb(async db =>
        {
            var dataset = new Dataset { Title = "Written by hand", Publisher = "Tester", FileName = "hand.csv", Sha256 = "hand", Format = StatisticsFormat.NationalStatistics };
            db.Datasets.Add(dataset);
            await db.SaveChangesAsync(Cancel);
            foreach (var metric in new[] { Metric.Export, Metric.Import })
                db.Figures.Add(new Figure
                {
                    DatasetId = dataset.Id, CountryIso3 = "CAF", PartnerIso3 = "BEL", Metric = metric, MetricText = "export", YearText = "?", PeriodKind = PeriodKind.Year,
                    Carats = 10, SourceKind = SourceKind.National, SourcePublisher = "Tester",
                });
            return await db.SaveChangesAsync(Cancel);
        });

        var summary = await Analyze();

        Assert.Equal((2, 0), (summary.Skipped, summary.FailedRules.Count));
    }

    [Theory]
    [InlineData("ZZZZZ1")]
    [InlineData("AAAAAAA1")]
    public async Task AWorkbookWhoseCellReferenceLiesIsRefusedAtOnceNamingTheReference(string reference)
    {
        var xlsx = RawXlsx.Build([("Sheet1", RawXlsx.Row(1, ImportFiles.ProductionHeader.Split(',').Select((h, i) => ($"{(char)('A' + i)}1", h)).ToArray())
            + RawXlsx.Row(2, ("A2", "CAF"), ("B2", "2022"), (reference, "1500")))]);

        var result = await Import(xlsx, "forged.xlsx");

        Assert.Equal((2, reference, "File_ColumnBeyondLimit"), Assert.Single(result.Refusals).Apply(p => (p.Line, p.Value, p.Reason)));
    }

    [Fact]
    public async Task AFileWithAQuoteNeverClosedIsRefusedNamingTheLineItOpensOn()
    {
        var result = await Import(ImportFiles.Csv(ImportFiles.ProductionHeader, "CAF,2022,1500" + Row, "COD,2033,\"5,,,https://example.org,A,,exact,"));

        Assert.Equal((3, "File_QuoteNotClosed"), Assert.Single(result.Refusals).Apply(p => (p.Line, p.Reason)));
    }
}

public sealed class HostileFieldFileTests : EmptyAppTest
{
    [Fact]
    public async Task AKoboExportWithACellBeyondExcelsLimitIsRefusedWithThatReasonNotAsUnreadable()
    {
        var sample = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "field", "kobo-incident-export-sample.csv"), Cancel);
        var lines = sample.Split('\n');
        lines[1] = lines[1].Replace("Des hommes armés", new string('x', 40_000));
        var mapping = Kimberlite.Field.KoboMapping.Read(await File.ReadAllBytesAsync(Path.Combine(Repository.Root, "docs", "field", "kobo-incident-mapping.json"), Cancel));

        await using var scope = App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<Kimberlite.Field.KoboImporter>()
            .ImportAsync(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)), "export.csv", mapping, "tester", Cancel);

        Assert.False(result.Imported);
        Assert.Equal((2, "File_CellTooLong"), Assert.Single(result.Problems).Apply(p => (p.Line, p.Reason)));
    }
}

internal static class Functional
{
    public static TResult Apply<T, TResult>(this T value, Func<T, TResult> map) => map(value);
}
