using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Kimberlite.Bench;

/// <summary>
/// Sentences of the public-domain books in bench/corpus (one paragraph a line, gzip; sources in bench/corpus/README.md),
/// the prose the library benchmark builds its pages from.
/// </summary>
internal static partial class CorpusSentences
{
    /// <summary>The sentences of bench/corpus/LANGUAGE.txt.gz, between 6 and 80 words, each once.</summary>
    public static string[] Read(string root, string language)
    {
        using var file = File.OpenRead(Path.Combine(root, "bench", "corpus", $"{language}.txt.gz"));
        using var reader = new StreamReader(new GZipStream(file, CompressionMode.Decompress), Encoding.UTF8);
        var sentences = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } paragraph)
        {
            foreach (var piece in SentenceEnd().Split(paragraph))
            {
                var sentence = piece.Trim();
                var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
                if (words is >= 6 and <= 80 && IsProse(sentence) && seen.Add(sentence))
                    sentences.Add(sentence);
            }
        }
        return [.. sentences];
    }

    /// <summary>Headings and running titles are mostly capitals; prose is mostly small letters.</summary>
    private static bool IsProse(string sentence)
    {
        int upper = 0, lower = 0;
        foreach (var c in sentence)
        {
            if (char.IsUpper(c))
                upper++;
            else if (char.IsLower(c))
                lower++;
        }
        return lower > 4 * upper;
    }

    // A stop (with any closing quote) then a space and a capital, a quote, a dash or a digit; not after an initial or a title such as M., Mr., D., Sr.
    [GeneratedRegex(@"(?<=[.!?…][""'»”’)]*)(?<!(?:\b\p{Lu}|\b(?:Mr|Mrs|Messrs|Dr|St|Mt|Capt|Col|Gen|Rev|Mme|Mlle|Mgr|MM|Sr|Sra|Snr|Exc|Ill|etc|No|Nº|vol|cap|pag))\.)\s+(?=[\p{Lu}«""“'—(¿¡\d])")]
    private static partial Regex SentenceEnd();
}
