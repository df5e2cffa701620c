using System.Text;

namespace Kimberlite.Statistics.Import;

/// <summary>
/// Tells how a text file is encoded from its first bytes: a byte-order mark (UTF-8, UTF-16), else UTF-8
/// when the bytes are valid UTF-8, else Windows-1252, which is what Excel writes on a French or
/// Portuguese Windows machine. The name goes into the import report so the user can check it.
/// </summary>
public static class TextEncodings
{
    static TextEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Windows1252 { get; } = CodePages(1252);

    private static Encoding CodePages(int page)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(page, EncoderFallback.ExceptionFallback, DecoderFallback.ReplacementFallback);
    }

    /// <summary>The encoding, its name for the report, and how many bytes of byte-order mark to skip.</summary>
    public static (Encoding Encoding, string Name, int PreambleLength) Detect(ReadOnlySpan<byte> head, bool complete)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            return (new UTF8Encoding(false, throwOnInvalidBytes: false), "UTF-8 (BOM)", 3);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
            return (new UnicodeEncoding(bigEndian: false, byteOrderMark: false), "UTF-16 LE", 2);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            return (new UnicodeEncoding(bigEndian: true, byteOrderMark: false), "UTF-16 BE", 2);
        // UTF-16 without a mark: every other byte of ASCII text is zero.
        if (head.Length >= 4 && head[0] != 0 && head[1] == 0 && head[2] != 0 && head[3] == 0)
            return (new UnicodeEncoding(bigEndian: false, byteOrderMark: false), "UTF-16 LE", 0);
        if (head.Length >= 4 && head[0] == 0 && head[1] != 0 && head[2] == 0 && head[3] != 0)
            return (new UnicodeEncoding(bigEndian: true, byteOrderMark: false), "UTF-16 BE", 0);
        return IsUtf8(head, complete)
            ? (new UTF8Encoding(false, throwOnInvalidBytes: false), "UTF-8", 0)
            : (Windows1252, "Windows-1252", 0);
    }

    /// <summary>Valid UTF-8; a sequence cut at the end of an incomplete head does not count against it.</summary>
    private static bool IsUtf8(ReadOnlySpan<byte> bytes, bool complete)
    {
        var status = System.Text.Unicode.Utf8.ToUtf16(bytes, new char[bytes.Length], out var read, out _, replaceInvalidSequences: false, isFinalBlock: complete);
        return status == System.Buffers.OperationStatus.Done || (!complete && status == System.Buffers.OperationStatus.NeedMoreData && bytes.Length - read < 4);
    }
}
