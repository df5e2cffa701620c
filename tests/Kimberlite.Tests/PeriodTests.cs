using Kimberlite.Statistics;

namespace Kimberlite.Tests;

public sealed class PeriodTests
{
    [Theory]
    [InlineData("2022", "FY", PeriodKind.Year, 2022, 2022, 1, 12)]
    [InlineData("2022", "", PeriodKind.Year, 2022, 2022, 1, 12)]
    [InlineData("2012", "annual", PeriodKind.Year, 2012, 2012, 1, 12)]
    [InlineData("2023", "H1", PeriodKind.Half, 2023, 2023, 1, 6)]
    [InlineData("2023", "H2", PeriodKind.Half, 2023, 2023, 7, 12)]
    [InlineData("2023", "Q3", PeriodKind.Quarter, 2023, 2023, 7, 9)]
    [InlineData("2023", "Jan", PeriodKind.Month, 2023, 2023, 1, 1)]
    [InlineData("2016", "Oct", PeriodKind.Month, 2016, 2016, 10, 10)]
    [InlineData("2023", "Jan-Sep", PeriodKind.Span, 2023, 2023, 1, 9)]
    [InlineData("2022", "Jan-Nov", PeriodKind.Span, 2022, 2022, 1, 11)]
    [InlineData("2012-2013", "", PeriodKind.Span, 2012, 2013, 1, 12)]
    [InlineData("2013-2015", "FY", PeriodKind.Span, 2013, 2015, 1, 12)]
    [InlineData("2011.0", "", PeriodKind.Year, 2011, 2011, 1, 12)]
    [InlineData("2011.0", "H2", PeriodKind.Half, 2011, 2011, 7, 12)]
    public void UnderstoodPeriods(string year, string period, PeriodKind kind, int from, int to, int startMonth, int endMonth) =>
        Assert.Equal(new Period(kind, from, to, startMonth, endMonth), Period.Parse(year, period));

    // Quoted from the bundled files: kept as text, reported, never guessed.
    [Theory]
    [InlineData("2004 (annual, pre-expulsion)", "")]
    [InlineData("(year not stated)", "")]
    [InlineData("2004", "10-30 Jul")]
    [InlineData("2015", "May 2013-mid 2015")]
    [InlineData("2020", "per month")]
    [InlineData("2015-2019", "5 years")]
    [InlineData("2012-2013", "14 Aug 2012 - ~Dec 2013")]
    [InlineData("2004", "annual (pre-expulsion)")]
    [InlineData("2011.5", "")]
    public void PeriodsNotUnderstoodAreUnknown(string year, string period) =>
        Assert.Equal(PeriodKind.Unknown, Period.Parse(year, period).Kind);

    [Theory]
    [InlineData("2023 H1", PeriodKind.Half)]
    [InlineData("H1 2023", PeriodKind.Half)]
    [InlineData("2023", PeriodKind.Year)]
    [InlineData("2012-2013", PeriodKind.Span)]
    public void ASinglePeriodTextIsUnderstood(string text, PeriodKind kind) =>
        Assert.Equal(kind, Period.ParseCombined(text).Kind);
}
