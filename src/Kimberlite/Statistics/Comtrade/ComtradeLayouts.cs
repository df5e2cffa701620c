using System.Collections.Frozen;
using System.Text;
using Kimberlite.Statistics.Import;

namespace Kimberlite.Statistics.Comtrade;

/// <summary>What the importer reads from a Comtrade record, whatever the layout calls it.</summary>
internal enum ComtradeField
{
    ReporterIso, ReporterCode, PartnerIso, PartnerCode, Partner2Iso, Partner2Code, Flow, Commodity, PrimaryValue,
    RefYear, RefMonth, Period, Freq, UnitAbbr, UnitCode, Qty, NetWeight, CifValue, FobValue, IsReported, MotCode, CustomsCode,
}

/// <summary>
/// The shapes of a UN Comtrade download (docs/IMPORTS.md, "UN Comtrade"): Comtrade Plus CSV and JSON (the same
/// field names, with or without descriptions) and the legacy Comtrade CSV. A column is recognised by its whole
/// name, ignoring case, spaces and punctuation; never by a part of it.
/// </summary>
internal static class ComtradeLayouts
{
    /// <summary>Comtrade Plus names (web download and API) and legacy names, normalised, to the field they give.</summary>
    public static readonly FrozenDictionary<string, ComtradeField> Names = new Dictionary<string, ComtradeField>
    {
        // Comtrade Plus
        ["reporteriso"] = ComtradeField.ReporterIso, ["reportercode"] = ComtradeField.ReporterCode,
        ["partneriso"] = ComtradeField.PartnerIso, ["partnercode"] = ComtradeField.PartnerCode,
        ["partner2iso"] = ComtradeField.Partner2Iso, ["partner2code"] = ComtradeField.Partner2Code,
        ["flowcode"] = ComtradeField.Flow, ["cmdcode"] = ComtradeField.Commodity, ["primaryvalue"] = ComtradeField.PrimaryValue,
        ["refyear"] = ComtradeField.RefYear, ["refmonth"] = ComtradeField.RefMonth, ["period"] = ComtradeField.Period, ["freqcode"] = ComtradeField.Freq,
        ["qtyunitabbr"] = ComtradeField.UnitAbbr, ["qtyunitcode"] = ComtradeField.UnitCode, ["qty"] = ComtradeField.Qty, ["netwgt"] = ComtradeField.NetWeight,
        ["cifvalue"] = ComtradeField.CifValue, ["fobvalue"] = ComtradeField.FobValue, ["isreported"] = ComtradeField.IsReported,
        ["motcode"] = ComtradeField.MotCode, ["customscode"] = ComtradeField.CustomsCode,
        // Legacy Comtrade CSV (comtrade.un.org before 2023)
        ["2ndpartneriso"] = ComtradeField.Partner2Iso, ["2ndpartnercode"] = ComtradeField.Partner2Code,
        ["tradeflowcode"] = ComtradeField.Flow, ["commoditycode"] = ComtradeField.Commodity, ["tradevalueus"] = ComtradeField.PrimaryValue,
        ["year"] = ComtradeField.RefYear, ["qtyunit"] = ComtradeField.UnitAbbr, ["netweightkg"] = ComtradeField.NetWeight,
        ["ciftradevalueus"] = ComtradeField.CifValue, ["fobtradevalueus"] = ComtradeField.FobValue,
        ["customsproccode"] = ComtradeField.CustomsCode, ["modeoftransportcode"] = ComtradeField.MotCode,
    }.ToFrozenDictionary();

    /// <summary>The Comtrade Plus name of each field, as problems and JSON records name it.</summary>
    public static readonly string[] PlusNames =
    [
        "reporterISO", "reporterCode", "partnerISO", "partnerCode", "partner2ISO", "partner2Code", "flowCode", "cmdCode", "primaryValue",
        "refYear", "refMonth", "period", "freqCode", "qtyUnitAbbr", "qtyUnitCode", "qty", "netWgt", "cifvalue", "fobvalue", "isReported", "motCode", "customsCode",
    ];

    /// <summary>The legacy name of each field, for the columns a legacy file lacks.</summary>
    private static readonly string[] LegacyNames =
    [
        "Reporter ISO", "Reporter Code", "Partner ISO", "Partner Code", "2nd Partner ISO", "2nd Partner Code", "Trade Flow Code", "Commodity Code", "Trade Value (US$)",
        "Year", "", "Period", "", "Qty Unit", "Qty Unit Code", "Qty", "Netweight (kg)", "CIF Trade Value (US$)", "FOB Trade Value (US$)", "", "Mode of Transport Code", "Customs Proc. Code",
    ];

    /// <summary>A header as the layouts list it: lower case, letters and digits only ("Trade Value (US$)" is "tradevalueus").</summary>
    public static string Normalise(ReadOnlySpan<char> header)
    {
        var text = new StringBuilder(header.Length);
        foreach (var c in header.ToString().Normalize(NormalizationForm.FormD))
            if (char.IsAsciiLetterOrDigit(c))
                text.Append(char.ToLowerInvariant(c));
        return text.ToString();
    }

    /// <summary>Each field the headers give, at its column (the first column of a name that repeats).</summary>
    public static Dictionary<ComtradeField, int> Columns(IReadOnlyList<string> headers)
    {
        var columns = new Dictionary<ComtradeField, int>();
        for (var i = 0; i < headers.Count; i++)
            if (Names.TryGetValue(Normalise(headers[i]), out var field))
                columns.TryAdd(field, i);
        return columns;
    }

    /// <summary>Whether a header names trade at all (who, with whom, which flow, which goods, what value), not only a year or a quantity.</summary>
    public static bool LooksLikeTrade(IReadOnlyDictionary<ComtradeField, int> columns) =>
        columns.Keys.Any(f => f is ComtradeField.ReporterIso or ComtradeField.ReporterCode or ComtradeField.PartnerIso or ComtradeField.PartnerCode
            or ComtradeField.Flow or ComtradeField.Commodity or ComtradeField.PrimaryValue);

    /// <summary>The required fields a file lacks, by the names of its layout.</summary>
    public static List<string> Missing(IReadOnlyDictionary<ComtradeField, int> columns, IReadOnlyList<string> headers)
    {
        var legacy = headers.Any(h => Normalise(h) is "commoditycode" or "tradeflowcode" or "tradevalueus");
        var names = legacy ? LegacyNames : PlusNames;
        var missing = new List<string>();
        void Need(params ComtradeField[] anyOf)
        {
            if (!anyOf.Any(columns.ContainsKey))
                missing.Add(names[(int)anyOf[0]]);
        }
        Need(ComtradeField.ReporterCode, ComtradeField.ReporterIso);
        Need(ComtradeField.PartnerCode, ComtradeField.PartnerIso);
        Need(ComtradeField.Flow);
        Need(ComtradeField.Commodity);
        Need(ComtradeField.PrimaryValue);
        Need(ComtradeField.RefYear, ComtradeField.Period);
        return missing;
    }

    /// <summary>
    /// Whether a file is a Comtrade download (any layout) or a message Comtrade saved in its place, from its first
    /// bytes (64 KB is plenty) and its name: what the import page picks the importer by.
    /// </summary>
    public static bool Recognises(ReadOnlySpan<byte> head, string fileName)
    {
        if (head.IsEmpty)
            return false;
        var (encoding, _, preamble) = TextEncodings.Detect(head, complete: head.Length < 1 << 16);
        var text = encoding.GetString(head[preamble..]).TrimStart();
        if (text.StartsWith('{') || text.StartsWith('['))
            return text.Contains("\"elapsedTime\"", StringComparison.Ordinal)
                || text.Contains("\"cmdCode\"", StringComparison.Ordinal) && text.Contains("\"reporterCode\"", StringComparison.Ordinal)
                || text.Contains("\"statusCode\"", StringComparison.Ordinal) && text.Contains("\"message\"", StringComparison.Ordinal) && IsComtradeName(fileName);
        var firstLine = text.AsSpan()[..Math.Max(0, text.AsSpan().IndexOfAny('\r', '\n') is var end and >= 0 ? end : text.Length)];
        var delimiter = firstLine.Count(',') >= firstLine.Count(';') ? ',' : ';';
        var headers = firstLine.ToString().Split(delimiter).Select(h => h.Trim().Trim('"')).ToList();
        var columns = Columns(headers);
        if (columns.ContainsKey(ComtradeField.Commodity) && columns.ContainsKey(ComtradeField.Flow)
            && (columns.ContainsKey(ComtradeField.ReporterCode) || columns.ContainsKey(ComtradeField.ReporterIso)))
            return true;
        return IsMessage(text) && (IsComtradeName(fileName) || KnownMessage(text));
    }

    /// <summary>A few lines of text, not a table: what a failed query leaves in a file.</summary>
    public static bool IsMessage(string text) =>
        text.Length is > 0 and < 4096 && text.Split('\n').Count(l => l.Trim().Length > 0) <= 3;

    private static bool IsComtradeName(string fileName) => fileName.Contains("comtrade", StringComparison.OrdinalIgnoreCase) || fileName.StartsWith("TradeData", StringComparison.OrdinalIgnoreCase);

    private static bool KnownMessage(string text) =>
        text.Contains("comtrade", StringComparison.OrdinalIgnoreCase) || text.Contains("too many requests", StringComparison.OrdinalIgnoreCase)
        || text.Contains("too complex", StringComparison.OrdinalIgnoreCase) || text.Contains("rate limit", StringComparison.OrdinalIgnoreCase);

    /// <summary>A message as shown in a report: one line, at most 300 characters.</summary>
    public static string Shorten(string text)
    {
        var line = string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= 300 ? line : line[..300] + "…";
    }
}
