using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kimberlite.Infrastructure.Data;

/// <summary>PostgreSQL: binary COPY.</summary>
public sealed class PostgresBulkWriter : IBulkWriter
{
    public async Task WriteAsync<T>(KimberliteDb db, BulkTable<T> bulkTable, IEnumerable<T> rows, CancellationToken cancellationToken) where T : class
    {
        var table = bulkTable.For(db.Model);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY \"{table.Name}\" ({table.ColumnList}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        // A file of millions of rows takes longer than a command's usual 30 s to be acknowledged.
        copy.Timeout = TimeSpan.FromMinutes(30);
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            copy.StartRow();
            foreach (var column in table.Columns)
            {
                switch (column.Kind)
                {
                    case BulkKind.Int32 when column.Int32!(row) is { } value:
                        copy.Write(value, column.PostgresType);
                        break;
                    case BulkKind.Int64 when column.Int64!(row) is { } value:
                        copy.Write(value, column.PostgresType);
                        break;
                    case BulkKind.Date when column.Date!(row) is { } value:
                        copy.Write(value, column.PostgresType);
                        break;
                    case BulkKind.Boolean when column.Boolean!(row) is { } value:
                        copy.Write(value, column.PostgresType);
                        break;
                    case BulkKind.Text when column.Text!(row) is { } value:
                        copy.Write(value, column.PostgresType);
                        break;
                    case BulkKind.Decimal when column.Decimal!(row) is { } value:
                        copy.Write(value, column.PostgresType);
                        break;
                    case BulkKind.DateTime when column.DateTime!(row) is { } value:
                        copy.Write(value, column.PostgresType);
                        break;
                    default:
                        copy.WriteNull();
                        break;
                }
            }
        }
        await copy.CompleteAsync(cancellationToken);
    }
}
