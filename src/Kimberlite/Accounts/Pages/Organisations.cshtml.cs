using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Accounts.Pages;

public sealed record OrganisationRow(int Id, string Acronym, string Name, string CountryIso3, int Members);

/// <summary>The coalition's organisations: every one for an administrator, who may add them; one's own otherwise.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class OrganisationsModel(KimberliteDb db, AuditLog audit, CountryNamer names) : PageModel
{
    public IReadOnlyList<OrganisationRow> Organisations { get; private set; } = [];
    public CountryNamer Names => names;
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(string? acronym, string? name, string? country, CancellationToken cancellationToken)
    {
        if (!User.IsAdministrator())
            return Forbid();
        var code = (country ?? "").Trim().ToUpperInvariant();
        acronym = acronym?.Trim();
        name = name?.Trim();
        if (string.IsNullOrEmpty(acronym) || string.IsNullOrEmpty(name) || acronym.Length > 40 || name.Length > 300 || !CountryCodes.IsKnown(code))
            Error = "Organisations_Invalid";
        else if (await db.Organisations.AnyAsync(o => o.Acronym.ToUpper() == acronym.ToUpper(), cancellationToken))
            Error = "Organisations_Exists";
        else
        {
            db.Organisations.Add(new Organisation { Acronym = acronym, Name = name, CountryIso3 = code });
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(User.Actor(), AuditActions.OrganisationCreated, acronym, $"{name}, {code}", cancellationToken);
            return RedirectToPage();
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var mine = User.Memberships().Select(m => m.Organisation).ToList();
        var all = User.IsAdministrator();
        Organisations = await db.Organisations.AsNoTracking()
            .Where(o => all || mine.Contains(o.Id))
            .OrderBy(o => o.Acronym)
            .Select(o => new OrganisationRow(o.Id, o.Acronym, o.Name, o.CountryIso3, o.Memberships.Count))
            .ToListAsync(cancellationToken);
    }
}
