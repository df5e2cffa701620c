using Kimberlite.Statistics;

namespace Kimberlite.Analysis.Rules;

/// <summary>
/// What A says it exported to B against what B says it imported from A, in carats and in US$, beyond
/// the tolerance. Imports are valued CIF (with freight and insurance) and exports FOB, so import values
/// run a few per cent higher: the tolerance leaves room for that.
/// </summary>
public sealed class MirrorGapRule : IFindingRule
{
    public FindingRule Rule => FindingRule.MirrorGap;

    public IEnumerable<FindingCandidate> Find(AnalysisData data, AnalysisOptions options)
    {
        foreach (var ((reporter, partner, metric, year), exports) in data.Bilateral.Where(b => b.Key.Metric == Metric.Export).OrderBy(b => b.Key))
        {
            if (!data.Bilateral.TryGetValue((partner, reporter, Metric.Import, year), out var imports))
                continue;
            foreach (var (measure, read) in new (string, Func<Figure, decimal?>)[] { (Measures.Carats, f => f.Carats), (Measures.Usd, f => f.Currency == "USD" ? f.Value : null) })
            {
                var exported = exports.FirstOrDefault(f => read(f) is not null);
                var imported = imports.FirstOrDefault(f => read(f) is not null);
                if (exported is null || imported is null || read(exported) is not { } expected || read(imported) is not { } observed || expected == 0)
                    continue;
                var tolerance = Math.Abs(expected) * options.MirrorGapTolerancePercent / 100m;
                if (Math.Abs(observed - expected) <= tolerance)
                    continue;
                yield return new FindingCandidate(
                    Rule, $"{reporter}|{partner}|{year}|{measure}", reporter, partner, year, Measures.Year(year), Metric.Export, measure,
                    observed, expected, expected - tolerance, expected + tolerance, options.MirrorGapTolerancePercent,
                    [Measures.Input("exports", expected, measure, exported), Measures.Input("mirrorImports", observed, measure, imported)]);
            }
        }
    }
}
