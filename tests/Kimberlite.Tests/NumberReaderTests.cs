using Kimberlite.Statistics;

namespace Kimberlite.Tests;

public sealed class NumberReaderTests
{
    [Theory]
    [InlineData("8305796.60")]
    [InlineData("8,305,796.60")]
    [InlineData("8 305 796,60")]
    [InlineData("8\u202F305\u202F796,60")]
    [InlineData("8\u00A0305\u00A0796,60")]
    [InlineData("8.305.796,60")]
    public void EveryCommonWritingOfANumberReadsTheSame(string text)
    {
        var (value, refusal) = NumberReader.Read(text);
        Assert.Equal(NumberReader.Refusal.None, refusal);
        Assert.Equal(8305796.60m, value);
    }

    [Theory]
    [InlineData("3,5", 3.5)]
    [InlineData("0,125", 0.125)]
    [InlineData("1234,567", 1234.567)]
    [InlineData("12.500", 12.5)]
    [InlineData("1,234,567", 1234567)]
    [InlineData("1.234.567", 1234567)]
    public void UnambiguousSeparatorsAreRead(string text, double expected)
    {
        var (value, refusal) = NumberReader.Read(text);
        Assert.Equal(NumberReader.Refusal.None, refusal);
        Assert.Equal((decimal)expected, value);
    }

    [Theory]
    [InlineData("8305796.60")]
    [InlineData("0.0500")]
    [InlineData("007")]
    [InlineData("999999999999999.9999")]
    [InlineData("00000000000000000001")]
    [InlineData("1234567890.123456789")]
    [InlineData("5.")]
    [InlineData("0000000000000000000000123.5")]
    public void ABulkFileCellReadsToTheSameValueAndScaleAsTheGeneralParser(string text)
    {
        var (value, refusal) = NumberReader.Read(text.AsSpan());
        Assert.Equal(NumberReader.Refusal.None, refusal);
        var expected = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, value);
        Assert.Equal(expected.Scale, value!.Value.Scale);
    }

    [Theory]
    [InlineData("1,234")]
    [InlineData("305,796")]
    public void ACommaThatMayGroupThousandsOrMarkDecimalsIsRefusedAsAmbiguous(string text) =>
        Assert.Equal(NumberReader.Refusal.Ambiguous, NumberReader.Read(text).Refusal);

    [Theory]
    [InlineData("$4,11,65,99,277.57")]
    [InlineData("5 millions et demi")]
    [InlineData("200000000-400000000")]
    [InlineData(">480")]
    public void WordsRangesAndSymbolsAreNotNumbers(string text) =>
        Assert.NotEqual(NumberReader.Refusal.None, NumberReader.Read(text).Refusal);

    [Fact]
    public void IndianGroupingIsRefusedForItsGroups() =>
        Assert.Equal(NumberReader.Refusal.BadGrouping, NumberReader.Read("4,11,65,99,277.57").Refusal);

    [Fact]
    public void ANegativeQuantityIsRefused() =>
        Assert.Equal(NumberReader.Refusal.Negative, NumberReader.Read("-12.5").Refusal);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void EmptyMeansNotPublishedNotZero(string? text) =>
        Assert.Equal((null, NumberReader.Refusal.None), NumberReader.Read(text));
}
