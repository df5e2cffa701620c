using Kimberlite.Statistics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kimberlite.Analysis;

public enum FindingRule { SourceConflict = 1, Balance = 2, MirrorGap = 3, ValuationGap = 4, SuddenChange = 5, PartsAndTotal = 6, TradingHub = 7, Overvaluation = 8 }

public enum Severity { Info = 1, Warning = 2, Serious = 3 }

/// <summary>The analyst's decision. Whether the finding still holds is <see cref="Finding.Resolved"/>, apart.</summary>
public enum FindingStatus { Open = 1, Confirmed = 2, Dismissed = 3 }

public enum FindingEventKind { Raised = 1, InputsChanged = 2, Resolved = 3, Reopened = 4, Confirmed = 5, Dismissed = 6, Reset = 7 }

/// <summary>
/// What a finding compared: one value, what it measures, and the figure (with its source) it came from; a year
/// made of parts names how (<see cref="SeriesBasis"/>) and every part's figure.
/// </summary>
public sealed record FindingInput(string Role, decimal Value, string Unit, long? FigureId, int? DatasetId, string? Publisher, string? Address, string? Period)
{
    // Absent rather than null in the stored JSON: the inputs of a finding on published years hash as before.
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Basis { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<long>? PartIds { get; init; }
}

/// <summary>
/// An anomaly that a rule found in the figures, with the numbers it compared and their sources. Its
/// identity is its rule and key, so the analyst's status and note survive every re-analysis.
/// </summary>
public sealed class Finding
{
    public int Id { get; set; }
    public FindingRule Rule { get; set; }
    /// <summary>Stable within the rule: what was compared (country, partner, period, measure, basis), never a database id.</summary>
    public required string Key { get; set; }

    /// <summary>The start of the key of a finding on UN Comtrade figures, which tells it from its Kimberley Process twin.</summary>
    public const string ComtradeKeyPrefix = "comtrade|";

    public bool FromComtrade => Key.StartsWith(ComtradeKeyPrefix, StringComparison.Ordinal);
    public required string CountryIso3 { get; set; }
    public string? PartnerIso3 { get; set; }
    public int? Year { get; set; }
    public required string PeriodText { get; set; }
    public Metric Metric { get; set; }
    /// <summary>carats, usd or usdPerCarat.</summary>
    public required string Measure { get; set; }
    public decimal Observed { get; set; }
    public decimal Expected { get; set; }
    public decimal? ExpectedLow { get; set; }
    public decimal? ExpectedHigh { get; set; }
    public decimal Gap { get; set; }
    public decimal GapPercent { get; set; }
    public decimal TolerancePercent { get; set; }
    public decimal? RevenueLost { get; set; }
    public decimal? RatePct { get; set; }
    public string? RateSource { get; set; }
    /// <summary>What the gap is worth, in whole US$ and whole carats, where the figures say (docs/ANALYSIS.md, "Severity and order").</summary>
    public decimal? StakeUsd { get; set; }
    public decimal? StakeCarats { get; set; }
    public Severity Severity { get; set; }
    public FindingStatus Status { get; set; } = FindingStatus.Open;
    public string? StatusNote { get; set; }
    public bool Resolved { get; set; }
    /// <summary>The inputs as JSON (<see cref="FindingInput"/>): numbers and sources, in no language.</summary>
    public required string Inputs { get; set; }
    public required string InputsHash { get; set; }
    public DateTime RaisedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public List<FindingEvent> Events { get; set; } = [];
}

/// <summary>One step of a finding's history: raised, changed, resolved, decided by an analyst.</summary>
public sealed class FindingEvent
{
    public long Id { get; set; }
    public int FindingId { get; set; }
    public DateTime AtUtc { get; set; }
    public FindingEventKind Kind { get; set; }
    public string? Note { get; set; }
    public string? Actor { get; set; }
    /// <summary>For a change of inputs: the observed and expected values before it.</summary>
    public string? Before { get; set; }
}

internal sealed class FindingConfiguration : IEntityTypeConfiguration<Finding>
{
    public void Configure(EntityTypeBuilder<Finding> b)
    {
        b.Property(f => f.Key).HasMaxLength(400);
        b.HasIndex(f => new { f.Rule, f.Key }).IsUnique();
        b.Property(f => f.CountryIso3).HasMaxLength(3);
        b.Property(f => f.PartnerIso3).HasMaxLength(3);
        b.Property(f => f.PeriodText).HasMaxLength(200);
        b.Property(f => f.Measure).HasMaxLength(20);
        b.Property(f => f.StatusNote).HasMaxLength(4000);
        b.Property(f => f.RateSource).HasMaxLength(2000);
        b.Property(f => f.InputsHash).HasMaxLength(64);
        foreach (var p in new[] { nameof(Finding.Observed), nameof(Finding.Expected), nameof(Finding.ExpectedLow), nameof(Finding.ExpectedHigh),
                     nameof(Finding.Gap), nameof(Finding.GapPercent), nameof(Finding.TolerancePercent), nameof(Finding.RevenueLost), nameof(Finding.RatePct),
                     nameof(Finding.StakeUsd), nameof(Finding.StakeCarats) })
            b.Property(p).HasPrecision(28, 6);
        b.HasIndex(f => new { f.CountryIso3, f.Year });
        b.HasMany(f => f.Events).WithOne().HasForeignKey(e => e.FindingId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FindingEventConfiguration : IEntityTypeConfiguration<FindingEvent>
{
    public void Configure(EntityTypeBuilder<FindingEvent> b)
    {
        b.Property(e => e.Note).HasMaxLength(4000);
        b.Property(e => e.Actor).HasMaxLength(200);
        b.Property(e => e.Before).HasMaxLength(400);
        b.HasIndex(e => e.FindingId);
    }
}
