using System.IO.Compression;
using System.Text;

namespace Kimberlite.Tests;

/// <summary>
/// A workbook written part by part, as a zip of XML, so a test can give it what no spreadsheet program
/// writes: several sheets, forged cell references, a dimension or shared-string count that lies.
/// </summary>
public static class RawXlsx
{
    public static byte[] Build(IReadOnlyList<(string Name, string SheetData)> sheets, string? sharedStrings = null, string dimension = "A1")
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Part(string name, string xml)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(xml);
            }
            const string main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
            const string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
            Part("[Content_Types].xml", $"""
                <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{string.Concat(sheets.Select((_, i) => $"<Override PartName=\"/xl/worksheets/sheet{i + 1}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"))}{(sharedStrings is null ? "" : "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>")}</Types>
                """);
            Part("_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Part("xl/workbook.xml", $"""<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>{string.Concat(sheets.Select((s, i) => $"<sheet name=\"{s.Name}\" sheetId=\"{i + 1}\" r:id=\"rId{i + 1}\"/>"))}</sheets></workbook>""");
            Part("xl/_rels/workbook.xml.rels", $"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{string.Concat(sheets.Select((_, i) => $"<Relationship Id=\"rId{i + 1}\" Type=\"{rel}/worksheet\" Target=\"worksheets/sheet{i + 1}.xml\"/>"))}{(sharedStrings is null ? "" : $"<Relationship Id=\"rIdS\" Type=\"{rel}/sharedStrings\" Target=\"sharedStrings.xml\"/>")}</Relationships>""");
            for (var i = 0; i < sheets.Count; i++)
                Part($"xl/worksheets/sheet{i + 1}.xml", $"""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><dimension ref="{dimension}"/><sheetData>{sheets[i].SheetData}</sheetData></worksheet>""");
            if (sharedStrings is not null)
                Part("xl/sharedStrings.xml", $"""<?xml version="1.0" encoding="UTF-8"?>{sharedStrings.Replace("<sst", $"<sst xmlns=\"{main}\"")}""");
        }
        return output.ToArray();
    }

    /// <summary>A row of inline-string cells at the given references ("A1", "B1"...).</summary>
    public static string Row(int number, params (string Reference, string Text)[] cells) =>
        $"<row r=\"{number}\">{string.Concat(cells.Select(c => $"<c r=\"{c.Reference}\" t=\"inlineStr\"><is><t>{System.Security.SecurityElement.Escape(c.Text)}</t></is></c>"))}</row>";

    /// <summary>A row of cells A, B, C... in order.</summary>
    public static string Row(int number, params string[] texts) =>
        Row(number, texts.Select((t, i) => ($"{(char)('A' + i)}{number}", t)).ToArray());
}
