using System.Globalization;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Kimberlite.Statistics.Import;

/// <summary>A row of a file, with the line a person sees in a text editor or spreadsheet.</summary>
public sealed record TableRow(int Line, string[] Cells, int CellCount);

/// <summary>
/// How to find the table in a file: the sheet to read (else the first whose header is recognised), and
/// what makes a row the header (else the first row that is not empty), so title rows above it are skipped.
/// </summary>
public sealed record TableReadOptions(string? Sheet = null, Func<IReadOnlyList<string>, bool>? IsHeader = null);

/// <summary>
/// A file refused before any of its rows is read, with the reason as a resource key (File_...) and the
/// value that shows it (the sheets a workbook has, the cell reference beyond Excel's last column...).
/// </summary>
public sealed class TableException(string reason, string? value, int line = 1) : FormatException($"{reason}: {value}")
{
    public string Reason { get; } = reason;
    public string? Value { get; } = value;
    public int Line { get; } = line;
}

/// <summary>The header and rows of a CSV or XLSX file, as text: parsing meaning is the importer's job.</summary>
public sealed record Table(IReadOnlyList<string> Headers, IReadOnlyList<TableRow> Rows)
{
    /// <summary>Excel's own limits: column XFD, row 1,048,576, 32,767 characters in a cell. No real table goes beyond them.</summary>
    public const int MaxColumns = 16_384, MaxRows = 1_048_576, MaxCellLength = 32_767;
    /// <summary>Rows times columns kept in memory: about 80 MB of references at most, whatever a file declares.</summary>
    public const long MaxCells = 10_000_000;
    /// <summary>The header is looked for in this many rows at the top of a file or sheet.</summary>
    public const int HeaderSearchRows = 30;

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

    /// <summary>A zip archive by its first bytes: a workbook, or ODK Central's "download all".</summary>
    public static bool IsZip(ReadOnlySpan<byte> content) => content.StartsWith("PK\u0003\u0004"u8);

    public static Table Read(byte[] content, string fileName, TableReadOptions? options)
    {
        options ??= new TableReadOptions();
        var isXlsx = fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || IsZip(content);
        try
        {
            return isXlsx ? Workbook.Read(content, options) : Text.Read(content, options);
        }
        catch (Exception e) when (e is not TableException and not OperationCanceledException and not OutOfMemoryException)
        {
            // A damaged zip, XML or package: every caller gets the one refusal it knows, never the parser's own exception.
            throw new TableException(isXlsx ? "File_DamagedWorkbook" : "File_Unreadable", e.Message);
        }
    }

    /// <summary>The header among the first rows, the title rows above it, and the rows below it as wide as the header.</summary>
    private static Table Assemble(IReadOnlyList<(int Line, string[] Cells)> lines, TableReadOptions options, bool sparse)
    {
        var at = HeaderIndex(lines, options.IsHeader);
        if (at < 0)
            return new Table([], []);
        var header = lines[at].Cells;
        // A spreadsheet's width is its last header cell with text; a text file's, its header's fields.
        var width = sparse ? Array.FindLastIndex(header, c => !string.IsNullOrWhiteSpace(c)) + 1 : header.Length;
        var headers = header.Take(width).Concat(Enumerable.Repeat("", Math.Max(0, width - header.Length))).ToArray();
        if ((long)width * (lines.Count - at) > MaxCells)
            throw new TableException("File_TooManyCells", $"{lines.Count - at} × {width}", lines[at].Line);
        var rows = new List<TableRow>(lines.Count - at - 1);
        foreach (var (line, cells) in lines.Skip(at + 1))
        {
            if (cells.All(string.IsNullOrWhiteSpace) && (sparse || cells.Length <= width))
                continue;
            var row = new string[width];
            for (var i = 0; i < width; i++)
                row[i] = i < cells.Length ? cells[i] : "";
            // A spreadsheet leaves empty cells out: its rows are as wide as the header.
            rows.Add(new TableRow(line, row, sparse ? width : cells.Length));
        }
        var preamble = lines.Take(at).Select(l => string.Join(" ", l.Cells.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim())))
            .Where(t => t.Length > 0).ToList();
        return new Table(headers, rows) { HeaderLine = lines[at].Line, Preamble = preamble };
    }

    /// <summary>The first of the top rows the layout recognises as its header; else the first row with text.</summary>
    private static int HeaderIndex(IReadOnlyList<(int Line, string[] Cells)> lines, Func<IReadOnlyList<string>, bool>? isHeader)
    {
        var firstWithText = -1;
        for (var i = 0; i < lines.Count && i < HeaderSearchRows; i++)
        {
            if (lines[i].Cells.All(string.IsNullOrWhiteSpace))
                continue;
            if (firstWithText < 0)
                firstWithText = i;
            if (isHeader is null)
                return i;
            if (isHeader(lines[i].Cells))
                return i;
        }
        if (firstWithText >= 0)
            return firstWithText;
        for (var i = HeaderSearchRows; i < lines.Count; i++)
            if (!lines[i].Cells.All(string.IsNullOrWhiteSpace))
                return i;
        return -1;
    }

    /// <summary>CSV or tab-separated text in any of the encodings a user's software writes, parsed here so every line is the editor's.</summary>
    private static class Text
    {
        private static readonly char[] Delimiters = [',', ';', '\t'];

        public static Table Read(byte[] content, TableReadOptions options)
        {
            var (encoding, name, skip) = TextEncodings.Detect(content, complete: true);
            var text = encoding.GetString(content, skip, content.Length - skip);
            if (text.Length > 0 && text[0] == '\uFEFF')
                text = text[1..];
            var delimiter = Detect(text);
            var lines = Parse(text, delimiter);
            return Assemble(lines, options, sparse: false) with { Encoding = name, Delimiter = delimiter };
        }

        /// <summary>
        /// The delimiter that splits the most of the first lines into the same number of fields, quotes
        /// respected: a French Excel file's `;` wins over the decimal commas inside its numbers.
        /// </summary>
        public static char Detect(string text)
        {
            var counts = Delimiters.ToDictionary(d => d, _ => new List<int>());
            var (inQuotes, lines, position) = (false, 0, 0);
            var current = Delimiters.ToDictionary(d => d, _ => 0);
            while (position < text.Length && lines < HeaderSearchRows + 20)
            {
                var c = text[position++];
                if (c == '"')
                    inQuotes = !inQuotes;
                else if (!inQuotes && c is '\n' or '\r')
                {
                    if (c == '\r' && position < text.Length && text[position] == '\n')
                        position++;
                    foreach (var d in Delimiters)
                    {
                        counts[d].Add(current[d]);
                        current[d] = 0;
                    }
                    lines++;
                }
                else if (!inQuotes && current.ContainsKey(c))
                    current[c]++;
            }
            foreach (var d in Delimiters)
                if (current[d] > 0)
                    counts[d].Add(current[d]);
            var best = (Delimiter: ',', Lines: 0, Fields: 0);
            foreach (var d in Delimiters)
            {
                var mode = counts[d].Where(n => n > 0).GroupBy(n => n).OrderByDescending(g => g.Count()).ThenByDescending(g => g.Key).FirstOrDefault();
                if (mode is not null && (mode.Count() > best.Lines || mode.Count() == best.Lines && mode.Key > best.Fields))
                    best = (d, mode.Count(), mode.Key);
            }
            return best.Delimiter;
        }

        /// <summary>RFC 4180 with the usual liberties (CR, LF or CRLF; a quote inside an unquoted cell kept as is); every record keeps the line it starts on.</summary>
        public static List<(int Line, string[] Cells)> Parse(string text, char delimiter)
        {
            var records = new List<(int, string[])>();
            var cells = new List<string>();
            var cell = new StringBuilder();
            var (line, recordLine, position, quoted, wasQuoted) = (1, 1, 0, false, false);
            long kept = 0;

            void EndCell()
            {
                if (cell.Length > MaxCellLength)
                    throw new TableException("File_CellTooLong", $"{cell.Length:N0}", recordLine);
                cells.Add(cell.ToString());
                cell.Clear();
                wasQuoted = false;
                if (cells.Count > MaxColumns)
                    throw new TableException("File_TooManyColumns", $"{cells.Count:N0}", recordLine);
            }

            void EndRecord()
            {
                EndCell();
                kept += cells.Count;
                if (kept > MaxCells)
                    throw new TableException("File_TooManyCells", $"{records.Count:N0}", recordLine);
                records.Add((recordLine, cells.ToArray()));
                cells.Clear();
                recordLine = line;
            }

            while (position < text.Length)
            {
                var c = text[position++];
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (position < text.Length && text[position] == '"')
                        {
                            cell.Append('"');
                            position++;
                        }
                        else
                            quoted = false;
                    }
                    else
                    {
                        if (c == '\n' || c == '\r' && (position >= text.Length || text[position] != '\n'))
                            line++;
                        cell.Append(c);
                    }
                }
                else if (c == '"' && cell.Length == 0 && !wasQuoted)
                    quoted = wasQuoted = true;
                else if (c == delimiter)
                    EndCell();
                else if (c is '\n' or '\r')
                {
                    if (c == '\r' && position < text.Length && text[position] == '\n')
                        position++;
                    line++;
                    EndRecord();
                }
                else
                    cell.Append(c);
                if (cell.Length > MaxCellLength)
                    throw new TableException("File_CellTooLong", $"> {MaxCellLength:N0}", recordLine);
            }
            if (quoted)
                throw new TableException("File_QuoteNotClosed", null, recordLine);
            if (cell.Length > 0 || cells.Count > 0)
                EndRecord();
            return records;
        }
    }

    /// <summary>
    /// An XLSX workbook read as a stream of XML (never loaded whole), with none of its declared sizes
    /// trusted: the dimension and the shared-string count are ignored, cell references beyond Excel's last
    /// column or row are refused, and the bytes it decompresses to are bounded by its own size.
    /// </summary>
    private static class Workbook
    {
        public static Table Read(byte[] content, TableReadOptions options)
        {
            var budget = CheckSizes(content);
            using var document = SpreadsheetDocument.Open(new MemoryStream(content, writable: false), false,
                new OpenSettings { MaxCharactersInPart = budget });
            var workbook = document.WorkbookPart ?? throw new TableException("File_NoSheet", null);
            var sheets = new List<(string Name, WorksheetPart Part)>();
            foreach (var sheet in workbook.Workbook?.Sheets?.Elements<Sheet>() ?? [])
                if (sheet.Id?.Value is { } id && workbook.TryGetPartById(id, out var part) && part is WorksheetPart worksheet)
                    sheets.Add((sheet.Name?.Value ?? $"#{sheets.Count + 1}", worksheet));
            if (sheets.Count == 0)
                throw new TableException("File_NoSheet", null);
            var names = sheets.Select(s => s.Name).ToList();
            var shared = SharedStrings(workbook);

            (string Name, WorksheetPart Part) chosen;
            if (options.Sheet is { } wanted)
            {
                chosen = sheets.FirstOrDefault(s => s.Name == wanted);
                if (chosen.Part is null)
                    chosen = sheets.FirstOrDefault(s => string.Equals(s.Name.Trim(), wanted.Trim(), StringComparison.OrdinalIgnoreCase));
                if (chosen.Part is null)
                    throw new TableException("File_SheetMissing", $"{wanted} ({string.Join(", ", names)})");
            }
            else if (options.IsHeader is { } isHeader && sheets.Count > 1)
            {
                // Every sheet is considered: the first whose top rows hold a header the layout knows.
                chosen = sheets.FirstOrDefault(s => Rows(s.Part, shared, HeaderSearchRows).Any(r => isHeader(r.Cells)));
                if (chosen.Part is null)
                    chosen = sheets[0];
            }
            else
                chosen = sheets[0];

            var table = Assemble(Rows(chosen.Part, shared, int.MaxValue), options, sparse: true);
            return table with { Sheet = chosen.Name, Sheets = names };
        }

        /// <summary>
        /// Decompresses every entry once, counting the bytes it really gives rather than what the zip
        /// declares, within a budget of a hundred times the file (a sheet of numbers compresses about
        /// tenfold): a zip bomb is refused after reading its budget, never expanded in memory.
        /// Returns the budget in characters for a part.
        /// </summary>
        private static long CheckSizes(byte[] content)
        {
            var budget = 16L * 1024 * 1024 + 100L * content.Length;
            using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            var buffer = new byte[81920];
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                using var stream = entry.Open();
                int read;
                while ((read = stream.Read(buffer)) > 0)
                {
                    total += read;
                    if (total > budget)
                        throw new TableException("File_TooLargeUncompressed", $"> {budget / 1_000_000:N0} MB ({entry.FullName})");
                }
            }
            return budget;
        }

        private static List<string> SharedStrings(WorkbookPart workbook)
        {
            var strings = new List<string>();
            if (workbook.SharedStringTablePart is not { } part)
                return strings;
            using var reader = OpenXmlReader.Create(part);
            reader.Read();
            while (!reader.EOF)
            {
                if (!reader.IsStartElement || reader.ElementType != typeof(SharedStringItem))
                {
                    reader.Read();
                    continue;
                }
                {
                    // Loading an element moves the reader past it: no Read() after it.
                    var item = (SharedStringItem)reader.LoadCurrentElement()!;
                    // The text runs, without the phonetic guide a Japanese sheet carries beside them.
                    var text = string.Concat(item.Descendants<DocumentFormat.OpenXml.Spreadsheet.Text>().Where(t => t.Ancestors<PhoneticRun>().FirstOrDefault() is null).Select(t => t.Text));
                    strings.Add(text.Length > MaxCellLength ? throw new TableException("File_CellTooLong", $"{text.Length:N0}") : text);
                }
            }
            return strings;
        }

        /// <summary>The rows of a sheet as written (its row numbers kept), each as wide as its last cell; at most `limit` rows.</summary>
        private static List<(int Line, string[] Cells)> Rows(WorksheetPart part, List<string> shared, int limit)
        {
            var rows = new List<(int, string[])>();
            using var reader = OpenXmlReader.Create(part);
            var (line, column) = (0, -1);
            var cells = new List<(int Column, string Text)>();
            long kept = 0;

            void EndRow()
            {
                var width = cells.Count == 0 ? 0 : cells.Max(c => c.Column) + 1;
                var row = new string[width];
                Array.Fill(row, "");
                foreach (var (c, text) in cells)
                    row[c] = text;
                kept += width;
                if (kept > MaxCells)
                    throw new TableException("File_TooManyCells", $"{rows.Count:N0}", line);
                rows.Add((line, row));
                cells.Clear();
            }

            var inRow = false;
            reader.Read();
            while (!reader.EOF)
            {
                if (reader.IsStartElement && reader.ElementType == typeof(Cell) && inRow)
                {
                    // Loading an element moves the reader past it: no Read() after it.
                    var cell = (Cell)reader.LoadCurrentElement()!;
                    column = cell.CellReference?.Value is { Length: > 0 } reference
                        ? ColumnIndex(reference) ?? throw new TableException("File_ColumnBeyondLimit", reference, line)
                        : column + 1;
                    if (column >= MaxColumns)
                        throw new TableException("File_ColumnBeyondLimit", cell.CellReference?.Value ?? $"{column + 1}", line);
                    var text = CellText(cell, shared);
                    if (text.Length > MaxCellLength)
                        throw new TableException("File_CellTooLong", $"{text.Length:N0}", line);
                    if (text.Length > 0)
                        cells.Add((column, text));
                    continue;
                }
                if (reader.ElementType == typeof(Row))
                {
                    if (reader.IsStartElement)
                    {
                        if (inRow)
                            EndRow(); // a row written <row/> has no end of its own
                        if (rows.Count >= limit)
                            break;
                        var r = reader.Attributes.FirstOrDefault(a => a.LocalName == "r").Value;
                        line = r is null ? line + 1 : RowNumber(r) ?? throw new TableException("File_RowBeyondLimit", r, line + 1);
                        column = -1;
                        inRow = true;
                    }
                    else if (reader.IsEndElement && inRow)
                    {
                        EndRow();
                        inRow = false;
                    }
                }
                reader.Read();
            }
            if (inRow)
                EndRow();
            // Rows arrive in order in every file Excel writes; another writer's order is put right.
            return rows.Zip(rows.Skip(1)).All(p => p.First.Item1 < p.Second.Item1) ? rows : rows.OrderBy(r => r.Item1).ToList();
        }

        private static string CellText(Cell cell, List<string> shared)
        {
            var type = cell.DataType?.Value;
            if (type == CellValues.InlineString)
                return cell.InlineString?.InnerText ?? "";
            var raw = cell.CellValue?.Text ?? "";
            if (type == CellValues.SharedString)
                return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < shared.Count ? shared[index] : "";
            if (type is null || type == CellValues.Number)
                return NumberText(raw);
            return raw;
        }

        /// <summary>
        /// A number cell holds the text of a double: written back in its shortest exact form, which is the
        /// decimal the person typed (483453743.45999998 is 483453743.46), and in full rather than as 1.5E+20.
        /// </summary>
        private static string NumberText(string raw)
        {
            if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                return raw;
            var shortest = number.ToString("R", CultureInfo.InvariantCulture);
            if (!shortest.Contains('E', StringComparison.OrdinalIgnoreCase))
                return shortest;
            return decimal.TryParse(shortest, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact)
                ? exact.ToString(CultureInfo.InvariantCulture)
                : raw;
        }

        /// <summary>The column of a reference such as BC12 (0-based); null beyond XFD, Excel's last, or when it is no reference.</summary>
        private static int? ColumnIndex(string reference)
        {
            var index = 0;
            var letters = 0;
            foreach (var c in reference)
            {
                if (!char.IsAsciiLetter(c))
                    break;
                if (++letters > 3)
                    return null;
                index = index * 26 + (char.ToUpperInvariant(c) - 'A' + 1);
            }
            if (letters == 0 || index > MaxColumns)
                return null;
            return index - 1;
        }

        private static int? RowNumber(string text) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var row) && row is >= 1 and <= MaxRows ? row : null;
    }
}
