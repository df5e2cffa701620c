using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Field.Pages;

/// <summary>
/// The monitor's form. It works offline once opened: a service worker keeps the page and its assets, a
/// report waits in the browser (IndexedDB) under the identifier the browser made, and goes when the
/// connection returns, to the handler below, which records it once however often it arrives.
/// </summary>
[Authorize(Policy = Policies.Monitor)]
public sealed class NewModel(KimberliteDb db, FieldSubmissions submissions) : PageModel
{
    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var mine = User.OrganisationsWith(MemberRole.Monitor);
        Organisations = await db.Organisations.AsNoTracking().Where(o => mine.Contains(o.Id)).OrderBy(o => o.Acronym).ToListAsync(cancellationToken);
    }

    /// <summary>The browser's queue posts here (JSON, with the page's anti-forgery token in a header).</summary>
    public async Task<IActionResult> OnPostSubmitAsync([FromBody] FieldSubmission submission, CancellationToken cancellationToken)
    {
        var result = await submissions.SubmitAsync(submission, User.UserId()!.Value, User.OrganisationsWith(MemberRole.Monitor), User.Actor(), cancellationToken);
        return result.Outcome switch
        {
            SubmissionOutcome.Created or SubmissionOutcome.Repeated => new JsonResult(new { id = result.Id, kind = result.Kind, repeated = result.Outcome == SubmissionOutcome.Repeated }),
            SubmissionOutcome.Conflict => new ObjectResult(new ProblemDetails { Status = 409, Title = "This clientId is already used by a different submission" }) { StatusCode = 409 },
            _ => new BadRequestObjectResult(new HttpValidationProblemDetails(result.Errors)),
        };
    }
}
