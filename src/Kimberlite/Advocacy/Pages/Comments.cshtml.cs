using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Api;
using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Advocacy.Pages;

/// <summary>
/// The discussion of one item on a page of its own (an incident, or any item whose page is elsewhere), and where the comment
/// box of every page posts, so those pages need no handler of their own. The same rules as the API.
/// </summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class CommentsModel(Discussion discussion, KimberliteDb db) : PageModel
{
    public CommentsBox? Box { get; private set; }
    /// <summary>What an incident is, in the words the reader may read: its category, date and country.</summary>
    public Field.Incident? Incident { get; private set; }
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();
    public string? Back { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? target, int id, CancellationToken cancellationToken) =>
        await LoadAsync(target, id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string? target, int id, Guid? clientId, string? text, string? audience, int? parentId, string? organisation,
        string? returnUrl, CancellationToken cancellationToken)
    {
        if (ApiCodes.Parse<CommentTarget>(target) is not { } kind)
            return NotFound();
        var result = await discussion.PostAsync(User, kind, id, new CommentInput(clientId, text, audience, parentId, organisation), cancellationToken);
        if (result.Outcome is BookOutcome.Done or BookOutcome.Repeated)
            return LocalRedirect(Return(returnUrl, kind, id) + $"#comment-{result.Value!.Id}");
        if (result.Outcome == BookOutcome.NotFound || !await LoadAsync(target, id, cancellationToken))
            return NotFound();
        Errors = result.Errors;
        ViewData["CommentErrors"] = result.Errors;
        ViewData["CommentText"] = text;
        ViewData["CommentsReturnUrl"] = Return(returnUrl, kind, id);
        return Page();
    }

    public async Task<IActionResult> OnPostEditAsync(int commentId, string? text, string? returnUrl, CancellationToken cancellationToken) =>
        Answer(await discussion.EditAsync(User, commentId, new CommentTextInput(text), cancellationToken), returnUrl);

    public async Task<IActionResult> OnPostHideAsync(int commentId, string? reason, string? returnUrl, CancellationToken cancellationToken) =>
        Answer(await discussion.HideAsync(User, commentId, new HideInput(reason), cancellationToken), returnUrl);

    private IActionResult Answer(BookResult<CommentDto> result, string? returnUrl)
    {
        switch (result.Outcome)
        {
            case BookOutcome.Done or BookOutcome.Repeated:
                var kind = ApiCodes.Parse<CommentTarget>(result.Value!.Target)!.Value;
                return LocalRedirect(Return(returnUrl, kind, result.Value.TargetId) + $"#comment-{result.Value.Id}");
            case BookOutcome.NotFound:
                return NotFound();
            case BookOutcome.Forbidden:
                return Forbid();
        }
        // The box shows what to change; the page it came from is where the reader goes back to.
        Errors = result.Errors;
        Back = returnUrl is { Length: > 0 } && Url.IsLocalUrl(returnUrl) ? returnUrl : "/account/mentions";
        return Page();
    }

    private async Task<bool> LoadAsync(string? target, int id, CancellationToken cancellationToken)
    {
        if (ApiCodes.Parse<CommentTarget>(target) is not { } kind || await discussion.ListAsync(User, kind, id, cancellationToken) is null)
            return false;
        Box = new CommentsBox(kind, id);
        if (kind == CommentTarget.Incident)
            Incident = await db.Incidents.AsNoTracking().FirstAsync(i => i.Id == id, cancellationToken);
        return true;
    }

    private string Return(string? returnUrl, CommentTarget target, int id) =>
        returnUrl is { Length: > 0 } && Url.IsLocalUrl(returnUrl) ? returnUrl.Split('#')[0] : Discussion.Address(target, id).Split('#')[0];
}
