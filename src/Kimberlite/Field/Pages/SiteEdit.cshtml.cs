using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Field.Pages;

/// <summary>An analyst adds a site for their organisation, or changes one their organisation recorded (the same rules as the API).</summary>
[Authorize(Policy = Policies.Analyst)]
public sealed class SiteEditModel(KimberliteDb db, SiteEditor editor) : PageModel
{
    public int? Id { get; private set; }
    public SiteInput Input { get; private set; } = new(null, "CAF", null, null, null, nameof(SiteKind.Artisanal), null, null, null, null);
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();
    public IReadOnlyList<string> Organisations { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int? id, CancellationToken cancellationToken)
    {
        Id = id;
        if (id is { } existing)
        {
            var site = await db.MiningSites.AsNoTracking().FirstOrDefaultAsync(s => s.Id == existing, cancellationToken);
            if (site is null)
                return NotFound();
            if (!SiteEditor.CanChange(User, site))
                return Forbid();
            Input = new SiteInput(site.Name, site.CountryIso3, site.Locality, site.Latitude, site.Longitude, site.Kind.ToString(), site.Minerals, site.Status, site.InCompliantZone, null);
        }
        await LoadOrganisationsAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int? id, [FromForm] SiteInput input, CancellationToken cancellationToken)
    {
        var (outcome, site, errors) = await editor.SaveAsync(User, id, input, cancellationToken);
        switch (outcome)
        {
            case SiteOutcome.Done or SiteOutcome.Repeated:
                return Redirect($"/sites?country={site!.CountryIso3}");
            case SiteOutcome.NotFound:
                return NotFound();
            case SiteOutcome.Forbidden:
                return Forbid();
        }
        (Id, Input, Errors) = (id, input, errors);
        await LoadOrganisationsAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task LoadOrganisationsAsync(CancellationToken cancellationToken)
    {
        var mine = User.OrganisationsWith(MemberRole.Analyst);
        Organisations = await db.Organisations.AsNoTracking().Where(o => mine.Contains(o.Id)).OrderBy(o => o.Acronym).Select(o => o.Acronym).ToListAsync(cancellationToken);
    }
}
