using System.Collections.Frozen;

namespace Kimberlite.Statistics.Comtrade;

/// <summary>
/// UN Comtrade's reporter and partner codes (m49.csv, bundled): the M49 numeric codes of ISO 3166-1, the
/// codes Comtrade gives some countries of its own (251 France, 381 Italy, 579 Norway, 699 India, 757
/// Switzerland, 842 USA), former countries under their ISO 3166-3 codes (810 SUN, 890 YUG…), and the areas
/// of Comtrade's partner list (0 World, 97 European Union, 490 Other Asia nes, 899 Areas nes, 838 Free
/// Zones, 837 Bunkers…). An area is never a partner country: what makes a partner an area is its code.
/// </summary>
public static class M49
{
    public enum Kind
    {
        /// <summary>A country or territory with an ISO 3166-1 code.</summary>
        Country,
        /// <summary>A country of the past, under its ISO 3166-3 code: a partner country of its time.</summary>
        Former,
        /// <summary>The world: the reporter's total over all its partners, kept apart.</summary>
        World,
        /// <summary>A group that reports as one (the European Union).</summary>
        Group,
        /// <summary>Not a country: areas not specified, free zones, bunkers, customs unions, parts of a country.</summary>
        Area,
    }

    /// <summary>One code: what Kimberlite stores for it (an ISO3 code, WLD, EUU, a Comtrade area code, else the number) and its kind.</summary>
    public sealed record Entry(int Code, string Key, Kind Kind, string Name)
    {
        /// <summary>The world, a group or an area: never counted as a partner country.</summary>
        public bool IsAggregate => Kind is Kind.World or Kind.Group or Kind.Area;
    }

    private static readonly Lazy<(FrozenDictionary<int, Entry> ByCode, FrozenDictionary<string, Entry> ByKey)> Table = new(Load);

    /// <summary>Every code, by number.</summary>
    public static IReadOnlyDictionary<int, Entry> All => Table.Value.ByCode;

    public static Entry? Find(int code) => Table.Value.ByCode.GetValueOrDefault(code);

    /// <summary>A numeric code as a file writes it ("251", "0", " 0490 "); null when it is not one Comtrade uses.</summary>
    public static Entry? Find(ReadOnlySpan<char> code) =>
        int.TryParse(code.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? Find(number) : null;

    /// <summary>
    /// A code written in letters: an ISO3 code, WLD or W00 for the world, a former country's code, or an area's
    /// Comtrade code (S19, _X); null when unknown.
    /// </summary>
    public static Entry? FindKey(string key) => Table.Value.ByKey.GetValueOrDefault(key.ToUpperInvariant());

    private static (FrozenDictionary<int, Entry>, FrozenDictionary<string, Entry>) Load()
    {
        using var stream = typeof(M49).Assembly.GetManifestResourceStream("Kimberlite.Statistics.Comtrade.m49.csv")
            ?? throw new InvalidOperationException("The bundled M49 table is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var byCode = new Dictionary<int, Entry>();
        var byKey = new Dictionary<string, Entry>();
        reader.ReadLine(); // code;alpha3;kind;name
        while (reader.ReadLine() is { } line)
        {
            var cells = line.Split(';', 4);
            if (cells.Length < 4)
                continue;
            var code = int.Parse(cells[0], System.Globalization.CultureInfo.InvariantCulture);
            var kind = cells[2] switch { "C" => Kind.Country, "F" => Kind.Former, "W" => Kind.World, "G" => Kind.Group, _ => Kind.Area };
            var entry = new Entry(code, cells[1].Length > 0 ? cells[1] : code.ToString(System.Globalization.CultureInfo.InvariantCulture), kind, cells[3]);
            byCode[code] = entry;
            // Where two codes say one country (250 and 251 France), the key finds the country, not the second code.
            byKey.TryAdd(entry.Key, entry);
        }
        byKey["W00"] = byCode[0];
        return (byCode.ToFrozenDictionary(), byKey.ToFrozenDictionary());
    }
}
