using System.Globalization;
using System.Resources;

namespace Kimberlite.Infrastructure.Localization;

/// <summary>
/// The one place where summaries round figures for a reader (docs/decisions/035): three significant digits with
/// the language's words for millions and billions (9,75 M ct, 1,53 Md US$ in French; 9.75 M ct, US$ 1.53 bn in
/// English; 9,75 M ct, 1,53 mil M US$ in Portuguese). Exact values stay in the figure tables and the downloads.
/// </summary>
public static class Amounts
{
    private static readonly ResourceManager Words = new("Kimberlite.Infrastructure.Localization.Texts", typeof(Texts).Assembly);

    // A no-break space inside an amount: "9,75 M ct" never breaks across two lines.
    private static string Word(string key) => (Words.GetString(key, CultureInfo.CurrentUICulture) ?? key).Replace(' ', '\u00A0');

    /// <summary>Carats for a summary: whole below a million, else rounded to millions or billions.</summary>
    public static string Carats(decimal carats) => string.Format(Word("Ch_Ct"), Compact(carats));

    /// <summary>US$ for a summary: whole below a million, else rounded to millions or billions.</summary>
    public static string Usd(decimal usd) => string.Format(Word("Ch_UsdAmount"), Compact(usd));

    /// <summary>A price per carat: three significant digits, whole from 100 US$ up.</summary>
    public static string UsdPerCarat(decimal usdPerCarat) => string.Format(Word("Ch_UsdPerCt"), Significant(usdPerCarat));

    /// <summary>Carats or US$ in a chart's table: whole, the exact published value being in the figure table.</summary>
    public static string Whole(decimal value) => Math.Round(value, MidpointRounding.AwayFromZero).ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>A number without its unit, as summaries and axes round it: 975 310, 9,75 M, 1,53 Md.</summary>
    public static string Compact(decimal value)
    {
        var size = Math.Abs(value);
        if (size < 1_000_000m)
            return Math.Round(value, MidpointRounding.AwayFromZero).ToString("N0", CultureInfo.CurrentCulture);
        var (scaled, key) = size < 1_000_000_000m ? (value / 1_000_000m, "Ch_Million") : (value / 1_000_000_000m, "Ch_Billion");
        // 999,6 M rounds to 1 000 M: say 1 Md instead.
        if (key == "Ch_Million" && Math.Abs(RoundSignificant(scaled)) >= 1000m)
            (scaled, key) = (value / 1_000_000_000m, "Ch_Billion");
        return string.Format(Word(key), Significant(scaled));
    }

    /// <summary>Three significant digits, never fewer than the whole part: 9,75; 15,3; 153; 1 530.</summary>
    public static string Significant(decimal value)
    {
        var rounded = RoundSignificant(value);
        return rounded.ToString(Math.Abs(rounded) >= 100m ? "N0" : "#,##0.##", CultureInfo.CurrentCulture);
    }

    private static decimal RoundSignificant(decimal value)
    {
        var size = Math.Abs(value);
        var decimals = size >= 100m ? 0 : size >= 10m ? 1 : 2;
        return Math.Round(value, decimals, MidpointRounding.AwayFromZero);
    }
}
