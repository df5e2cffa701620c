using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Comtrade;

namespace Kimberlite.Analysis.Rules;

/// <summary>
/// Countries that produce little and trade much (the setting <see cref="AnalysisOptions.TradingHubs"/>): a year's
/// re-exports beyond what came in (imports, plus production where one is known) by more than the tolerance left
/// for stocks, and a US$/carat of exports above that of imports of the same year by more than the mark-up a
/// hub's sorting explains. From the figures, and from what each hub declared to UN Comtrade.
/// </summary>
public sealed class TradingHubRule : IFindingRule
{
    public const string Markup = "markup";

    public FindingRule Rule => FindingRule.TradingHub;

    public IEnumerable<FindingCandidate> Find(AnalysisData data, AnalysisOptions options)
    {
        var hubs = options.TradingHubs.Select(h => h.Trim().ToUpperInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var hub in hubs)
        {
            if (!data.Profiles.TryGetValue(hub, out var profile))
                continue;
            foreach (var exports in profile.Exports.Carats)
            {
                // A year with a production figure is the balance rule's: exports against production plus imports.
                if (profile.Imports.Carats.FirstOrDefault(p => p.Year == exports.Year) is not { } imports
                    || profile.Production.Carats.Any(p => p.Year == exports.Year))
                    continue;
                if (BeyondImports($"{hub}|{exports.Year}|carats", hub, exports.Year, Measures.Input("exports", exports, Measures.Carats),
                        Measures.Input("imports", imports, Measures.Carats), options) is { } found)
                    yield return found;
            }
            foreach (var exports in profile.Exports.UsdPerCarat)
            {
                if (profile.Imports.UsdPerCarat.FirstOrDefault(p => p.Year == exports.Year) is { } imports
                    && MarkedUp($"{hub}|{exports.Year}|{Markup}", hub, exports.Year, Measures.Input("exportValuation", exports, Measures.UsdPerCarat),
                        Measures.Input("importValuation", imports, Measures.UsdPerCarat), options) is { } found)
                    yield return found;
            }
        }
        foreach (var found in FromComtrade(data, hubs, options))
            yield return found;
    }

    /// <summary>
    /// What each hub declared to UN Comtrade for a year: its total with the world where its file gives one, else
    /// the sum over its partners; a flow with a total not counted in carats is left out (what it weighs is unknown).
    /// One pass over the totals, a hub recognised by its packed code (no string made per total).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<FindingCandidate> FromComtrade(AnalysisData data, List<string> hubs, AnalysisOptions options)
    {
        var found = new List<FindingCandidate>();
        if (hubs.Count == 0 || data.Trade.Count == 0)
            return found;
        var packed = new HashSet<ulong>(hubs.Where(h => TradeKey.TryOf(h, "WLD", 'X', 2000, out _)).Select(h => TradeKey.Of(h, "WLD", 'X', 2000).ToUInt64() >> 40));
        var years = new Dictionary<TradeKey, (DeclaredFlow Exports, DeclaredFlow Imports)>();
        foreach (var (key, total) in data.Trade)
        {
            if (key.Flow is not ('X' or 'M') || !packed.Contains(key.ToUInt64() >> 40))
                continue;
            ref var year = ref CollectionsMarshal.GetValueRefOrAddDefault(years, key.ReporterAndYear, out _);
            ref var flow = ref key.Flow == 'X' ? ref year.Exports : ref year.Imports;
            flow.Add(total, key.PartnerIsWorld);
        }
        foreach (var (key, (exported, imported)) in years.OrderBy(y => y.Key.Reporter, StringComparer.Ordinal).ThenBy(y => y.Key.Year))
        {
            var (exports, imports) = (exported.Declared(), imported.Declared());
            var (hub, year) = (key.Reporter, key.Year);
            if (exports.Totals == 0 || imports.Totals == 0 || exports.Uncounted || imports.Uncounted)
                continue;
            var hasProduction = data.Profiles.TryGetValue(hub, out var profile) && profile.Production.Carats.Any(p => p.Year == year);
            if (!hasProduction && BeyondImports($"{Finding.ComtradeKeyPrefix}{hub}|{year}|carats", hub, year,
                    Measures.Comtrade("exports", exports.Carats, Measures.Carats, exports.DatasetId, year),
                    Measures.Comtrade("imports", imports.Carats, Measures.Carats, imports.DatasetId, year), options) is { } beyond)
                found.Add(beyond);
            if (exports.Carats > 0 && imports.Carats > 0 && !exports.UsdUnknown && !imports.UsdUnknown
                && MarkedUp($"{Finding.ComtradeKeyPrefix}{hub}|{year}|{Markup}", hub, year,
                    Measures.Comtrade("exportValuation", Math.Round(exports.Usd / exports.Carats, 2), Measures.UsdPerCarat, exports.DatasetId, year),
                    Measures.Comtrade("importValuation", Math.Round(imports.Usd / imports.Carats, 2), Measures.UsdPerCarat, imports.DatasetId, year), options) is { } markup)
                found.Add(markup);
        }
        return found;
    }

    /// <summary>Exports beyond imports by more than the tolerance left for stocks.</summary>
    private FindingCandidate? BeyondImports(string key, string hub, int year, FindingInput exports, FindingInput imports, AnalysisOptions options)
    {
        var ceiling = imports.Value * (1 + options.TradingHubTolerancePercent / 100m);
        if (imports.Value <= 0 || exports.Value <= ceiling)
            return null;
        return new FindingCandidate(Rule, key, hub, null, year, Measures.Year(year), Metric.Export, Measures.Carats,
            exports.Value, imports.Value, null, ceiling, options.TradingHubTolerancePercent, [exports, imports]);
    }

    /// <summary>Exports priced above the same year's imports by more than the mark-up a hub's sorting explains.</summary>
    private FindingCandidate? MarkedUp(string key, string hub, int year, FindingInput exports, FindingInput imports, AnalysisOptions options)
    {
        var ceiling = imports.Value * (1 + options.TradingHubMarkupPercent / 100m);
        if (imports.Value <= 0 || exports.Value <= ceiling)
            return null;
        return new FindingCandidate(Rule, key, hub, null, year, Measures.Year(year), Metric.Export, Measures.UsdPerCarat,
            exports.Value, imports.Value, null, ceiling, options.TradingHubMarkupPercent, [exports, imports]);
    }
}
