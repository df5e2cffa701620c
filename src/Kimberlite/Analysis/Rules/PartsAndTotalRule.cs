using Kimberlite.Statistics;

namespace Kimberlite.Analysis.Rules;

/// <summary>
/// Components that do not add up to the total that the same source published: segments (artisanal,
/// industrial), partners (exports by destination) and sub-periods (quarters, halves, months of a year).
/// Parts that exceed the total are always a finding; parts that fall short only when they claim to be
/// the whole (two or more segments, or sub-periods that cover the whole year).
/// </summary>
public sealed class PartsAndTotalRule : IFindingRule
{
    public FindingRule Rule => FindingRule.PartsAndTotal;

    public IEnumerable<FindingCandidate> Find(AnalysisData data, AnalysisOptions options)
    {
        // Same source: the same dataset and the same publisher; a release the publisher revised is no part of anything.
        var superseded = SourcePreference.Superseded(data.Figures);
        var bySource = data.Figures.Where(f => !CountryCodes.IsAggregate(f.CountryIso3) && !superseded.Contains(f))
            .GroupBy(f => (f.DatasetId, f.SourcePublisher, f.CountryIso3, f.Metric));
        foreach (var source in bySource.OrderBy(g => g.Key.DatasetId).ThenBy(g => g.Key.CountryIso3).ThenBy(g => g.Key.Metric))
        {
            var figures = source.ToList();
            foreach (var candidate in Segments(figures, options).Concat(Partners(figures, options)).Concat(SubPeriods(figures, options)))
                yield return candidate;
        }
    }

    private IEnumerable<FindingCandidate> Segments(List<Figure> figures, AnalysisOptions options) =>
        figures.Where(f => f.PeriodKind != PeriodKind.Unknown && (f.PartnerIso3 is null or "WLD"))
            .GroupBy(f => f.Period.Key)
            .SelectMany(period =>
            {
                var total = period.FirstOrDefault(f => f.IsTotal);
                var parts = period.Where(f => !f.IsTotal).ToList();
                return total is null || parts.Count == 0 ? [] : Compare("segments", total, parts, exhaustive: parts.Count >= 2, options);
            });

    private IEnumerable<FindingCandidate> Partners(List<Figure> figures, AnalysisOptions options) =>
        figures.Where(f => f.PeriodKind != PeriodKind.Unknown && f.FlowDetail is null)
            .GroupBy(f => f.Period.Key)
            .SelectMany(period =>
            {
                var total = period.FirstOrDefault(f => f.PartnerIso3 is null or "WLD" && f.IsTotal);
                var parts = period.Where(f => f.PartnerIso3 is { } p && !CountryCodes.IsAggregate(p)).ToList();
                return total is null || parts.Count == 0 ? [] : Compare("partners", total, parts, exhaustive: false, options);
            });

    private IEnumerable<FindingCandidate> SubPeriods(List<Figure> figures, AnalysisOptions options) =>
        figures.Where(f => f.IsTotal && f.PartnerIso3 is null or "WLD" && f.FlowDetail is null && f.Year is not null && f.EndYear == f.Year)
            .GroupBy(f => f.Year!.Value)
            .SelectMany(year =>
            {
                var total = year.FirstOrDefault(f => f.PeriodKind == PeriodKind.Year);
                var parts = year.Where(f => f.PeriodKind is PeriodKind.Quarter or PeriodKind.Half or PeriodKind.Month).ToList();
                if (total is null || parts.Count == 0)
                    return [];
                // Parts of one kind that do not overlap; they claim the whole year when their months cover it.
                var kind = parts.GroupBy(p => p.PeriodKind).OrderByDescending(g => g.Count()).First().ToList();
                var months = kind.Sum(p => p.EndMonth!.Value - p.StartMonth!.Value + 1);
                return Compare("periods", total, kind, exhaustive: months == 12, options);
            });

    private IEnumerable<FindingCandidate> Compare(string basis, Figure total, List<Figure> parts, bool exhaustive, AnalysisOptions options)
    {
        foreach (var (measure, read) in Measures.OfFigure)
        {
            if (read(total) is not { } whole || whole == 0)
                continue;
            var known = parts.Where(p => read(p) is not null).ToList();
            if (known.Count == 0)
                continue;
            var sum = known.Sum(p => read(p)!.Value);
            var tolerance = whole * options.PartsAndTotalTolerancePercent / 100m;
            var over = sum > whole + tolerance;
            var short_ = exhaustive && known.Count == parts.Count && sum < whole - tolerance;
            if (!over && !short_)
                continue;
            var inputs = new List<FindingInput> { Measures.Input("total", whole, measure, total) };
            inputs.AddRange(known.Select(p => Measures.Input($"part:{p.Segment ?? p.PartnerIso3 ?? p.PeriodText}", read(p)!.Value, measure, p)));
            yield return new FindingCandidate(
                Rule, $"{CountryProfile.GroupKey(total)}|{basis}|{measure}|{total.DatasetId}", total.CountryIso3, null, total.Year,
                Measures.PeriodOf(total), total.Metric, measure, sum, whole, exhaustive ? whole - tolerance : null, whole + tolerance,
                options.PartsAndTotalTolerancePercent, inputs);
        }
    }
}
