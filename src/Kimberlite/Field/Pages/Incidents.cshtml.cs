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
public sealed class IncidentsModel(KimberliteDb db, IncidentReview review, IOptions<FieldOptions> options, Library.Citations citations) : PageModel
{
    public IReadOnlyList<Incident> Incidents { get; private set; } = [];
    public IReadOnlyDictionary<int, string> Organisations { get; private set; } = new Dictionary<int, string>();
    /// <summary>The evidence files of the incidents the person verifies (analysts and coordinators of their organisation).</summary>
    public ILookup<int, EvidenceFile> Evidence { get; private set; } = Array.Empty<EvidenceFile>().ToLookup(e => e.IncidentId);
    public (int Id, string? Name, string? Contact)? Revealed { get; private set; }
    public string? Error { get; private set; }
    public double Grid => options.Value.PublicGridDegrees;

    public string? Query { get; private set; }
    public Infrastructure.Web.Paging Paging { get; private set; } = Infrastructure.Web.Paging.Of(1, PageSize, 0);
    public const int PageSize = 25;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    /// <summary>The same list as a file, as the API gives it to a token: the exact point only where the person is an analyst.</summary>
    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken cancellationToken)
    {
        var rows = await MemberExports.IncidentsAsync(db, User, new IncidentFilter(null, null, null, null), null, Grid, cancellationToken);
        var file = format == "geojson" ? MemberExports.IncidentsGeoJson(rows) : MemberExports.IncidentsCsv(rows);
        return File(file.FileContents.ToArray(), file.ContentType!, file.FileDownloadName);
    }

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

    /// <summary>The documents each incident cites, as far as the person may read them.</summary>
    public ILookup<int, Library.CitedDocumentDto> Cited { get; private set; } = Array.Empty<Library.CitedDocumentDto>().ToLookup(c => 0);
    public IReadOnlyList<(int Id, string Title)> Recent { get; private set; } = [];

    public Library.CitedDocumentsView CitedView(Incident incident) =>
        new($"incident-{incident.Id}", incident.Id, Cited[incident.Id].ToList(), CanReview(incident), "/field/incidents?handler=Cite", Recent,
            _citeError is { } e && e.Incident == incident.Id ? e.Key : null, Request.Query["uncited"] == incident.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async Task<IActionResult> OnPostCiteAsync(int citingId, int? documentId, int? page, string? note, CancellationToken cancellationToken)
    {
        var result = await citations.AddAsync(User, Library.CitingKind.Incident, citingId, new(documentId, page, note), cancellationToken);
        return result.Outcome switch
        {
            Advocacy.BookOutcome.NotFound => NotFound(),
            Advocacy.BookOutcome.Forbidden => Forbid(),
            Advocacy.BookOutcome.Invalid => await RefusedAsync(citingId, result.Errors, cancellationToken),
            _ => Redirect($"/field/incidents#incident-{citingId}"),
        };
    }

    /// <summary>Removes a citation as DELETE /api/v1/citations/{id} does, same rule and audit entry; the page then says it was removed.</summary>
    public Task<IActionResult> OnPostUnciteAsync(int citingId, long citationId, CancellationToken cancellationToken) =>
        Library.CitationRemoval.RemoveAsync(this, citations, citationId, $"/field/incidents?uncited={citingId}#incident-{citingId}", cancellationToken);

    private (int Incident, string Key)? _citeError;

    private async Task<IActionResult> RefusedAsync(int incident, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        _citeError = (incident, Library.CitedDocumentsView.ErrorKey(errors));
        await LoadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
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
        var query = db.Incidents.AsNoTracking().Where(i => mine.Contains(i.OrganisationId));
        // ?q= searches the description and the country code, lower-cased on both sides for PostgreSQL's case-minding LIKE.
        if (Infrastructure.Web.Paging.Words(Request.Query["q"]) is { } words)
        {
            Query = words;
            var lower = words.ToLowerInvariant();
            query = query.Where(i => i.Description.ToLower().Contains(lower) || i.CountryIso3.ToLower() == lower);
        }
        Paging = Infrastructure.Web.Paging.Of(int.TryParse(Request.Query["page"], out var page) ? page : null, PageSize, await query.CountAsync(cancellationToken));
        Incidents = await query.OrderByDescending(i => i.Id).Skip(Paging.Skip).Take(Paging.Size).ToListAsync(cancellationToken);
        Organisations = await db.Organisations.AsNoTracking().Where(o => mine.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Acronym, cancellationToken);
        var verified = User.OrganisationsWith(MemberRole.Analyst);
        var ids = Incidents.Where(i => verified.Contains(i.OrganisationId)).Select(i => i.Id).ToList();
        Evidence = (await db.EvidenceFiles.AsNoTracking().Where(e => ids.Contains(e.IncidentId)).OrderBy(e => e.Id).ToListAsync(cancellationToken)).ToLookup(e => e.IncidentId);
        Cited = await citations.CitedByAsync(User, Library.CitingKind.Incident, Incidents.Select(i => i.Id).ToList(), cancellationToken);
        Recent = ids.Count > 0 ? await citations.RecentAsync(User, cancellationToken) : [];
    }
}
