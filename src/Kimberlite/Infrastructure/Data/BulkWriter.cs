using NpgsqlTypes;

namespace Kimberlite.Infrastructure.Data;

/// <summary>
/// Writes millions of rows into one table inside the caller's transaction: the one thing the two
/// databases do most differently (SQLite: prepared inserts; PostgreSQL: binary COPY).
/// </summary>
public interface IBulkWriter
{
    /// <summary>Each row is written before the next is asked for, so a reader may hand the same object over, refilled.</summary>
    Task WriteAsync<T>(KimberliteDb db, BulkTable<T> table, IEnumerable<T> rows, CancellationToken cancellationToken);
}

public enum BulkKind { Int32, Boolean, Text, Decimal, DateTime }

/// <summary>One column of a bulk-written table and how to read its value from a row.</summary>
public sealed class BulkColumn<T>
{
    private BulkColumn(string name, BulkKind kind) => (Name, Kind) = (name, kind);

    public string Name { get; }
    public BulkKind Kind { get; }
    public Func<T, int?>? Int32 { get; private init; }
    public Func<T, bool?>? Boolean { get; private init; }
    public Func<T, string?>? Text { get; private init; }
    public Func<T, decimal?>? Decimal { get; private init; }
    /// <summary>UTC, as EF Core stores a <see cref="System.DateTime"/>.</summary>
    public Func<T, DateTime?>? DateTime { get; private init; }

    public NpgsqlDbType PostgresType => Kind switch
    {
        BulkKind.Int32 => NpgsqlDbType.Integer,
        BulkKind.Boolean => NpgsqlDbType.Boolean,
        BulkKind.Text => NpgsqlDbType.Varchar,
        BulkKind.DateTime => NpgsqlDbType.TimestampTz,
        _ => NpgsqlDbType.Numeric,
    };

    public static BulkColumn<T> Of(string name, Func<T, int?> value) => new(name, BulkKind.Int32) { Int32 = value };
    public static BulkColumn<T> Of(string name, Func<T, bool?> value) => new(name, BulkKind.Boolean) { Boolean = value };
    public static BulkColumn<T> Of(string name, Func<T, string?> value) => new(name, BulkKind.Text) { Text = value };
    public static BulkColumn<T> Of(string name, Func<T, decimal?> value) => new(name, BulkKind.Decimal) { Decimal = value };
    public static BulkColumn<T> Of(string name, Func<T, DateTime?> value) => new(name, BulkKind.DateTime) { DateTime = value };
}

/// <summary>A table written in bulk: its name and its columns, in the order they are written.</summary>
/// <remarks>The columns are an array: they are walked once per row of millions, and a list's enumerator would be called through its interface.</remarks>
public sealed record BulkTable<T>(string Name, BulkColumn<T>[] Columns)
{
    public string ColumnList => string.Join(", ", Columns.Select(c => $"\"{c.Name}\""));
}
