using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Comtrade;

namespace Kimberlite.Analysis;

/// <summary>
/// The yearly Comtrade totals the rules read, by flow: each key points at its total inside the blocks as they were
/// read (block and position) rather than holding a copy. A million copies would take 76 MB of fresh memory, and
/// touching it the first time costs more than all the rest of reading them (docs/BENCHMARKS.md).
/// </summary>
public sealed class TradeTotals(int capacity) : IReadOnlyDictionary<TradeKey, TradeTotal>
{
    // Nearly every total is far inside the bounds: a double sets those aside before the exact comparison.
    private static readonly double SurelyWithin = (double)NumberReader.Limit / 2;

    private readonly List<TradeTotalsBlock.Reader> _blocks = [];
    // The block's index in the high 32 bits, the position in the low ones.
    private readonly Dictionary<TradeKey, long> _where = new(capacity);

    /// <summary>
    /// Adds a block's totals, blocks read oldest dataset first so that a later file's total replaces an earlier one's;
    /// within a file its subheadings speak for a flow rather than its heading. Returns the totals left out, beyond
    /// what a statistic can be (their records were stored before imports bounded them). A block that cannot be read
    /// throws <see cref="InvalidDataException"/> before any of its totals is added.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Add(TradeTotalsBlock block)
    {
        var rows = block.Rows();
        var index = (long)_blocks.Count << 32;
        _blocks.Add(rows);
        var skipped = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (!Within(row.Carats) || !Within(row.Usd))
            {
                skipped++;
                continue;
            }
            ref var held = ref CollectionsMarshal.GetValueRefOrAddDefault(_where, row.Key, out var exists);
            if (exists && _blocks[(int)(held >> 32)] is var earlier && earlier.DatasetId == row.DatasetId && earlier.IsSubheadings((int)held))
                continue;
            held = index | (uint)i;
        }
        return skipped;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Within(decimal? value) => value is not { } v || Math.Abs((double)v) < SurelyWithin || Figure.Within(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TradeTotal At(long where)
    {
        var row = _blocks[(int)(where >> 32)][(int)where];
        return new TradeTotal(row.Carats, row.Usd, row.DatasetId, row.Subheadings);
    }

    public int Count => _where.Count;

    public TradeTotal this[TradeKey key] => TryGetValue(key, out var total) ? total : throw new KeyNotFoundException($"No trade total for {key}.");

    public IEnumerable<TradeKey> Keys => _where.Keys;

    public IEnumerable<TradeTotal> Values => _where.Values.Select(At);

    public bool ContainsKey(TradeKey key) => _where.ContainsKey(key);

    // Hot paths (a rule's million lookups and its walk over every total) are compiled optimised from the first
    // call: through the tiers, the first hundreds of thousands of calls would run unoptimised on a busy machine.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetValue(TradeKey key, [MaybeNullWhen(false)] out TradeTotal value)
    {
        if (_where.TryGetValue(key, out var where))
        {
            value = At(where);
            return true;
        }
        value = default;
        return false;
    }

    public IEnumerator<KeyValuePair<TradeKey, TradeTotal>> GetEnumerator() => new Enumerator(this);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class Enumerator(TradeTotals totals) : IEnumerator<KeyValuePair<TradeKey, TradeTotal>>
    {
        private Dictionary<TradeKey, long>.Enumerator _inner = totals._where.GetEnumerator();

        public KeyValuePair<TradeKey, TradeTotal> Current { get; private set; }

        object IEnumerator.Current => Current;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool MoveNext()
        {
            if (!_inner.MoveNext())
                return false;
            var (key, where) = _inner.Current;
            Current = new(key, totals.At(where));
            return true;
        }

        public void Reset() => throw new NotSupportedException();

        public void Dispose() => _inner.Dispose();
    }
}
