using Kimberlite.Infrastructure.Localization;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Statistics;

/// <summary>Country names in the reader's language, from the resources (Country_COD); the code where none is written.</summary>
public sealed class CountryNamer(IStringLocalizer<Texts> texts)
{
    public string Name(string iso3)
    {
        var name = texts[$"Country_{iso3}"];
        return name.ResourceNotFound ? iso3 : name.Value;
    }
}
