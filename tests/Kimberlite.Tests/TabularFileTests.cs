using System.Text;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Import;

namespace Kimberlite.Tests;

/// <summary>Files as they come: every encoding, delimiter, sheet and title row a user's software writes.</summary>
public sealed class TabularFileTests
{
    private const string French = "Pays;Année;Production (carats)\nRépublique centrafricaine;2022;8 305,60\nCôte d'Ivoire;2022;1 250,5\n";

    [Theory]
    [InlineData("UTF-8")]
    [InlineData("UTF-8 (BOM)")]
    [InlineData("UTF-16 LE")]
    [InlineData("Windows-1252")]
    public void EveryEncodingIsDetectedNamedAndReadToTheSameText(string encoding)
    {
        byte[] content = encoding switch
        {
            "UTF-8" => Encoding.UTF8.GetBytes(French),
            "UTF-8 (BOM)" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(French)],
            "UTF-16 LE" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(French)],
            _ => TextEncodings.Windows1252.GetBytes(French),
        };

        var table = Table.Read(content, "production.csv");

        Assert.Equal(encoding, table.Encoding);
        Assert.Equal(';', table.Delimiter);
        Assert.Equal(["Pays", "Année", "Production (carats)"], table.Headers);
        Assert.Equal(["République centrafricaine", "2022", "8 305,60"], table.Rows[0].Cells);
        Assert.Equal("Côte d'Ivoire", table.Rows[1].Cells[0]);
    }

    [Theory]
    [InlineData(',', "country,year,carats\nCAF,2022,\"1,5\"\nCOD,2021,3\n")]
    [InlineData(';', "country;year;carats\nCAF;2022;1,5\nCOD;2021;3,25\n")]
    [InlineData('\t', "country\tyear\tcarats\nCAF\t2022\t1,5\nCOD\t2021\t3\n")]
    public void TheDelimiterIsTheOneThatSplitsEveryLineAlike(char delimiter, string text)
    {
        var table = Table.Read(Encoding.UTF8.GetBytes(text), "file.csv");

        Assert.Equal(delimiter, table.Delimiter);
        Assert.Equal(["country", "year", "carats"], table.Headers);
        Assert.Equal("1,5", table.Rows[0].Cells[2]);
    }

    [Fact]
    public void TitleRowsAboveTheHeaderAreSkippedAndKeptAsThePreamble()
    {
        var text = "Rough diamond production\nValues in thousands of US$\n\ncountry,year,carats\nCAF,2022,5\n";

        var table = Table.Read(Encoding.UTF8.GetBytes(text), "file.csv", new TableReadOptions(IsHeader: cells => cells.Contains("country")));

        Assert.Equal(4, table.HeaderLine);
        Assert.Equal(["Rough diamond production", "Values in thousands of US$"], table.Preamble);
        Assert.Equal(5, Assert.Single(table.Rows).Line);
    }

    [Fact]
    public void WithoutALayoutToRecogniseItTheHeaderIsTheFirstRowWithText()
    {
        var table = Table.Read(Encoding.UTF8.GetBytes("\n\ncountry,year\nCAF,2022\n"), "file.csv");

        Assert.Equal((3, 4), (table.HeaderLine, table.Rows[0].Line));
    }

    [Fact]
    public void ARowKeepsTheLineAnEditorShowsAfterACellWrittenOnSeveralLines()
    {
        var table = Table.Read(Encoding.UTF8.GetBytes("country,notes\nCAF,\"first\nsecond\nthird\"\nCOD,plain\n"), "file.csv");

        Assert.Equal([2, 5], table.Rows.Select(r => r.Line));
        Assert.Equal("first\nsecond\nthird", table.Rows[0].Cells[1]);
    }

    [Fact]
    public void AWorkbookIsReadFromTheFirstSheetWhoseHeaderTheLayoutRecognises()
    {
        var xlsx = RawXlsx.Build([
            ("Notes", RawXlsx.Row(1, "Read me first") + RawXlsx.Row(2, "Source: Kimberley Process")),
            ("Data", RawXlsx.Row(1, "Kimberley Process statistics, 2022") + RawXlsx.Row(3, "country", "year", "carats") + RawXlsx.Row(4, "CAF", "2022", "5")),
        ]);

        var table = Table.Read(xlsx, "kp.xlsx", new TableReadOptions(IsHeader: cells => cells.Contains("country")));

        Assert.Equal(("Data", 3), (table.Sheet, table.HeaderLine));
        Assert.Equal(["Notes", "Data"], table.Sheets);
        Assert.Equal(["Kimberley Process statistics, 2022"], table.Preamble);
        Assert.Equal((4, "CAF"), (table.Rows[0].Line, table.Rows[0].Cells[0]));
        Assert.Null(table.Encoding);
    }

    [Fact]
    public void AWorkbookSheetTheUserNamesIsReadAndAMissingOneIsRefusedListingTheSheets()
    {
        var xlsx = RawXlsx.Build([("2021", RawXlsx.Row(1, "country") + RawXlsx.Row(2, "AGO")), ("2022", RawXlsx.Row(1, "country") + RawXlsx.Row(2, "CAF"))]);

        Assert.Equal("CAF", Table.Read(xlsx, "kp.xlsx", new TableReadOptions(Sheet: "2022")).Rows[0].Cells[0]);
        var refused = Assert.Throws<TableException>(() => Table.Read(xlsx, "kp.xlsx", new TableReadOptions(Sheet: "2023")));
        Assert.Equal(("File_SheetMissing", "2023 (2021, 2022)"), (refused.Reason, refused.Value));
    }

    [Fact]
    public void ASpreadsheetDoubleIsReadAsTheDecimalThePersonTyped()
    {
        var xlsx = Xlsx.Build(["country", "usd", "big"], ["CAF", new Xlsx.Raw("483453743.45999998"), new Xlsx.Raw("1.532E+9")]);

        Assert.Equal(["CAF", "483453743.46", "1532000000"], Table.Read(xlsx, "kp.xlsx").Rows[0].Cells);
    }

    [Fact]
    public void AWorkbookWhoseDimensionAndSharedStringCountLieIsReadFromWhatItHolds()
    {
        var xlsx = RawXlsx.Build(
            [("Sheet1", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\"><v>5</v></c><c r=\"C2\" t=\"s\"><v>99</v></c></row>")],
            sharedStrings: "<sst count=\"2147483647\" uniqueCount=\"2147483647\"><si><t>country</t></si><si><r><t>car</t></r><r><t>ats</t></r></si><si><t>CAF</t></si></sst>",
            dimension: "A1:XFD1048576");

        var table = Table.Read(xlsx, "file.xlsx");

        Assert.Equal(["country", "carats"], table.Headers);
        Assert.Equal(["CAF", "5"], table.Rows[0].Cells);
    }

    [Theory]
    [InlineData("ZZZZZ1")]
    [InlineData("AAAAAAA1")]
    [InlineData("XFE1")]
    public void ACellReferenceBeyondExcelsLastColumnIsRefusedAtOnce(string reference)
    {
        // Measured before: ZZZZZ1 took 85 s and 11.8 GB; AAAAAAA1 was killed at 23.9 GB.
        var xlsx = RawXlsx.Build([("Sheet1", RawXlsx.Row(1, "country", "year") + RawXlsx.Row(2, ("A2", "CAF"), (reference, "2022")))]);

        var refused = Assert.Throws<TableException>(() => Table.Read(xlsx, "forged.xlsx"));

        Assert.Equal(("File_ColumnBeyondLimit", reference, 2), (refused.Reason, refused.Value, refused.Line));
    }

    [Fact]
    public void ACellInExcelsLastColumnIsReadAndARowNumberBeyondItsLastIsRefused()
    {
        var last = RawXlsx.Build([("Sheet1", RawXlsx.Row(1, ("A1", "country"), ("XFD1", "notes")) + RawXlsx.Row(2, ("A2", "CAF")))]);
        Assert.Equal(Table.MaxColumns, Table.Read(last, "last.xlsx").Headers.Count);

        var beyond = RawXlsx.Build([("Sheet1", RawXlsx.Row(1, "country") + "<row r=\"1048577\"><c r=\"A1048577\" t=\"inlineStr\"><is><t>CAF</t></is></c></row>")]);
        Assert.Equal("File_RowBeyondLimit", Assert.Throws<TableException>(() => Table.Read(beyond, "beyond.xlsx")).Reason);
    }

    [Fact]
    public void AWorkbookThatDecompressesFarBeyondItsSizeIsRefusedWithoutExpandingIt()
    {
        var bomb = RawXlsx.Build([("Sheet1", RawXlsx.Row(1, "country") + new string(' ', 200_000_000) + RawXlsx.Row(2, "CAF"))]);

        var refused = Assert.Throws<TableException>(() => Table.Read(bomb, "bomb.xlsx"));

        Assert.True(bomb.Length < 1_000_000);
        Assert.Equal("File_TooLargeUncompressed", refused.Reason);
    }

    [Fact]
    public void ACsvCellBeyondExcelsLimitAndARowOfTwentyThousandColumnsAreRefusedWithAReason()
    {
        var huge = Assert.Throws<TableException>(() => Table.Read(Encoding.UTF8.GetBytes("country,notes\nCAF," + new string('9', 1_000_000) + "\n"), "huge.csv"));
        Assert.Equal(("File_CellTooLong", 2), (huge.Reason, huge.Line));

        var wide = Assert.Throws<TableException>(() => Table.Read(Encoding.UTF8.GetBytes("country,notes\nCAF,1\nCOD" + new string(',', 20_000) + "\n"), "wide.csv"));
        Assert.Equal(("File_TooManyColumns", 3), (wide.Reason, wide.Line));
    }

    [Fact]
    public void ADamagedWorkbookIsRefusedWithItsOwnReason()
    {
        var xlsx = Xlsx.Build(["country"], ["CAF"]);

        Assert.Equal("File_DamagedWorkbook", Assert.Throws<TableException>(() => Table.Read(xlsx[..(xlsx.Length / 2)], "damaged.xlsx")).Reason);
    }

    [Theory]
    [InlineData("２０２３", "", 2023)]
    [InlineData("٢٠٢٣", "", 2023)]
    [InlineData("2011.0", "", 2011)]
    [InlineData("２０２３ H1", null, 2023)]
    public void AYearWrittenWithOtherDigitsOrAsASpreadsheetNumberIsTheYearItMeans(string year, string? period, int expected)
    {
        var parsed = period is null ? Period.ParseCombined(year) : Period.Parse(year, period);

        Assert.Equal(expected, parsed.Year);
    }

    [Theory]
    [InlineData("79228162514264337593543950335", NumberReader.Refusal.TooLarge)]
    [InlineData("123456789012345678901234567890", NumberReader.Refusal.TooLarge)]
    [InlineData("1000000000000000", NumberReader.Refusal.TooLarge)]
    [InlineData("1 000 000 000 000 000,5", NumberReader.Refusal.TooLarge)]
    [InlineData("0.00000000001", NumberReader.Refusal.TooManyDecimals)]
    [InlineData("999999999999999.5", NumberReader.Refusal.None)]
    [InlineData("１２３", NumberReader.Refusal.None)]
    [InlineData("2.50000000000000", NumberReader.Refusal.None)]
    public void ANumberBeyondWhatADiamondStatisticCanBeIsRefusedWithTheReason(string text, NumberReader.Refusal refusal)
    {
        Assert.Equal(refusal, NumberReader.Read(text).Refusal);
        Assert.Equal(refusal, NumberReader.Read(text.AsSpan()).Refusal);
    }

    [Fact]
    public void TheBulkReaderLeavesANumberBeyondTheBoundsToTheParserThatRefusesIt()
    {
        Assert.Null(NumberReader.Plain("1000000000000000".AsSpan()));
        Assert.Null(NumberReader.Plain("1.12345678901".AsSpan()));
        Assert.Equal(999999999999999.9999m, NumberReader.Plain("999999999999999.9999".AsSpan()));
    }
}
