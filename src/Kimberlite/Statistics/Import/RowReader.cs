using System.Globalization;

namespace Kimberlite.Statistics.Import;

/// <summary>One problem found in a file, at a line and column, with the value as given.</summary>
public sealed record ImportProblem(int Line, string Column, string? Value, ImportIssueKind Kind, string Reason);

/// <summary>Reads the cells of one row by column name and records every problem it meets, not just the first.</summary>
internal sealed class RowReader(TableRow row, IReadOnlyDictionary<string, int> columns, IReadOnlyList<string> headers, List<ImportProblem> problems)
{
    public int Line => row.Line;

    /// <summary>How the file writes its numbers and what surrounds its rows: the same for every row of a file.</summary>
    public ReadingContext Context { get; init; } = ReadingContext.Default;
    public bool Refused { get; private set; }

    public bool Has(string column) => columns.ContainsKey(column);

    public IEnumerable<string> ColumnNames => columns.Keys;

    public string? Text(string column) =>
        columns.TryGetValue(column, out var i) && i < row.Cells.Length && !string.IsNullOrWhiteSpace(row.Cells[i])
            ? row.Cells[i].Trim()
            : null;

    public void Refuse(string column, string? value, string reason)
    {
        Refused = true;
        problems.Add(new ImportProblem(Line, Header(column), value, ImportIssueKind.Refused, reason));
    }

    public void Note(string column, string? value, string reason) =>
        problems.Add(new ImportProblem(Line, Header(column), value, ImportIssueKind.Note, reason));

    /// <summary>The column as the file's header writes it, so the person can find it.</summary>
    private string Header(string column) =>
        columns.TryGetValue(column, out var i) && i < headers.Count && headers[i].Trim().Length > 0 ? headers[i].Trim() : column;

    public string? Required(string column)
    {
        var text = Text(column);
        if (text is null)
            Refuse(column, null, "Import_Required");
        return text;
    }

    /// <summary>An ISO 3166-1 alpha-3 code (or WLD, EUU); a country name is accepted where the file writes names.</summary>
    public string? Country(string column, bool required, bool acceptNames = false)
    {
        var text = required ? Required(column) : Text(column);
        if (text is null)
            return null;
        var code = text.ToUpperInvariant();
        if (code.Length == 3 && CountryCodes.IsKnown(code))
            return code;
        if (acceptNames && CountryNames.ToIso3(text) is { } named)
            return named;
        Refuse(column, text, acceptNames ? "Import_UnknownCountryName" : "Import_UnknownCountryCode");
        return null;
    }

    /// <summary>A quantity or amount: empty is "not published" (null), negative is refused.</summary>
    public decimal? Quantity(string column)
    {
        var text = Text(column);
        var (value, refusal) = NumberReader.Read(Context.DecimalComma ? WithDecimalPoint(text) : text);
        if (refusal != NumberReader.Refusal.None)
            Refuse(column, text, $"Import_Number_{refusal}");
        return Context.SpreadsheetNumbers && value is { } number ? AsMeant(number) : value;
    }

    /// <summary>
    /// "2194850,08" in a file whose delimiter is ';' (Excel in French): the comma can only be the decimal
    /// separator there, so "1,234" is 1.234 and not refused as ambiguous. Other writings go to the reader as they are.
    /// </summary>
    private static string? WithDecimalPoint(string? text)
    {
        if (text is null || text.Count(c => c == ',') != 1 || text.Contains('.'))
            return text;
        var comma = text.IndexOf(',');
        return text[(comma + 1)..].All(char.IsAsciiDigit) && comma > 0 ? text.Replace(',', '.') : text;
    }

    /// <summary>
    /// A spreadsheet number cell holds a double: 483453743.45999998 is the nearest double to 483453743.46,
    /// the decimal the source typed. Rounded to 15 significant digits (what a double holds exactly, and
    /// what (decimal)double gives), where those digits fall after the decimal point; whole numbers stay as written.
    /// </summary>
    public static decimal AsMeant(decimal number)
    {
        var whole = decimal.Truncate(Math.Abs(number));
        var integerDigits = whole == 0 ? 0 : whole.ToString(CultureInfo.InvariantCulture).Length;
        if (integerDigits >= 15 || number.Scale <= 15 - integerDigits)
            return number;
        // Dividing by 1.000…0 drops the trailing zeros the rounding leaves.
        return Math.Round(number, 15 - integerDigits, MidpointRounding.ToEven) / 1.0000000000000000000000000000m;
    }

    public int? Count(string column)
    {
        var value = Quantity(column);
        if (value is null)
            return null;
        if (value != decimal.Truncate(value.Value) || value > int.MaxValue)
        {
            Refuse(column, Text(column), "Import_Number_NotACount");
            return null;
        }
        return (int)value.Value;
    }

    public string? Currency(string column, decimal? amount)
    {
        var text = Text(column)?.ToUpperInvariant();
        if (text is null)
        {
            if (amount is not null)
                Refuse(column, null, "Import_CurrencyMissing");
            return null;
        }
        if (text.Length != 3 || !text.All(char.IsAsciiLetterUpper))
        {
            Refuse(column, Text(column), "Import_CurrencyUnknown");
            return null;
        }
        return text;
    }

    /// <summary>Understands the period where it can; the texts are kept either way, and what is not understood is noted.</summary>
    public Period Period(string yearColumn, string? periodColumn) =>
        Period(yearColumn, periodColumn, periodColumn is null ? null : Text(periodColumn));

    /// <summary>The period of a year column and a period text the layout made (the Kimberley Process export's half).</summary>
    public Period Period(string yearColumn, string? periodColumn, string? periodText)
    {
        var yearText = Text(yearColumn);
        if (yearText is null && periodText is null)
        {
            Refuse(yearColumn, null, "Import_Required");
            return Statistics.Period.Unknown;
        }
        var period = Statistics.Period.Parse(yearText, periodText);
        if (period.Kind == PeriodKind.Unknown)
        {
            var yearUnderstood = yearText is not null && Statistics.Period.Parse(yearText, null).Kind != PeriodKind.Unknown;
            var (column, value) = yearUnderstood && periodColumn is not null ? (periodColumn, periodText) : (yearColumn, yearText);
            Note(column, value, "Import_PeriodNotUnderstood");
        }
        else if (period.Year is < 1900 or > 2100)
        {
            Refuse(yearColumn, yearText, "Import_YearOutOfRange");
        }
        return period;
    }

    public static string Invariant(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What is true of every row of one file: how it writes numbers, and the title rows above its header.</summary>
internal sealed record ReadingContext(bool SpreadsheetNumbers, bool DecimalComma, IReadOnlyList<string> Preamble)
{
    public static readonly ReadingContext Default = new(false, false, []);

    /// <summary>What a value of the file is worth in its unit's US$: 1000 for "US Dollar thousand".</summary>
    public decimal UnitFactor { get; init; } = 1;
    /// <summary>The country whose list of partners the file is, where its title names one.</summary>
    public string? Reporter { get; init; }
}
