using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kimberlite.Field.Pages;

/// <summary>The map: country outlines served by Kimberlite (Natural Earth, cut to the region), published incidents at their coarse places, and mining sites.</summary>
[AllowAnonymous]
public sealed class MapModel(Microsoft.Extensions.Options.IOptions<FieldOptions> options) : PageModel
{
    /// <summary>A tile server for deployments that are online; none by default, and the outlines suffice.</summary>
    public string? TileAddress => options.Value.MapTileAddress;

    public void OnGet()
    {
    }
}
