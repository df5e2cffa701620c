using Kimberlite.Infrastructure.Data;

namespace Kimberlite.Statistics;

/// <summary>How figures are written in bulk: EF Core took about 270 µs a figure, 1.4–2.2 s for a file of 5,000 rows.</summary>
internal static class FigureTables
{
    public static readonly BulkTable<Figure> Figures = new("Figures",
    [
        BulkColumn<Figure>.Of(nameof(Figure.DatasetId), f => f.DatasetId),
        BulkColumn<Figure>.Of(nameof(Figure.Line), f => f.Line),
        BulkColumn<Figure>.Of(nameof(Figure.CountryIso3), f => f.CountryIso3),
        BulkColumn<Figure>.Of(nameof(Figure.PartnerIso3), f => f.PartnerIso3),
        BulkColumn<Figure>.Of(nameof(Figure.Metric), f => (int)f.Metric),
        BulkColumn<Figure>.Of(nameof(Figure.MetricText), f => f.MetricText),
        BulkColumn<Figure>.Of(nameof(Figure.Segment), f => f.Segment),
        BulkColumn<Figure>.Of(nameof(Figure.FlowDetail), f => f.FlowDetail),
        BulkColumn<Figure>.Of(nameof(Figure.YearText), f => f.YearText),
        BulkColumn<Figure>.Of(nameof(Figure.PeriodText), f => f.PeriodText),
        BulkColumn<Figure>.Of(nameof(Figure.PeriodKind), f => (int)f.PeriodKind),
        BulkColumn<Figure>.Of(nameof(Figure.Year), f => f.Year),
        BulkColumn<Figure>.Of(nameof(Figure.EndYear), f => f.EndYear),
        BulkColumn<Figure>.Of(nameof(Figure.StartMonth), f => f.StartMonth),
        BulkColumn<Figure>.Of(nameof(Figure.EndMonth), f => f.EndMonth),
        BulkColumn<Figure>.Of(nameof(Figure.Carats), f => f.Carats),
        BulkColumn<Figure>.Of(nameof(Figure.Value), f => f.Value),
        BulkColumn<Figure>.Of(nameof(Figure.Currency), f => f.Currency),
        BulkColumn<Figure>.Of(nameof(Figure.UsdPerCaratPublished), f => f.UsdPerCaratPublished),
        BulkColumn<Figure>.Of(nameof(Figure.SharePct), f => f.SharePct),
        BulkColumn<Figure>.Of(nameof(Figure.RatePct), f => f.RatePct),
        BulkColumn<Figure>.Of(nameof(Figure.Certificates), f => f.Certificates),
        BulkColumn<Figure>.Of(nameof(Figure.Precision), f => f.Precision),
        BulkColumn<Figure>.Of(nameof(Figure.SourceKind), f => (int)f.SourceKind),
        BulkColumn<Figure>.Of(nameof(Figure.DataOrigin), f => f.DataOrigin),
        BulkColumn<Figure>.Of(nameof(Figure.SourceAddress), f => f.SourceAddress),
        BulkColumn<Figure>.Of(nameof(Figure.SourcePublisher), f => f.SourcePublisher),
        BulkColumn<Figure>.Of(nameof(Figure.AsPublished), f => f.AsPublished),
        BulkColumn<Figure>.Of(nameof(Figure.Notes), f => f.Notes),
        BulkColumn<Figure>.Of(nameof(Figure.ValueNotReported), f => f.ValueNotReported),
        BulkColumn<Figure>.Of(nameof(Figure.ReleasedAt), f => f.ReleasedAt),
    ]);
}
