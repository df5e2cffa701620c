using Kimberlite.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Kimberlite.Statistics.Comtrade;

/// <summary>Writes trade flows in bulk, inside the caller's transaction: the one thing the two databases do differently here.</summary>
public interface ITradeFlowWriter
{
    Task WriteAsync(KimberliteDb db, IEnumerable<TradeFlow> flows, CancellationToken cancellationToken);
}

/// <summary>SQLite: one prepared INSERT whose parameters are reused for every row.</summary>
public sealed class SqliteTradeFlowWriter : ITradeFlowWriter
{
    public async Task WriteAsync(KimberliteDb db, IEnumerable<TradeFlow> flows, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await using (var pragma = connection.CreateCommand())
        {
            // A 256 MB page cache keeps the growing table and its index in memory until the commit.
            pragma.CommandText = "PRAGMA cache_size = -262144";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var columns = TradeFlowColumns.Names;
        command.CommandText = $"INSERT INTO \"TradeFlows\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        var parameters = columns.Select((_, i) =>
        {
            var p = command.CreateParameter();
            p.ParameterName = $"$p{i}";
            command.Parameters.Add(p);
            return p;
        }).ToArray();
        await command.PrepareAsync(cancellationToken);
        // Synchronous inside the loop: millions of tiny awaits cost more than they give.
        foreach (var flow in flows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var values = TradeFlowColumns.Values(flow);
            for (var i = 0; i < values.Length; i++)
                parameters[i].Value = values[i] switch
                {
                    null => DBNull.Value,
                    // EF Core's SQLite provider stores decimals as text: the same here, so both paths read alike.
                    decimal d => d.ToString("0.0###########################", System.Globalization.CultureInfo.InvariantCulture),
                    bool b => b ? 1 : 0,
                    var v => v,
                };
            command.ExecuteNonQuery();
        }
    }
}

/// <summary>PostgreSQL: binary COPY.</summary>
public sealed class PostgresTradeFlowWriter : ITradeFlowWriter
{
    public async Task WriteAsync(KimberliteDb db, IEnumerable<TradeFlow> flows, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var columns = TradeFlowColumns.Names;
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY \"TradeFlows\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        // A file of millions of rows takes longer than a command's usual 30 s to be acknowledged.
        copy.Timeout = TimeSpan.FromMinutes(30);
        foreach (var flow in flows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            copy.StartRow();
            var values = TradeFlowColumns.Values(flow);
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] is null)
                    copy.WriteNull();
                else
                    copy.Write(values[i], TradeFlowColumns.PostgresTypes[i]);
            }
        }
        await copy.CompleteAsync(cancellationToken);
    }
}

internal static class TradeFlowColumns
{
    public static readonly string[] Names =
    [
        nameof(TradeFlow.DatasetId), nameof(TradeFlow.Line), nameof(TradeFlow.ReporterIso3), nameof(TradeFlow.PartnerIso3),
        nameof(TradeFlow.PartnerIsAggregate), nameof(TradeFlow.Year), nameof(TradeFlow.Month), nameof(TradeFlow.FlowCode),
        nameof(TradeFlow.CommodityCode), nameof(TradeFlow.QtyUnit), nameof(TradeFlow.Qty), nameof(TradeFlow.Carats),
        nameof(TradeFlow.NetWeightKg), nameof(TradeFlow.PrimaryValue), nameof(TradeFlow.CifValue), nameof(TradeFlow.FobValue),
        nameof(TradeFlow.IsReported),
    ];

    public static readonly NpgsqlDbType[] PostgresTypes =
    [
        NpgsqlDbType.Integer, NpgsqlDbType.Integer, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Boolean, NpgsqlDbType.Integer,
        NpgsqlDbType.Integer, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Numeric, NpgsqlDbType.Numeric,
        NpgsqlDbType.Numeric, NpgsqlDbType.Numeric, NpgsqlDbType.Numeric, NpgsqlDbType.Numeric, NpgsqlDbType.Boolean,
    ];

    public static object?[] Values(TradeFlow f) =>
    [
        f.DatasetId, f.Line, f.ReporterIso3, f.PartnerIso3, f.PartnerIsAggregate, f.Year, f.Month, f.FlowCode, f.CommodityCode,
        f.QtyUnit, f.Qty, f.Carats, f.NetWeightKg, f.PrimaryValue, f.CifValue, f.FobValue, f.IsReported,
    ];
}
