using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Library.Pages;

/// <summary>
/// A document: its metadata, where its text extraction stands (the page refreshes itself while it runs), each page's
/// text with an anchor #page-N, or one page with ?page=N; its analysts retry a failed extraction, correct it and withdraw it.
/// </summary>
[AllowAnonymous]
public sealed class DocumentModel(DocumentLibrary library, KimberliteDb db, IAuthorizationService authorization, Citations citations) : PageModel
{
    public LibraryDocument Document { get; private set; } = null!;
    public IReadOnlyList<DocumentPage> Pages { get; private set; } = [];
    public string? Organisation { get; private set; }
    public bool CanChange { get; private set; }
    /// <summary>An analyst may cite this document in a recommendation their organisation records.</summary>
    public bool MayRecommend { get; private set; }
    /// <summary>The one page asked for with ?page=N, else null for every page.</summary>
    public int? Only { get; private set; }
    public string? Problem { get; private set; }

    public bool Running => Document.Extraction is ExtractionState.Waiting or ExtractionState.Running;

    // Named apart from `page`, which Razor Pages keeps for the page's own route value: a parameter so named never reads ?page=N.
    public async Task<IActionResult> OnGetAsync(int id, [FromQuery(Name = "page")] int? pageNumber, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        if (pageNumber is { } n && Pages.Any(p => p.Number == n))
        {
            Only = n;
            Pages = Pages.Where(p => p.Number == n).ToList();
        }
        return Page();
    }

    /// <summary>An analyst of the document's organisation retries its extraction, corrects its visibility or language, or withdraws it.</summary>
    public async Task<IActionResult> OnPostAsync(int id, string? action, string? reason, string? visibility, string? language, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, Policies.Analyst)).Succeeded)
            return User.UserId() is null ? Challenge() : Forbid();
        var chosen = Infrastructure.Api.ApiCodes.Parse<DocumentVisibility>(visibility);
        return action switch
        {
            "retry" => await ActAsync(id, () => library.RetryAsync(User, id, cancellationToken), cancellationToken),
            "withdraw" => await ActAsync(id, () => library.WithdrawAsync(User, id, reason, cancellationToken), cancellationToken),
            "metadata" => await ActAsync(id, () => library.ChangeAsync(User, id, new DocumentMetadata(Visibility: chosen, Language: language ?? ""), cancellationToken), cancellationToken),
            _ => BadRequest(),
        };
    }

    /// <summary>Removes a citation of this document as DELETE /api/v1/citations/{id} does, same rule and audit entry; the page then says it was removed.</summary>
    public Task<IActionResult> OnPostUnciteAsync(int id, long citationId, CancellationToken cancellationToken) =>
        CitationRemoval.RemoveAsync(this, citations, citationId, $"/library/{id}?uncited=1#citations-title", cancellationToken);

    private async Task<IActionResult> ActAsync(int id, Func<Task<ChangeResult>> act, CancellationToken cancellationToken)
    {
        var result = await act();
        switch (result.Outcome)
        {
            case ChangeOutcome.NotFound:
                return NotFound();
            case ChangeOutcome.Forbidden:
                return Forbid();
            case ChangeOutcome.Done:
                return Redirect($"/library/{id}");
            default:
                if (!await LoadAsync(id, cancellationToken))
                    return NotFound();
                Problem = result.Problems is [var first, ..] ? first.Key : "Doc_NotNow";
                return Page();
        }
    }

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        if (await library.Visible(User).FirstOrDefaultAsync(d => d.Id == id, cancellationToken) is not { } document)
            return false;
        Document = document;
        Organisation = document.OrganisationId is { } o ? await db.Organisations.AsNoTracking().Where(x => x.Id == o).Select(x => x.Acronym).FirstOrDefaultAsync(cancellationToken) : null;
        CanChange = DocumentLibrary.CanChange(User, document);
        MayRecommend = document.WithdrawnAtUtc is null && User.HasRole(MemberRole.Analyst);
        Pages = document.WithdrawnAtUtc is null
            ? await db.DocumentPages.AsNoTracking().Where(p => p.DocumentId == id).OrderBy(p => p.Number).ToListAsync(cancellationToken)
            : [];
        return true;
    }
}
