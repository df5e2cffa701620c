using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kimberlite.Statistics;

/// <summary>What a figure measures.</summary>
public enum Metric { Production = 1, Export = 2, Import = 3, Sales = 4, Fiscal = 5, Other = 6 }

/// <summary>Who stands behind a figure, in the order of preference used when sources differ (docs/decisions/004).</summary>
public enum SourceKind { KimberleyProcess = 1, National = 2, Eiti = 3, Other = 4 }

/// <summary>
/// One published figure, exactly as one source gave it: carats and/or a value in a currency, for a
/// country (and partner, segment) and a period, with the source's own words and precision.
/// Empty means "not published": null, never zero.
/// </summary>
public sealed class Figure
{
    public long Id { get; set; }
    public int DatasetId { get; set; }
    /// <summary>Line of the row in its file (the header is line 1).</summary>
    public int Line { get; set; }
    public required string CountryIso3 { get; set; }
    public string? PartnerIso3 { get; set; }
    public Metric Metric { get; set; }
    /// <summary>The metric or item as the source wrote it ("sales/export", "diamond export taxes collected").</summary>
    public required string MetricText { get; set; }
    public string? Segment { get; set; }
    public string? FlowDetail { get; set; }
    public required string YearText { get; set; }
    public string? PeriodText { get; set; }
    public PeriodKind PeriodKind { get; set; }
    public int? Year { get; set; }
    public int? EndYear { get; set; }
    public int? StartMonth { get; set; }
    public int? EndMonth { get; set; }
    public decimal? Carats { get; set; }
    public decimal? Value { get; set; }
    public string? Currency { get; set; }
    public decimal? UsdPerCaratPublished { get; set; }
    public decimal? SharePct { get; set; }
    public decimal? RatePct { get; set; }
    public int? Certificates { get; set; }
    public string? Precision { get; set; }
    public SourceKind SourceKind { get; set; }
    public string? DataOrigin { get; set; }
    public string? SourceAddress { get; set; }
    public string? SourcePublisher { get; set; }
    public string? AsPublished { get; set; }
    public string? Notes { get; set; }
    /// <summary>
    /// A value of 0 beside carats: kept as published, but the source most likely did not report it
    /// (the Kimberley Process database writes 0 for "not reported"), so it is never used as a valuation.
    /// </summary>
    public bool ValueNotReported { get; set; }
    /// <summary>
    /// When the source entered or last revised the figure, where it says so (the Kimberley Process database's
    /// Last Modified, else Created), as its database wrote it: that database does not state its time zone.
    /// </summary>
    public DateTime? ReleasedAt { get; set; }

    public Period Period => new(PeriodKind, Year, EndYear, StartMonth, EndMonth);

    /// <summary>A segment that stands for the whole country: "total" or none. Any other label ("total (Sodiam)") means what an analyst says it means (Analysis/Labels).</summary>
    public bool IsTotal => Segment is null || string.Equals(Segment.Trim(), "total", StringComparison.OrdinalIgnoreCase);

    /// <summary>A copy the analysis may read through a label's meaning, the stored figure untouched.</summary>
    public Figure Copy()
    {
        var copy = (Figure)MemberwiseClone();
        (copy._groupKey, copy._publisherName) = (null, null);
        return copy;
    }

    // Keys the analysis asks for thousands of times, made once: a copy forgets them, since it is made to be changed.
    private string? _groupKey, _publisherName;
    internal string GroupKeyOnce(Func<Figure, string> make) => _groupKey ??= make(this);
    internal string PublisherNameOnce(Func<Figure, string> make) => _publisherName ??= make(this);

    /// <summary>The value in US$ where there is one to compare: a value flagged as not reported is none.</summary>
    public decimal? Usd => Currency == "USD" && !ValueNotReported ? Value : null;

    /// <summary>US$ per carat: as published, else derived when both carats and a reported US$ value are given.</summary>
    public decimal? UsdPerCarat => UsdPerCaratPublished
        ?? (Carats is > 0 && Usd is { } usd && Within(usd) && Within(Carats.Value) && Carats.Value >= 0.0001m ? Math.Round(usd / Carats.Value, 2) : null);

    /// <summary>Within what a diamond statistic can be: a stored figure beyond (written before imports refused it) is never computed with.</summary>
    public static bool Within(decimal? value) => value is not { } v || Math.Abs(v) < NumberReader.Limit;

    /// <summary>Every number of the figure within what a diamond statistic can be.</summary>
    public bool IsWithinBounds => Within(Carats) && Within(Value) && Within(UsdPerCaratPublished) && Within(SharePct) && Within(RatePct);
}

internal sealed class FigureConfiguration : IEntityTypeConfiguration<Figure>
{
    public void Configure(EntityTypeBuilder<Figure> b)
    {
        b.Property(f => f.CountryIso3).HasMaxLength(3);
        b.Property(f => f.PartnerIso3).HasMaxLength(3);
        b.Property(f => f.MetricText).HasMaxLength(300);
        b.Property(f => f.Segment).HasMaxLength(300);
        b.Property(f => f.FlowDetail).HasMaxLength(300);
        b.Property(f => f.YearText).HasMaxLength(100);
        b.Property(f => f.PeriodText).HasMaxLength(100);
        b.Property(f => f.Currency).HasMaxLength(3);
        b.Property(f => f.Precision).HasMaxLength(300);
        b.Property(f => f.DataOrigin).HasMaxLength(200);
        b.Property(f => f.SourceAddress).HasMaxLength(2000);
        b.Property(f => f.SourcePublisher).HasMaxLength(500);
        b.Property(f => f.AsPublished).HasMaxLength(4000);
        b.Property(f => f.Notes).HasMaxLength(4000);
        foreach (var p in new[] { nameof(Figure.Carats), nameof(Figure.Value), nameof(Figure.UsdPerCaratPublished), nameof(Figure.SharePct), nameof(Figure.RatePct) })
            b.Property(p).HasPrecision(24, 6);
        b.Ignore(f => f.Period);
        b.Ignore(f => f.IsTotal);
        b.Ignore(f => f.UsdPerCarat);
        b.Ignore(f => f.Usd);
        b.HasIndex(f => new { f.CountryIso3, f.Metric, f.Year });
    }
}
