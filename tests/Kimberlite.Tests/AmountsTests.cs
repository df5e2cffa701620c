using System.Globalization;
using Kimberlite.Infrastructure.Localization;

namespace Kimberlite.Tests;

/// <summary>The one formatter of summaries (docs/decisions/035), in each of the three languages.</summary>
public sealed class AmountsTests
{
    private static string In(string language, Func<string> format)
    {
        var (culture, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(language);
            // Spaces of any width read the same to the reader; the test compares words.
            return format().Replace('\u00A0', ' ').Replace('\u202F', ' ');
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, ui);
        }
    }

    [Theory]
    [InlineData("fr", "9,75 M ct", "1,53 Md US$", "157 US$/ct")]
    [InlineData("en", "9.75 M ct", "US$ 1.53 bn", "US$ 157/ct")]
    [InlineData("pt", "9,75 M ct", "1,53 mil M US$", "157 US$/ct")]
    public void AngolasProductionOf2023IsSummarisedInTheReadersLanguage(string language, string carats, string usd, string perCarat)
    {
        Assert.Equal(carats, In(language, () => Amounts.Carats(9_754_309.81m)));
        Assert.Equal(usd, In(language, () => Amounts.Usd(1_532_000_000m)));
        Assert.Equal(perCarat, In(language, () => Amounts.UsdPerCarat(157.06m)));
    }

    [Theory]
    [InlineData("fr", "118 044 ct", "871 ct", "62,1 M US$", "15,3 M ct")]
    [InlineData("en", "118,044 ct", "871 ct", "US$ 62.1 M", "15.3 M ct")]
    [InlineData("pt", "118.044 ct", "871 ct", "62,1 M US$", "15,3 M ct")]
    public void BelowAMillionCaratsAreWholeAndAboveThreeDigitsAreKept(string language, string thousands, string hundreds, string millionsUsd, string tensOfMillions)
    {
        Assert.Equal(thousands, In(language, () => Amounts.Carats(118_043.6m)));
        Assert.Equal(hundreds, In(language, () => Amounts.Carats(870.9m)));
        Assert.Equal(millionsUsd, In(language, () => Amounts.Usd(62_086_123.45m)));
        Assert.Equal(tensOfMillions, In(language, () => Amounts.Carats(15_320_000m)));
    }

    [Theory]
    [InlineData("fr", "1 Md US$")]
    [InlineData("en", "US$ 1 bn")]
    [InlineData("pt", "1 mil M US$")]
    public void AnAmountThatRoundsToAThousandMillionIsSaidInBillions(string language, string expected) =>
        Assert.Equal(expected, In(language, () => Amounts.Usd(999_700_000m)));

    [Theory]
    [InlineData("fr", "9 754 310", "45,6 US$/ct", "9,84 US$/ct")]
    [InlineData("en", "9,754,310", "US$ 45.6/ct", "US$ 9.84/ct")]
    public void ChartTablesShowWholeCaratsAndPricesKeepThreeDigits(string language, string whole, string price, string smallPrice)
    {
        Assert.Equal(whole, In(language, () => Amounts.Whole(9_754_309.81m)));
        Assert.Equal(price, In(language, () => Amounts.UsdPerCarat(45.62m)));
        Assert.Equal(smallPrice, In(language, () => Amounts.UsdPerCarat(9.843m)));
    }
}
