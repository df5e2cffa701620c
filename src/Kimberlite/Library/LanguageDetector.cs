using System.Globalization;
using System.Text;

namespace Kimberlite.Library;

/// <summary>French, English or Portuguese, from the share of each language's commonest words in a text; null when none stands out.</summary>
public static class LanguageDetector
{
    private static readonly Dictionary<string, HashSet<string>> StopWords = new()
    {
        ["fr"] = [.. "le la les des du un une et est dans pour que qui sur par avec pas au aux ce ces cette il elle ils nous vous sont ont mais ou leur leurs été être fait comme plus sans entre".Split(' ')],
        ["en"] = [.. "the and of to in is that for on with as by was are be it this from at which or have has an not were their been its but they these also than".Split(' ')],
        ["pt"] = [.. "o a os as de do da dos das e em no na nos nas um uma para com que por não ao aos se mais como foi são pelo pela seu sua entre também já".Split(' ')],
    };

    /// <summary>The language whose common words are most frequent, when at least 20 words and a clear lead say so.</summary>
    public static string? Detect(string text)
    {
        var counts = StopWords.Keys.ToDictionary(k => k, _ => 0);
        var words = 0;
        foreach (var word in Words(text.Length > 200_000 ? text[..200_000] : text))
        {
            words++;
            foreach (var (language, list) in StopWords)
                if (list.Contains(word))
                    counts[language]++;
        }
        var ranked = counts.OrderByDescending(c => c.Value).ToList();
        // Short texts and ties say nothing: "a" and "de" alone are both French and Portuguese.
        if (words < 20 || ranked[0].Value < 5 || ranked[0].Value < ranked[1].Value * 1.3)
            return null;
        return ranked[0].Key;
    }

    private static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetter(c) || c == '\'' && word.Length == 0)
            {
                word.Append(char.ToLower(c, CultureInfo.InvariantCulture));
                continue;
            }
            if (word.Length > 0)
                yield return word.ToString();
            word.Clear();
        }
        if (word.Length > 0)
            yield return word.ToString();
    }
}
