using System.Globalization;
using System.Text.RegularExpressions;
using Kimberlite.Statistics;

namespace Kimberlite.Analysis.Rules;

/// <summary>
/// Two publishers give different values for the same country, period, metric, partner and segment, or for the
/// same year when one of them published it and the other published its parts (both halves, artisanal and
/// industrial): beyond what their precision allows. Two exact figures agree within a tenth of a per cent, a
/// rounded one within its rounding, an approximate one within a wider band. A publisher's revision of its own
/// figure is no conflict: only each publisher's latest release is compared (docs/decisions/021).
/// </summary>
public sealed partial class SourceConflictRule : IFindingRule
{
    public FindingRule Rule => FindingRule.SourceConflict;

    public IEnumerable<FindingCandidate> Find(AnalysisData data, AnalysisOptions options)
    {
        var builtReference = new HashSet<(string Country, Metric Metric, int Year, string Measure)>();
        foreach (var found in Years(data, options, builtReference))
            yield return found;

        foreach (var group in data.Profiles.Values.SelectMany(p => p.Groups))
        {
            var current = group.Current;
            if (current.Count < 2)
                continue;
            var preferred = current[0];
            var seen = new Dictionary<string, int>();
            foreach (var other in current.Skip(1))
            {
                var who = other.SourcePublisher ?? "?";
                seen[who] = seen.GetValueOrDefault(who) + 1;
                var suffix = seen[who] > 1 ? $"#{seen[who]}" : "";
                foreach (var (measure, read) in Measures.OfFigure)
                {
                    // A year whose reference was added up from parts: each published figure was compared with that.
                    if (preferred.PeriodKind == PeriodKind.Year && preferred.Year is { } year && builtReference.Contains((preferred.CountryIso3, preferred.Metric, year, measure))
                        && preferred.IsTotal && AnnualSeries.IsNationalScope(preferred))
                        continue;
                    if (read(preferred) is { } expected && read(other) is { } observed
                        && Conflict($"{group.Key}|{measure}|{who}{suffix}", other, measure, Measures.Input("preferred", expected, measure, preferred),
                            preferred.Precision, Measures.Input("other", observed, measure, other), other.Precision, options) is { } found)
                        yield return found;
                }
            }
        }
    }

    /// <summary>
    /// A year one publisher added up from parts against the same year as another publisher gave it, each against the
    /// year's reference (the candidate the series prefers); years whose reference was added up are noted in
    /// <paramref name="builtReference"/>, so their published figures are not compared a second time among themselves.
    /// </summary>
    private IEnumerable<FindingCandidate> Years(AnalysisData data, AnalysisOptions options, HashSet<(string, Metric, int, string)> builtReference)
    {
        // The years the country series already chose among their candidates: built once, with the profiles.
        foreach (var country in data.Profiles.Values.Where(p => !CountryCodes.IsAggregate(p.Iso3)).OrderBy(p => p.Iso3, StringComparer.Ordinal))
        {
            foreach (var metricSeries in new[] { country.Production, country.Exports, country.Imports })
            foreach (var (measure, years) in new[] { (Measures.Carats, metricSeries.CaratYears), (Measures.Usd, metricSeries.UsdYears) })
            foreach (var year in years.Where(y => y.Candidates.Any(c => c.Built)))
            {
                var metric = metricSeries.Metric;
                var reference = year.Candidates[0];
                if (reference.Built)
                    builtReference.Add((country.Iso3, metric, year.Year, measure));
                foreach (var other in year.Candidates.Skip(1).Where(c => (reference.Built || c.Built) && SourcePreference.Publisher(c.Source) != SourcePreference.Publisher(reference.Source)))
                {
                    var (built, published) = reference.Built ? (reference, other) : (other, reference);
                    var key = $"{CountryProfile.GroupKey(published.Source)}|{measure}|{published.Source.SourcePublisher ?? "?"}|{built.Basis.ToString().ToLowerInvariant()}:{built.Source.SourcePublisher ?? "?"}";
                    if (Conflict(key, other.Source, measure, Measures.Input("preferred", reference, measure), reference.Source.Precision,
                            Measures.Input("other", other, measure), other.Source.Precision, options) is { } found)
                        yield return found with { PeriodText = Measures.Year(year.Year) };
                }
            }
        }
    }

    /// <summary>A finding when the other value is farther from the preferred one than both precisions allow.</summary>
    private FindingCandidate? Conflict(string key, Figure about, string measure, FindingInput preferred, string? preferredPrecision,
        FindingInput other, string? otherPrecision, AnalysisOptions options)
    {
        var (expected, observed) = (preferred.Value, other.Value);
        if (expected == 0)
            return null;
        var allowed = Allowed(expected, preferredPrecision, observed, otherPrecision, measure, options);
        if (Math.Abs(observed - expected) <= allowed)
            return null;
        return new FindingCandidate(
            Rule, key, about.CountryIso3, about.PartnerIso3 is "WLD" ? null : about.PartnerIso3,
            about.Year, Measures.PeriodOf(about), about.Metric, measure, observed, expected, expected - allowed, expected + allowed,
            Math.Round(allowed / Math.Abs(expected) * 100m, 2), [preferred, other]);
    }

    /// <summary>
    /// How far two values may be apart and still agree: the sum of their precision bands, and never less than
    /// <see cref="AnalysisOptions.ExactTolerancePercent"/> of the preferred value (two exact figures).
    /// </summary>
    public static decimal Allowed(decimal expected, string? expectedPrecision, decimal observed, string? observedPrecision, string measure, AnalysisOptions options) =>
        Math.Max(Math.Abs(expected) * options.ExactTolerancePercent / 100m,
            Band(expected, expectedPrecision, measure, options.ApproximateTolerancePercent) + Band(observed, observedPrecision, measure, options.ApproximateTolerancePercent));

    /// <summary>
    /// How far a value may be from the truth given the precision its source states: none when exact; the
    /// stated unit when given ("0.1 Mct", "thousand ct", "$M"); else half the place of its last non-zero digit,
    /// and at least <paramref name="approximatePercent"/> for an approximation or estimate.
    /// </summary>
    public static decimal Band(decimal value, string? precision, string measure, decimal approximatePercent)
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
        return part.StartsWith("approx") || part.Contains("estimate") ? Math.Max(implicitBand, Math.Abs(value) * approximatePercent / 100m) : implicitBand;
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
