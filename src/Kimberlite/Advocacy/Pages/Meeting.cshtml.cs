using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Advocacy.Pages;

/// <summary>A meeting: who was there, what it set out to do, what came of it, and the recommendations and commitments made at it.</summary>
[AllowAnonymous]
public sealed class MeetingModel(KimberliteDb db, AdvocacyBook book, IAuthorizationService authorization) : PageModel
{
    public Meeting Meeting { get; private set; } = null!;
    public IReadOnlyList<(string Acronym, string Name)> Present { get; private set; } = [];
    public IReadOnlyList<AdvocacyItem> Items { get; private set; } = [];
    public DateOnly Today { get; private set; }
    public bool CanChange { get; private set; }
    public bool CanRecordItems { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        var meeting = await book.VisibleMeetings(User).Include(m => m.Organisations).FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meeting is null)
            return NotFound();
        Meeting = meeting;
        var present = meeting.Organisations.Select(o => o.OrganisationId).ToList();
        Present = (await db.Organisations.AsNoTracking().Where(o => present.Contains(o.Id)).OrderBy(o => o.Acronym).Select(o => new { o.Acronym, o.Name }).ToListAsync(cancellationToken))
            .Select(o => (o.Acronym, o.Name)).ToList();
        Today = book.Today;
        Items = await book.Visible(User).Include(i => i.Translations).Where(i => i.MeetingId == id).OrderBy(i => i.Id).ToListAsync(cancellationToken);
        CanChange = AdvocacyBook.CanChange(User, meeting);
        CanRecordItems = User.HasRole(MemberRole.Analyst);
        return Page();
    }

    /// <summary>Publishing or taking back a meeting: its coordinators (any coordinator for the coalition's bundled workshop).</summary>
    public async Task<IActionResult> OnPostAsync(int id, string? action, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, Policies.Coordinator)).Succeeded)
            return User.UserId() is null ? Challenge() : Forbid();
        if (action is not ("publish" or "unpublish"))
            return BadRequest();
        var result = await book.PublishMeetingAsync(User, id, action == "publish", cancellationToken);
        return BookAnswer.For(result, _ => $"/advocacy/meetings/{id}") ?? BadRequest();
    }

    /// <summary>"12 March 2026", "12–14 March 2026", or the words for a date the source does not give.</summary>
    public static string Dates(Meeting m, string notStated) => (m.StartsOn, m.EndsOn) switch
    {
        (null, null) => notStated,
        ({ } start, null) => Formats.Date(start),
        (null, { } end) => Formats.Date(end),
        ({ } start, { } end) when start == end => Formats.Date(start),
        ({ } start, { } end) => $"{Formats.Date(start)} – {Formats.Date(end)}",
    };

    /// <summary>A long text as the paragraphs it was written in.</summary>
    public static IEnumerable<string> Paragraphs(string? text) =>
        (text ?? "").Split(["\r\n\r\n", "\n\n"], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static IEnumerable<string> Lines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
