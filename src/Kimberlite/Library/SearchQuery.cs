using System.Text;

namespace Kimberlite.Library;

/// <summary>A word of a query as the index knows it: the text the reader typed and its stems.</summary>
public sealed record QueryWord(string Text, string[] Stems);

/// <summary>
/// What a reader typed in the search box: words that must all be on the page, phrases whose words must follow each
/// other there, and words after a minus that keep a document out.
/// </summary>
public sealed record SearchQuery(IReadOnlyList<QueryWord> Words, IReadOnlyList<IReadOnlyList<QueryWord>> Phrases, IReadOnlyList<QueryWord> Excluded)
{
    public const int LongestQuery = 500;

    public bool IsEmpty => Words.Count == 0 && Phrases.Count == 0 && Excluded.Count == 0;

    /// <summary>Every word the page must hold, phrases' words included: the index's groups of stems.</summary>
    public IReadOnlyList<QueryWord> Required => [.. Words, .. Phrases.SelectMany(p => p)];

    public static SearchQuery Parse(string? text)
    {
        var words = new List<QueryWord>();
        var phrases = new List<IReadOnlyList<QueryWord>>();
        var excluded = new List<QueryWord>();
        if (string.IsNullOrWhiteSpace(text))
            return new SearchQuery(words, phrases, excluded);
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }
            if (text[i] is '"' or '“' or '«')
            {
                var end = text.IndexOfAny(['"', '”', '»'], i + 1);
                var inside = end < 0 ? text[(i + 1)..] : text[(i + 1)..end];
                var phrase = Analyse(inside);
                if (phrase.Count == 1)
                    words.Add(phrase[0]);
                else if (phrase.Count > 1)
                    phrases.Add(phrase);
                i = end < 0 ? text.Length : end + 1;
                continue;
            }
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
                i++;
            var token = text[start..i];
            if (token.Length > 1 && token[0] == '-')
                excluded.AddRange(Analyse(token[1..]));
            else
                words.AddRange(Analyse(token));
        }
        return new SearchQuery(words, phrases, excluded);
    }

    private static List<QueryWord> Analyse(string text) =>
        TextAnalyzer.Words(text).Select(w => new QueryWord(text[w.Start..w.End], w.Stems)).ToList();

    /// <summary>The query written back the way a reader types it (for the search box and the links of the page).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var w in Words)
            text.Append(w.Text).Append(' ');
        foreach (var p in Phrases)
            text.Append('"').AppendJoin(' ', p.Select(w => w.Text)).Append("\" ");
        foreach (var w in Excluded)
            text.Append('-').Append(w.Text).Append(' ');
        return text.ToString().TrimEnd();
    }
}
