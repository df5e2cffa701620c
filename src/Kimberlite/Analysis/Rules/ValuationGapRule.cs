using Kimberlite.Statistics;

namespace Kimberlite.Analysis.Rules;

/// <summary>
/// US$/carat of a country's exports against (a) what its partners say the same flow was worth,
/// (b) its own production valuation, (c) the regional benchmark: the median export US$/carat of the
/// comparable producers in the same year. Where the country's legal rate is a setting, an export
/// valuation below the benchmark states the revenue the gap cost the state.
/// </summary>
public sealed class ValuationGapRule : IFindingRule
{
    public FindingRule Rule => FindingRule.ValuationGap;

    public IEnumerable<FindingCandidate> Find(AnalysisData data, AnalysisOptions options)
    {
        var tolerance = options.ValuationGapTolerancePercent;
        foreach (var profile in data.Profiles.Values.Where(p => !CountryCodes.IsAggregate(p.Iso3)).OrderBy(p => p.Iso3))
        {
            foreach (var export in profile.Exports.UsdPerCarat)
            {
                var carats = profile.Exports.Carats.FirstOrDefault(p => p.Year == export.Year);

                // (a) partners' valuation of the same flows
                foreach (var ((reporter, partner, _, year), flows) in data.Bilateral.Where(b => b.Key.Reporter == profile.Iso3 && b.Key.Metric == Metric.Export && b.Key.Year == export.Year))
                {
                    var exported = flows.FirstOrDefault(f => f.UsdPerCarat is not null);
                    var imported = data.Bilateral.GetValueOrDefault((partner, reporter, Metric.Import, year))?.FirstOrDefault(f => f.UsdPerCarat is not null);
                    if (exported?.UsdPerCarat is { } own && imported?.UsdPerCarat is { } theirs
                        && Candidate(profile.Iso3, partner, year, $"partner:{partner}", own, theirs, tolerance,
                            Measures.Input("exportValuation", own, Measures.UsdPerCarat, exported), Measures.Input("partnerValuation", theirs, Measures.UsdPerCarat, imported), null, options) is { } c)
                        yield return c;
                }

                // (b) its own production valuation
                var production = profile.Production.UsdPerCarat.FirstOrDefault(p => p.Year == export.Year);
                if (production is not null
                    && Candidate(profile.Iso3, null, export.Year, "production", export.Value, production.Value, tolerance,
                        Measures.Input("exportValuation", export, Measures.UsdPerCarat), Measures.Input("productionValuation", production, Measures.UsdPerCarat), null, options) is { } p)
                    yield return p;

                // (c) the regional benchmark
                var peers = options.RegionalBenchmarkCountries.Where(c => c != profile.Iso3)
                    .Select(c => data.Profiles.GetValueOrDefault(c)?.Exports.UsdPerCarat.FirstOrDefault(x => x.Year == export.Year))
                    .OfType<SeriesPoint>().ToList();
                if (peers.Count >= options.RegionalBenchmarkMinimumCountries
                    && Candidate(profile.Iso3, null, export.Year, "regional", export.Value, Median(peers.Select(x => x.Value)), tolerance,
                        Measures.Input("exportValuation", export, Measures.UsdPerCarat), null, (carats, peers), options) is { } r)
                    yield return r;
            }
        }
    }

    private FindingCandidate? Candidate(
        string country, string? partner, int year, string basis, decimal observed, decimal expected, decimal tolerancePercent,
        FindingInput observedInput, FindingInput? expectedInput, (SeriesPoint? Carats, List<SeriesPoint> Peers)? benchmark, AnalysisOptions options)
    {
        if (expected == 0)
            return null;
        var tolerance = Math.Abs(expected) * tolerancePercent / 100m;
        if (Math.Abs(observed - expected) <= tolerance)
            return null;
        List<FindingInput> inputs = [observedInput];
        if (expectedInput is not null)
            inputs.Add(expectedInput);
        decimal? lost = null, rate = null;
        string? rateSource = null;
        if (benchmark is var (carats, peers))
        {
            inputs.Add(new FindingInput("regionalMedian", expected, Measures.UnitOf(Measures.UsdPerCarat), null, null, null, null, Measures.Year(year)));
            inputs.AddRange(peers.Select(p => Measures.Input($"peer:{p.Source.CountryIso3}", p, Measures.UsdPerCarat)));
            if (carats is not null)
                inputs.Add(Measures.Input("exportedCarats", carats, Measures.Carats));
            if (observed < expected && carats is not null && options.RevenueRates.TryGetValue(country, out var legal))
            {
                rate = legal.RatePercent;
                rateSource = legal.Source;
                lost = RevenueLost(expected - observed, carats.Value, legal.RatePercent);
            }
        }
        return new FindingCandidate(
            Rule, $"{country}|{year}|{basis}", country, partner, year, Measures.Year(year), Metric.Export, Measures.UsdPerCarat,
            observed, expected, expected - tolerance, expected + tolerance, tolerancePercent, inputs, lost, rate, rateSource);
    }

    /// <summary>The revenue a valuation gap costs; none when figures of absurd size would overflow it (the figures are still listed).</summary>
    private static decimal? RevenueLost(decimal gapPerCarat, decimal carats, decimal ratePercent)
    {
        try
        {
            return Math.Round(gapPerCarat * carats * ratePercent / 100m, 0);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    public static decimal Median(IEnumerable<decimal> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
