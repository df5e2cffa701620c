using Kimberlite.Accounts;
using Kimberlite.Analysis;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Kimberlite.Library;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Advocacy.Pages;

/// <summary>A piece of evidence as the page shows it: where it leads (if anywhere the reader may go), what it is, and a line about it.</summary>
public sealed record EvidenceView(EvidenceKind Kind, string? Href, string Label, string? Detail, string? Note, bool External);

/// <summary>
/// One recommendation or commitment with its evidence and status history. Anyone reads a published one; members read
/// all; analysts of its organisation move it on (a status step, or withdrawn with the reason), its coordinators publish it.
/// </summary>
[AllowAnonymous]
public sealed class ItemModel(KimberliteDb db, AdvocacyBook book, FindingTexts findings, IStringLocalizer<Texts> texts, IAuthorizationService authorization) : PageModel
{
    public AdvocacyItem Item { get; private set; } = null!;
    public DateOnly Today { get; private set; }
    public (int Id, string Title)? Meeting { get; private set; }
    public IReadOnlyList<string> MadeBy { get; private set; } = [];
    public IReadOnlyList<EvidenceView> Evidence { get; private set; } = [];
    public Dictionary<long, List<EvidenceView>> ChangeEvidence { get; } = [];
    public Dictionary<int, string> Acronyms { get; private set; } = [];
    public bool Member { get; private set; }
    public bool CanChange { get; private set; }
    public bool CanPublish { get; private set; }
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();
    /// <summary>What the reader sent in the step form, shown again when it is refused.</summary>
    public StepForm Step { get; private set; } = new(null, null, null, null, null, null, null);

    public sealed record StepForm(string? Action, string? Status, string? Acknowledgement, string? Note, string? EvidenceKind, string? EvidenceTarget, string? EvidencePage);

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(int id, string? action, string? status, string? acknowledgement, string? note, string? evidenceKind, string? evidenceTarget,
        string? evidencePage, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, Policies.Analyst)).Succeeded)
            return User.UserId() is null ? Challenge() : Forbid();
        BookResult<AdvocacyItem>? result = action switch
        {
            "publish" or "unpublish" => await book.PublishAsync(User, id, action == "publish", cancellationToken),
            "step" or "withdraw" => await book.StepAsync(User, id, new StatusInput(action == "withdraw" ? "withdrawn" : status, acknowledgement, note,
                ItemFormModel.Piece(evidenceKind, evidenceTarget, null, evidencePage) is { } piece ? [piece] : null), cancellationToken),
            _ => null,
        };
        if (result is null)
            return BadRequest();
        if (BookAnswer.For(result, _ => $"/advocacy/recommendations/{id}") is { } answer)
            return answer;
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        (Errors, Step) = (result.Errors, new StepForm(action, status, acknowledgement, note, evidenceKind, evidenceTarget, evidencePage));
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        if (await book.FindAsync(User, id, cancellationToken) is not { } item)
            return false;
        Item = item;
        Today = book.Today;
        Member = User.HasRole(MemberRole.Viewer);
        CanChange = AdvocacyBook.CanChange(User, item);
        CanPublish = AdvocacyBook.CanPublish(User, item);
        Acronyms = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Acronym, cancellationToken);
        MadeBy = item.MadeBy.Select(m => Acronyms.GetValueOrDefault(m.OrganisationId)).OfType<string>().Order().ToList();
        if (item.MeetingId is { } meetingId
            && await book.VisibleMeetings(User).Where(m => m.Id == meetingId).Select(m => new { m.Id, m.Title }).FirstOrDefaultAsync(cancellationToken) is { } meeting)
            Meeting = (meeting.Id, meeting.Title);
        Evidence = await ViewsAsync(item.Evidence.Where(e => e.StatusChangeId is null), cancellationToken);
        foreach (var group in item.Evidence.Where(e => e.StatusChangeId is not null).GroupBy(e => e.StatusChangeId!.Value))
            ChangeEvidence[group.Key] = await ViewsAsync(group, cancellationToken);
        return true;
    }

    /// <summary>What each piece leads to; an incident is shown to the public only once published, and then by its public summary.</summary>
    private async Task<List<EvidenceView>> ViewsAsync(IEnumerable<ItemEvidence> pieces, CancellationToken cancellationToken)
    {
        var views = new List<EvidenceView>();
        foreach (var e in pieces.OrderBy(e => e.Id))
        {
            var view = e.Kind switch
            {
                EvidenceKind.Finding when await db.Findings.AsNoTracking().FirstOrDefaultAsync(f => f.Id == e.TargetId, cancellationToken) is { } f =>
                    new EvidenceView(e.Kind, $"/findings/{f.Id}", findings.Title(f), AdvocacyTexts.Clip(findings.Explain(f), 220), e.Note, false),
                EvidenceKind.Dataset when await db.Datasets.AsNoTracking().Where(d => d.Id == e.TargetId).Select(d => d.Title).FirstOrDefaultAsync(cancellationToken) is { } title =>
                    new EvidenceView(e.Kind, $"/datasets/{e.TargetId}", title, null, e.Note, false),
                EvidenceKind.Incident when Member => new EvidenceView(e.Kind, "/field/incidents", texts["Adv_IncidentNumber", e.TargetId ?? 0], null, e.Note, false),
                EvidenceKind.Incident when await db.Incidents.AsNoTracking()
                        .Where(i => i.Id == e.TargetId && i.Status == Field.IncidentStatus.Published && i.PublicSummary != null)
                        .Select(i => i.PublicSummary).FirstOrDefaultAsync(cancellationToken) is { } summary =>
                    new EvidenceView(e.Kind, null, texts["Adv_PublicIncident"], summary, e.Note, false),
                EvidenceKind.Document when await db.Documents.AsNoTracking().ReadableBy(User).Where(d => d.Id == e.TargetId).Select(d => d.Title).FirstOrDefaultAsync(cancellationToken) is { } document =>
                    new EvidenceView(e.Kind, Library.Citations.Link(e.TargetId!.Value, e.Page), e.Page is { } page ? $"{document} — {texts["Cite_Page", page]}" : document, null, e.Note, false),
                EvidenceKind.Link when e.Url is { } url => new EvidenceView(e.Kind, url, Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host + uri.AbsolutePath.TrimEnd('/') : url, null, e.Note, true),
                _ => null,
            };
            if (view is not null)
                views.Add(view);
        }
        return views;
    }
}
