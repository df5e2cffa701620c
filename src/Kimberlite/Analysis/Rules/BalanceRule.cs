using Kimberlite.Statistics;

namespace Kimberlite.Analysis.Rules;

/// <summary>
/// Exports in a year exceed production plus imports by more than the tolerance (left for stocks): the
/// check that removed the Republic of Congo from the Kimberley Process in 2004. Carats, preferred sources.
/// </summary>
public sealed class BalanceRule : IFindingRule
{
    public FindingRule Rule => FindingRule.Balance;

    public IEnumerable<FindingCandidate> Find(AnalysisData data, AnalysisOptions options)
    {
        foreach (var profile in data.Profiles.Values.Where(p => !CountryCodes.IsAggregate(p.Iso3)))
        {
            foreach (var export in profile.Exports.Carats)
            {
                var production = profile.Production.Carats.FirstOrDefault(p => p.Year == export.Year);
                if (production is null)
                    continue;
                var imports = profile.Imports.Carats.FirstOrDefault(p => p.Year == export.Year);
                var supply = production.Value + (imports?.Value ?? 0);
                var ceiling = supply * (1 + options.BalanceTolerancePercent / 100m);
                if (export.Value <= ceiling)
                    continue;
                List<FindingInput> inputs =
                [
                    Measures.Input("exports", export.Value, Measures.Carats, export.Source),
                    Measures.Input("production", production.Value, Measures.Carats, production.Source),
                ];
                if (imports is not null)
                    inputs.Add(Measures.Input("imports", imports.Value, Measures.Carats, imports.Source));
                yield return new FindingCandidate(
                    Rule, $"{profile.Iso3}|{export.Year}|carats", profile.Iso3, null, export.Year, Measures.Year(export.Year), Metric.Export,
                    Measures.Carats, export.Value, supply, null, ceiling, options.BalanceTolerancePercent, inputs);
            }
        }
    }
}
