using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Kimberlite.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;

namespace Kimberlite.Statistics.Comtrade;

/// <summary>One stored yearly total, as the analysis reads it.</summary>
public readonly record struct TradeTotalRow(TradeKey Key, int DatasetId, bool Subheadings, decimal? Carats, decimal? Usd);

/// <summary>
/// Reads every stored yearly trade total: up to a million rows for a world-wide Comtrade file, read at
/// every analysis, so the one provider whose client is slow at it (SQLite) gets its own path.
/// </summary>
public interface ITradeTotalsReader
{
    /// <summary>Synchronous: an awaited step per row would cost more than the row itself.</summary>
    IEnumerable<TradeTotalRow> Read(KimberliteDb db);
}

internal static class TradeTotalsQuery
{
    public const string Sql = """
        SELECT "ReporterIso3", "PartnerIso3", "FlowCode", "Year", "DatasetId", "Subheadings", "Carats", "Usd" FROM "TradeFlowTotals"
        """;
}

/// <summary>PostgreSQL: Npgsql's reader is fast enough as it is.</summary>
public sealed class PostgresTradeTotalsReader : ITradeTotalsReader
{
    public IEnumerable<TradeTotalRow> Read(KimberliteDb db)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
            connection.Open();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = TradeTotalsQuery.Sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
                yield return new TradeTotalRow(TradeKey.Of(reader.GetString(0), reader.GetString(1), reader.GetString(2)[0], reader.GetInt32(3)), reader.GetInt32(4), reader.GetBoolean(5),
                    reader.IsDBNull(6) ? null : reader.GetDecimal(6), reader.IsDBNull(7) ? null : reader.GetDecimal(7));
        }
        finally
        {
            if (opened)
                connection.Close();
        }
    }
}

/// <summary>
/// SQLite: reads the values where SQLite holds them, through its C interface; the codes go straight
/// from SQLite's bytes into the key, without a string.
/// </summary>
public sealed class SqliteTradeTotalsReader : ITradeTotalsReader
{
    public IEnumerable<TradeTotalRow> Read(KimberliteDb db)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
            connection.Open();
        try
        {
            if (raw.sqlite3_prepare_v2(connection.Handle, TradeTotalsQuery.Sql, out var statement) != raw.SQLITE_OK)
                throw new SqliteException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string(), raw.sqlite3_errcode(connection.Handle));
            using (statement)
            {
                var handle = statement.DangerousGetHandle();
                int step;
                while ((step = SqliteNative.Step(handle)) == raw.SQLITE_ROW)
                    yield return Row(handle);
                if (step != raw.SQLITE_DONE)
                    throw new SqliteException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string(), step);
            }
        }
        finally
        {
            if (opened)
                connection.Close();
        }
    }

    // Runs once per row of millions: compiled fully optimised at once rather than through the tiers.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static TradeTotalRow Row(IntPtr statement)
    {
        var year = (int)SqliteNative.ColumnInt64(statement, 3);
        if (!TradeKey.TryOf(SqliteNative.ColumnSpan(statement, 0), SqliteNative.ColumnSpan(statement, 1), SqliteNative.ColumnSpan(statement, 2), year, out var key))
            throw new InvalidDataException($"A stored trade total is not a yearly flow between two countries: {Encoding.UTF8.GetString(SqliteNative.ColumnSpan(statement, 0))} {year}.");
        return new TradeTotalRow(key, (int)SqliteNative.ColumnInt64(statement, 4), SqliteNative.ColumnInt64(statement, 5) != 0,
            Number(statement, 6), Number(statement, 7));
    }

    /// <summary>A decimal as EF Core stores it in SQLite (text), or as a number someone else stored.</summary>
    private static decimal? Number(IntPtr statement, int column)
    {
        switch (SqliteNative.ColumnType(statement, column))
        {
            case SqliteNative.Null:
                return null;
            case SqliteNative.Integer:
                return SqliteNative.ColumnInt64(statement, column);
            case SqliteNative.Float:
                return (decimal)SqliteNative.ColumnDouble(statement, column);
        }
        var text = SqliteNative.ColumnSpan(statement, column);
        return NumberReader.Plain(text) ?? (Utf8Parser.TryParse(text, out decimal value, out var consumed) && consumed == text.Length
            ? value
            : decimal.Parse(Encoding.UTF8.GetString(text), NumberStyles.Float, CultureInfo.InvariantCulture));
    }
}
