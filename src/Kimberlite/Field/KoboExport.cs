using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Kimberlite.Statistics.Import;

namespace Kimberlite.Field;

/// <summary>One submission of an export: the line a person finds it on (its position in a JSON list), and its answers by path.</summary>
public sealed record KoboRow(int Line, IReadOnlyDictionary<string, string?> Values);

/// <summary>
/// A KoboToolbox or ODK Central export read into submissions whatever its shape: Kobo's API JSON (`results`), ODK
/// Central's OData JSON (`value`, groups as nested objects, points as GeoJSON or WKT), a plain JSON list, and the CSV
/// and XLSX downloads of both (Kobo's `group/field` headers, `;` or `,`; ODK Central's `group-field`, `KEY`, points split
/// into `-Latitude`, `-Longitude`, `-Altitude`, `-Accuracy`, the zip it downloads). Repeat groups are kept apart, by name,
/// so that a mapping pointing into one is told why it cannot be read.
/// </summary>
public sealed class KoboExport
{
    private const long MaxEntryBytes = 50L * 1024 * 1024;

    public required string Shape { get; init; }
    public required IReadOnlyList<KoboRow> Rows { get; init; }
    /// <summary>Every path the export holds (a CSV's headers; for JSON, every path some submission answers).</summary>
    public required IReadOnlySet<string> Columns { get; init; }
    /// <summary>The paths of the repeat groups, which hold a list of answers per submission.</summary>
    public IReadOnlySet<string> Repeats { get; init; } = new HashSet<string>();
    /// <summary>Headers written more than once (a labels export where two questions share a label).</summary>
    public IReadOnlySet<string> Duplicates { get; init; } = new HashSet<string>();
    /// <summary>The file holds a repeat group's rows (PARENT_KEY, _parent_index) rather than the submissions.</summary>
    public bool IsRepeatTable { get; init; }

    /// <summary>ODK Central's names for a submission's metadata in its CSV and in its OData, so one mapping reads both.</summary>
    private static readonly (string Csv, string OData)[] Aliases =
    [
        ("KEY", "__id"), ("SubmissionDate", "__system/submissionDate"), ("SubmitterID", "__system/submitterId"), ("SubmitterName", "__system/submitterName"),
        ("ReviewState", "__system/reviewState"), ("Status", "__system/status"), ("Edits", "__system/edits"), ("DeviceID", "__system/deviceId"),
        ("FormVersion", "__system/formVersion"),
    ];

    /// <summary>
    /// The column that holds a mapped path: the path as written; else as ODK Central's CSV writes it (`-` for `/`) or the same
    /// metadata under its other ODK name; else, for a export without group names, its last segment when only one column ends so.
    /// </summary>
    public string? Resolve(string path)
    {
        path = path.Trim();
        if (Columns.Contains(path))
            return path;
        var dashed = path.Replace('/', '-');
        if (Columns.Contains(dashed))
            return dashed;
        foreach (var (csv, odata) in Aliases)
            if (string.Equals(path, csv, StringComparison.OrdinalIgnoreCase) && Columns.Contains(odata))
                return odata;
            else if (string.Equals(path, odata, StringComparison.OrdinalIgnoreCase) && Columns.Contains(csv))
                return csv;
        if (path.Contains('/') && path[(path.LastIndexOf('/') + 1)..] is { Length: > 0 } last)
        {
            var matches = Columns.Where(c => c == last || c.EndsWith("/" + last, StringComparison.Ordinal) || c.EndsWith("-" + last, StringComparison.Ordinal)).Take(2).ToList();
            if (matches.Count == 1)
                return matches[0];
        }
        return null;
    }

    /// <summary>The repeat group a path points into (`repeat/question` where `repeat` lists answers), if any.</summary>
    public string? RepeatOf(string path)
    {
        var normalised = path.Trim().Replace('-', '/');
        return Repeats.FirstOrDefault(r => normalised.StartsWith(r.Replace('-', '/') + "/", StringComparison.Ordinal) || normalised == r.Replace('-', '/'));
    }

    /// <summary>Reads the file; an InvalidDataException, JsonException or FormatException says why it cannot be.</summary>
    public static KoboExport Read(byte[] content, string fileName, Func<IReadOnlyList<string>, bool>? isHeader = null)
    {
        if (fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || FirstSignificant(content) is (byte)'{' or (byte)'[')
            return ReadJson(content);
        if (Table.IsZip(content) && ZipCsv(content) is { } csv)
            return FromTable(Table.Read(csv.Content, csv.Name), "ODK Central CSV (zip)");
        var workbook = Table.IsZip(content) || fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase);
        var table = workbook ? Table.Read(content, fileName, new TableReadOptions(IsHeader: isHeader)) : Table.Read(content, fileName);
        return FromTable(table, workbook ? "XLSX" : "CSV");
    }

    private static byte? FirstSignificant(byte[] content)
    {
        var start = content.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        for (var i = start; i < content.Length && i < start + 4096; i++)
            if (!char.IsWhiteSpace((char)content[i]))
                return content[i];
        return null;
    }

    /// <summary>ODK Central's "download all" zip: the submissions' CSV is the one without PARENT_KEY; repeat groups are the others.</summary>
    private static (string Name, byte[] Content)? ZipCsv(byte[] content)
    {
        using var zip = new ZipArchive(new MemoryStream(content), ZipArchiveMode.Read);
        if (zip.GetEntry("[Content_Types].xml") is not null)
            return null; // a workbook
        var csvs = zip.Entries.Where(e => e.FullName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && !e.FullName.Contains('/')).ToList();
        if (csvs.Count == 0)
            throw new InvalidDataException("The zip holds no CSV file.");
        var read = csvs.Select(e =>
        {
            if (e.Length > MaxEntryBytes)
                throw new InvalidDataException($"{e.FullName} unpacks to more than {MaxEntryBytes / 1024 / 1024} MB.");
            using var stream = e.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return (Name: e.FullName, Content: buffer.ToArray());
        }).ToList();
        return read.FirstOrDefault(f => !FirstLine(f.Content).Contains("PARENT_KEY", StringComparison.Ordinal)) is { Name: not null } main ? main : read[0];
    }

    private static string FirstLine(byte[] content)
    {
        var end = Array.IndexOf(content, (byte)'\n');
        return System.Text.Encoding.UTF8.GetString(content, 0, end < 0 ? Math.Min(content.Length, 65_536) : Math.Min(end, 65_536));
    }

    private static KoboExport FromTable(Table table, string container)
    {
        var headers = table.Headers.Select(h => h.Trim()).ToList();
        var columns = new HashSet<string>(headers.Where(h => h.Length > 0));
        var duplicates = headers.Where(h => h.Length > 0).GroupBy(h => h).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var odk = columns.Contains("KEY") && (columns.Contains("SubmissionDate") || columns.Contains("meta-instanceID"));
        // ODK Central splits a geopoint into four columns: the point is also offered whole, as ODK writes it ("lat lon alt accuracy").
        var points = odk
            ? headers.Where(h => h.EndsWith("-Latitude", StringComparison.Ordinal)).Select(h => h[..^"-Latitude".Length])
                .Where(p => columns.Contains(p + "-Longitude") && !columns.Contains(p)).ToList()
            : [];
        foreach (var point in points)
            columns.Add(point);
        var rows = new List<KoboRow>(table.Rows.Count);
        foreach (var row in table.Rows)
        {
            var values = new Dictionary<string, string?>(headers.Count + points.Count);
            for (var i = 0; i < headers.Count; i++)
                if (headers[i].Length > 0)
                    values.TryAdd(headers[i], i < row.Cells.Length ? row.Cells[i] : null);
            foreach (var point in points)
                values[point] = string.Join(' ', new[] { "Latitude", "Longitude", "Altitude", "Accuracy" }
                    .Select(part => values.GetValueOrDefault($"{point}-{part}")?.Trim()).TakeWhile(v => !string.IsNullOrEmpty(v)));
            rows.Add(new KoboRow(row.Line, values));
        }
        var kobo = columns.Contains("_uuid") || columns.Contains("_submission_time");
        return new KoboExport
        {
            Shape = odk ? (container.StartsWith("ODK", StringComparison.Ordinal) ? container : $"ODK Central {container}") : kobo ? $"KoboToolbox {container}" : container,
            Rows = rows, Columns = columns, Duplicates = duplicates,
            IsRepeatTable = columns.Contains("PARENT_KEY") || columns.Contains("_parent_index"),
        };
    }

    private static KoboExport ReadJson(byte[] content)
    {
        using var document = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 64 });
        var root = document.RootElement;
        JsonElement list;
        string shape;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("results", out var results))
            (list, shape) = (results, "KoboToolbox API JSON");
        else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("value", out var value))
            (list, shape) = (value, "ODK Central OData JSON");
        else
            (list, shape) = (root, "JSON");
        if (list.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException("Expected a list of submissions: KoboToolbox's {\"results\": [...]}, ODK Central's {\"value\": [...]} or a JSON list.");
        var rows = new List<KoboRow>();
        var columns = new HashSet<string>();
        var repeats = new HashSet<string>();
        foreach (var item in list.EnumerateArray())
        {
            var values = new Dictionary<string, string?>();
            Flatten(item, "", values, repeats);
            columns.UnionWith(values.Keys);
            rows.Add(new KoboRow(rows.Count + 1, values));
        }
        return new KoboExport { Shape = shape, Rows = rows, Columns = columns, Repeats = repeats };
    }

    /// <summary>
    /// Paths as the XML form writes them: Kobo's keys are whole paths already (`group/question`), OData nests groups as objects;
    /// a list of scalars is `name[0]`, a list of objects is a repeat group (`repeat[0]/question`), and a GeoJSON point is also
    /// given whole as ODK writes a geopoint ("lat lon alt accuracy").
    /// </summary>
    private static void Flatten(JsonElement element, string path, Dictionary<string, string?> values, HashSet<string> repeats)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (GeoJsonPoint(element) is { } point && path.Length > 0)
                    values[path] = point;
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name.EndsWith("@odata.navigationLink", StringComparison.Ordinal))
                    {
                        // OData lists a repeat group in a table of its own, linked from here.
                        var name = property.Name[..^"@odata.navigationLink".Length];
                        repeats.Add(path.Length == 0 ? name : $"{path}/{name}");
                        continue;
                    }
                    // Kobo writes a repeat's answers with their whole path (`repeat/question`) inside each element.
                    var key = path.Length > 0 && path.EndsWith(']') && property.Name.StartsWith(RepeatPrefix(path), StringComparison.Ordinal)
                        ? property.Name[RepeatPrefix(path).Length..] : property.Name;
                    Flatten(property.Value, path.Length == 0 ? key : $"{path}/{key}", values, repeats);
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                var isRepeat = false;
                foreach (var item in element.EnumerateArray())
                {
                    isRepeat |= item.ValueKind == JsonValueKind.Object && !path.StartsWith('_') && GeoJsonPoint(item) is null;
                    Flatten(item, $"{path}[{i++}]", values, repeats);
                }
                if (isRepeat)
                    repeats.Add(path);
                break;
            case JsonValueKind.Null:
                values[path] = null;
                break;
            default:
                values[path] = element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText();
                break;
        }
    }

    /// <summary>`group/repeat[2]` → `group/repeat/`, the prefix Kobo writes before each question of that repeat.</summary>
    private static string RepeatPrefix(string path)
    {
        var bracket = path.LastIndexOf('[');
        var withoutIndex = path[..bracket];
        // Inside a repeat itself inside a repeat, Kobo's keys carry the path without indexes.
        return System.Text.RegularExpressions.Regex.Replace(withoutIndex, @"\[\d+\]", "") + "/";
    }

    private static string? GeoJsonPoint(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
            || type.GetString() != "Point" || !element.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array)
            return null;
        var numbers = coordinates.EnumerateArray().Select(c => c.ValueKind == JsonValueKind.Number ? c.GetRawText() : null).ToList();
        if (numbers.Count < 2 || numbers.Any(n => n is null))
            return null;
        var accuracy = element.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            && properties.TryGetProperty("accuracy", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetRawText() : null;
        // GeoJSON is longitude first; ODK's own text is latitude first.
        var parts = new List<string> { numbers[1]!, numbers[0]! };
        if (numbers.Count > 2)
            parts.Add(numbers[2]!);
        if (accuracy is not null)
        {
            if (numbers.Count == 2)
                parts.Add("0");
            parts.Add(accuracy);
        }
        return string.Join(' ', parts);
    }

    /// <summary>
    /// A geopoint as the exports write it: ODK's text "lat lon [alt [accuracy]]" (Kobo's CSV and JSON, ODK Central's CSV once
    /// its four columns are joined, a GeoJSON point once flattened) or OData's well-known text "POINT (lon lat [alt])".
    /// </summary>
    public static (double Latitude, double Longitude, double? Accuracy)? Point(string text)
    {
        text = text.Trim();
        bool wkt = text.StartsWith("POINT", StringComparison.OrdinalIgnoreCase);
        if (wkt)
        {
            var open = text.IndexOf('(');
            var close = text.LastIndexOf(')');
            if (open < 0 || close < open)
                return null;
            text = text[(open + 1)..close];
        }
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 2 or > 4)
            return null;
        var numbers = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || !double.IsFinite(numbers[i]))
                return null;
        return wkt
            ? (numbers[1], numbers[0], null)
            : (numbers[0], numbers[1], parts.Length == 4 ? numbers[3] : null);
    }
}
