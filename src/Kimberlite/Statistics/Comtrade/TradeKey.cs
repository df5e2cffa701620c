namespace Kimberlite.Statistics.Comtrade;

/// <summary>
/// A yearly flow between two countries packed into one number: reporter and partner (ISO3 codes),
/// flow (X or M) and year. A million of these are looked up at every import and every analysis; a key
/// of three strings costs several memory reads and string hashes each time, a number none.
/// </summary>
public readonly record struct TradeKey
{
    private const int FirstYear = 1900, LastYear = FirstYear + 255;
    private readonly ulong _value;

    private TradeKey(ulong value) => _value = value;

    public string Reporter => Code(_value >> 40);
    public string Partner => Code(_value >> 16);
    public char Flow => (char)(byte)(_value >> 8);
    public int Year => FirstYear + (int)(_value & 0xFF);

    /// <summary>The same flow as the partner declares it the other way: A's exports to B against B's imports from A.</summary>
    public TradeKey Mirror(char flow) =>
        new((_value >> 16 & 0xFF_FFFF) << 40 | (_value >> 40 & 0xFF_FFFF) << 16 | (ulong)flow << 8 | (_value & 0xFF));

    /// <summary>The key as one number, as packed trade totals store it.</summary>
    public ulong ToUInt64() => _value;

    public static TradeKey FromUInt64(ulong value) => new(value);

    /// <summary>The partner is the world: the reporter's total over all its partners.</summary>
    public bool PartnerIsWorld => (_value >> 16 & 0xFF_FFFF) == World;

    private const ulong World = 'W' << 16 | 'L' << 8 | 'D';

    /// <summary>The reporter's year, every partner and flow together: what a country's balance adds up under.</summary>
    public TradeKey ReporterAndYear => new(_value & 0xFFFF_FF00_0000_00FF);

    public static TradeKey Of(string reporter, string partner, char flow, int year) =>
        TryOf(reporter, partner, flow, year, out var key) ? key
        : throw new ArgumentException($"Not a yearly flow between two countries: {reporter} {partner} {flow} {year}.");

    /// <summary>False for what cannot be a key: codes longer than three ASCII characters, a year outside 1900–2155.</summary>
    public static bool TryOf(ReadOnlySpan<char> reporter, ReadOnlySpan<char> partner, char flow, int year, out TradeKey key)
    {
        key = default;
        if (year is < FirstYear or > LastYear || flow is '\0' or > '\x7F' || !TryPack(reporter, out var r) || !TryPack(partner, out var p))
            return false;
        key = new TradeKey(r << 40 | p << 16 | (ulong)flow << 8 | (uint)(year - FirstYear));
        return true;
    }

    /// <summary>Mixed (Fibonacci hashing): the codes' letters vary in a few bits each, and the plain fold of a long would put many keys on one hash.</summary>
    public override int GetHashCode() => (int)(_value * 0x9E3779B97F4A7C15 >> 32);

    public bool Equals(TradeKey other) => _value == other._value;

    public override string ToString() => $"{Reporter}|{Partner}|{Flow}|{Year}";

    /// <summary>Up to three ASCII characters, left-aligned in 24 bits.</summary>
    private static bool TryPack(ReadOnlySpan<char> code, out ulong packed)
    {
        packed = 0;
        if (code.Length is 0 or > 3)
            return false;
        foreach (var c in code)
        {
            if (c is '\0' or > '\x7F')
                return false;
            packed = packed << 8 | c;
        }
        packed <<= 8 * (3 - code.Length);
        return true;
    }

    private static string Code(ulong packed)
    {
        Span<char> chars = stackalloc char[3];
        var length = 0;
        for (var shift = 16; shift >= 0; shift -= 8)
            if ((char)(byte)(packed >> shift) is not '\0' and var c)
                chars[length++] = c;
        return new string(chars[..length]);
    }
}
