using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kimberlite.Statistics.Comtrade;

/// <summary>
/// The yearly totals of one Comtrade dataset, kept at import time so the analysis never reads the
/// records: for each reporter, partner country, flow (exports X or imports M) and year, the carats and
/// US$ of the six-digit subheadings and, apart, of the four-digit heading. Packed in blocks rather than a
/// row each: a world-wide file has a million totals, read at every analysis (docs/decisions/012-trade-totals-in-blocks.md).
/// </summary>
public sealed class TradeTotalsBlock
{
    /// <summary>Totals in one block, about 4 MB: read and written one at a time, a block never weighs on memory.</summary>
    public const int MaxTotals = 100_000;

    /// <summary>The packing below; a block of another layout is refused rather than misread.</summary>
    public const int CurrentLayout = 1;

    // Per total, little-endian: the key (8 bytes), flags (1), carats and US$ (16 each, as decimal's four integers).
    private const int EntrySize = 8 + 1 + 16 + 16;
    private const byte Subheadings = 1, HasCarats = 2, HasUsd = 4;

    public int DatasetId { get; set; }
    public int Part { get; set; }
    public int Layout { get; set; } = CurrentLayout;
    public int Count { get; set; }
    public required byte[] Data { get; set; }

    /// <summary>Packs totals, up to <see cref="MaxTotals"/> a block; always one block at least, empty when there are none.</summary>
    public static IEnumerable<TradeTotalsBlock> Pack(int datasetId, int count, IEnumerable<TradeTotalRow> totals)
    {
        var (part, packed, inBlock) = (0, 0, 0);
        var data = new byte[Math.Min(count, MaxTotals) * EntrySize];
        foreach (var total in totals)
        {
            if (packed == count)
                throw new ArgumentException($"More totals given than the {count} announced.", nameof(count));
            if (inBlock == MaxTotals)
            {
                yield return new TradeTotalsBlock { DatasetId = datasetId, Part = part++, Count = inBlock, Data = data };
                data = new byte[Math.Min(count - packed, MaxTotals) * EntrySize];
                inBlock = 0;
            }
            Write(data.AsSpan(inBlock++ * EntrySize, EntrySize), total);
            packed++;
        }
        if (packed != count)
            throw new ArgumentException($"{packed} totals given, {count} announced.", nameof(count));
        yield return new TradeTotalsBlock { DatasetId = datasetId, Part = part, Count = inBlock, Data = data };
    }

    /// <summary>The totals of this block, in the order they were packed.</summary>
    public IEnumerable<TradeTotalRow> Totals()
    {
        var rows = Rows();
        var list = new List<TradeTotalRow>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
            list.Add(rows[i]);
        return list;
    }

    /// <summary>
    /// The totals read in place, by position, for the analysis's loops over a million of them (an iterator's call
    /// per total costs more than the reading). The whole block is checked here, so reading a total never fails.
    /// </summary>
    public Reader Rows()
    {
        if (Layout != CurrentLayout || Data.Length != Count * EntrySize || !AllDecimals(Data))
            throw new InvalidDataException($"The trade totals of dataset {DatasetId} (part {Part}) are not in layout {CurrentLayout} or are cut short.");
        return new Reader(Data, DatasetId);
    }

    /// <summary>A checked block's totals, read by position.</summary>
    public readonly struct Reader(byte[] data, int datasetId)
    {
        public int DatasetId => datasetId;

        public int Count => data.Length / EntrySize;

        public TradeTotalRow this[int index]
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => Read(data.AsSpan(index * EntrySize, EntrySize), datasetId);
        }

        /// <summary>Whether the total at this position is of the six-digit subheadings, without reading its numbers.</summary>
        public bool IsSubheadings(int index) => (data[index * EntrySize + 8] & Subheadings) != 0;
    }

    /// <summary>Every carats and US$ field holds a decimal: its flags have a sign bit and a scale up to 28, nothing else.</summary>
    private static bool AllDecimals(ReadOnlySpan<byte> data)
    {
        for (var at = 0; at < data.Length; at += EntrySize)
        {
            var carats = BinaryPrimitives.ReadInt32LittleEndian(data[(at + 9 + 12)..]);
            var usd = BinaryPrimitives.ReadInt32LittleEndian(data[(at + 25 + 12)..]);
            if ((carats & 0x7F00_FFFF) != 0 || (carats >> 16 & 0xFF) > 28 || (usd & 0x7F00_FFFF) != 0 || (usd >> 16 & 0xFF) > 28)
                return false;
        }
        return true;
    }

    private static void Write(Span<byte> entry, TradeTotalRow total)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(entry, total.Key.ToUInt64());
        entry[8] = (byte)((total.Subheadings ? Subheadings : 0) | (total.Carats is null ? 0 : HasCarats) | (total.Usd is null ? 0 : HasUsd));
        WriteDecimal(entry.Slice(9, 16), total.Carats ?? 0);
        WriteDecimal(entry.Slice(25, 16), total.Usd ?? 0);
    }

    private static void WriteDecimal(Span<byte> into, decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        for (var i = 0; i < 4; i++)
            BinaryPrimitives.WriteInt32LittleEndian(into[(4 * i)..], bits[i]);
    }

    /// <summary>decimal.GetBits order: low, middle and high 32 bits, then the flags (sign in bit 31, scale in bits 16-23), checked by <see cref="AllDecimals"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static decimal ReadDecimal(ReadOnlySpan<byte> from)
    {
        var flags = BinaryPrimitives.ReadInt32LittleEndian(from[12..]);
        return new decimal(BinaryPrimitives.ReadInt32LittleEndian(from), BinaryPrimitives.ReadInt32LittleEndian(from[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(from[8..]), flags < 0, (byte)(flags >> 16));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TradeTotalRow Read(ReadOnlySpan<byte> entry, int datasetId)
    {
        var flags = entry[8];
        return new TradeTotalRow(
            TradeKey.FromUInt64(BinaryPrimitives.ReadUInt64LittleEndian(entry)), datasetId, (flags & Subheadings) != 0,
            (flags & HasCarats) != 0 ? ReadDecimal(entry.Slice(9, 16)) : null,
            (flags & HasUsd) != 0 ? ReadDecimal(entry.Slice(25, 16)) : null);
    }
}

/// <summary>One yearly total: of the six-digit subheadings, or of the four-digit heading.</summary>
public readonly record struct TradeTotalRow(TradeKey Key, int DatasetId, bool Subheadings, decimal? Carats, decimal? Usd);

internal sealed class TradeTotalsBlockConfiguration : IEntityTypeConfiguration<TradeTotalsBlock>
{
    public void Configure(EntityTypeBuilder<TradeTotalsBlock> b)
    {
        b.HasKey(t => new { t.DatasetId, t.Part });
        b.HasOne<Dataset>().WithMany().HasForeignKey(t => t.DatasetId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Totals one file's yearly records between countries as they stream by.</summary>
public sealed class TradeFlowTotals
{
    // Subheadings and the heading apart: the analysis takes the subheadings where a file has them.
    private readonly Dictionary<TradeKey, Total> _subheadings = [], _heading = [];

    /// <summary>
    /// Counts a record when it is yearly, exports or imports, with a partner country or the world, of the heading 7102 or
    /// one of its six-digit subheadings; the rest are kept but not totalled. The importer passes only the rows that are
    /// totals (not breakdowns by mode of transport, customs procedure or second partner).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(TradeFlow flow)
    {
        // The world is totalled too, as a partner of its own: a reporter's total over every partner, areas not
        // specified included, which a balance needs. Other areas and groups are not: they would count trade twice.
        // A national line longer than six digits would count its subheading twice: only 4 and 6 digits are totalled.
        if (flow.Month is not null || flow.PartnerIsAggregate && flow.PartnerIso3 != "WLD" || flow.FlowCode is not ("X" or "M")
            || flow.CommodityCode.Length is not (4 or 6)
            || !TradeKey.TryOf(flow.ReporterIso3, flow.PartnerIso3, flow.FlowCode[0], flow.Year, out var key))
            return;
        ref var total = ref CollectionsMarshal.GetValueRefOrAddDefault(flow.CommodityCode.Length == 6 ? _subheadings : _heading, key, out _);
        try
        {
            if (flow.Carats is { } carats)
                total.Carats += carats;
            else
                total.NotAllInCarats = true;
        }
        catch (OverflowException)
        {
            total.NotAllInCarats = true; // beyond any decimal: no total rather than a crash
        }
        try
        {
            if (flow.PrimaryValue is { } usd)
                total.Usd += usd;
            else
                total.NotAllValued = true;
        }
        catch (OverflowException)
        {
            total.NotAllValued = true;
        }
    }

    public IEnumerable<TradeTotalsBlock> Blocks(int datasetId) =>
        TradeTotalsBlock.Pack(datasetId, _subheadings.Count + _heading.Count,
            _subheadings.Select(t => t.Value.Row(t.Key, datasetId, subheadings: true)).Concat(_heading.Select(t => t.Value.Row(t.Key, datasetId, subheadings: false))));

    /// <summary>Carats only when every record counted in carats; US$ only when every record had a value.</summary>
    private struct Total
    {
        public decimal Carats, Usd;
        public bool NotAllInCarats, NotAllValued;

        /// <summary>Beyond this a total is no trade of diamonds: kept out of the analysis rather than overflow it.</summary>
        private const decimal Largest = 1_000_000_000_000_000_000m;

        public readonly TradeTotalRow Row(TradeKey key, int datasetId, bool subheadings) =>
            new(key, datasetId, subheadings, NotAllInCarats || Math.Abs(Carats) > Largest ? null : Carats, NotAllValued || Math.Abs(Usd) > Largest ? null : Usd);
    }
}
