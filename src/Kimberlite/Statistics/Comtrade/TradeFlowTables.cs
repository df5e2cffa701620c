using Kimberlite.Infrastructure.Data;

namespace Kimberlite.Statistics.Comtrade;

/// <summary>How trade flows and their yearly totals are written in bulk.</summary>
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
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.Carats), f => f.Carats),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.NetWeightKg), f => f.NetWeightKg),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.PrimaryValue), f => f.PrimaryValue),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.CifValue), f => f.CifValue),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.FobValue), f => f.FobValue),
        BulkColumn<TradeFlow>.Of(nameof(TradeFlow.IsReported), f => f.IsReported),
    ]);

    public static readonly BulkTable<TradeFlowTotal> Totals = new("TradeFlowTotals",
    [
        BulkColumn<TradeFlowTotal>.Of(nameof(TradeFlowTotal.DatasetId), t => t.DatasetId),
        BulkColumn<TradeFlowTotal>.Of(nameof(TradeFlowTotal.ReporterIso3), t => t.ReporterIso3),
        BulkColumn<TradeFlowTotal>.Of(nameof(TradeFlowTotal.PartnerIso3), t => t.PartnerIso3),
        BulkColumn<TradeFlowTotal>.Of(nameof(TradeFlowTotal.FlowCode), t => t.FlowCode),
        BulkColumn<TradeFlowTotal>.Of(nameof(TradeFlowTotal.Year), t => t.Year),
        BulkColumn<TradeFlowTotal>.Of(nameof(TradeFlowTotal.Subheadings), t => t.Subheadings),
        BulkColumn<TradeFlowTotal>.Of(nameof(TradeFlowTotal.Records), t => t.Records),
        BulkColumn<TradeFlowTotal>.Of(nameof(TradeFlowTotal.Carats), t => t.Carats),
        BulkColumn<TradeFlowTotal>.Of(nameof(TradeFlowTotal.Usd), t => t.Usd),
    ]);
}
