using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kimberlite.Analysis.Rates;

/// <summary>
/// A legal rate on diamonds (an export tax, a royalty) as a source states it, with the years it is in force: the
/// revenue a valuation gap cost is computed only for a year a rate covers, never from an estimate.
/// </summary>
public sealed class LegalRate
{
    public int Id { get; set; }
    public required string CountryIso3 { get; set; }
    /// <summary>The instrument in the source's words: "diamond export tax", "royalty".</summary>
    public required string Instrument { get; set; }
    public decimal RatePercent { get; set; }
    /// <summary>The first and last years the source says the rate is in force; no last year: in force until today.</summary>
    public int InForceFrom { get; set; }
    public int? InForceTo { get; set; }
    public required string Source { get; set; }
    public required string Publisher { get; set; }
    public string? AsPublished { get; set; }
    public string? Notes { get; set; }
    /// <summary>"bundled" for the rates shipped in data/legal_rates.csv, else who added it and from which file.</summary>
    public required string AddedBy { get; set; }
    public DateTime AddedAtUtc { get; set; }

    public bool InForce(int year) => InForceFrom <= year && (InForceTo is null || year <= InForceTo);

    public string Years => InForceTo == InForceFrom ? Text(InForceFrom) : $"{Text(InForceFrom)}–{(InForceTo is { } to ? Text(to) : "")}";

    private static string Text(int year) => year.ToString(CultureInfo.InvariantCulture);
}

internal sealed class LegalRateConfiguration : IEntityTypeConfiguration<LegalRate>
{
    public void Configure(EntityTypeBuilder<LegalRate> b)
    {
        b.Property(r => r.CountryIso3).HasMaxLength(3);
        b.Property(r => r.Instrument).HasMaxLength(200);
        b.Property(r => r.RatePercent).HasPrecision(9, 4);
        b.Property(r => r.Source).HasMaxLength(2000);
        b.Property(r => r.Publisher).HasMaxLength(400);
        b.Property(r => r.AsPublished).HasMaxLength(2000);
        b.Property(r => r.Notes).HasMaxLength(2000);
        b.Property(r => r.AddedBy).HasMaxLength(400);
        // One rate of one instrument from one year: a newer file's row for it replaces the older.
        b.HasIndex(r => new { r.CountryIso3, r.Instrument, r.InForceFrom }).IsUnique();
    }
}

public static class LegalRates
{
    /// <summary>
    /// The rates in force in a country in a year, one per instrument (the latest from-year where two overlap);
    /// different instruments add up, as they are all levied on the same export value.
    /// </summary>
    public static IReadOnlyList<LegalRate> InForce(IEnumerable<LegalRate> rates, string country, int year) =>
        rates.Where(r => r.CountryIso3 == country && r.InForce(year))
            .GroupBy(r => r.Instrument, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.OrderByDescending(r => r.InForceFrom).First())
            .OrderBy(r => r.Instrument, StringComparer.Ordinal).ToList();

    /// <summary>Each rate with its years and source, as a finding cites it (the instrument in the source's words).</summary>
    public static string Describe(IEnumerable<LegalRate> rates) =>
        string.Join("; ", rates.Select(r => $"{r.Instrument} {r.RatePercent.ToString("0.####", CultureInfo.InvariantCulture)} % ({r.Years}): {r.Publisher}, {r.Source}"));

    /// <summary>A rate as an input of a finding: its value, the years in force and its source.</summary>
    public static FindingInput Input(LegalRate r) =>
        new($"legalRate:{r.Instrument}", r.RatePercent, "%", null, null, r.Publisher, r.Source, r.Years);
}
