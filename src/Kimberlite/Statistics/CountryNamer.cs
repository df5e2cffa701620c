using Kimberlite.Infrastructure.Localization;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Statistics;

/// <summary>
/// Country names in the reader's language, from the resources (Country_COD); the code where none is written.
/// With their article and preposition, as a sentence needs them: "la Belgique", "vers la Belgique", "de l'Angola"
/// (decision 023). The articles are data beside the names (<see cref="CountryNames.Articles"/>).
/// </summary>
public sealed class CountryNamer(IStringLocalizer<Texts> texts)
{
    public string Name(string iso3)
    {
        var name = texts[$"Country_{iso3}"];
        return name.ResourceNotFound ? iso3 : name.Value;
    }

    /// <summary>The name with its article, where the sentence speaks of the country itself: "la Belgique", "a Bélgica", "the Netherlands".</summary>
    public string The(string iso3) => Form(iso3, Use.The);

    /// <summary>Where from, or whose: "de la Belgique", "du Cameroun", "da Bélgica", "de Angola", "from Belgium".</summary>
    public string From(string iso3) => Form(iso3, Use.From);

    /// <summary>Whose, after a noun: "de la Belgique", "da Bélgica", "of Belgium".</summary>
    public string Of(string iso3) => Form(iso3, Use.Of);

    /// <summary>By whom: "par la Belgique", "pela Bélgica", "by Belgium".</summary>
    public string By(string iso3) => Form(iso3, Use.By);

    /// <summary>Where to: "vers la Belgique", "para a Bélgica", "to Belgium".</summary>
    public string To(string iso3) => Form(iso3, Use.To);

    /// <summary>Where: "en République centrafricaine", "au Cameroun", "aux Émirats arabes unis", "na Bélgica", "in Belgium".</summary>
    public string In(string iso3) => Form(iso3, Use.In);

    private enum Use { The, From, Of, By, To, In }

    private string Form(string iso3, Use use)
    {
        var name = Name(iso3);
        var (fr, pt, en) = CountryNames.Articles.TryGetValue(iso3, out var articles) ? articles : ("", "", "");
        return Formats.Language switch
        {
            "fr" => French(name, fr, use),
            "pt" => Portuguese(name, pt, use),
            _ => English(name, en, use),
        };
    }

    private static string French(string name, string article, Use use)
    {
        var the = article switch { "le" or "la" or "les" => $"{article} {name}", "l'" => $"l'{name}", _ => name };
        return use switch
        {
            Use.The => the,
            Use.To => $"vers {the}",
            Use.By => $"par {the}",
            Use.From or Use.Of => article switch
            {
                "le" => $"du {name}", "les" => $"des {name}", "la" => $"de la {name}", "l'" => $"de l'{name}",
                "d'" or "en" => $"d'{name}", _ => $"de {name}",
            },
            _ => article switch
            {
                "le" => $"au {name}", "les" => $"aux {name}", "la" or "l'" or "en" => $"en {name}", _ => $"à {name}",
            },
        };
    }

    private static string Portuguese(string name, string article, Use use)
    {
        var the = article.Length > 0 ? $"{article} {name}" : name;
        return use switch
        {
            Use.The => the,
            Use.To => $"para {the}",
            Use.By => article.Length > 0 ? $"pel{article} {name}" : $"por {name}",
            Use.From or Use.Of => article.Length > 0 ? $"d{article} {name}" : $"de {name}",
            _ => article.Length > 0 ? $"n{article} {name}" : $"em {name}",
        };
    }

    private static string English(string name, string article, Use use)
    {
        var the = article.Length > 0 ? $"the {name}" : name;
        return use switch { Use.The => the, Use.To => $"to {the}", Use.From => $"from {the}", Use.Of => $"of {the}", Use.By => $"by {the}", _ => $"in {the}" };
    }
}
