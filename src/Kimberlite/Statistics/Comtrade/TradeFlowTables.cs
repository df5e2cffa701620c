using Kimberlite.Infrastructure.Data;

namespace Kimberlite.Statistics.Comtrade;

/// <summary>How trade flows are written in bulk: every column the model maps (<see cref="TradeFlow.Carats"/> is computed, not stored).</summary>
internal static class TradeFlowTables
{
    public static readonly BulkTable<TradeFlow> Flows = new();
}
