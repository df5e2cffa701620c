using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Api;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Advocacy.Pages;

/// <summary>A coordinator records a meeting for their organisation, or changes one (any coordinator for the coalition's bundled workshop).</summary>
[Authorize(Policy = Policies.Coordinator)]
public sealed class MeetingFormModel(KimberliteDb db, AdvocacyBook book) : PageModel
{
    public int? Id { get; private set; }
    public MeetingInput Input { get; private set; } = null!;
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();
    public IReadOnlyList<(string Acronym, string Name)> Coalition { get; private set; } = [];
    public IReadOnlyList<string> Coordinating { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int? id, CancellationToken cancellationToken)
    {
        Id = id;
        if (id is { } existing)
        {
            var m = await db.Meetings.AsNoTracking().Include(x => x.Organisations).FirstOrDefaultAsync(x => x.Id == existing, cancellationToken);
            if (m is null)
                return NotFound();
            if (!AdvocacyBook.CanChange(User, m))
                return Forbid();
            var present = m.Organisations.Select(o => o.OrganisationId).ToList();
            var acronyms = await db.Organisations.AsNoTracking().Where(o => present.Contains(o.Id)).Select(o => o.Acronym).ToArrayAsync(cancellationToken);
            static string? Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            Input = new MeetingInput(null, ApiCodes.Code(m.Kind), m.Title, Day(m.StartsOn), Day(m.EndsOn), m.Place,
                Countries.Split(m.Countries) is { Count: > 0 } codes ? [.. codes] : [AdvocacyTexts.Regional], acronyms,
                m.OtherParticipants, m.Description, m.Aims, m.Minutes, m.Outcomes, m.Language, null);
        }
        else
            Input = new MeetingInput(Guid.NewGuid(), ApiCodes.Code(MeetingKind.Workshop), null, null, null, null, [], [], null, null, null, null, null, Formats.Language, null);
        await LoadChoicesAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int? id, [FromForm] MeetingInput input, CancellationToken cancellationToken)
    {
        // A field the form sent empty is cleared, not kept as the API's "left out" would be.
        var given = input with
        {
            Title = input.Title ?? "", Language = input.Language ?? "", StartsOn = input.StartsOn ?? "", EndsOn = input.EndsOn ?? "", Place = input.Place ?? "",
            Countries = input.Countries ?? [], Organisations = input.Organisations ?? [], OtherParticipants = input.OtherParticipants ?? "",
            Description = input.Description ?? "", Aims = input.Aims ?? "", Minutes = input.Minutes ?? "", Outcomes = input.Outcomes ?? "",
        };
        var result = id is { } existing ? await book.UpdateMeetingAsync(User, existing, given with { ClientId = null }, cancellationToken)
            : await book.RecordMeetingAsync(User, given, cancellationToken);
        if (BookAnswer.For(result, meeting => $"/advocacy/meetings/{meeting.Id}") is { } answer)
            return answer;
        (Id, Input, Errors) = (id, input, result.Errors);
        await LoadChoicesAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public bool HasCountry(string code) => Input.Countries?.Any(c => string.Equals(c, code, StringComparison.OrdinalIgnoreCase)) == true;

    private async Task LoadChoicesAsync(CancellationToken cancellationToken)
    {
        Coalition = (await db.Organisations.AsNoTracking().OrderBy(o => o.Acronym).Select(o => new { o.Acronym, o.Name }).ToListAsync(cancellationToken))
            .Select(o => (o.Acronym, o.Name)).ToList();
        var mine = User.OrganisationsWith(MemberRole.Coordinator);
        Coordinating = await db.Organisations.AsNoTracking().Where(o => mine.Contains(o.Id)).OrderBy(o => o.Acronym).Select(o => o.Acronym).ToListAsync(cancellationToken);
    }
}
