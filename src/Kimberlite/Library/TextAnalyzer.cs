using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Fr;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Pt;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Tartarus.Snowball.Ext;
using Lucene.Net.Util;

namespace Kimberlite.Library;

/// <summary>One word of a text: where it stands in the text and the terms it is indexed and searched under.</summary>
public readonly record struct AnalysedWord(int Start, int End, string[] Stems);

/// <summary>A page as the index keeps it (<see cref="TextAnalyzer.Index"/>).</summary>
public sealed record IndexedText(string Terms, int WordCount, IReadOnlyDictionary<string, int> Repeated);

/// <summary>
/// Turns text into search terms the same way for pages and queries, whatever the language (docs/decisions/033-search.md):
/// words (Unicode rules), lower case, French elisions dropped, then each word's French, English and Portuguese stems,
/// folded to ASCII; a word is indexed under the union of its stems and a query word matches any of its own.
/// </summary>
public static class TextAnalyzer
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const int LongestWord = 60;

    /// <summary>Between two words of <see cref="Terms"/>; one space separates a word's stems. Both databases read any run of spaces as one.</summary>
    public const string WordBreak = "  ";

    /// <summary>The page's terms as the index stores them: each word's distinct stems in the order of the text, words two spaces apart.</summary>
    public static string Terms(string text) => Index(text).Terms;

    /// <summary>
    /// What the index keeps of a page: its terms, its number of words, and each term two or more of its words have, counted
    /// over words that are not stop words of the three languages (their weight in ranking is next to nothing, their rows many).
    /// </summary>
    public static IndexedText Index(string text)
    {
        var words = Words(text);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            if (IsStopWord(text.AsSpan(word.Start, word.End - word.Start)))
                continue;
            foreach (var stem in word.Stems)
                counts[stem] = counts.GetValueOrDefault(stem) + 1;
        }
        var repeated = counts.Where(c => c.Value > 1).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        return new IndexedText(string.Join(WordBreak, words.Select(w => string.Join(' ', w.Stems))), words.Count, repeated);
    }

    private static readonly CharArraySet StopWords = StopWordSet();

    private static CharArraySet StopWordSet()
    {
        var set = new CharArraySet(Version, 600, ignoreCase: true);
        set.UnionWith(FrenchAnalyzer.DefaultStopSet);
        set.UnionWith(PortugueseAnalyzer.DefaultStopSet);
        set.UnionWith(EnglishAnalyzer.DefaultStopSet);
        return set;
    }

    private static bool IsStopWord(ReadOnlySpan<char> word) => StopWords.Contains(word.ToString());

    /// <summary>The stems of one word or of the words of a short text, all together.</summary>
    public static string[] Stems(string word) => Words(word).SelectMany(w => w.Stems).Distinct(StringComparer.Ordinal).ToArray();

    public static List<AnalysedWord> Words(string text)
    {
        var words = new List<AnalysedWord>();
        if (string.IsNullOrWhiteSpace(text))
            return words;
        var stemmers = Stemmers.Value!;
        using var stream = new ElisionFilter(new LowerCaseFilter(Version, new StandardTokenizer(Version, new StringReader(text))), FrenchAnalyzer.DEFAULT_ARTICLES);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            if (term.Length > LongestWord)
                continue;
            var stems = stemmers.Stem(term.Buffer, term.Length);
            if (stems.Length > 0)
                words.Add(new AnalysedWord(offset.StartOffset, offset.EndOffset, stems));
        }
        stream.End();
        return words;
    }

    /// <summary>The three stemmers of one thread (Snowball's keeps state).</summary>
    private static readonly ThreadLocal<StemmerSet> Stemmers = new(() => new StemmerSet());

    private sealed class StemmerSet
    {
        private readonly FrenchLightStemmer _french = new();
        private readonly PortugueseLightStemmer _portuguese = new();
        private readonly EnglishStemmer _english = new();
        private readonly char[] _work = new char[LongestWord * 4];
        private readonly char[] _folded = new char[LongestWord * 4];

        // A page repeats its words: each distinct word is stemmed once per thread (the arrays are only ever read).
        private readonly Dictionary<string, string[]> _known = new(StringComparer.Ordinal);

        public string[] Stem(char[] buffer, int length)
        {
            var word = new string(buffer, 0, length);
            if (_known.TryGetValue(word, out var known))
                return known;
            if (_known.Count >= 100_000)
                _known.Clear();
            return _known[word] = StemOnce(buffer, length);
        }

        private string[] StemOnce(char[] buffer, int length)
        {
            // The light stemmers read accents (Portuguese "-ções" → "-ção"), so they see the word before it is folded.
            var french = Fold(_french.Stem(Copy(buffer, length), length));
            var portuguese = Fold(_portuguese.Stem(Copy(buffer, length), length));
            _english.SetCurrent(Fold(length, buffer));
            _english.Stem();
            var english = Clean(_english.Current);
            string[] all = [french, english, portuguese];
            return all.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        }

        private char[] Copy(char[] buffer, int length)
        {
            Array.Copy(buffer, _work, length);
            return _work;
        }

        private string Fold(int length) => Fold(length, _work);

        private string Fold(int length, char[] source)
        {
            var n = ASCIIFoldingFilter.FoldToASCII(source, 0, _folded, 0, length);
            return Clean(new string(_folded, 0, n));
        }

        /// <summary>Letters and digits only: both databases' parsers then read a term as one word.</summary>
        private static string Clean(string stem)
        {
            if (stem.All(char.IsLetterOrDigit))
                return stem.ToLowerInvariant();
            return new string(stem.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
        }
    }
}
