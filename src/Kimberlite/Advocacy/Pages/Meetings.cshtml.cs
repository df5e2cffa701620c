using Kimberlite.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Advocacy.Pages;

/// <summary>The meetings the reader may see, newest first, each with the number of its recommendations and commitments.</summary>
[AllowAnonymous]
public sealed class MeetingsModel(AdvocacyBook book) : PageModel
{
    public IReadOnlyList<Meeting> Meetings { get; private set; } = [];
    public Dictionary<int, int> ItemCounts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Meetings = await book.VisibleMeetings(User).OrderByDescending(m => m.StartsOn).ThenBy(m => m.Id).ToListAsync(cancellationToken);
        ItemCounts = (await book.Visible(User).Where(i => i.MeetingId != null).GroupBy(i => i.MeetingId!.Value)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken)).ToDictionary(g => g.Key, g => g.Count);
    }

    public bool CanRecord => User.HasRole(MemberRole.Coordinator);
}
