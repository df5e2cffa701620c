using Kimberlite.Analysis.Rates;
using Kimberlite.Statistics;

namespace Kimberlite.Analysis.Rules;

/// <summary>
/// Undervaluation: a country's exports priced, in US$/carat, below (a) what its partners say the same flow was
/// worth, (b) its own production valuation, or (c) the benchmark: the median export US$/carat of comparable
/// producers of the same year. Below the benchmark, the legal rate in force that year (data, with its source)
/// gives the revenue the gap cost the state. Exports priced above are <see cref="OvervaluationRule"/>.
/// </summary>
public sealed class ValuationGapRule : IFindingRule
{
    public FindingRule Rule => FindingRule.ValuationGap;

    public IEnumerable<FindingCandidate> Find(AnalysisData data, AnalysisOptions options) =>
        Valuations.Compare(data, options).Where(c => c.Below).Select(c => c.Candidate(Rule, data, options));

    public static decimal Median(IEnumerable<decimal> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

/// <summary>
/// Overvaluation: exports priced above the partners' valuation of the same flow, the country's own production
/// valuation or comparable producers' median — diamonds of another origin declared as the country's, or money
/// moved through invoices.
/// </summary>
public sealed class OvervaluationRule : IFindingRule
{
    public FindingRule Rule => FindingRule.Overvaluation;

    public IEnumerable<FindingCandidate> Find(AnalysisData data, AnalysisOptions options) =>
        Valuations.Compare(data, options).Where(c => !c.Below).Select(c => c.Candidate(Rule, data, options));
}

/// <summary>One export valuation against what it is compared with, beyond the tolerance either way.</summary>
internal sealed record Valuation(
    string Country, string? Partner, int Year, string Basis, decimal Observed, decimal Expected, IReadOnlyList<FindingInput> Inputs, SeriesPoint? Carats)
{
    public bool Below => Observed < Expected;

    public FindingCandidate Candidate(FindingRule rule, AnalysisData data, AnalysisOptions options)
    {
        var tolerance = Math.Abs(Expected) * options.ValuationGapTolerancePercent / 100m;
        List<FindingInput> inputs = [.. Inputs];
        decimal? lost = null, rate = null;
        string? rateSource = null;
        // Revenue at stake only against comparable producers: the same goods, at the rate in force that year.
        if (Basis == Valuations.Regional && Below && Carats is not null && LegalRates.InForce(data.LegalRates, Country, Year) is { Count: > 0 } rates)
        {
            rate = rates.Sum(r => r.RatePercent);
            rateSource = LegalRates.Describe(rates);
            lost = RevenueLost(Expected - Observed, Carats.Value, rate.Value);
            inputs.AddRange(rates.Select(LegalRates.Input));
        }
        return new FindingCandidate(
            rule, $"{Country}|{Year}|{Basis}", Country, Partner, Year, Measures.Year(Year), Metric.Export, Measures.UsdPerCarat,
            Observed, Expected, Expected - tolerance, Expected + tolerance, options.ValuationGapTolerancePercent, inputs, lost, rate, rateSource);
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
}

internal static class Valuations
{
    public const string Production = "production", Regional = "regional";

    /// <summary>Every export valuation that differs from what it is compared with beyond the tolerance, above or below.</summary>
    public static IEnumerable<Valuation> Compare(AnalysisData data, AnalysisOptions options)
    {
        var tolerance = options.ValuationGapTolerancePercent;
        var comparable = options.RegionalBenchmarkCountries.ToHashSet(StringComparer.OrdinalIgnoreCase);
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
                    if (exported?.UsdPerCarat is { } own && imported?.UsdPerCarat is { } theirs && Beyond(own, theirs, tolerance))
                        yield return new Valuation(profile.Iso3, partner, year, $"partner:{partner}", own, theirs,
                            [Measures.Input("exportValuation", own, Measures.UsdPerCarat, exported), Measures.Input("partnerValuation", theirs, Measures.UsdPerCarat, imported)], null);
                }

                // (b) its own production valuation
                if (profile.Production.UsdPerCarat.FirstOrDefault(p => p.Year == export.Year) is { } production && Beyond(export.Value, production.Value, tolerance))
                    yield return new Valuation(profile.Iso3, null, export.Year, Production, export.Value, production.Value,
                        [Measures.Input("exportValuation", export, Measures.UsdPerCarat), Measures.Input("productionValuation", production, Measures.UsdPerCarat)], null);

                // (c) comparable producers: only a member of the group is compared, with the others of the same year
                if (!comparable.Contains(profile.Iso3))
                    continue;
                var peers = comparable.Where(c => !string.Equals(c, profile.Iso3, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal)
                    .Select(c => data.Profiles.GetValueOrDefault(c.ToUpperInvariant())?.Exports.UsdPerCarat.FirstOrDefault(x => x.Year == export.Year))
                    .OfType<SeriesPoint>().ToList();
                if (peers.Count < options.RegionalBenchmarkMinimumCountries)
                    continue;
                var median = ValuationGapRule.Median(peers.Select(x => x.Value));
                if (!Beyond(export.Value, median, tolerance))
                    continue;
                List<FindingInput> inputs =
                [
                    Measures.Input("exportValuation", export, Measures.UsdPerCarat),
                    new("regionalMedian", median, Measures.UnitOf(Measures.UsdPerCarat), null, null, null, null, Measures.Year(export.Year)),
                    .. peers.Select(p => Measures.Input($"peer:{p.Source.CountryIso3}", p, Measures.UsdPerCarat)),
                ];
                if (carats is not null)
                    inputs.Add(Measures.Input("exportedCarats", carats, Measures.Carats));
                yield return new Valuation(profile.Iso3, null, export.Year, Regional, export.Value, median, inputs, carats);
            }
        }
    }

    private static bool Beyond(decimal observed, decimal expected, decimal tolerancePercent) =>
        expected != 0 && Math.Abs(observed - expected) > Math.Abs(expected) * tolerancePercent / 100m;
}
