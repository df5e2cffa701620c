using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;

namespace Kimberlite.Infrastructure.Data;

/// <summary>
/// SQLite: prepared INSERTs of many rows each, bound straight through SQLite's C interface. The rows
/// are read, checked and encoded on a second core while this one binds and steps; at a few
/// microseconds a row on each side, every copy and allocation saved shows (docs/BENCHMARKS.md).
/// </summary>
public sealed class SqliteBulkWriter : IBulkWriter
{
    private const int RowsPerStatement = 32;
    private const int RowsPerBatch = 4096;

    public async Task WriteAsync<T>(KimberliteDb db, BulkTable<T> bulkTable, IEnumerable<T> rows, CancellationToken cancellationToken) where T : class
    {
        var table = bulkTable.For(db.Model);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("A bulk write runs inside the caller's transaction.");
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA cache_size";
        var cacheSize = Convert.ToInt64(await pragma.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        // A 256 MB page cache keeps the growing table (and any index) in memory while it is written; the
        // pooled connection gives it back after, or it would hold it for as long as the server runs.
        pragma.CommandText = "PRAGMA cache_size = -262144";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        pragma.CommandText = $"PRAGMA cache_size = {cacheSize}";
        try
        {
            await WriteAsync(connection, table, rows, cancellationToken);
        }
        catch
        {
            // The write's own failure is the one to report (an unreadable file), not the cache's.
            try
            {
                await pragma.ExecuteNonQueryAsync(CancellationToken.None);
            }
            catch (SqliteException)
            {
            }
            throw;
        }
        await pragma.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static async Task WriteAsync<T>(SqliteConnection connection, BulkShape<T> table, IEnumerable<T> rows, CancellationToken cancellationToken)
    {

        // Prepared before the encoder starts: a failure here must not leave it reading on its own.
        using var many = Prepare(connection, table, RowsPerStatement);
        using var one = Prepare(connection, table, 1);
        var columns = table.Columns.Length;
        var full = Channel.CreateBounded<Batch>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var spare = new ConcurrentBag<Batch>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var encoder = Task.Run(async () =>
        {
            try
            {
                var batch = new Batch(columns);
                foreach (var row in rows)
                {
                    stop.Token.ThrowIfCancellationRequested();
                    batch.Add(table, row);
                    if (batch.Rows < RowsPerBatch)
                        continue;
                    await full.Writer.WriteAsync(batch, stop.Token);
                    batch = spare.TryTake(out var reused) ? reused.Clear() : new Batch(columns);
                }
                if (batch.Rows > 0)
                    await full.Writer.WriteAsync(batch, stop.Token);
                full.Writer.Complete();
            }
            catch (Exception e)
            {
                full.Writer.Complete(e);
                throw;
            }
        }, stop.Token);

        try
        {
            await foreach (var batch in full.Reader.ReadAllAsync(stop.Token))
            {
                Write(connection, batch, columns, many, one);
                spare.Add(batch);
            }
        }
        catch
        {
            await stop.CancelAsync();
            try
            {
                await encoder; // when the encoder failed (an unreadable file), its failure is the one to report
            }
            catch (OperationCanceledException)
            {
            }
            throw;
        }
        await encoder;
    }

    private static sqlite3_stmt Prepare<T>(SqliteConnection connection, BulkShape<T> table, int rows)
    {
        var values = "(" + string.Join(", ", Enumerable.Repeat("?", table.Columns.Length)) + ")";
        var sql = $"INSERT INTO \"{table.Name}\" ({table.ColumnList}) VALUES {string.Join(", ", Enumerable.Repeat(values, rows))}";
        Check(connection, raw.sqlite3_prepare_v2(connection.Handle, sql, out var statement));
        return statement;
    }

    private static unsafe void Write(SqliteConnection connection, Batch batch, int columns, sqlite3_stmt many, sqlite3_stmt one)
    {
        fixed (byte* text = batch.Text)
        {
            var row = 0;
            for (; row + RowsPerStatement <= batch.Rows; row += RowsPerStatement)
                Step(connection, many, batch, text, row, RowsPerStatement, columns);
            for (; row < batch.Rows; row++)
                Step(connection, one, batch, text, row, 1, columns);
        }
    }

    // Runs for every statement of millions of rows: compiled fully optimised at once rather than through the tiers.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Step(SqliteConnection connection, sqlite3_stmt statement, Batch batch, byte* text, int firstRow, int rows, int columns)
    {
        var handle = statement.DangerousGetHandle();
        var first = firstRow * columns;
        for (var i = 0; i < rows * columns; i++)
        {
            var cell = first + i;
            // The text stays pinned until the step below, and every parameter is bound again before the next step: SQLite need not copy it.
            var result = batch.Kinds[cell] switch
            {
                Batch.Null => SqliteNative.BindNull(handle, i + 1),
                Batch.Integer => SqliteNative.BindInt64(handle, i + 1, batch.Values[cell]),
                _ => SqliteNative.BindText(handle, i + 1, text + batch.Values[cell], batch.Lengths[cell], IntPtr.Zero),
            };
            if (result != raw.SQLITE_OK)
                Check(connection, result);
        }
        var step = SqliteNative.Step(handle);
        SqliteNative.Reset(handle);
        if (step != raw.SQLITE_DONE)
            Check(connection, step);
    }

    private static void Check(SqliteConnection connection, int result)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE))
            throw new SqliteException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string(), result);
    }

    /// <summary>Rows encoded for SQLite: per cell a kind and an integer, or a slice of UTF-8 text.</summary>
    private sealed class Batch(int columns)
    {
        public const byte Null = 0, Integer = 1, Text8 = 2;

        public readonly byte[] Kinds = new byte[RowsPerBatch * columns];
        public readonly long[] Values = new long[RowsPerBatch * columns];
        public readonly int[] Lengths = new int[RowsPerBatch * columns];
        public byte[] Text = new byte[RowsPerBatch * columns * 8];
        public int Rows;
        private int _cell, _textLength;
        // Per column, the last string encoded and its cell: bulk rows repeat the same codes (the same string
        // objects), and a cell may point at the bytes of another, so a repeated string is neither encoded nor copied.
        private readonly string?[] _lastText = new string?[columns];
        private readonly int[] _lastCell = new int[columns];

        public Batch Clear()
        {
            Rows = _cell = _textLength = 0;
            Array.Clear(_lastText);
            return this;
        }

        // Runs once per row of millions: compiled fully optimised at once rather than through the tiers.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Add<T>(BulkShape<T> table, T row)
        {
            var columns = table.Columns;
            for (var c = 0; c < columns.Length; c++)
            {
                var column = columns[c];
                switch (column.Kind)
                {
                    case BulkKind.Int32 when column.Int32!(row) is { } value:
                        Whole(value);
                        break;
                    case BulkKind.Int64 when column.Int64!(row) is { } value:
                        Whole(value);
                        break;
                    case BulkKind.Boolean when column.Boolean!(row) is { } value:
                        Whole(value ? 1 : 0);
                        break;
                    case BulkKind.Date when column.Date!(row) is { } value:
                        Room(10);
                        // As Microsoft.Data.Sqlite stores a DateOnly for EF Core.
                        Slice(value.TryFormat(Text.AsSpan(_textLength), out var written, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ? written : throw new ArgumentException("No room for a date."));
                        break;
                    case BulkKind.Text when column.Text!(row) is { } value:
                        if (ReferenceEquals(value, _lastText[c]))
                        {
                            Again(_lastCell[c]);
                            break;
                        }
                        (_lastText[c], _lastCell[c]) = (value, _cell);
                        Room(Encoding.UTF8.GetMaxByteCount(value.Length));
                        Slice(Encoding.UTF8.GetBytes(value, Text.AsSpan(_textLength)));
                        break;
                    case BulkKind.Decimal when column.Decimal!(row) is { } value:
                        Room(40);
                        Slice(DecimalText(value, Text.AsSpan(_textLength)));
                        break;
                    case BulkKind.DateTime when column.DateTime!(row) is { } value:
                        Room(40);
                        Slice(DateTimeText(value, Text.AsSpan(_textLength)));
                        break;
                    default:
                        Kinds[_cell++] = Null;
                        break;
                }
            }
            Rows++;
        }

        private void Whole(long value)
        {
            Kinds[_cell] = Integer;
            Values[_cell++] = value;
        }

        /// <summary>The same text as an earlier cell of this batch, pointing at its bytes.</summary>
        private void Again(int cell)
        {
            Kinds[_cell] = Text8;
            Values[_cell] = Values[cell];
            Lengths[_cell++] = Lengths[cell];
        }

        private void Slice(int length)
        {
            Kinds[_cell] = Text8;
            Values[_cell] = _textLength;
            Lengths[_cell++] = length;
            _textLength += length;
        }

        private void Room(int bytes)
        {
            if (_textLength + bytes > Text.Length)
                Array.Resize(ref Text, Math.Max(Text.Length * 2, _textLength + bytes));
        }
    }

    /// <summary>A date and time as Microsoft.Data.Sqlite stores it for EF Core (yyyy-MM-dd HH:mm:ss.FFFFFFF).</summary>
    internal static int DateTimeText(DateTime value, Span<byte> into) =>
        value.TryFormat(into, out var length, @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture)
            ? length
            : throw new ArgumentException("No room for a date.", nameof(into));

    /// <summary>
    /// A decimal as EF Core's SQLite provider stores it (format 0.0###…: at least one decimal, no
    /// trailing zeros beyond it), so rows written here read back exactly like rows EF wrote.
    /// </summary>
    internal static int DecimalText(decimal value, Span<byte> into)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        if (bits[2] != 0)
            return SlowDecimalText(value, into);
        // Most values fit in 64 bits: their digits are written once, the point put in place by hand.
        var mantissa = (uint)bits[0] | (ulong)(uint)bits[1] << 32;
        var scale = (bits[3] >> 16) & 0xFF;
        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }
        var length = 0;
        if (bits[3] < 0 && mantissa != 0)
            into[length++] = (byte)'-';
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(mantissa, digits, out var count);
        if (scale == 0)
        {
            digits[..count].CopyTo(into[length..]);
            length += count;
            into[length++] = (byte)'.';
            into[length++] = (byte)'0';
            return length;
        }
        var whole = count - scale;
        if (whole <= 0)
        {
            into[length++] = (byte)'0';
            into[length++] = (byte)'.';
            into.Slice(length, -whole).Fill((byte)'0');
            length += -whole;
            digits[..count].CopyTo(into[length..]);
            return length + count;
        }
        digits[..whole].CopyTo(into[length..]);
        length += whole;
        into[length++] = (byte)'.';
        digits[whole..count].CopyTo(into[length..]);
        return length + count - whole;
    }

    private static int SlowDecimalText(decimal value, Span<byte> into)
    {
        if (!Utf8Formatter.TryFormat(value, into, out var length))
            throw new ArgumentException("No room for a decimal.", nameof(into));
        var dot = into[..length].IndexOf((byte)'.');
        if (dot < 0)
        {
            into[length++] = (byte)'.';
            into[length++] = (byte)'0';
            return length;
        }
        while (length - 2 > dot && into[length - 1] == (byte)'0')
            length--;
        return length;
    }
}
