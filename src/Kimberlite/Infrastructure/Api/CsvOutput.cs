using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kimberlite.Infrastructure.Api;

/// <summary>Lists as CSV (RFC 4180, UTF-8, invariant numbers) for `?format=csv`.</summary>
public static class CsvOutput
{
    public static FileContentHttpResult File<T>(IEnumerable<T> rows, string fileName, params (string Header, Func<T, object?> Value)[] columns) =>
        TypedResults.File(Encoding.UTF8.GetBytes(Text(rows, columns)), "text/csv; charset=utf-8", fileName);

    public static string Text<T>(IEnumerable<T> rows, params (string Header, Func<T, object?> Value)[] columns)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', columns.Select(c => Escape(c.Header))).Append("\r\n");
        foreach (var row in rows)
            text.AppendJoin(',', columns.Select(c => Escape(Cell(c.Value(row))))).Append("\r\n");
        return text.ToString();
    }

    /// <summary>Values written as the JSON of the same endpoint writes them: camelCase names, true/false, ISO dates.</summary>
    private static string Cell(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        decimal d => d.ToString("0.############################", CultureInfo.InvariantCulture),
        Enum e => ApiCodes.Code(e),
        DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        string text => Inert(text),
        _ => Inert(value.ToString() ?? ""),
    };

    /// <summary>Text a spreadsheet would run as a formula (=, +, -, @ first) is opened as text: a quote before it (OWASP's advice for CSV).</summary>
    private static string Inert(string text) => text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    private static string Escape(string text) =>
        text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
}

/// <summary>The representations a list endpoint offers; GeoJSON for lists of places only.</summary>
public enum ListFormat { Json, Csv, GeoJson }

public static class ListFormats
{
    /// <summary>Reads `?format=`; null means a format the caller must be told about.</summary>
    public static ListFormat? Parse(string? format, bool places = false) => format?.ToLowerInvariant() switch
    {
        null or "" or "json" => ListFormat.Json,
        "csv" => ListFormat.Csv,
        "geojson" when places => ListFormat.GeoJson,
        _ => null,
    };

    public static ValidationProblem Invalid(string? format, bool places = false) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = [Error(format, places)] });

    public static string Error(string? format, bool places = false) =>
        $"'{format}' is not a format of this list: use json{(places ? ", csv or geojson" : " or csv")}.";
}
