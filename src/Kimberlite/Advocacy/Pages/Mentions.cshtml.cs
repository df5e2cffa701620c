using Kimberlite.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kimberlite.Advocacy.Pages;

/// <summary>A member's mentions and replies, newest first; opening the page marks them read, the unread ones still marked on this visit.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class MentionsModel(Discussion discussion) : PageModel
{
    public IReadOnlyList<NoticeDto> Notices { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Notices = await discussion.NoticesAsync(User, cancellationToken);
        await discussion.MarkReadAsync(User, cancellationToken);
    }
}
