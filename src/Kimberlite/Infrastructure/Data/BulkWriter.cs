using System.Collections.Concurrent;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using NpgsqlTypes;

namespace Kimberlite.Infrastructure.Data;

/// <summary>
/// Writes millions of rows into one table inside the caller's transaction: the one thing the two
/// databases do most differently (SQLite: prepared inserts; PostgreSQL: binary COPY).
/// </summary>
public interface IBulkWriter
{
    /// <summary>Each row is written before the next is asked for, so a reader may hand the same object over, refilled.</summary>
    Task WriteAsync<T>(KimberliteDb db, BulkTable<T> table, IEnumerable<T> rows, CancellationToken cancellationToken) where T : class;
}

public enum BulkKind { Int32, Int64, Boolean, Text, Decimal, DateTime, Date }

/// <summary>One column of a bulk-written table and how to read its value from a row.</summary>
public sealed class BulkColumn<T>
{
    private BulkColumn(string name, BulkKind kind) => (Name, Kind) = (name, kind);

    public string Name { get; }
    public BulkKind Kind { get; }
    public Func<T, int?>? Int32 { get; private init; }
    public Func<T, long?>? Int64 { get; private init; }
    public Func<T, bool?>? Boolean { get; private init; }
    public Func<T, string?>? Text { get; private init; }
    public Func<T, decimal?>? Decimal { get; private init; }
    /// <summary>UTC, as EF Core stores a <see cref="System.DateTime"/>.</summary>
    public Func<T, DateTime?>? DateTime { get; private init; }
    public Func<T, DateOnly?>? Date { get; private init; }

    public NpgsqlDbType PostgresType => Kind switch
    {
        BulkKind.Int32 => NpgsqlDbType.Integer,
        BulkKind.Int64 => NpgsqlDbType.Bigint,
        BulkKind.Boolean => NpgsqlDbType.Boolean,
        BulkKind.Text => NpgsqlDbType.Varchar,
        BulkKind.DateTime => NpgsqlDbType.TimestampTz,
        BulkKind.Date => NpgsqlDbType.Date,
        _ => NpgsqlDbType.Numeric,
    };

    public static BulkColumn<T> Of(string name, Func<T, int?> value) => new(name, BulkKind.Int32) { Int32 = value };
    public static BulkColumn<T> Of(string name, Func<T, long?> value) => new(name, BulkKind.Int64) { Int64 = value };
    public static BulkColumn<T> Of(string name, Func<T, bool?> value) => new(name, BulkKind.Boolean) { Boolean = value };
    public static BulkColumn<T> Of(string name, Func<T, string?> value) => new(name, BulkKind.Text) { Text = value };
    public static BulkColumn<T> Of(string name, Func<T, decimal?> value) => new(name, BulkKind.Decimal) { Decimal = value };
    public static BulkColumn<T> Of(string name, Func<T, DateTime?> value) => new(name, BulkKind.DateTime) { DateTime = value };
    public static BulkColumn<T> Of(string name, Func<T, DateOnly?> value) => new(name, BulkKind.Date) { Date = value };

    /// <summary>
    /// The column of an entity property as EF Core maps it: its column name and a compiled getter of the
    /// value it stores (an enum as its number). A kind the bulk writers cannot write is refused by name.
    /// </summary>
    internal static BulkColumn<T> Of(IProperty property, StoreObjectIdentifier table)
    {
        var name = property.GetColumnName(table) ?? property.Name;
        if (property.PropertyInfo is not { } info || property.IsShadowProperty())
            throw new NotSupportedException($"{typeof(T).Name}.{property.Name} has no CLR property to read for a bulk write.");
        var clr = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
        var stored = property.GetTypeMapping().Converter?.ProviderClrType ?? property.GetProviderClrType() ?? clr;
        var provider = Nullable.GetUnderlyingType(stored) ?? stored;
        if (provider.IsEnum)
            provider = Enum.GetUnderlyingType(provider);
        if (clr != provider && !(clr.IsEnum && provider == Enum.GetUnderlyingType(clr)))
            throw new NotSupportedException($"{typeof(T).Name}.{property.Name} is stored through a value converter ({clr.Name} as {provider.Name}): give it a bulk kind first.");
        var row = Expression.Parameter(typeof(T), "row");
        Expression value = Expression.Property(row, info);
        Delegate Getter<TValue>() where TValue : struct =>
            Expression.Lambda<Func<T, TValue?>>(Expression.Convert(value, typeof(TValue?)), row).Compile();
        return provider switch
        {
            _ when provider == typeof(int) => new(name, BulkKind.Int32) { Int32 = (Func<T, int?>)Getter<int>() },
            _ when provider == typeof(long) => new(name, BulkKind.Int64) { Int64 = (Func<T, long?>)Getter<long>() },
            _ when provider == typeof(bool) => new(name, BulkKind.Boolean) { Boolean = (Func<T, bool?>)Getter<bool>() },
            _ when provider == typeof(decimal) => new(name, BulkKind.Decimal) { Decimal = (Func<T, decimal?>)Getter<decimal>() },
            _ when provider == typeof(DateTime) => new(name, BulkKind.DateTime) { DateTime = (Func<T, DateTime?>)Getter<DateTime>() },
            _ when provider == typeof(DateOnly) => new(name, BulkKind.Date) { Date = (Func<T, DateOnly?>)Getter<DateOnly>() },
            _ when provider == typeof(string) => new(name, BulkKind.Text) { Text = Expression.Lambda<Func<T, string?>>(value, row).Compile() },
            _ => throw new NotSupportedException($"{typeof(T).Name}.{property.Name} is a {provider.Name}, which the bulk writers do not write yet."),
        };
    }
}

/// <summary>
/// A table written in bulk, its columns taken from the EF Core model: every mapped property of the entity but a
/// key the database generates. A property added to the entity is written with the others, never silently left out.
/// </summary>
public sealed class BulkTable<T> where T : class
{
    private readonly ConcurrentDictionary<IModel, BulkShape<T>> _shapes = new();

    /// <summary>The table as the model given maps it (a model per provider; built once each).</summary>
    public BulkShape<T> For(IModel model) => _shapes.GetOrAdd(model, Build);

    private static BulkShape<T> Build(IModel model)
    {
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity of the model.");
        var name = entity.GetTableName() ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped to a table.");
        var table = StoreObjectIdentifier.Table(name, entity.GetSchema());
        var columns = entity.GetProperties()
            .Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never) && p.GetComputedColumnSql(table) is null)
            .Select(p => BulkColumn<T>.Of(p, table))
            .ToArray();
        return new BulkShape<T>(name, columns);
    }
}

/// <summary>A table's name and its columns, in the order they are written.</summary>
/// <remarks>The columns are an array: they are walked once per row of millions, and a list's enumerator would be called through its interface.</remarks>
public sealed record BulkShape<T>(string Name, BulkColumn<T>[] Columns)
{
    public string ColumnList { get; } = string.Join(", ", Columns.Select(c => $"\"{c.Name}\""));
}
