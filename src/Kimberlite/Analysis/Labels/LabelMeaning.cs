using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kimberlite.Analysis.Labels;

/// <summary>Which words of a source a meaning reads: the segment, the period, or the publisher.</summary>
public enum LabelKind { Segment = 1, Period = 2, Publisher = 3 }

/// <summary>
/// What an analyst says a label of the sources means ("the segment `legal (KP)` of CAF is the country's
/// total"), said once for every figure that carries it. The analysis reads figures through it; the figures'
/// own text is never changed. An undone meaning stays, as history.
/// </summary>
public sealed class LabelMeaning
{
    public int Id { get; set; }
    public LabelKind Kind { get; set; }
    /// <summary>The label as published, trimmed; matched without regard to case.</summary>
    public required string Label { get; set; }
    /// <summary>The one country it speaks of; none for every country.</summary>
    public string? CountryIso3 { get; set; }
    /// <summary>total, artisanal, industrial, part (segment); a period text (period); kimberley-process, national, eiti, other (publisher).</summary>
    public required string Value { get; set; }
    public required string Reason { get; set; }
    public required string SetBy { get; set; }
    public DateTime SetAtUtc { get; set; }
    public string? UndoneBy { get; set; }
    public DateTime? UndoneAtUtc { get; set; }

    public bool InForce => UndoneAtUtc is null;

    /// <summary>Whether this meaning reads that text of a figure of that country.</summary>
    public bool Reads(string? text, string country) =>
        text is not null && string.Equals(text.Trim(), Label, StringComparison.OrdinalIgnoreCase) && (CountryIso3 is null || CountryIso3 == country);
}

internal sealed class LabelMeaningConfiguration : IEntityTypeConfiguration<LabelMeaning>
{
    public void Configure(EntityTypeBuilder<LabelMeaning> b)
    {
        b.ToTable("LabelMeanings");
        b.Property(m => m.Label).HasMaxLength(300);
        b.Property(m => m.CountryIso3).HasMaxLength(3);
        b.Property(m => m.Value).HasMaxLength(100);
        b.Property(m => m.Reason).HasMaxLength(2000);
        b.Property(m => m.SetBy).HasMaxLength(300);
        b.Property(m => m.UndoneBy).HasMaxLength(300);
        b.Ignore(m => m.InForce);
        b.HasIndex(m => new { m.Kind, m.Label });
    }
}
