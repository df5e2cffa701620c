using Kimberlite.Statistics;

namespace Kimberlite.Analysis;

/// <summary>What a finding's gap is worth: carats and US$, each null where the figures do not say.</summary>
public readonly record struct FindingStake(decimal? Usd, decimal? Carats)
{
    /// <summary>
    /// The gap itself in its own measure; the other measure from the finding's own inputs (the carats of a
    /// valued flow), else from the country's US$ per carat of that year (exports, else production).
    /// </summary>
    public static FindingStake Of(FindingCandidate c, AnalysisData data)
    {
        var gap = Math.Abs(c.Gap);
        var flowCarats = c.Inputs.Where(i => i.Unit == "ct").Select(i => (decimal?)i.Value).FirstOrDefault();
        var price = PriceOf(c.Country, c.Year, data);
        (decimal? usd, decimal? carats) = c.Measure switch
        {
            Measures.Carats => (gap * price, (decimal?)gap),
            Measures.Usd => ((decimal?)gap, price is > 0 ? gap / price : null),
            // A price gap is worth the price difference over every carat of the flow it prices.
            _ => (flowCarats is { } ct ? gap * ct : null, flowCarats),
        };
        return new FindingStake(Whole(usd), Whole(carats));
    }

    private static decimal? PriceOf(string country, int? year, AnalysisData data)
    {
        if (year is not { } y || !data.Profiles.TryGetValue(country, out var profile))
            return null;
        return (profile.Exports.UsdPerCarat.FirstOrDefault(p => p.Year == y) ?? profile.Production.UsdPerCarat.FirstOrDefault(p => p.Year == y))?.Value;
    }

    // A stake is an order of magnitude: whole units, kept within what a finding stores.
    private static decimal? Whole(decimal? value) => value is { } v ? Math.Round(Math.Min(Math.Abs(v), 1e20m), 0) : null;

    /// <summary>
    /// Serious when the stake is large whatever the per cent; for information when it is small whatever the per
    /// cent; in between, by the gap in per cent. A stake the figures do not give is weighed by the per cent alone.
    /// </summary>
    public Severity Severity(decimal gapPercent, AnalysisOptions options)
    {
        if (Usd >= options.SeriousFromUsd || Carats >= options.SeriousFromCarats)
            return Analysis.Severity.Serious;
        if ((Usd is not null || Carats is not null) && (Usd ?? 0) < options.MinorBelowUsd && (Carats ?? 0) < options.MinorBelowCarats)
            return Analysis.Severity.Info;
        return Math.Abs(gapPercent) switch
        {
            var g when g >= options.SeriousFromPercent => Analysis.Severity.Serious,
            var g when g >= options.WarningFromPercent => Analysis.Severity.Warning,
            _ => Analysis.Severity.Info,
        };
    }
}
