using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Sylvan.Data.Csv;

namespace Kimberlite.Statistics.Import;

/// <summary>A row of a file, with the line a person sees in a text editor or spreadsheet.</summary>
public sealed record TableRow(int Line, string[] Cells, int CellCount);

/// <summary>
/// How to find the table in a file: the sheet to read (else the first whose header is recognised), and
/// what makes a row the header (else the first row that is not empty), so title rows above it are skipped.
/// </summary>
public sealed record TableReadOptions(string? Sheet = null, Func<IReadOnlyList<string>, bool>? IsHeader = null);

/// <summary>The header and rows of a CSV or XLSX file, as text: parsing meaning is the importer's job.</summary>
public sealed record Table(IReadOnlyList<string> Headers, IReadOnlyList<TableRow> Rows)
{
    /// <summary>The text encoding the file was read with ("UTF-8", "UTF-8 (BOM)", "UTF-16 LE", "Windows-1252"); null for a workbook.</summary>
    public string? Encoding { get; init; }
    /// <summary>The delimiter of a text file (',', ';' or tab); null for a workbook.</summary>
    public char? Delimiter { get; init; }
    /// <summary>The sheet read, for a workbook.</summary>
    public string? Sheet { get; init; }
    /// <summary>Every sheet of a workbook, in order; empty for a text file.</summary>
    public IReadOnlyList<string> Sheets { get; init; } = [];
    /// <summary>The line of the header (1 unless title rows stand above it).</summary>
    public int HeaderLine { get; init; } = 1;
    /// <summary>The text of the title or note rows above the header, one entry per row (a unit such as "thousands of US$" may stand there).</summary>
    public IReadOnlyList<string> Preamble { get; init; } = [];

    public static Table Read(byte[] content, string fileName) => Read(content, fileName, null);

    public static Table Read(byte[] content, string fileName, TableReadOptions? options)
    {
        var isXlsx = fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase)
            || (content.Length > 4 && content[0] == 'P' && content[1] == 'K' && content[2] == 3 && content[3] == 4);
        return isXlsx ? ReadXlsx(content) : ReadCsv(content);
    }

    private static Table ReadCsv(byte[] content)
    {
        using var text = new StreamReader(new MemoryStream(content), detectEncodingFromByteOrderMarks: true);
        using var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true });
        var headers = Enumerable.Range(0, csv.FieldCount).Select(csv.GetName).ToArray();
        var rows = new List<TableRow>();
        var line = 1;
        while (csv.Read())
        {
            line++;
            var cells = new string[headers.Length];
            for (var i = 0; i < headers.Length; i++)
                cells[i] = i < csv.RowFieldCount ? csv.GetString(i) : "";
            if (cells.All(string.IsNullOrWhiteSpace) && csv.RowFieldCount <= headers.Length)
                continue;
            rows.Add(new TableRow(line, cells, csv.RowFieldCount));
        }
        return new Table(headers, rows);
    }

    private static Table ReadXlsx(byte[] content)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(content), false);
        var workbook = document.WorkbookPart ?? throw new InvalidDataException("The XLSX file has no workbook.");
        var firstSheet = workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault()
            ?? throw new InvalidDataException("The XLSX file has no sheet.");
        var sheet = (WorksheetPart)workbook.GetPartById(firstSheet.Id!.Value!);
        var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToArray() ?? [];

        var lines = new List<(int Line, Dictionary<int, string> Cells)>();
        foreach (var row in sheet.Worksheet.Descendants<Row>())
        {
            var cells = new Dictionary<int, string>();
            foreach (var cell in row.Elements<Cell>())
            {
                var column = ColumnIndex(cell.CellReference?.Value) ?? cells.Count;
                cells[column] = CellText(cell, shared);
            }
            lines.Add(((int)(row.RowIndex?.Value ?? (uint)(lines.Count + 1)), cells));
        }
        if (lines.Count == 0)
            return new Table([], []);

        var header = lines[0];
        var width = header.Cells.Count == 0 ? 0 : header.Cells.Keys.Max() + 1;
        var headers = Enumerable.Range(0, width).Select(i => header.Cells.GetValueOrDefault(i, "")).ToArray();
        var rows = lines.Skip(1)
            // A spreadsheet leaves empty cells out: a row is as wide as its header.
            .Select(l => new TableRow(l.Line, Enumerable.Range(0, width).Select(i => l.Cells.GetValueOrDefault(i, "")).ToArray(), width))
            .Where(r => !r.Cells.All(string.IsNullOrWhiteSpace))
            .ToList();
        return new Table(headers, rows);
    }

    private static string CellText(Cell cell, string[] shared)
    {
        var raw = cell.CellValue?.Text ?? cell.InnerText;
        if (cell.DataType?.Value == CellValues.SharedString && int.TryParse(raw, out var index) && index < shared.Length)
            return shared[index];
        if (cell.DataType?.Value == CellValues.InlineString)
            return cell.InlineString?.InnerText ?? "";
        // A number cell stores the invariant text of a double, sometimes as 1.5E+20: write it out in full.
        if ((cell.DataType is null || cell.DataType.Value == CellValues.Number)
            && raw.Contains('E', StringComparison.OrdinalIgnoreCase)
            && decimal.TryParse(raw, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number))
            return number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return raw;
    }

    private static int? ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
            return null;
        var index = 0;
        foreach (var c in reference.TakeWhile(char.IsAsciiLetter))
            index = index * 26 + (char.ToUpperInvariant(c) - 'A' + 1);
        return index - 1;
    }
}
