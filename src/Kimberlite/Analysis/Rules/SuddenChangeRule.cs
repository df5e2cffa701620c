using Kimberlite.Statistics;

namespace Kimberlite.Analysis.Rules;

/// <summary>
/// A year that breaks from the country's own history, on one coherent series: one publisher in one kind of source
/// (the Kimberley Process's own table is never mixed with national or press figures) and complete years only (a
/// half published alone is no year). A rise or a fall beyond the robust score — the distance from the median of the
/// previous years in median absolute deviations (the "modified z-score" of Iglewicz and Hoaglin), and by at least the minimum
/// change — is reported
/// once, in the year it breaks: the history then restarts from the new level. Across years with no complete
/// figure, a fall from the last complete year beyond the collapse threshold is a collapse.
/// </summary>
public sealed class SuddenChangeRule : IFindingRule
{
    /// <summary>Makes the median absolute deviation comparable to a standard deviation for normal data.</summary>
    private const decimal Consistency = 0.6745m;

    /// <summary>The end of the key of a fall across missing years.</summary>
    public const string CollapseSuffix = "|collapse";

    public FindingRule Rule => FindingRule.SuddenChange;

    public IEnumerable<FindingCandidate> Find(AnalysisData data, AnalysisOptions options)
    {
        foreach (var country in data.Figures.Where(f => !CountryCodes.IsAggregate(f.CountryIso3)).GroupBy(f => f.CountryIso3).OrderBy(g => g.Key))
        foreach (var family in country.GroupBy(f => (f.SourceKind, Publisher: f.SourcePublisher?.Trim().ToLowerInvariant() ?? "")).OrderBy(g => g.Key))
        foreach (var metric in new[] { Metric.Production, Metric.Export })
        foreach (var (measure, read) in new[] { (Measures.Carats, AnnualSeries.Carats), (Measures.Usd, AnnualSeries.Usd) })
        {
            var suffix = Family(family.Key.SourceKind, family.Key.Publisher);
            foreach (var found in Breaks(country.Key, metric, measure, suffix, AnnualSeries.Build(family, metric, read), options))
                yield return found;
        }
    }

    /// <summary>
    /// The end of the key that names the series' publisher; none for the Kimberley Process's own table, whose
    /// findings keep the keys they had before series were split by publisher.
    /// </summary>
    private static string Family(SourceKind kind, string publisher) =>
        kind == SourceKind.KimberleyProcess && publisher == "kimberley process" ? ""
            : $"|{kind.ToString().ToLowerInvariant()}:{(publisher.Length > 150 ? publisher[..150] : publisher)}";

    private IEnumerable<FindingCandidate> Breaks(string country, Metric metric, string measure, string suffix, IReadOnlyList<SeriesPoint> points, AnalysisOptions options)
    {
        var history = new List<SeriesPoint>(); // the years since the last break
        foreach (var current in points)
        {
            var last = history.LastOrDefault();
            var key = $"{country}|{metric}|{measure}|{current.Year}{suffix}";
            if (last is { Value: > 0 } && current.Year - last.Year > 1 && current.Value <= last.Value * (1 - options.CollapseFallPercent / 100m))
            {
                // Years with no complete figure between: no score, only the fall from the last complete year.
                yield return new FindingCandidate(
                    Rule, key + CollapseSuffix, country, null, current.Year, Measures.Year(current.Year), metric, measure,
                    current.Value, last.Value, null, last.Value * (1 - options.CollapseFallPercent / 100m), options.CollapseFallPercent,
                    [Measures.Input($"history:{last.Year}", last, measure), Measures.Input("value", current, measure)]);
                history = [current];
                continue;
            }
            if (history.Count >= options.SuddenChangeMinimumYears && Score(history, current, options) is { } found)
            {
                var (median, reach) = found;
                var inputs = history.Select(p => Measures.Input($"history:{p.Year}", p, measure)).Append(Measures.Input("value", current, measure)).ToList();
                yield return new FindingCandidate(
                    Rule, key, country, null, current.Year, Measures.Year(current.Year), metric, measure,
                    current.Value, median, median - reach, median + reach, options.SuddenChangeThreshold, inputs);
                history = [current]; // a level shift is reported once: the next years are read against the new level
                continue;
            }
            history.Add(current);
        }
    }

    /// <summary>The median of the history and the reach of the threshold around it, when the year lies beyond it.</summary>
    private static (decimal Median, decimal Reach)? Score(List<SeriesPoint> history, SeriesPoint current, AnalysisOptions options)
    {
        var values = history.Select(p => p.Value).ToList();
        var median = ValuationGapRule.Median(values);
        // A flat history has no spread: a floor of 1 % of the median keeps the score finite and meaningful.
        var mad = Math.Max(ValuationGapRule.Median(values.Select(v => Math.Abs(v - median))), Math.Abs(median) * 0.01m);
        if (mad == 0 || Math.Abs(Consistency * (current.Value - median) / mad) <= options.SuddenChangeThreshold)
            return null;
        // A very steady producer makes a small move improbable, not worth a look: the change must also be large.
        if (Math.Abs(current.Value - median) < Math.Abs(median) * options.SuddenChangeMinimumPercent / 100m)
            return null;
        return (median, options.SuddenChangeThreshold * mad / Consistency);
    }
}
