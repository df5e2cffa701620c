using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kimberlite.Statistics.Comtrade;

/// <summary>
/// The yearly total of one dataset's records for one reporter, partner country and flow (exports X or
/// imports M), kept at import time so the analysis reads a few rows per country pair instead of every
/// record. Subheadings (six-digit 7102.xx codes) and the four-digit heading are totalled apart, so the
/// analysis never counts a flow twice.
/// </summary>
public sealed class TradeFlowTotal
{
    public long Id { get; set; }
    public int DatasetId { get; set; }
    public required string ReporterIso3 { get; set; }
    public required string PartnerIso3 { get; set; }
    public required string FlowCode { get; set; }
    public int Year { get; set; }
    /// <summary>True for the total of the six-digit subheadings, false for the four-digit heading.</summary>
    public bool Subheadings { get; set; }
    public int Records { get; set; }
    /// <summary>Null unless every record counted in carats.</summary>
    public decimal? Carats { get; set; }
    /// <summary>The primary value in US$; null when a record had none.</summary>
    public decimal? Usd { get; set; }
}

internal sealed class TradeFlowTotalConfiguration : IEntityTypeConfiguration<TradeFlowTotal>
{
    public void Configure(EntityTypeBuilder<TradeFlowTotal> b)
    {
        b.Property(t => t.ReporterIso3).HasMaxLength(3);
        b.Property(t => t.PartnerIso3).HasMaxLength(3);
        b.Property(t => t.FlowCode).HasMaxLength(4);
        b.Property(t => t.Carats).HasPrecision(24, 4);
        b.Property(t => t.Usd).HasPrecision(24, 4);
        b.HasOne<Dataset>().WithMany().HasForeignKey(t => t.DatasetId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(t => t.DatasetId);
    }
}

/// <summary>Totals one file's yearly records between countries as they stream by.</summary>
public sealed class TradeFlowTotals
{
    private readonly Dictionary<(TradeKey Key, bool Subheadings), TradeFlowTotal> _totals = [];

    /// <summary>Counts a record when it is yearly, exports or imports, between two countries; the rest are kept but not totalled.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(TradeFlow flow)
    {
        if (flow.Month is not null || flow.PartnerIsAggregate || flow.FlowCode is not ("X" or "M")
            || !TradeKey.TryOf(flow.ReporterIso3, flow.PartnerIso3, flow.FlowCode[0], flow.Year, out var tradeKey))
            return;
        var key = (tradeKey, flow.CommodityCode.Length > 4);
        ref var total = ref CollectionsMarshal.GetValueRefOrAddDefault(_totals, key, out _);
        total ??= new TradeFlowTotal
        {
            DatasetId = flow.DatasetId, ReporterIso3 = flow.ReporterIso3, PartnerIso3 = flow.PartnerIso3, FlowCode = flow.FlowCode,
            Year = flow.Year, Subheadings = key.Item2, Carats = 0, Usd = 0,
        };
        total.Records++;
        total.Carats = total.Carats is { } c && flow.Carats is { } add ? c + add : null;
        total.Usd = total.Usd is { } u && flow.PrimaryValue is { } value ? u + value : null;
    }

    public IEnumerable<TradeFlowTotal> All => _totals.Values;
}
