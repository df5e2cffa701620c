using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Field.Pages;

/// <summary>One mining site, public like the list: what is known of it, and the library's documents that name it.</summary>
[AllowAnonymous]
public sealed class SiteModel(KimberliteDb db) : PageModel
{
    public MiningSite Site { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (await db.MiningSites.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken) is not { } site)
            return NotFound();
        Site = site;
        return Page();
    }
}
