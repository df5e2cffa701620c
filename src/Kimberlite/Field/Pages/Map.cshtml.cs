using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kimberlite.Field.Pages;

/// <summary>The map: country outlines served by Kimberlite (Natural Earth, cut to the region), published incidents at their coarse places, and mining sites.</summary>
[AllowAnonymous]
public sealed class MapModel(Microsoft.Extensions.Options.IOptions<FieldOptions> options) : PageModel
{
    /// <summary>A tile server for deployments that are online; none by default, and the outlines suffice.</summary>
    public string? TileAddress => options.Value.MapTileAddress;

    /// <summary>The outlines' ISO numeric codes (world-atlas ids) and their alpha-3 codes, so that the map names each country in the reader's language.</summary>
    public static readonly IReadOnlyDictionary<string, string> OutlineCountries = new Dictionary<string, string>
    {
        ["024"] = "AGO", ["108"] = "BDI", ["120"] = "CMR", ["140"] = "CAF", ["148"] = "TCD", ["178"] = "COG", ["180"] = "COD", ["204"] = "BEN",
        ["226"] = "GNQ", ["231"] = "ETH", ["266"] = "GAB", ["288"] = "GHA", ["404"] = "KEN", ["454"] = "MWI", ["508"] = "MOZ", ["516"] = "NAM",
        ["566"] = "NGA", ["646"] = "RWA", ["728"] = "SSD", ["729"] = "SDN", ["768"] = "TGO", ["800"] = "UGA", ["834"] = "TZA", ["894"] = "ZMB", ["716"] = "ZWE",
    };

    public void OnGet()
    {
    }
}
