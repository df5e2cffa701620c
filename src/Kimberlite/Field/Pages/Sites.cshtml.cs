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
    public string? Query { get; private set; }
    public Infrastructure.Web.Paging Paging { get; private set; } = Infrastructure.Web.Paging.Of(1, PageSize, 0);
    public const int PageSize = 50;
    public bool CanAdd => User.HasRole(MemberRole.Analyst);

    public async Task OnGetAsync(string? country, string? q, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "page")] int? pageNumber, CancellationToken cancellationToken)
    {
        Country = country is { Length: 3 } ? country.ToUpperInvariant() : null;
        var query = db.MiningSites.AsNoTracking();
        if (Country is { } iso3)
            query = query.Where(s => s.CountryIso3 == iso3);
        // lower() on both sides: PostgreSQL's LIKE minds the case, SQLite's does not.
        if (Infrastructure.Web.Paging.Words(q) is { } words)
        {
            Query = words;
            var lower = words.ToLowerInvariant();
            query = query.Where(s => s.Name.ToLower().Contains(lower) || (s.Locality != null && s.Locality.ToLower().Contains(lower)));
        }
        Paging = Infrastructure.Web.Paging.Of(pageNumber, PageSize, await query.CountAsync(cancellationToken));
        Sites = await query.OrderBy(s => s.CountryIso3).ThenBy(s => s.Name).ThenBy(s => s.Id).Skip(Paging.Skip).Take(Paging.Size).ToListAsync(cancellationToken);
    }

    public bool CanEdit(MiningSite site) => SiteEditor.CanChange(User, site);
}
