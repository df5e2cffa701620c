using Kimberlite.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kimberlite.Field.Pages;

/// <summary>One evidence file, downloaded (never shown in the page) by an analyst or coordinator of the incident's organisation.</summary>
[Authorize(Policy = Policies.Analyst)]
public sealed class EvidenceModel(EvidenceStore evidence) : PageModel
{
    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken) =>
        await evidence.OpenAsync(User, id, cancellationToken) switch
        {
            (ReviewOutcome.Done, { } file, { } stream) => File(stream, file.ContentType, file.FileName),
            (ReviewOutcome.Forbidden, _, _) => Forbid(),
            _ => NotFound(),
        };
}
