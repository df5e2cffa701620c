using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using Microsoft.EntityFrameworkCore.Metadata.Conventions.Infrastructure;

namespace Kimberlite.Statistics.Comtrade;

/// <summary>
/// One UN Comtrade record of HS 7102 (rough diamonds): what a reporter says it traded with a partner,
/// in a year or a month, in quantity (with its unit), net weight and US$ value. Kept lean, without an
/// index on their dataset: they are written millions at a time and read back only by the one-off
/// rebuild of a dataset's totals (docs/decisions/013-lean-trade-records.md).
/// </summary>
public sealed class TradeFlow
{
    private static readonly FrozenSet<string> CaratUnits = new[] { "carat", "carats", "ct", "crt" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

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
    /// <summary>The quantity, when its unit says carats; null otherwise (never converted from a weight). Not stored: it would repeat <see cref="Qty"/>.</summary>
    public decimal? Carats => IsCarats(QtyUnit) ? Qty : null;
    public decimal? NetWeightKg { get; set; }
    public decimal? PrimaryValue { get; set; }
    public decimal? CifValue { get; set; }
    public decimal? FobValue { get; set; }
    /// <summary>False when Comtrade estimated or mirrored the record rather than the reporter declaring it.</summary>
    public bool? IsReported { get; set; }

    /// <summary>Whether a Comtrade quantity unit says carats, however it is written.</summary>
    public static bool IsCarats(string? unit) => unit is not null && CaratUnits.Contains(unit);
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
        b.Ignore(f => f.Carats);
        foreach (var p in new[] { nameof(TradeFlow.Qty), nameof(TradeFlow.NetWeightKg), nameof(TradeFlow.PrimaryValue), nameof(TradeFlow.CifValue), nameof(TradeFlow.FobValue) })
            b.Property(p).HasPrecision(24, 4);
        b.HasOne<Dataset>().WithMany().HasForeignKey(f => f.DatasetId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// EF Core's index on every foreign key, except the trade records' dataset: it cost a tenth of a bulk
/// import, for a lookup no page makes. A convention replaced rather than an index removed, which the
/// convention would put back (dotnet/efcore#10874).
/// </summary>
internal sealed class ForeignKeyIndexExceptTradeFlows(ProviderConventionSetBuilderDependencies dependencies) : ForeignKeyIndexConvention(dependencies)
{
    protected override IConventionIndex? CreateIndex(IReadOnlyList<IConventionProperty> properties, bool unique, IConventionEntityTypeBuilder entityTypeBuilder) =>
        entityTypeBuilder.Metadata.ClrType == typeof(TradeFlow) && properties is [{ Name: nameof(TradeFlow.DatasetId) }]
            ? null
            : base.CreateIndex(properties, unique, entityTypeBuilder);
}
