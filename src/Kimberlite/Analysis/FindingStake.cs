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
    /// A small stake is for information and a large one serious from a modest per cent (else a warning),
    /// whatever the other measure; in between, or where the figures give no stake, the per cent decides.
    /// </summary>
    public Severity Severity(decimal gapPercent, AnalysisOptions options)
    {
        var gap = Math.Abs(gapPercent);
        if (Usd >= options.LargeStakeUsd || Carats >= options.LargeStakeCarats)
            return gap >= options.LargeStakeSeriousFromPercent ? Analysis.Severity.Serious : Analysis.Severity.Warning;
        if ((Usd is not null || Carats is not null) && (Usd ?? 0) < options.SmallStakeUsd && (Carats ?? 0) < options.SmallStakeCarats)
            return Analysis.Severity.Info;
        return gap switch
        {
            _ when gap >= options.SeriousFromPercent => Analysis.Severity.Serious,
            _ when gap >= options.WarningFromPercent => Analysis.Severity.Warning,
            _ => Analysis.Severity.Info,
        };
    }
}
