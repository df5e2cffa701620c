namespace Kimberlite.Statistics;

/// <summary>
/// A country's yearly series of one metric and one measure, year compared with year: each year is the
/// preferred figure of the whole year, or a year made of parts of one source — both halves, all quarters or
/// all twelve months, or artisanal plus industrial production — and a year made of parts lists them.
/// A half published alone is never read as a year (docs/ANALYSIS.md).
/// </summary>
public static class AnnualSeries
{
    public const string Artisanal = "artisanal", Industrial = "industrial";

    /// <summary>Carats and US$ of a year made of parts add up.</summary>
    public static readonly SeriesMeasure Carats = SeriesMeasure.Sum(f => f.Carats);
    public static readonly SeriesMeasure Usd = SeriesMeasure.Sum(f => f.Usd);

    /// <summary>The US$/carat of a year made of parts is its US$ over its carats, never a sum or a mean of the parts' prices.</summary>
    public static readonly SeriesMeasure UsdPerCarat = new(f => f.UsdPerCarat,
        parts => parts.All(p => p.Carats is > 0 && p.Usd is not null) && parts.Sum(p => p.Carats!.Value) is var carats and >= 0.0001m
            ? Math.Round(parts.Sum(p => p.Usd!.Value) / carats, 2) : null);

    /// <summary>The years of <paramref name="metric"/> for the whole country, each from the preferred candidate.</summary>
    public static IReadOnlyList<SeriesPoint> Build(IEnumerable<Figure> figures, Metric metric, SeriesMeasure measure) =>
        Years(figures, metric, measure).Where(y => y.Point is not null).Select(y => y.Point!).ToList();

    /// <summary>
    /// Every year that has a figure of the whole country or of a part: its point when the year is whole (published,
    /// or complete from parts), else the parts that were published without making a year.
    /// </summary>
    public static IReadOnlyList<AnnualYear> Years(IEnumerable<Figure> figures, Metric metric, SeriesMeasure measure)
    {
        var national = figures.Where(f => f.Metric == metric && IsNationalScope(f) && f.Year is { } y && f.EndYear == y && measure.Read(f) is not null).ToList();
        var years = new List<AnnualYear>();
        foreach (var year in national.GroupBy(f => f.Year!.Value).OrderBy(g => g.Key))
        {
            var whole = year.Where(f => f.IsTotal).ToList();
            var candidates = Candidates(year.Key, whole, measure).ToList();
            // Artisanal and industrial production, each a whole year, make a total that competes with the published ones
            // (the Kimberley Process database gives many countries only by segment, while the press cites its totals).
            var segmented = year.Any(f => !f.IsTotal);
            var artisanal = segmented ? SegmentYear(year, Artisanal, measure) : null;
            var industrial = segmented ? SegmentYear(year, Industrial, measure) : null;
            if (artisanal is not null && industrial is not null && measure.Combine([.. PartsOf(artisanal), .. PartsOf(industrial)]) is { } value)
                candidates.Add(new SeriesPoint(year.Key, value, artisanal.Source, [.. PartsOf(artisanal), .. PartsOf(industrial)], SeriesBasis.Segments));
            var ordered = Preferred(candidates).ToList();
            var point = ordered.FirstOrDefault();
            years.Add(new AnnualYear(year.Key, point, point is null ? year.OrderBy(f => f.StartMonth).ToList() : []) { Candidates = ordered });
        }
        return years;
    }

    /// <summary>A figure of the country against the world, with no flow detail: partners are never a year of the country.</summary>
    public static bool IsNationalScope(Figure f) =>
        f.FlowDetail is null && (f.PartnerIso3 is null || f.PartnerIso3 == "WLD");

    private static IEnumerable<Figure> PartsOf(SeriesPoint point) => point.Built ? point.Parts : [point.Source];

    /// <summary>One segment's year: published whole, or made of its halves, quarters or months.</summary>
    private static SeriesPoint? SegmentYear(IEnumerable<Figure> figures, string segment, SeriesMeasure measure)
    {
        var ofSegment = figures.Where(f => string.Equals(f.Segment?.Trim(), segment, StringComparison.OrdinalIgnoreCase)).ToList();
        var candidates = Candidates(ofSegment.FirstOrDefault()?.Year ?? 0, ofSegment, measure).ToList();
        return Preferred(candidates).FirstOrDefault();
    }

    /// <summary>
    /// A year's candidates in the order of preference (docs/decisions/004): the kind of source, then the latest
    /// release (a year made of parts is released with its last part), then the precision, then a published year
    /// before one added up; an earlier release of a publisher's year is no candidate.
    /// </summary>
    private static IEnumerable<SeriesPoint> Preferred(IReadOnlyList<SeriesPoint> candidates)
    {
        // Most years have one candidate: nothing to supersede or order.
        if (candidates.Count < 2)
            return candidates;
        var superseded = SourcePreference.Superseded(candidates.Where(c => !c.Built).Select(c => c.Source));
        return candidates.Where(c => c.Built || !superseded.Contains(c.Source))
            .OrderBy(c => c.Source.SourceKind)
            .ThenByDescending(c => c.Release ?? DateTime.MinValue)
            .ThenBy(c => SourcePreference.PrecisionRank(c.Source.Precision))
            .ThenBy(c => c.Built)
            .ThenBy(c => c.Source.DatasetId)
            .ThenBy(c => c.Source.Line);
    }

    /// <summary>The published whole-year figures, and each source's complete set of sub-periods.</summary>
    private static IEnumerable<SeriesPoint> Candidates(int year, IReadOnlyList<Figure> figures, SeriesMeasure measure)
    {
        foreach (var f in figures.Where(f => f.PeriodKind == PeriodKind.Year))
            yield return new SeriesPoint(year, measure.Read(f)!.Value, f);

        if (figures.All(f => f.PeriodKind == PeriodKind.Year))
            yield break;
        // One source: the same publisher in the same kind of source; sub-periods of one kind that cover the year.
        foreach (var source in figures.Where(f => f.PeriodKind is PeriodKind.Half or PeriodKind.Quarter or PeriodKind.Month)
                     .GroupBy(f => (Publisher: SourcePreference.Publisher(f), f.PeriodKind)))
        {
            // Several figures of one sub-period from one publisher are releases of it: the latest speaks for it.
            var parts = source.GroupBy(f => f.Period.Key).Select(p => SourcePreference.LatestFirst(p).First()).OrderBy(f => f.StartMonth).ToList();
            if (!CoversTheYear(parts))
                continue;
            var basis = source.Key.PeriodKind switch { PeriodKind.Half => SeriesBasis.Halves, PeriodKind.Quarter => SeriesBasis.Quarters, _ => SeriesBasis.Months };
            if (measure.Combine(parts) is { } value)
                yield return new SeriesPoint(year, value, parts[0], parts, basis);
        }
    }

    /// <summary>Sub-periods that follow each other without gap or overlap from January to December.</summary>
    private static bool CoversTheYear(IReadOnlyList<Figure> parts)
    {
        var next = 1;
        foreach (var part in parts)
        {
            if (part.StartMonth != next || part.EndMonth is not { } end || end < next)
                return false;
            next = end + 1;
        }
        return next == 13;
    }
}

/// <summary>What a series measures: how a figure gives it, and how parts that make a year combine.</summary>
public sealed record SeriesMeasure(Func<Figure, decimal?> Read, Func<IReadOnlyList<Figure>, decimal?> Combine)
{
    public static SeriesMeasure Sum(Func<Figure, decimal?> read) =>
        new(read, parts => parts.All(p => read(p) is not null) ? parts.Sum(p => read(p)!.Value) : null);
}

/// <summary>How a year's value was made: published as a year, or added up from its parts.</summary>
public enum SeriesBasis { Published = 0, Halves = 1, Quarters = 2, Months = 3, Segments = 4 }

/// <summary>A year of a series: its point when whole, else the parts published without making a year (a half alone).</summary>
public sealed record AnnualYear(int Year, SeriesPoint? Point, IReadOnlyList<Figure> PartialParts)
{
    /// <summary>Every way the year is known (published by a source, or added up from one source's parts), preferred first.</summary>
    public IReadOnlyList<SeriesPoint> Candidates { get; init; } = [];
}
