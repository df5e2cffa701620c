using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kimberlite.Statistics.Import;

/// <summary>One column of a layout: the name the mapping reads it by, and every header the sources write for it.</summary>
internal sealed record LayoutColumn(string Name, params string[] Headers);

/// <summary>
/// A layout `import statistics` reads: its columns, each recognised by its whole header (case, spaces,
/// accents and punctuation aside), the columns that identify it, and the publisher it suggests.
/// docs/IMPORTS.md lists the same columns.
/// </summary>
internal sealed partial class Layout
{
    public required StatisticsFormat Format { get; init; }
    /// <summary>The layout's name in reports: the source's own name for its publication.</summary>
    public required string Name { get; init; }
    public required IReadOnlyList<LayoutColumn> Columns { get; init; }
    /// <summary>Whether the columns found make a file of this layout (its required columns are checked after).</summary>
    public required Func<IReadOnlyDictionary<string, int>, bool> Identifies { get; init; }
    /// <summary>Columns without which no row can be read; a list of alternatives is written "a|b".</summary>
    public required IReadOnlyList<string> Required { get; init; }
    /// <summary>Headers named by a pattern rather than a list, such as Trade Map's "Exported value in 2019": the column name, or null.</summary>
    public Func<string, string?>? Pattern { get; init; }
    /// <summary>Who publishes files of this layout: suggested to the user, never applied unstated.</summary>
    public string? SuggestedPublisher { get; init; }

    private Dictionary<string, string>? _byHeader;

    /// <summary>The column a header stands for in this layout, or null.</summary>
    public string? ColumnOf(string header)
    {
        _byHeader ??= Columns.SelectMany(c => c.Headers.Select(h => (Key: Normalize(h), c.Name)))
            .GroupBy(h => h.Key).ToDictionary(g => g.Key, g => g.Select(h => h.Name).Distinct().Single());
        var key = Normalize(header);
        return key.Length == 0 ? null : _byHeader.TryGetValue(key, out var name) ? name : Pattern?.Invoke(key);
    }

    /// <summary>
    /// A header without case, spaces, accents or punctuation: "Production Volume (carats)" is
    /// "productionvolumecarats". Currency signs stay: "Production $/ct" is not "Production (ct)".
    /// </summary>
    public static string Normalize(string header)
    {
        var builder = new StringBuilder(header.Length);
        foreach (var c in header.Normalize(NormalizationForm.FormD))
            if (char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.CurrencySymbol)
                builder.Append(char.ToLowerInvariant(c));
        return builder.ToString();
    }
}

/// <summary>What a header is: the one layout it fits (or none, or several) and where each of its columns stands.</summary>
internal sealed record Detection(Layout? Layout, IReadOnlyDictionary<string, int> Columns, IReadOnlyList<Layout> Candidates, IReadOnlyList<int> Duplicates, IReadOnlyList<string> Missing);

internal static partial class StatisticsLayouts
{
    private static LayoutColumn Plain(string name) => new(name, name);

    private static List<LayoutColumn> Plain(params string[] names) => names.Select(Plain).ToList();

    private static readonly string[] Figures = ["production", "import", "export"];

    /// <summary>The Kimberley Process public table's figure columns: every writing the statistics site and its copies use.</summary>
    private static IEnumerable<LayoutColumn> KpTableFigures()
    {
        foreach (var figure in Figures)
        {
            string[] words = figure == "production" ? ["Production"] : [Cap(figure), Cap(figure) + "s"];
            yield return new($"{figure}_carats", words.SelectMany(w => new[] { $"{w} Volume (carats)", $"{w} volume (ct)", $"{w} (carats)", $"{w} (ct)", $"{w} carats" }).ToArray());
            yield return new($"{figure}_usd", words.SelectMany(w => new[] { $"{w} Value (US$)", $"{w} value (USD)", $"{w} (US$)", $"{w} (USD)", $"{w} US$", $"{w} USD" }).ToArray());
            yield return new($"{figure}_usd_per_carat", words.SelectMany(w => new[] { $"{w} $/ct", $"{w} US$/ct", $"{w} USD/ct", $"{w} $/carat", $"{w} US$/carat", $"{w} USD per carat" }).ToArray());
            if (figure != "production")
                yield return new($"{figure}_certificates", words.SelectMany(w => new[] { $"{w} KPC count", $"{w} KPC", $"{w} KPCs", $"{w} certificates", $"{w} KP certificates" }).ToArray());
        }
    }

    private static string Cap(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    public static readonly Layout KpProduction = new()
    {
        Format = StatisticsFormat.KpProduction,
        Name = "kp_production.csv (Kimberlite collection)",
        Columns = Plain("country_iso3", "year", "carats", "usd", "usd_per_carat_published", "source", "source_publisher", "as_published", "precision", "notes"),
        Identifies = c => c.ContainsKey("usd_per_carat_published"),
        Required = ["country_iso3", "year", "carats", "usd"],
    };

    public static readonly Layout KpTrade = new()
    {
        Format = StatisticsFormat.KpTrade,
        Name = "kp_trade.csv (Kimberlite collection)",
        Columns = Plain("reporter_iso3", "partner_iso3", "year", "period", "flow", "flow_detail", "carats", "usd", "share_pct", "source", "source_publisher", "as_published", "precision", "data_origin", "notes"),
        Identifies = c => c.ContainsKey("reporter_iso3") && c.ContainsKey("flow"),
        Required = ["reporter_iso3", "partner_iso3", "year", "flow", "carats", "usd"],
    };

    public static readonly Layout National = new()
    {
        Format = StatisticsFormat.NationalStatistics,
        Name = "national_stats.csv (Kimberlite collection)",
        Columns = Plain("country_iso3", "year", "period", "metric", "segment", "carats", "value", "currency", "source", "source_publisher", "as_published", "precision", "notes"),
        Identifies = c => c.ContainsKey("metric") && c.ContainsKey("segment"),
        Required = ["country_iso3", "year", "metric", "carats", "value", "currency"],
    };

    public static readonly Layout Fiscal = new()
    {
        Format = StatisticsFormat.FiscalRevenue,
        Name = "fiscal_revenue.csv (Kimberlite collection)",
        Columns = Plain("country_iso3", "year", "item", "amount", "currency", "rate_pct", "source", "source_publisher", "as_published", "notes"),
        Identifies = c => c.ContainsKey("item") && c.ContainsKey("amount"),
        Required = ["country_iso3", "year", "item", "amount", "currency"],
    };

    public static readonly Layout KpPublicTable = new()
    {
        Format = StatisticsFormat.KpPublicTable,
        Name = "Kimberley Process public table",
        Columns = [new("country", "Country", "Participant", "Pays"), new("period", "Period", "Période"), new("year", "Year", "Année"), .. KpTableFigures()],
        Identifies = c => c.ContainsKey("country") && c.Keys.Any(k => k.EndsWith("_carats") || k.EndsWith("_usd")),
        Required = ["country", "year|period"],
        SuggestedPublisher = "Kimberley Process",
    };

    public static readonly Layout KpDatabaseExport = new()
    {
        Format = StatisticsFormat.KpDatabaseExport,
        Name = "Kimberley Process statistics database export (Production of Diamonds)",
        Columns =
        [
            new("country", "Country Name"), new("year", "Year"), new("half", "Quarter"), new("trade_type", "Trade Type"),
            new("production_type", "Production Type"), new("carats", "Carat", "Carats"), new("usd", "US Value", "USD Value", "US$ Value"),
            new("public", "Public"), new("created", "Created"), new("last_modified", "Last Modified"),
        ],
        Identifies = c => c.ContainsKey("half") && c.ContainsKey("production_type"),
        Required = ["country", "year", "half", "production_type", "carats", "usd"],
        SuggestedPublisher = "Kimberley Process",
    };

    public static readonly Layout TradeMap = new()
    {
        Format = StatisticsFormat.TradeMap,
        Name = "ITC Trade Map list of exporters or importers",
        Columns = [new("exporters", "Exporters"), new("importers", "Importers")],
        Pattern = TradeMapYear,
        Identifies = c => (c.ContainsKey("exporters") || c.ContainsKey("importers")) && c.Keys.Any(k => k.StartsWith("exported_") || k.StartsWith("imported_")),
        Required = ["exporters|importers"],
        SuggestedPublisher = "International Trade Centre (ITC Trade Map)",
    };

    /// <summary>Every layout, in the order docs/IMPORTS.md gives them.</summary>
    public static readonly IReadOnlyList<Layout> All = [KpProduction, KpTrade, National, Fiscal, KpPublicTable, KpDatabaseExport, TradeMap];

    /// <summary>"Exported value in 2019", alone or with its unit ("... (US$ thousand)"): exported_2019, or exported_2019_thousand.</summary>
    private static string? TradeMapYear(string normalized)
    {
        var match = TradeMapValue().Match(normalized);
        if (!match.Success)
            return null;
        var unit = match.Groups[3].Value switch
        {
            "" => "",
            "usdollarthousand" or "usdthousand" or "us$thousand" or "thousandusd" or "thousandus$" or "usdollarthousands" => "_thousand",
            "usdollar" or "usd" or "us$" => "_units",
            _ => null,
        };
        return unit is null ? null : $"{match.Groups[1].Value}_{match.Groups[2].Value}{unit}";
    }

    [GeneratedRegex("^(exported|imported)valuein([0-9]{4})(.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex TradeMapValue();

    /// <summary>Recognises a header: the layouts it fits, each column's place, and the columns written twice.</summary>
    public static Detection Detect(IReadOnlyList<string> headers)
    {
        var fits = new List<(Layout Layout, Dictionary<string, int> Columns, List<int> Duplicates)>();
        foreach (var layout in All)
        {
            var columns = new Dictionary<string, int>();
            var duplicates = new List<int>();
            for (var i = 0; i < headers.Count; i++)
                if (layout.ColumnOf(headers[i]) is { } name && !columns.TryAdd(name, i))
                    duplicates.Add(i);
            if (layout.Identifies(columns))
                fits.Add((layout, columns, duplicates));
        }
        if (fits.Count != 1)
            return new Detection(null, new Dictionary<string, int>(), fits.Select(f => f.Layout).ToList(), [], []);
        var (found, at, twice) = fits[0];
        var missing = found.Required.Where(r => !r.Split('|').Any(at.ContainsKey)).ToList();
        return new Detection(found, at, [found], twice, missing);
    }

    /// <summary>Whether a row of a file is the header of a layout: title rows above it are skipped.</summary>
    public static bool IsHeader(IReadOnlyList<string> cells) => Detect(cells).Candidates.Count > 0;
}
