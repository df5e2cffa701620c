using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kimberlite.Statistics.Comtrade;

/// <summary>
/// One UN Comtrade record of HS 7102 (rough diamonds): what a reporter says it traded with a partner,
/// in a year or a month, in quantity (with its unit), net weight and US$ value.
/// </summary>
public sealed class TradeFlow
{
    public long Id { get; set; }
    public int DatasetId { get; set; }
    public int Line { get; set; }
    public required string ReporterIso3 { get; set; }
    /// <summary>As Comtrade gives it: an ISO3 code, WLD for the world, or an area code such as _X.</summary>
    public required string PartnerIso3 { get; set; }
    /// <summary>World, areas and groups: never counted as a partner country.</summary>
    public bool PartnerIsAggregate { get; set; }
    public int Year { get; set; }
    /// <summary>Null for a yearly record.</summary>
    public int? Month { get; set; }
    /// <summary>X export, M import, RX re-export, RM re-import...</summary>
    public required string FlowCode { get; set; }
    public required string CommodityCode { get; set; }
    public string? QtyUnit { get; set; }
    public decimal? Qty { get; set; }
    /// <summary>The quantity, when its unit says carats; null otherwise (never converted from a weight).</summary>
    public decimal? Carats { get; set; }
    public decimal? NetWeightKg { get; set; }
    public decimal? PrimaryValue { get; set; }
    public decimal? CifValue { get; set; }
    public decimal? FobValue { get; set; }
    /// <summary>False when Comtrade estimated or mirrored the record rather than the reporter declaring it.</summary>
    public bool? IsReported { get; set; }
}

internal sealed class TradeFlowConfiguration : IEntityTypeConfiguration<TradeFlow>
{
    public void Configure(EntityTypeBuilder<TradeFlow> b)
    {
        b.Property(f => f.ReporterIso3).HasMaxLength(3);
        b.Property(f => f.PartnerIso3).HasMaxLength(3);
        b.Property(f => f.FlowCode).HasMaxLength(4);
        b.Property(f => f.CommodityCode).HasMaxLength(12);
        b.Property(f => f.QtyUnit).HasMaxLength(20);
        foreach (var p in new[] { nameof(TradeFlow.Qty), nameof(TradeFlow.Carats), nameof(TradeFlow.NetWeightKg), nameof(TradeFlow.PrimaryValue), nameof(TradeFlow.CifValue), nameof(TradeFlow.FobValue) })
            b.Property(p).HasPrecision(24, 4);
        b.HasOne<Dataset>().WithMany().HasForeignKey(f => f.DatasetId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(f => f.DatasetId);
    }
}
