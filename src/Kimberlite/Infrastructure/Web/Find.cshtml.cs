using System.Globalization;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Infrastructure.Web;

/// <summary>Countries and mining sites whose name holds the words typed: where a lost reader starts again.</summary>
[AllowAnonymous]
public sealed class FindModel(KimberliteDb db, CountryNamer names) : PageModel
{
    public const int MostSites = 50;
    public string Query { get; private set; } = "";
    public CountryNamer Names => names;
    public IReadOnlyList<(string Iso3, string Name)> Countries { get; private set; } = [];
    public IReadOnlyList<(int Id, string Name, string Country)> Sites { get; private set; } = [];

    public async Task OnGetAsync(string? q, CancellationToken cancellationToken)
    {
        Query = (q ?? "").Trim();
        if (Query.Length > 100)
            Query = Query[..100];
        if (Query.Length == 0)
            return;
        // Names compared without accents or case, so "cote" finds "Côte d'Ivoire" and "Congo" its two countries.
        var compare = CultureInfo.InvariantCulture.CompareInfo;
        const CompareOptions loose = CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace;
        Countries = CountryCodes.All.Where(c => !CountryCodes.Aggregates.Contains(c))
            .Select(c => (Iso3: c, Name: names.Name(c)))
            .Where(c => compare.IndexOf(c.Name, Query, loose) >= 0 || string.Equals(c.Iso3, Query, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.Name, StringComparer.Create(CultureInfo.CurrentCulture, true))
            .ToList();
        // Sites are few (hundreds): read their names and filter here, the same way on both databases.
        var all = await db.MiningSites.AsNoTracking().Select(s => new { s.Id, s.Name, s.CountryIso3 }).ToListAsync(cancellationToken);
        Sites = all.Where(s => compare.IndexOf(s.Name, Query, loose) >= 0)
            .OrderBy(s => s.Name, StringComparer.Create(CultureInfo.CurrentCulture, true))
            .Take(MostSites)
            .Select(s => (s.Id, s.Name, s.CountryIso3))
            .ToList();
    }
}
