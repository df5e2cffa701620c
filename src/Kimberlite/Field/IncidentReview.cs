using System.Security.Claims;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Field;

public enum ReviewOutcome { Done, NotFound, Forbidden, StepNotAllowed, SummaryNeeded }

/// <summary>
/// Verification steps and reading a reporter, for the API and the incidents page alike: the analysts of
/// the incident's organisation take the steps; its coordinators alone read the reporter; each is audited.
/// </summary>
public sealed class IncidentReview(KimberliteDb db, ReporterProtector reporters, AuditLog audit, TimeProvider clock)
{
    public async Task<(ReviewOutcome Outcome, Incident? Incident)> StepAsync(ClaimsPrincipal user, int id, IncidentStatus status, string? comment, string? publicSummary, CancellationToken cancellationToken)
    {
        var incident = await db.Incidents.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (incident is null)
            return (ReviewOutcome.NotFound, null);
        if (!user.HasRoleIn(incident.OrganisationId, MemberRole.Analyst))
            return (ReviewOutcome.Forbidden, incident);
        if (!Workflow.Allowed(incident.Status, status))
            return (ReviewOutcome.StepNotAllowed, incident);
        if (status == IncidentStatus.Published && string.IsNullOrWhiteSpace(publicSummary ?? incident.PublicSummary))
            return (ReviewOutcome.SummaryNeeded, incident);
        var before = incident.Status;
        incident.Status = status;
        if (!string.IsNullOrWhiteSpace(publicSummary))
            incident.PublicSummary = Clip(publicSummary, 2000);
        if (status == IncidentStatus.Published)
            incident.PublishedAtUtc = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(user.Actor(), AuditActions.IncidentStatusChanged, $"incident {id}",
            $"{before} → {status}" + (string.IsNullOrWhiteSpace(comment) ? "" : $": {Clip(comment, 500)}"), cancellationToken);
        return (ReviewOutcome.Done, incident);
    }

    public async Task<(ReviewOutcome Outcome, string? Name, string? Contact)> RevealAsync(ClaimsPrincipal user, int id, CancellationToken cancellationToken)
    {
        var incident = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (incident is null)
            return (ReviewOutcome.NotFound, null, null);
        // The coordinators of the reporter's organisation alone: not an administrator, not another organisation.
        if (!user.HasRoleIn(incident.OrganisationId, MemberRole.Coordinator))
            return (ReviewOutcome.Forbidden, null, null);
        await audit.AppendAsync(user.Actor(), AuditActions.ReporterRead, $"incident {id}", "reporter's name and contact read", cancellationToken);
        return (ReviewOutcome.Done, reporters.Reveal(incident.ReporterName, incident.ClientId), reporters.Reveal(incident.ReporterContact, incident.ClientId));
    }

    private static string Clip(string text, int length) => text.Trim()[..Math.Min(length, text.Trim().Length)];
}
