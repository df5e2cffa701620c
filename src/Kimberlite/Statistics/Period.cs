using System.Globalization;
using System.Text.RegularExpressions;

namespace Kimberlite.Statistics;

public enum PeriodKind
{
    /// <summary>The text was kept but not understood: the figure is listed, never charted.</summary>
    Unknown = 0,
    Year = 1,
    Half = 2,
    Quarter = 3,
    Month = 4,
    /// <summary>A span of months within one year (Jan-Sep) or of whole years (2012-2013).</summary>
    Span = 5,
}

/// <summary>
/// A reporting period understood from the year and period texts of a source. The texts are always
/// kept beside it; what is not understood is <see cref="PeriodKind.Unknown"/>, never guessed.
/// </summary>
public readonly record struct Period(PeriodKind Kind, int? Year, int? EndYear, int? StartMonth, int? EndMonth)
{
    public static readonly Period Unknown = new(PeriodKind.Unknown, null, null, null, null);

    public bool IsWholeYear => Kind == PeriodKind.Year;

    /// <summary>A stable key: two figures with equal keys speak of the same period.</summary>
    public string Key => Kind switch
    {
        PeriodKind.Year => $"{Year}",
        PeriodKind.Unknown => "?",
        _ => $"{Year}-{EndYear}:{StartMonth}-{EndMonth}",
    };

    public static Period WholeYear(int year) => new(PeriodKind.Year, year, year, 1, 12);

    // ASCII digits only: \d also matches full-width and other scripts' digits, which int.Parse refuses.
    // A year written 2011.0 (a spreadsheet's number saved as text) is the year 2011.
    private static readonly Regex YearOnly = new(@"^\s*([0-9]{4})(?:\.0+)?\s*$", RegexOptions.CultureInvariant);
    private static readonly Regex YearSpan = new(@"^\s*([0-9]{4})\s*[-–/]\s*([0-9]{4})\s*$", RegexOptions.CultureInvariant);
    private static readonly Regex Half = new(@"^\s*[HS]([12])\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    private static readonly Regex Quarter = new(@"^\s*[QT]([1-4])\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    private static readonly Regex MonthSpan = new(@"^\s*(\p{L}+)\.?\s*[-–]\s*(\p{L}+)\.?\s*$", RegexOptions.CultureInvariant);
    private static readonly Regex CombinedPeriod = new(@"^\s*([0-9]{4})\s+(.+)$|^\s*(.+?)\s+([0-9]{4})\s*$", RegexOptions.CultureInvariant);

    private static readonly string[] WholeYearWords = ["", "FY", "annual", "year", "annuel", "annuelle", "année", "anual", "ano", "full year"];

    /// <summary>Understands a year text and a period text, as the statistics files give them.</summary>
    public static Period Parse(string? yearText, string? periodText)
    {
        yearText = AsciiDigits((yearText ?? "").Trim());
        periodText = AsciiDigits((periodText ?? "").Trim());

        if (YearSpan.Match(yearText) is { Success: true } span)
        {
            var from = int.Parse(span.Groups[1].Value, CultureInfo.InvariantCulture);
            var to = int.Parse(span.Groups[2].Value, CultureInfo.InvariantCulture);
            var wholeYears = IsWholeYearWord(periodText);
            return to > from && wholeYears ? new Period(PeriodKind.Span, from, to, 1, 12) : Unknown;
        }

        if (YearOnly.Match(yearText) is not { Success: true } single)
            return (yearText.Length, periodText.Length) switch
            {
                (0, > 0) => ParseCombined(periodText),
                (> 0, 0) => ParseCombined(yearText),
                _ => Unknown,
            };

        var year = int.Parse(single.Groups[1].Value, CultureInfo.InvariantCulture);
        return ParseWithinYear(year, periodText);
    }

    /// <summary>
    /// Digits of any script (full-width ２０２３ typed with an Asian keyboard, Arabic-Indic ٢٠٢٣) as the
    /// ASCII digits they mean: a year is the same year however its digits are drawn. Unicode spaces are spaces.
    /// </summary>
    public static string AsciiDigits(string text)
    {
        if (text.All(char.IsAscii))
            return text;
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsDigit(c) && CharUnicodeInfo.GetDecimalDigitValue(c) is >= 0 and <= 9 and var d ? (char)('0' + d)
                    : char.IsWhiteSpace(c) ? ' '
                    : c;
            }
        }).Trim();
    }

    /// <summary>A single text such as "2023", "2023 H1", "H1 2023" or "2012-2013".</summary>
    public static Period ParseCombined(string text)
    {
        text = AsciiDigits(text);
        if (YearOnly.IsMatch(text) || YearSpan.IsMatch(text))
            return Parse(text, null);
        var match = CombinedPeriod.Match(text);
        if (!match.Success)
            return Unknown;
        var (yearPart, periodPart) = match.Groups[1].Success
            ? (match.Groups[1].Value, match.Groups[2].Value)
            : (match.Groups[4].Value, match.Groups[3].Value);
        return Parse(yearPart, periodPart);
    }

    private static Period ParseWithinYear(int year, string periodText)
    {
        if (IsWholeYearWord(periodText))
            return WholeYear(year);
        if (Half.Match(periodText) is { Success: true } half)
        {
            var h = half.Groups[1].Value == "1" ? 1 : 2;
            return new Period(PeriodKind.Half, year, year, h == 1 ? 1 : 7, h == 1 ? 6 : 12);
        }
        if (Quarter.Match(periodText) is { Success: true } quarter)
        {
            var q = int.Parse(quarter.Groups[1].Value, CultureInfo.InvariantCulture);
            return new Period(PeriodKind.Quarter, year, year, q * 3 - 2, q * 3);
        }
        if (Month(periodText) is { } month)
            return new Period(PeriodKind.Month, year, year, month, month);
        if (MonthSpan.Match(periodText) is { Success: true } months
            && Month(months.Groups[1].Value) is { } first && Month(months.Groups[2].Value) is { } last && last > first)
            return new Period(PeriodKind.Span, year, year, first, last);
        return Unknown;
    }

    private static bool IsWholeYearWord(string text) =>
        WholeYearWords.Any(w => string.Equals(w, text, StringComparison.OrdinalIgnoreCase));

    private static readonly string[][] MonthNames =
    [
        ["jan", "january", "janvier", "janv", "janeiro"],
        ["feb", "february", "février", "fevrier", "févr", "fev", "fevereiro"],
        ["mar", "march", "mars", "março", "marco"],
        ["apr", "april", "avril", "avr", "abril", "abr"],
        ["may", "mai", "maio"],
        ["jun", "june", "juin", "junho"],
        ["jul", "july", "juillet", "juil", "julho"],
        ["aug", "august", "août", "aout", "agosto", "ago"],
        ["sep", "sept", "september", "septembre", "setembro", "set"],
        ["oct", "october", "octobre", "outubro", "out"],
        ["nov", "november", "novembre", "novembro"],
        ["dec", "december", "décembre", "decembre", "déc", "dezembro", "dez"],
    ];

    private static int? Month(string text)
    {
        var word = text.Trim().TrimEnd('.').ToLowerInvariant();
        for (var i = 0; i < MonthNames.Length; i++)
            if (MonthNames[i].Contains(word))
                return i + 1;
        return null;
    }
}
