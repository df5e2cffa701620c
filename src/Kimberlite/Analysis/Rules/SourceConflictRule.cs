using System.Globalization;
using System.Text.RegularExpressions;
using Kimberlite.Statistics;

namespace Kimberlite.Analysis.Rules;

/// <summary>
/// Two sources give different values for the same country, period, metric, partner and segment,
/// beyond the tolerance and beyond what their stated precision allows: a figure "rounded to 0.1 million"
/// conflicts only outside its rounding band.
/// </summary>
public sealed partial class SourceConflictRule : IFindingRule
{
    public FindingRule Rule => FindingRule.SourceConflict;

    public IEnumerable<FindingCandidate> Find(AnalysisData data, AnalysisOptions options)
    {
        foreach (var group in data.Profiles.Values.SelectMany(p => p.Groups).Where(g => g.Figures.Count > 1))
        {
            var preferred = group.Preferred;
            var seen = new Dictionary<string, int>();
            foreach (var other in group.Figures.Skip(1))
            {
                var who = other.SourcePublisher ?? "?";
                seen[who] = seen.GetValueOrDefault(who) + 1;
                var suffix = seen[who] > 1 ? $"#{seen[who]}" : "";
                foreach (var (measure, read) in Measures.OfFigure)
                {
                    if (read(preferred) is not { } expected || read(other) is not { } observed || expected == 0)
                        continue;
                    var difference = Math.Abs(observed - expected);
                    var band = Band(expected, preferred.Precision, measure) + Band(observed, other.Precision, measure);
                    if (difference <= Math.Abs(expected) * options.SourceConflictTolerancePercent / 100m || difference <= band)
                        continue;
                    yield return new FindingCandidate(
                        Rule, $"{group.Key}|{measure}|{who}{suffix}", other.CountryIso3, other.PartnerIso3 is "WLD" ? null : other.PartnerIso3,
                        other.Year, Measures.PeriodOf(other), other.Metric, measure, observed, expected,
                        expected - Math.Max(band, Math.Abs(expected) * options.SourceConflictTolerancePercent / 100m),
                        expected + Math.Max(band, Math.Abs(expected) * options.SourceConflictTolerancePercent / 100m),
                        options.SourceConflictTolerancePercent,
                        [Measures.Input("preferred", expected, measure, preferred), Measures.Input("other", observed, measure, other)]);
                }
            }
        }
    }

    /// <summary>
    /// How far a value may be from the truth given the precision its source states: none when exact; the
    /// stated unit when given ("0.1 Mct", "thousand ct", "$M"); else half the place of its last non-zero digit,
    /// and at least 5 % for an approximation or estimate.
    /// </summary>
    public static decimal Band(decimal value, string? precision, string measure)
    {
        var text = (precision ?? "").ToLowerInvariant();
        // "exact carats / value rounded": each measure has its own words.
        var part = text.Split('/').Select(p => p.Trim())
            .FirstOrDefault(p => measure == Measures.Carats ? p.Contains("carat") || p.Contains("ct") : p.Contains("value") || p.Contains('$'))
            ?? text;
        if (precision is null)
            return Implicit(value) / 2;
        if (part.StartsWith("exact") || part.StartsWith("as published"))
            return 0;
        if (measure == Measures.Carats && part.Contains("0.1 mct"))
            return 50_000;
        if (measure == Measures.Carats && part.Contains("thousand ct"))
            return 500;
        if (measure == Measures.Usd && (part.Contains("$m") || part.Contains("$ million")))
            return 500_000;
        var implicitBand = Implicit(value) / 2;
        return part.StartsWith("approx") || part.Contains("estimate") ? Math.Max(implicitBand, Math.Abs(value) * 0.05m) : implicitBand;
    }

    /// <summary>The place of the last non-zero digit of a whole number: 10780000 → 10000.</summary>
    private static decimal Implicit(decimal value)
    {
        var whole = decimal.Truncate(Math.Abs(value));
        if (whole != Math.Abs(value) || whole == 0)
            return 0;
        var digits = whole.ToString(CultureInfo.InvariantCulture);
        var zeros = TrailingZeros().Match(digits).Length;
        return (decimal)Math.Pow(10, zeros);
    }

    [GeneratedRegex("0*$")]
    private static partial Regex TrailingZeros();
}
