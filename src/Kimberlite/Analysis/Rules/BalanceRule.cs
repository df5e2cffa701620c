using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Comtrade;

namespace Kimberlite.Analysis.Rules;

/// <summary>
/// Exports in a year exceed production plus imports by more than the tolerance (left for stocks): the
/// check that removed the Republic of Congo from the Kimberley Process in 2004. Carats, preferred sources;
/// and the same on what each country declared to UN Comtrade, against its production.
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
                if (Shortfall($"{profile.Iso3}|{export.Year}|carats", profile.Iso3, export.Year,
                        Measures.Input("exports", export, Measures.Carats), production,
                        imports is null ? null : Measures.Input("imports", imports, Measures.Carats), options) is { } found)
                    yield return found;
            }
        }

        foreach (var candidate in ComtradeBalances(data, options))
            yield return candidate;
    }

    /// <summary>
    /// A country's yearly exports as it declared them to UN Comtrade, against its production (the preferred
    /// figure) plus the imports it declared there. Each flow is the file's total with the world where it
    /// gives one (every partner, areas not specified included), else the sum over partner countries. A year
    /// with a total not counted in carats is left out, on either side: what that total weighs is unknown.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<FindingCandidate> ComtradeBalances(AnalysisData data, AnalysisOptions options)
    {
        var years = new Dictionary<TradeKey, (DeclaredFlow Exports, DeclaredFlow Imports)>();
        foreach (var (key, total) in data.Trade)
        {
            if (key.Flow is not ('X' or 'M'))
                continue;
            ref var year = ref CollectionsMarshal.GetValueRefOrAddDefault(years, key.ReporterAndYear, out _);
            ref var flow = ref key.Flow == 'X' ? ref year.Exports : ref year.Imports;
            flow.Add(total, key.PartnerIsWorld);
        }

        var found = new List<FindingCandidate>();
        foreach (var (key, (exported, imported)) in years)
        {
            var (exports, imports) = (exported.Declared(), imported.Declared());
            if (exports.Totals == 0 || exports.Uncounted || imports.Uncounted)
                continue;
            var (country, year) = (key.Reporter, key.Year);
            if (CountryCodes.IsAggregate(country) || !data.Profiles.TryGetValue(country, out var profile)
                || profile.Production.Carats.FirstOrDefault(p => p.Year == year) is not { } production)
                continue;
            // Most years balance: the inputs are made only for a shortfall.
            if (exports.Carats <= (production.Value + imports.Carats) * (1 + options.BalanceTolerancePercent / 100m))
                continue;
            found.Add(Shortfall($"{Finding.ComtradeKeyPrefix}{country}|{year}|carats", country, year,
                Measures.Comtrade("exports", exports.Carats, Measures.Carats, exports.DatasetId, year), production,
                imports.Totals > 0 ? Measures.Comtrade("imports", imports.Carats, Measures.Carats, imports.DatasetId, year) : null, options)!);
        }
        return found;
    }

    /// <summary>A finding when exports exceed production plus imports (none when not given) beyond the tolerance.</summary>
    private FindingCandidate? Shortfall(string key, string country, int year, FindingInput exports, SeriesPoint production, FindingInput? imports, AnalysisOptions options)
    {
        var supply = production.Value + (imports?.Value ?? 0);
        var ceiling = supply * (1 + options.BalanceTolerancePercent / 100m);
        if (exports.Value <= ceiling)
            return null;
        List<FindingInput> inputs = [exports, Measures.Input("production", production, Measures.Carats)];
        if (imports is not null)
            inputs.Add(imports);
        return new FindingCandidate(
            Rule, key, country, null, year, Measures.Year(year), Metric.Export,
            Measures.Carats, exports.Value, supply, null, ceiling, options.BalanceTolerancePercent, inputs);
    }
}
