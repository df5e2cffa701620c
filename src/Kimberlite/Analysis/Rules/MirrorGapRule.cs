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
        foreach (var candidate in FromComtrade(data, options))
            yield return candidate;
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

    /// <summary>The same comparison on UN Comtrade records: A's exports (X) to B against B's imports (M) from A.</summary>
    private IEnumerable<FindingCandidate> FromComtrade(AnalysisData data, AnalysisOptions options)
    {
        foreach (var ((reporter, partner, _, year), exported) in data.Trade.Where(t => t.Key.Flow == "X").OrderBy(t => t.Key))
        {
            if (!data.Trade.TryGetValue((partner, reporter, "M", year), out var imported))
                continue;
            foreach (var (measure, expected, observed) in new[] { (Measures.Carats, exported.Carats, imported.Carats), (Measures.Usd, exported.Usd, imported.Usd) })
            {
                if (expected is not { } e || observed is not { } o || e == 0)
                    continue;
                var tolerance = Math.Abs(e) * options.MirrorGapTolerancePercent / 100m;
                if (Math.Abs(o - e) <= tolerance)
                    continue;
                yield return new FindingCandidate(
                    Rule, $"comtrade|{reporter}|{partner}|{year}|{measure}", reporter, partner, year, Measures.Year(year), Metric.Export, measure,
                    o, e, e - tolerance, e + tolerance, options.MirrorGapTolerancePercent,
                    [
                        new FindingInput("exports", e, Measures.UnitOf(measure), null, exported.DatasetId, "UN Comtrade", null, Measures.Year(year)),
                        new FindingInput("mirrorImports", o, Measures.UnitOf(measure), null, imported.DatasetId, "UN Comtrade", null, Measures.Year(year)),
                    ]);
            }
        }
    }
}
