using System.Globalization;
using System.Text.RegularExpressions;

namespace Kimberlite.Infrastructure.Localization;

/// <summary>Numbers and dates in the reader's language: 8 305 796,60 in French, 8,305,796.60 in English.</summary>
public static class Formats
{
    /// <summary>Whole numbers without decimals; others with two, or four below one (a 0.002 % share stays visible).</summary>
    public static string Number(decimal value) =>
        value == decimal.Truncate(value) ? value.ToString("N0", CultureInfo.CurrentCulture)
        : value.ToString(Math.Abs(value) < 1 ? "#,##0.####" : "#,##0.##", CultureInfo.CurrentCulture);

    /// <summary>A signed percentage as the language writes it: +8,8 % in French, +8.8% in English.</summary>
    public static string Percent(decimal value) =>
        (value > 0 ? "+" : "") + (value / 100m).ToString("P1", CultureInfo.CurrentCulture);

    public static string Date(DateTime utc) => utc.ToString(LongDate + " HH:mm 'UTC'", CultureInfo.CurrentCulture);

    public static string Date(DateOnly date) => date.ToString(LongDate, CultureInfo.CurrentCulture);

    /// <summary>The language's long date without the day of the week: 29 novembre 2026, 29 de novembro de 2026, November 29, 2026.</summary>
    private static string LongDate => Regex.Replace(CultureInfo.CurrentCulture.DateTimeFormat.LongDatePattern, @"d{4},?\s*", "");

    public static string Language => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
}
