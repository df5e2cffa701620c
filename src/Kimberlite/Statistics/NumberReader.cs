using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Kimberlite.Statistics;

/// <summary>
/// Reads the numbers of statistics files, whoever typed them: <c>8305796.60</c>, <c>8,305,796.60</c>,
/// <c>8 305 796,60</c> and <c>8.305.796,60</c> all read 8305796.60. A value that could mean two
/// different numbers (<c>1,234</c>) is refused, never guessed. See docs/decisions/003-number-formats.md.
/// </summary>
public static class NumberReader
{
    /// <summary>Why a text was refused, as a resource key suffix (Import_Number_...).</summary>
    public enum Refusal { None, NotANumber, Ambiguous, BadGrouping, Negative, TooLarge, TooManyDecimals }

    /// <summary>
    /// What a diamond statistic can be: under a thousand million million (15 digits before the point; the
    /// world's yearly output is about 10^8 carats and 10^10 US$, and a local currency's fiscal total far
    /// below 10^15) and at most 10 decimals (a spreadsheet's double has 17 significant digits). Beyond, a
    /// value is a typing or export error, and sums of such values overflow (docs/decisions/016-bounded-numbers.md).
    /// </summary>
    public const int MaxWholeDigits = 15, MaxDecimals = 10;
    public static readonly decimal Limit = 1_000_000_000_000_000m;

    private static readonly char[] Spaces = [' ', '\u00A0', '\u202F', '\u2009', '\''];
    private static readonly SearchValues<char> PlainDigits = SearchValues.Create("0123456789.");
    private static readonly Regex Shape = new(@"^[0-9][0-9.,]*$", RegexOptions.CultureInvariant);

    /// <summary>Reads one cell. Empty means "not published": the result is null with no refusal.</summary>
    public static (decimal? Value, Refusal Refusal) Read(string? text, bool allowNegative = false)
    {
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0)
            return (null, Refusal.None);
        // Digits of another script (full-width １２３) are the digits they mean, as in a period.
        if (!System.Text.Ascii.IsValid(trimmed))
            trimmed = Period.AsciiDigits(trimmed);

        var negative = trimmed.StartsWith('-') || trimmed.StartsWith('−');
        if (negative)
            trimmed = trimmed[1..].TrimStart();
        if (trimmed.Length == 0)
            return (null, Refusal.NotANumber);

        // The common case, digits with at most a decimal point, goes straight to the parser.
        if (trimmed.AsSpan().IndexOfAnyExcept(PlainDigits) < 0 && trimmed.AsSpan().Count('.') <= 1 && trimmed[0] != '.')
        {
            if (Bounds(trimmed) is var beyond and not Refusal.None)
                return (null, beyond);
            if (decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var plain))
                return Signed(plain, negative, allowNegative);
        }

        var (digits, refusal) = Canonical(trimmed);
        if (refusal != Refusal.None)
            return (null, refusal);
        if (Bounds(digits) is var bound and not Refusal.None)
            return (null, bound);
        return decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? Signed(value, negative, allowNegative)
            : (null, Refusal.NotANumber);
    }

    /// <summary>Reads one cell without making a string of it when it is plain digits with at most a decimal point: bulk files are.</summary>
    public static (decimal? Value, Refusal Refusal) Read(ReadOnlySpan<char> text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
            return (null, Refusal.None);
        if (Plain(trimmed) is { } fast)
            return (fast, Refusal.None);
        if (trimmed[0] != '.' && trimmed.IndexOfAnyExcept(PlainDigits) < 0 && trimmed.Count('.') <= 1)
        {
            if (Bounds(trimmed) is var beyond and not Refusal.None)
                return (null, beyond);
            if (decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var plain))
                return (plain, Refusal.None);
        }
        return Read(trimmed.ToString());
    }

    /// <summary>
    /// Whether plain digits with at most a decimal point (invariant) stay within a statistic's bounds:
    /// leading zeros of the whole part and trailing zeros of the decimals do not count. Allocates nothing.
    /// </summary>
    public static Refusal Bounds(ReadOnlySpan<char> digits)
    {
        var point = digits.IndexOf('.');
        var whole = (point < 0 ? digits : digits[..point]).TrimStart('0');
        if (whole.Length > MaxWholeDigits)
            return Refusal.TooLarge;
        var decimals = point < 0 ? default : digits[(point + 1)..].TrimEnd('0');
        return decimals.Length > MaxDecimals ? Refusal.TooManyDecimals : Refusal.None;
    }

    /// <summary>
    /// Digits with a decimal point between digits, up to 19 of them and within a statistic's bounds: the
    /// writing of every number in a bulk file, read here at a tenth of the general parser's cost and to the
    /// same value and scale. Null for any other writing, which the general parser reads (and refuses when
    /// out of bounds). Takes characters or UTF-8 bytes.
    /// </summary>
    public static decimal? Plain<T>(ReadOnlySpan<T> text) where T : unmanaged, IBinaryInteger<T>
    {
        if (text.Length is 0 or > 20)
            return null;
        ulong mantissa = 0;
        int digits = 0, scale = -1;
        foreach (var unit in text)
        {
            var c = uint.CreateTruncating(unit);
            if (c - '0' <= 9)
            {
                mantissa = mantissa * 10 + (c - '0');
                digits++;
                if (scale >= 0)
                    scale++;
            }
            else if (c == '.' && scale < 0 && digits > 0)
            {
                scale = 0;
            }
            else
            {
                return null;
            }
        }
        if (digits > 19 || scale == 0 || scale > MaxDecimals || digits - Math.Max(scale, 0) > MaxWholeDigits && mantissa >= 1_000_000_000_000_000UL * Pow10(Math.Max(scale, 0)))
            return null;
        return new decimal((int)mantissa, (int)(mantissa >> 32), 0, false, (byte)Math.Max(scale, 0));
    }

    private static ulong Pow10(int n)
    {
        var p = 1UL;
        for (var i = 0; i < n; i++)
            p *= 10;
        return p;
    }

    private static (decimal? Value, Refusal Refusal) Signed(decimal value, bool negative, bool allowNegative) =>
        !negative ? (value, Refusal.None)
        : value == 0 || allowNegative ? (-value, Refusal.None)
        : (null, Refusal.Negative);

    /// <summary>Turns any accepted writing into invariant digits with an optional dot.</summary>
    private static (string Digits, Refusal Refusal) Canonical(string text)
    {
        if (text.Any(c => !char.IsAsciiDigit(c) && c != '.' && c != ',' && !Spaces.Contains(c)))
            return ("", Refusal.NotANumber);
        var hasSpaceGroups = text.IndexOfAny(Spaces) >= 0;
        if (hasSpaceGroups)
        {
            var groups = text.Split(Spaces, StringSplitOptions.None);
            if (groups.Any(g => g.Length == 0))
                return ("", Refusal.NotANumber);
            // Space-grouped numbers are French-style: the last group may carry a decimal comma.
            var last = groups[^1];
            var decimalPart = "";
            var comma = last.IndexOfAny([',', '.']);
            if (comma >= 0)
            {
                if (last[comma] == '.' && last.Count(c => c == '.') == 1 && last.Length - comma - 1 == 3)
                    return ("", Refusal.Ambiguous);
                decimalPart = last[(comma + 1)..];
                last = last[..comma];
                groups[^1] = last;
            }
            if (!ValidGroups(groups) || !decimalPart.All(char.IsAsciiDigit))
                return ("", Refusal.BadGrouping);
            return (string.Concat(groups) + (decimalPart.Length > 0 ? "." + decimalPart : ""), Refusal.None);
        }

        if (!Shape.IsMatch(text))
            return ("", Refusal.NotANumber);

        var dots = text.Count(c => c == '.');
        var commas = text.Count(c => c == ',');
        if (dots == 0 && commas == 0)
            return (text, Refusal.None);

        if (dots > 0 && commas > 0)
        {
            // Both present: the one written last is the decimal separator, the other groups thousands.
            var decimalSeparator = text.LastIndexOf('.') > text.LastIndexOf(',') ? '.' : ',';
            var groupSeparator = decimalSeparator == '.' ? ',' : '.';
            var at = text.LastIndexOf(decimalSeparator);
            var (whole, fraction) = (text[..at], text[(at + 1)..]);
            if (fraction.Contains(groupSeparator) || whole.Contains(decimalSeparator))
                return ("", Refusal.BadGrouping);
            var groups = whole.Split(groupSeparator);
            return ValidGroups(groups) ? (string.Concat(groups) + "." + fraction, Refusal.None) : ("", Refusal.BadGrouping);
        }

        var separator = dots > 0 ? '.' : ',';
        var count = Math.Max(dots, commas);
        if (count > 1)
        {
            // Repeated: it can only group thousands.
            var groups = text.Split(separator);
            return ValidGroups(groups) ? (string.Concat(groups), Refusal.None) : ("", Refusal.BadGrouping);
        }

        var parts = text.Split(separator);
        if (separator == '.')
            return (text, Refusal.None);
        // One comma: "1,5" is a decimal comma; "1,234" could be a thousand or a decimal, so it is refused.
        if (parts[1].Length == 3 && parts[0].Length is >= 1 and <= 3 && parts[0] != "0")
            return ("", Refusal.Ambiguous);
        return (parts[0] + "." + parts[1], Refusal.None);
    }

    private static bool ValidGroups(string[] groups) =>
        groups.All(g => g.Length > 0 && g.All(char.IsAsciiDigit))
        && groups[0].Length <= 3
        && groups.Skip(1).All(g => g.Length == 3);
}
