using Kimberlite.Statistics;

namespace Kimberlite.Analysis.Rules;

/// <summary>
/// A yearly value that breaks from the country's own history: its distance from the median of the
/// previous years, in median absolute deviations (the robust "modified z-score" of Iglewicz and
/// Hoaglin), beyond the threshold; at least the minimum number of previous years.
/// </summary>
public sealed class SuddenChangeRule : IFindingRule
{
    /// <summary>Makes the median absolute deviation comparable to a standard deviation for normal data.</summary>
    private const decimal Consistency = 0.6745m;

    public FindingRule Rule => FindingRule.SuddenChange;

    public IEnumerable<FindingCandidate> Find(AnalysisData data, AnalysisOptions options)
    {
        foreach (var profile in data.Profiles.Values.Where(p => !CountryCodes.IsAggregate(p.Iso3)).OrderBy(p => p.Iso3))
        foreach (var series in new[] { profile.Production, profile.Exports })
        foreach (var (measure, points) in new[] { (Measures.Carats, series.Carats), (Measures.Usd, series.Usd) })
        {
            for (var i = options.SuddenChangeMinimumYears; i < points.Count; i++)
            {
                var history = points.Take(i).Select(p => p.Value).ToList();
                var median = ValuationGapRule.Median(history);
                // A flat history has no spread: a floor of 1 % of the median keeps the score finite and meaningful.
                var mad = Math.Max(ValuationGapRule.Median(history.Select(v => Math.Abs(v - median))), Math.Abs(median) * 0.01m);
                if (mad == 0)
                    continue;
                var current = points[i];
                var score = Consistency * (current.Value - median) / mad;
                if (Math.Abs(score) <= options.SuddenChangeThreshold)
                    continue;
                var reach = options.SuddenChangeThreshold * mad / Consistency;
                var inputs = points.Take(i + 1).Select(p => Measures.Input(p.Year == current.Year ? "value" : $"history:{p.Year}", p, measure)).ToList();
                yield return new FindingCandidate(
                    Rule, $"{profile.Iso3}|{series.Metric}|{measure}|{current.Year}", profile.Iso3, null, current.Year, Measures.Year(current.Year),
                    series.Metric, measure, current.Value, median, median - reach, median + reach, options.SuddenChangeThreshold, inputs);
            }
        }
    }
}
