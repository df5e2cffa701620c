using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Field.Pages;

/// <summary>The mining sites, public like the map: IPIS's with their credit, and those the organisations recorded.</summary>
[AllowAnonymous]
public sealed class SitesModel(KimberliteDb db) : PageModel
{
    public IReadOnlyList<MiningSite> Sites { get; private set; } = [];
    public string? Country { get; private set; }
    public bool CanAdd => User.HasRole(MemberRole.Analyst);

    public async Task OnGetAsync(string? country, CancellationToken cancellationToken)
    {
        Country = country is { Length: 3 } ? country.ToUpperInvariant() : null;
        var query = db.MiningSites.AsNoTracking();
        if (Country is { } iso3)
            query = query.Where(s => s.CountryIso3 == iso3);
        Sites = await query.OrderBy(s => s.CountryIso3).ThenBy(s => s.Name).ThenBy(s => s.Id).ToListAsync(cancellationToken);
    }

    public bool CanEdit(MiningSite site) => SiteEditor.CanChange(User, site);
}
