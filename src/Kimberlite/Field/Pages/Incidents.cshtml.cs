using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kimberlite.Field.Pages;

/// <summary>
/// The incidents of the person's organisations, for verification: analysts take each through review to
/// publication; coordinators alone read who reported it, each read audited. The same rules as the API.
/// </summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class IncidentsModel(KimberliteDb db, IncidentReview review, IOptions<FieldOptions> options) : PageModel
{
    public IReadOnlyList<Incident> Incidents { get; private set; } = [];
    public IReadOnlyDictionary<int, string> Organisations { get; private set; } = new Dictionary<int, string>();
    public (int Id, string? Name, string? Contact)? Revealed { get; private set; }
    public string? Error { get; private set; }
    public double Grid => options.Value.PublicGridDegrees;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostStepAsync(int id, IncidentStatus status, string? comment, string? publicSummary, CancellationToken cancellationToken)
    {
        var (outcome, _) = await review.StepAsync(User, id, status, comment, publicSummary, cancellationToken);
        switch (outcome)
        {
            case ReviewOutcome.Done:
                return RedirectToPage();
            case ReviewOutcome.NotFound:
                return NotFound();
            case ReviewOutcome.Forbidden:
                return Forbid();
        }
        Error = outcome == ReviewOutcome.SummaryNeeded ? "Incidents_SummaryNeeded" : "Incidents_StepNotAllowed";
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevealAsync(int id, CancellationToken cancellationToken)
    {
        var (outcome, name, contact) = await review.RevealAsync(User, id, cancellationToken);
        if (outcome == ReviewOutcome.NotFound)
            return NotFound();
        if (outcome == ReviewOutcome.Forbidden)
            return Forbid();
        Revealed = (id, name, contact);
        await LoadAsync(cancellationToken);
        return Page();
    }

    public bool CanReview(Incident incident) => User.HasRoleIn(incident.OrganisationId, MemberRole.Analyst);

    public bool CanReveal(Incident incident) => User.HasRoleIn(incident.OrganisationId, MemberRole.Coordinator) && (incident.ReporterName ?? incident.ReporterContact) is not null;

    public (double Latitude, double Longitude, bool Exact) Place(Incident incident) =>
        CanReview(incident) ? (incident.Latitude, incident.Longitude, true) : Coarse.Point(incident.Latitude, incident.Longitude, Grid) is var (lat, lon) ? (lat, lon, false) : default;

    public static IEnumerable<IncidentStatus> NextSteps(IncidentStatus from) => Enum.GetValues<IncidentStatus>().Where(s => Workflow.Allowed(from, s));

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var mine = User.OrganisationsWith(MemberRole.Viewer);
        Incidents = await db.Incidents.AsNoTracking().Where(i => mine.Contains(i.OrganisationId)).OrderByDescending(i => i.Id).Take(500).ToListAsync(cancellationToken);
        Organisations = await db.Organisations.AsNoTracking().Where(o => mine.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Acronym, cancellationToken);
    }
}
