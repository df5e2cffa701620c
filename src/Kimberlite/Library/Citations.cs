using System.Security.Claims;
using Kimberlite.Accounts;
using Kimberlite.Advocacy;
using Kimberlite.Field;
using Kimberlite.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Library;

/// <summary>A document page cited as evidence: `documentId`, `page` (from 1, optional), `note` (up to 1,000 characters).</summary>
public sealed record CitationInput(int? DocumentId, int? Page, string? Note);

/// <summary>One document page a finding, incident or recommendation cites, as this reader may see it.</summary>
public sealed record CitedDocumentDto(long? CitationId, int DocumentId, string Title, int? Page, string? Note, string Link);

/// <summary>One finding, incident or recommendation citing a document, as this reader may see it; `citationId` for DELETE /api/v1/citations/{id} (none for a recommendation's evidence).</summary>
public sealed record CitingDto(CitingKind Kind, int Id, int? Page, string? Note, string Link, long? CitationId = null);

/// <summary>
/// Findings, incidents and recommendations citing document pages: who may cite (analysts; of the item's organisation
/// for an incident or a recommendation), and what each reader sees of it. Each citation and removal is audited.
/// </summary>
public sealed class Citations(KimberliteDb db, AuditLog audit, TimeProvider clock)
{
    public async Task<BookResult<DocumentCitation>> AddAsync(ClaimsPrincipal user, CitingKind kind, int citingId, CitationInput input, CancellationToken cancellationToken)
    {
        var owner = await OwnerAsync(kind, citingId, cancellationToken);
        if (owner is null)
            return BookResult<DocumentCitation>.Fail(BookOutcome.NotFound);
        if (!MayCite(user, owner.Value))
            return BookResult<DocumentCitation>.Fail(BookOutcome.Forbidden);
        var errors = new Dictionary<string, string[]>();
        var document = input.DocumentId is { } id
            ? await db.Documents.ReadableBy(user).Where(d => d.Id == id).Select(d => new { d.Id, d.Title, d.PageCount }).FirstOrDefaultAsync(cancellationToken)
            : null;
        if (document is null)
            errors["documentId"] = [input.DocumentId is null ? "Give the id of the document cited (GET /api/v1/documents lists them)." : $"No document {input.DocumentId} that you may read."];
        if (input.Page is { } page && (page < 1 || (document is { PageCount: > 0 } && page > document.PageCount)))
            errors["page"] = [document is { PageCount: > 0 } ? $"Give a page from 1 to {document.PageCount}." : "Give a page from 1."];
        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        if (note?.Length > 1_000)
            errors["note"] = ["A note of up to 1,000 characters."];
        if (errors.Count > 0)
            return new(BookOutcome.Invalid, null, errors);

        var same = await db.DocumentCitations.AsNoTracking().FirstOrDefaultAsync(c => c.CitingKind == kind && c.CitingId == citingId && c.DocumentId == document!.Id && c.Page == input.Page, cancellationToken);
        if (same is not null)
            return new(BookOutcome.Repeated, same, []);
        var citation = new DocumentCitation
        {
            DocumentId = document!.Id, Page = input.Page, CitingKind = kind, CitingId = citingId, Note = note, CitedBy = user.Actor(), CitedAtUtc = clock.GetUtcNow().UtcDateTime,
        };
        db.DocumentCitations.Add(citation);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendInAsync(db, user.Actor(), AuditActions.DocumentCited, $"{Code(kind)} {citingId}", $"document {document.Id} page {input.Page?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}: {document.Title}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new(BookOutcome.Done, citation, []);
    }

    public async Task<BookOutcome> RemoveAsync(ClaimsPrincipal user, long citationId, CancellationToken cancellationToken)
    {
        var citation = await db.DocumentCitations.FirstOrDefaultAsync(c => c.Id == citationId, cancellationToken);
        if (citation is null)
            return BookOutcome.NotFound;
        if (await OwnerAsync(citation.CitingKind, citation.CitingId, cancellationToken) is not { } owner || !MayCite(user, owner))
            return BookOutcome.Forbidden;
        db.DocumentCitations.Remove(citation);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendInAsync(db, user.Actor(), AuditActions.DocumentCitationRemoved, $"{Code(citation.CitingKind)} {citation.CitingId}", $"document {citation.DocumentId} page {citation.Page?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return BookOutcome.Done;
    }

    /// <summary>Whether this person may cite documents for this finding, incident or recommendation.</summary>
    public async Task<bool> MayCiteAsync(ClaimsPrincipal user, CitingKind kind, int citingId, CancellationToken cancellationToken) =>
        await OwnerAsync(kind, citingId, cancellationToken) is { } owner && MayCite(user, owner);

    /// <summary>
    /// The documents an item cites that this reader may see. A published or public item shows public documents only to the
    /// public, so a coalition document is never named on a public page, even by title.
    /// </summary>
    public async Task<List<CitedDocumentDto>> CitedByAsync(ClaimsPrincipal user, CitingKind kind, int citingId, CancellationToken cancellationToken) =>
        (await CitedByAsync(user, kind, [citingId], cancellationToken))[citingId].ToList();

    /// <summary>The same for many items of one kind at once (a list page).</summary>
    public async Task<ILookup<int, CitedDocumentDto>> CitedByAsync(ClaimsPrincipal user, CitingKind kind, IReadOnlyCollection<int> citingIds, CancellationToken cancellationToken)
    {
        var ids = citingIds.ToList();
        var readable = db.Documents.AsNoTracking().ReadableBy(user);
        var rows = await db.DocumentCitations.AsNoTracking().Where(c => c.CitingKind == kind && ids.Contains(c.CitingId))
            .Join(readable, c => c.DocumentId, d => d.Id, (c, d) => new { c.Id, c.CitingId, c.DocumentId, d.Title, c.Page, c.Note })
            .OrderBy(c => c.Id).ToListAsync(cancellationToken);
        return rows.ToLookup(c => c.CitingId, c => new CitedDocumentDto(c.Id, c.DocumentId, c.Title, c.Page, c.Note, Link(c.DocumentId, c.Page)));
    }

    /// <summary>
    /// What cites a document, for a reader who may see it (null otherwise): findings (public), incidents (the public: published
    /// ones; members: their organisations' and published ones), recommendations (the public: published ones) by citation or as evidence.
    /// </summary>
    public async Task<List<CitingDto>?> CitingAsync(ClaimsPrincipal user, int documentId, CancellationToken cancellationToken)
    {
        if (!await db.Documents.AsNoTracking().ReadableBy(user).AnyAsync(d => d.Id == documentId, cancellationToken))
            return null;
        var member = user.HasRole(MemberRole.Viewer);
        var mine = user.OrganisationsWith(MemberRole.Viewer).ToList();
        var rows = await db.DocumentCitations.AsNoTracking().Where(c => c.DocumentId == documentId).OrderBy(c => c.Id).ToListAsync(cancellationToken);
        var incidentIds = rows.Where(r => r.CitingKind == CitingKind.Incident).Select(r => r.CitingId).ToList();
        var incidents = await db.Incidents.AsNoTracking().Where(i => incidentIds.Contains(i.Id)
                && (i.Status == IncidentStatus.Published || (member && mine.Contains(i.OrganisationId))))
            .Select(i => i.Id).ToListAsync(cancellationToken);
        var evidence = await db.Set<ItemEvidence>().AsNoTracking().Where(e => e.Kind == EvidenceKind.Document && e.TargetId == documentId)
            .Select(e => new { e.ItemId, e.Page, e.Note }).ToListAsync(cancellationToken);
        var itemIds = rows.Where(r => r.CitingKind == CitingKind.Recommendation).Select(r => r.CitingId).Concat(evidence.Select(e => e.ItemId)).Distinct().ToList();
        var items = await db.Set<AdvocacyItem>().AsNoTracking().Where(i => itemIds.Contains(i.Id) && (member || i.IsPublished)).Select(i => i.Id).ToListAsync(cancellationToken);
        var findingIds = rows.Where(r => r.CitingKind == CitingKind.Finding).Select(r => r.CitingId).ToList();
        var findings = await db.Findings.AsNoTracking().Where(f => findingIds.Contains(f.Id)).Select(f => f.Id).ToListAsync(cancellationToken);

        var result = new List<CitingDto>();
        foreach (var r in rows)
        {
            var visible = r.CitingKind switch
            {
                CitingKind.Finding => findings.Contains(r.CitingId),
                CitingKind.Incident => incidents.Contains(r.CitingId),
                _ => items.Contains(r.CitingId),
            };
            // The public learns that a published incident cites the page, not the analyst's note beside it.
            if (visible)
                result.Add(new(r.CitingKind, r.CitingId, r.Page, member || r.CitingKind != CitingKind.Incident ? r.Note : null, CitingLink(r.CitingKind, r.CitingId), r.Id));
        }
        foreach (var e in evidence.Where(e => items.Contains(e.ItemId)))
            result.Add(new(CitingKind.Recommendation, e.ItemId, e.Page, e.Note, CitingLink(CitingKind.Recommendation, e.ItemId)));
        return result.DistinctBy(c => (c.Kind, c.Id, c.Page)).ToList();
    }

    /// <summary>The few documents an analyst most likely cites: the latest they may read.</summary>
    public async Task<List<(int Id, string Title)>> RecentAsync(ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await db.Documents.AsNoTracking().ReadableBy(user).OrderByDescending(d => d.UploadedAtUtc).ThenByDescending(d => d.Id).Take(15)
            .Select(d => new { d.Id, d.Title }).ToListAsync(cancellationToken)).Select(d => (d.Id, d.Title)).ToList();

    public static string Link(int documentId, int? page) => page is { } p ? $"/library/{documentId}?page={p}#page-{p}" : $"/library/{documentId}";

    public static string CitingLink(CitingKind kind, int id) => kind switch
    {
        CitingKind.Finding => $"/findings/{id}",
        CitingKind.Incident => $"/field/incidents#incident-{id}",
        _ => $"/advocacy/recommendations/{id}",
    };

    public static string Code(CitingKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Who owns the item: no organisation for a finding (any analyst), the organisation of an incident or a recommendation.</summary>
    private async Task<(CitingKind Kind, int? Organisation)?> OwnerAsync(CitingKind kind, int id, CancellationToken cancellationToken)
    {
        int? organisation;
        switch (kind)
        {
            case CitingKind.Finding:
                if (!await db.Findings.AnyAsync(f => f.Id == id, cancellationToken))
                    return null;
                organisation = null;
                break;
            case CitingKind.Incident:
                var incident = await db.Incidents.AsNoTracking().Where(i => i.Id == id).Select(i => (int?)i.OrganisationId).FirstOrDefaultAsync(cancellationToken);
                if (incident is null)
                    return null;
                organisation = incident;
                break;
            default:
                var item = await db.Set<AdvocacyItem>().AsNoTracking().Where(i => i.Id == id).Select(i => (int?)i.OrganisationId).FirstOrDefaultAsync(cancellationToken);
                if (item is null)
                    return null;
                organisation = item;
                break;
        }
        return (kind, organisation);
    }

    private static bool MayCite(ClaimsPrincipal user, (CitingKind Kind, int? Organisation) owner) =>
        owner.Organisation is { } o ? user.HasRoleIn(o, MemberRole.Analyst) : user.HasRole(MemberRole.Analyst);
}
