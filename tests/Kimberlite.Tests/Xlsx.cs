using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Kimberlite.Tests;

/// <summary>Writes a one-sheet XLSX file, as a spreadsheet program would, with text and number cells.</summary>
public static class Xlsx
{
    /// <summary>A number cell holding exactly this text, as spreadsheet programs sometimes write it (1.532E+9).</summary>
    public sealed record Raw(string Text);

    public static byte[] Build(params object?[][] rows)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            for (var r = 0; r < rows.Length; r++)
            {
                var row = new Row { RowIndex = (uint)(r + 1) };
                for (var c = 0; c < rows[r].Length; c++)
                {
                    var reference = $"{(char)('A' + c)}{r + 1}";
                    row.Append(rows[r][c] switch
                    {
                        null => new Cell { CellReference = reference },
                        Raw raw => new Cell { CellReference = reference, CellValue = new CellValue(raw.Text) },
                        string s => new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(s)) },
                        var n => new Cell { CellReference = reference, CellValue = new CellValue(Convert.ToString(n, System.Globalization.CultureInfo.InvariantCulture)!) },
                    });
                }
                data.Append(row);
            }
            sheetPart.Worksheet = new Worksheet(data);
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            sheets.Append(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "Sheet1" });
        }
        return stream.ToArray();
    }
}
