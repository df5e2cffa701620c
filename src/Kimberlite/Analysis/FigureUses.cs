using Kimberlite.Analysis.Labels;
using Kimberlite.Statistics;

namespace Kimberlite.Analysis;

/// <summary>Why the analysis cannot use a figure; every figure it does not use has one, and pages and `analyze` say it.</summary>
public enum LeftOutReason
{
    /// <summary>A number beyond what a diamond statistic can be, or a period stored without its years and months.</summary>
    BeyondBounds = 1,
    /// <summary>A metric no rule reads: fiscal items, sales, anything the source named otherwise.</summary>
    MetricNotRead = 2,
    /// <summary>A period text not understood (`10-30 Jul`, `per month`).</summary>
    PeriodNotUnderstood = 3,
    /// <summary>Several years in one figure (`2012-2013`): no year can be compared with it.</summary>
    SeveralYears = 4,
    /// <summary>A segment whose meaning nobody stated (`legal (KP)`, `total (Sodiam)`, `MIBA`).</summary>
    SegmentNotUnderstood = 5,
    /// <summary>A value in a local currency (XAF, AOA) and no carats: never converted.</summary>
    LocalCurrency = 6,
    /// <summary>Neither carats nor US$: a share or a rate alone.</summary>
    NothingToCompare = 7,
    /// <summary>A part of a whole (a segment, a few months, one flow) with nothing of the same source to complete it and no other source to compare it with.</summary>
    PartAlone = 8,
}

public sealed record LeftOutFigure(Figure Figure, LeftOutReason Reason);

/// <summary>A stored figure, the copy the analysis reads, and the meanings that made the copy.</summary>
public sealed record MeantFigure(Figure Stored, Figure Read, IReadOnlyList<LabelMeaning> Meanings);

/// <summary>The figures the rules read, the ones left out with their reason, and those read through a label's meaning.</summary>
public sealed record FigureUse(IReadOnlyList<Figure> Used, IReadOnlyList<LeftOutFigure> LeftOut, IReadOnlyList<MeantFigure> Meant)
{
    public IReadOnlyDictionary<LeftOutReason, int> Counts =>
        LeftOut.GroupBy(l => l.Reason).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
}

/// <summary>
/// Which stored figures the analysis can use, read through the analysts' label meanings, and why not the others.
/// Nothing is guessed: a label nobody explained, a period not understood, a part nothing completes is left out and listed.
/// </summary>
public static class FigureUses
{
    public static FigureUse Prepare(IReadOnlyList<Figure> stored, IReadOnlyList<LabelMeaning> labels)
    {
        var inForce = labels.Where(l => l.InForce).ToList();
        var leftOut = new List<LeftOutFigure>();
        var meant = new List<MeantFigure>();
        var candidates = new List<(Figure Stored, Figure Read)>();
        foreach (var figure in stored)
        {
            var (read, applied) = Apply(figure, inForce);
            if (applied.Count > 0)
                meant.Add(new MeantFigure(figure, read, applied));
            if (ReasonOf(read, applied.Any(m => m.Kind == LabelKind.Segment)) is { } reason)
                leftOut.Add(new LeftOutFigure(figure, reason));
            else
                candidates.Add((figure, read));
        }

        var byGroup = candidates.Select(c => c.Read).ToLookup(CountryProfile.GroupKey);
        var bySource = candidates.Select(c => c.Read).Where(f => f.FlowDetail is null).ToLookup(SourceKey);
        var byPublisher = candidates.Select(c => c.Read).Where(f => f.FlowDetail is null).ToLookup(PublisherKey);
        var used = new List<Figure>(candidates.Count);
        foreach (var (figure, read) in candidates)
        {
            if (!IsPart(read) || Completed(read, byGroup, bySource, byPublisher))
                used.Add(read);
            else
                leftOut.Add(new LeftOutFigure(figure, LeftOutReason.PartAlone));
        }
        return new FigureUse(used, leftOut.OrderBy(l => l.Figure.DatasetId).ThenBy(l => l.Figure.Line).ThenBy(l => l.Figure.Id).ToList(), meant);
    }

    /// <summary>The figure read through the meanings in force (a country's own before the general one), on a copy; the stored one unchanged.</summary>
    public static (Figure Read, IReadOnlyList<LabelMeaning> Applied) Apply(Figure figure, IReadOnlyList<LabelMeaning> inForce)
    {
        var segment = Meaning(inForce, LabelKind.Segment, figure.Segment, figure.CountryIso3);
        var period = Meaning(inForce, LabelKind.Period, figure.PeriodText, figure.CountryIso3);
        var publisher = Meaning(inForce, LabelKind.Publisher, figure.SourcePublisher, figure.CountryIso3);
        if (segment is null && period is null && publisher is null)
            return (figure, []);
        var read = figure.Copy();
        if (segment is not null && segment.Value != LabelValues.Part)
            read.Segment = segment.Value; // a part keeps its own name: two parts are never the same thing
        if (period is not null && Period.Parse(figure.YearText, period.Value) is { Kind: not PeriodKind.Unknown } p)
            (read.PeriodKind, read.Year, read.EndYear, read.StartMonth, read.EndMonth) = (p.Kind, p.Year, p.EndYear, p.StartMonth, p.EndMonth);
        if (publisher is not null && LabelValues.Publishers.TryGetValue(publisher.Value, out var kind))
            read.SourceKind = kind;
        return (read, new[] { segment, period, publisher }.OfType<LabelMeaning>().ToList());
    }

    private static LabelMeaning? Meaning(IReadOnlyList<LabelMeaning> inForce, LabelKind kind, string? text, string country) =>
        string.IsNullOrWhiteSpace(text) ? null
        : inForce.Where(m => m.Kind == kind && m.Reads(text, country)).OrderBy(m => m.CountryIso3 is null ? 1 : 0).ThenByDescending(m => m.Id).FirstOrDefault();

    private static readonly Metric[] Read = [Metric.Production, Metric.Export, Metric.Import];
    private static readonly string[] Segments = [LabelValues.Total, LabelValues.Artisanal, LabelValues.Industrial];

    private static LeftOutReason? ReasonOf(Figure f, bool segmentMeant)
    {
        if (!f.IsWithinBounds || !HasWholePeriod(f))
            return LeftOutReason.BeyondBounds;
        if (!Read.Contains(f.Metric))
            return LeftOutReason.MetricNotRead;
        if (f.PeriodKind == PeriodKind.Unknown)
            return LeftOutReason.PeriodNotUnderstood;
        if (f.EndYear != f.Year)
            return LeftOutReason.SeveralYears;
        if (!segmentMeant && f.Segment is { } segment && !Segments.Contains(segment.Trim(), StringComparer.OrdinalIgnoreCase))
            return LeftOutReason.SegmentNotUnderstood;
        if (f.Carats is null && f.Usd is null && f.UsdPerCarat is null)
            return f.Value is not null && f.Currency is not null and not "USD" ? LeftOutReason.LocalCurrency : LeftOutReason.NothingToCompare;
        return null;
    }

    /// <summary>An understood period has its years and months, in range (the importers write them so; a hand-written row may not).</summary>
    private static bool HasWholePeriod(Figure f) =>
        f.PeriodKind == PeriodKind.Unknown
        || f.Year is not null && f.EndYear is not null && f.StartMonth is >= 1 and <= 12 && f.EndMonth is >= 1 and <= 12 && f.StartMonth <= f.EndMonth;

    /// <summary>One source as the parts-and-total rule reads it: one dataset, one publisher.</summary>
    private static (int, string?, string, Metric, string) SourceKey(Figure f) =>
        (f.DatasetId, f.SourcePublisher, f.CountryIso3, f.Metric, f.PartnerIso3 is null or "WLD" ? "" : f.PartnerIso3);

    /// <summary>One source as the annual series reads it when it builds a year from sub-periods: one kind and publisher, whatever the file.</summary>
    private static (SourceKind, string?, string, Metric, string) PublisherKey(Figure f) =>
        (f.SourceKind, f.SourcePublisher?.Trim().ToLowerInvariant(), f.CountryIso3, f.Metric, f.PartnerIso3 is null or "WLD" ? "" : f.PartnerIso3);

    /// <summary>Less than the whole: a segment, a flow detail, or part of a year.</summary>
    private static bool IsPart(Figure f) => !f.IsTotal || f.FlowDetail is not null || f.PeriodKind != PeriodKind.Year;

    /// <summary>
    /// Whether a rule can read a part: another source gives the same (source conflict), or its own source gives the
    /// whole it belongs to or the other parts that make it (parts and total; a year built from halves, quarters, months,
    /// or from artisanal and industrial).
    /// </summary>
    private static bool Completed(Figure part, ILookup<string, Figure> byGroup, ILookup<(int, string?, string, Metric, string), Figure> bySource,
        ILookup<(SourceKind, string?, string, Metric, string), Figure> byPublisher)
    {
        if (byGroup[CountryProfile.GroupKey(part)].Any(o => o.DatasetId != part.DatasetId || o.SourcePublisher != part.SourcePublisher))
            return true;
        if (part.FlowDetail is not null)
            return false;
        var source = bySource[SourceKey(part)].ToList();
        if (!part.IsTotal)
        {
            var samePeriod = source.Where(o => o.Period.Key == part.Period.Key).ToList();
            var other = Same(part.Segment, LabelValues.Artisanal) ? LabelValues.Industrial : Same(part.Segment, LabelValues.Industrial) ? LabelValues.Artisanal : null;
            if (samePeriod.Any(o => o.IsTotal) || other is not null && samePeriod.Any(o => Same(o.Segment, other)))
                return true;
        }
        if (part.PeriodKind == PeriodKind.Year)
            return false;
        if (source.Any(o => Same(o.Segment, part.Segment) && o.Year == part.Year && o.PeriodKind == PeriodKind.Year))
            return true;
        var sameYear = byPublisher[PublisherKey(part)].Where(o => Same(o.Segment, part.Segment) && o.Year == part.Year).ToList();
        var months = sameYear.Where(o => o.PeriodKind == part.PeriodKind).DistinctBy(o => o.Period.Key).Sum(o => o.EndMonth!.Value - o.StartMonth!.Value + 1);
        return months == 12;
    }

    private static bool Same(string? segment, string? other) =>
        string.Equals((segment ?? LabelValues.Total).Trim(), (other ?? LabelValues.Total).Trim(), StringComparison.OrdinalIgnoreCase);
}
