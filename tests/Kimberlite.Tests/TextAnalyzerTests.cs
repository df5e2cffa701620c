using Kimberlite.Library;

namespace Kimberlite.Tests;

/// <summary>The analyzer that pages and queries share: a query word matches a page word when they have a stem in common.</summary>
public sealed class TextAnalyzerTests
{
    private static bool Matches(string query, string page) =>
        TextAnalyzer.Stems(query).Intersect(TextAnalyzer.Stems(page), StringComparer.Ordinal).Any();

    [Theory]
    [InlineData("Berberati", "Berbérati")]
    [InlineData("BERBÉRATI", "berberati")]
    [InlineData("diamants", "diamant")]
    [InlineData("diamant", "diamants")]
    [InlineData("exportações", "exportação")]
    [InlineData("exportacao", "exportação")]
    [InlineData("mining", "mines")]
    [InlineData("mines", "mining")]
    [InlineData("diamonds", "diamond")]
    [InlineData("préfecture", "prefectures")]
    [InlineData("l'exportation", "exportations")]
    [InlineData("Mambéré-Kadéï", "mambere kadei")]
    public void AWordFindsItsFormsWhateverItsAccentsCaseOrEnding(string query, string page) => Assert.True(Matches(query, page),
        $"{query} [{string.Join(' ', TextAnalyzer.Stems(query))}] should find {page} [{string.Join(' ', TextAnalyzer.Stems(page))}]");

    [Theory]
    [InlineData("diamant", "Kimberley")]
    [InlineData("mining", "money")]
    [InlineData("exportação", "importação")]
    public void DifferentWordsStayApart(string query, string page) => Assert.False(Matches(query, page));

    [Fact]
    public void TermsAreLettersAndDigitsThatBothDatabasesReadAsWords()
    {
        var terms = TextAnalyzer.Terms("Les exportações d'Angola (2021) : 9,3 millions de carats — US$ 1,6 milliard.").Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.All(terms, t => Assert.True(t.Length > 0 && t.All(char.IsLetterOrDigit) && t == t.ToLowerInvariant(), t));
        Assert.Contains("angola", terms);
        Assert.Contains("2021", terms);
    }

    [Fact]
    public void EachWordKeepsWhereItStandsInTheText()
    {
        const string text = "Artisanal mines in Kasai.";
        var words = TextAnalyzer.Words(text);

        Assert.Equal(["Artisanal", "mines", "in", "Kasai"], words.Select(w => text[w.Start..w.End]));
    }

    [Fact]
    public void ThePageKeepsItsWordsTwoSpacesApartAndCountsTheTermsItRepeats()
    {
        var indexed = TextAnalyzer.Index("Les mines de Berbérati : mines artisanales, diamants et diamant.");

        Assert.Equal(9, indexed.WordCount);
        Assert.Equal(9, indexed.Terms.Split(TextAnalyzer.WordBreak).Length);
        Assert.Equal(2, indexed.Repeated["mine"]);
        Assert.Equal(2, indexed.Repeated["diamant"]);
        Assert.False(indexed.Repeated.ContainsKey("berberati"));
    }

    [Theory]
    [InlineData("Processus de Kimberley", "Le certificat du processus de Kimberley accompagne les diamants.", true)]
    [InlineData("Processus de Kimberley", "Le processus engagé à Kimberley de son côté.", false)]
    [InlineData("exportação diamantes", "A exportações de diamantes brutos.", false)]
    [InlineData("exportações de diamantes", "A exportação de diamante bruto.", true)]
    public void APhraseIsFoundOnlyWhereItsWordsFollowOneAnother(string phrase, string page, bool found)
    {
        var words = TextAnalyzer.Words(phrase).Select(w => new QueryWord(phrase[w.Start..w.End], w.Stems)).ToList();

        Assert.Equal(found, LibrarySearch.HasPhrase(TextAnalyzer.Terms(page), words));
    }
}
