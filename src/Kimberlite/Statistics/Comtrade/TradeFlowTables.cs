using Kimberlite.Infrastructure.Data;

namespace Kimberlite.Statistics.Comtrade;

/// <summary>How trade flows are written in bulk.</summary>
internal static class TradeFlowTables
{
    public static readonly BulkTable<TradeFlow> Flows = new("TradeFlows",
    [
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.DatasetId), f => f.DatasetId),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.Line), f => f.Line),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.ReporterIso3), f => f.ReporterIso3),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.PartnerIso3), f => f.PartnerIso3),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.PartnerIsAggregate), f => f.PartnerIsAggregate),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.Year), f => f.Year),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.Month), f => f.Month),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.FlowCode), f => f.FlowCode),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.CommodityCode), f => f.CommodityCode),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.QtyUnit), f => f.QtyUnit),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.Qty), f => f.Qty),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.NetWeightKg), f => f.NetWeightKg),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.PrimaryValue), f => f.PrimaryValue),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.CifValue), f => f.CifValue),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.FobValue), f => f.FobValue),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.IsReported), f => f.IsReported),
    ]);
}
