using System.Runtime.CompilerServices;
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
        foreach (var candidate in ComtradeGaps(data, options))
            yield return candidate;

        foreach (var ((reporter, partner, _, year), exports) in data.Bilateral.Where(b => b.Key.Metric == Metric.Export).OrderBy(b => b.Key))
        {
            if (!data.Bilateral.TryGetValue((partner, reporter, Metric.Import, year), out var imports))
                continue;
            foreach (var (measure, read) in Measures.OfFigure)
                if (exports.FirstOrDefault(f => read(f) is not null) is { } exported && imports.FirstOrDefault(f => read(f) is not null) is { } imported
                    && Gap($"{reporter}|{partner}|{year}|{measure}", reporter, partner, year, measure, read(exported)!.Value, read(imported)!.Value,
                        Measures.Input("exports", read(exported)!.Value, measure, exported), Measures.Input("mirrorImports", read(imported)!.Value, measure, imported),
                        options) is { } c)
                    yield return c;
        }
    }

    /// <summary>Every yearly Comtrade export against its partner's mirror import: up to a million lookups.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<FindingCandidate> ComtradeGaps(AnalysisData data, AnalysisOptions options)
    {
        var gaps = new List<FindingCandidate>();
        // Most of a million pairs agree well inside the tolerance: a comparison in doubles, with a margin
        // far beyond their rounding, sets those aside before the exact one in decimals. A tolerance below
        // a thousandth of a per cent leaves no such margin and goes straight to the exact comparison.
        var agreeWithin = options.MirrorGapTolerancePercent >= 0.001m ? (double)options.MirrorGapTolerancePercent / 100 * (1 - 1e-9) : -1;
        foreach (var (key, exported) in data.Trade)
        {
            if (key.Flow != 'X' || key.PartnerIsWorld || !data.Trade.TryGetValue(key.Mirror('M'), out var imported))
                continue;
            Compare(Measures.Carats, exported.Carats, imported.Carats);
            Compare(Measures.Usd, exported.Usd, imported.Usd);

            // The codes, the key and the inputs are made only for a gap: most pairs agree.
            void Compare(string measure, decimal? expected, decimal? observed)
            {
                if (expected is not { } e || observed is not { } o
                    || Math.Abs((double)o - (double)e) <= Math.Abs((double)e) * agreeWithin || !Beyond(e, o, options))
                    return;
                var (reporter, partner, year) = (key.Reporter, key.Partner, key.Year);
                if (Gap($"{Finding.ComtradeKeyPrefix}{reporter}|{partner}|{year}|{measure}", reporter, partner, year, measure, e, o,
                        Measures.Comtrade("exports", e, measure, exported.DatasetId, year),
                        Measures.Comtrade("mirrorImports", o, measure, imported.DatasetId, year),
                        options) is { } c)
                    gaps.Add(c);
            }
        }
        return gaps;
    }

    private static bool Beyond(decimal expected, decimal observed, AnalysisOptions options) =>
        expected != 0 && Math.Abs(observed - expected) > Math.Abs(expected) * options.MirrorGapTolerancePercent / 100m;

    /// <summary>A finding when what the partner declared is further from the exporter's figure than the tolerance.</summary>
    private FindingCandidate? Gap(
        string key, string reporter, string partner, int year, string measure, decimal expected, decimal observed,
        FindingInput exportInput, FindingInput importInput, AnalysisOptions options)
    {
        if (!Beyond(expected, observed, options))
            return null;
        var tolerance = Math.Abs(expected) * options.MirrorGapTolerancePercent / 100m;
        return new FindingCandidate(
            Rule, key, reporter, partner, year, Measures.Year(year), Metric.Export, measure,
            observed, expected, expected - tolerance, expected + tolerance, options.MirrorGapTolerancePercent, [exportInput, importInput]);
    }
}
