using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kimberlite.Field.Pages;

/// <summary>The site visits of the person's organisations, with what IPIS records at each, and their CSV.</summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class VisitsModel(KimberliteDb db) : PageModel
{
    public IReadOnlyList<VisitDto> Visits { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Visits = await MemberExports.VisitsAsync(db, User, cancellationToken);

    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken)
    {
        var file = MemberExports.VisitsCsv(await MemberExports.VisitsAsync(db, User, cancellationToken));
        return File(file.FileContents.ToArray(), file.ContentType!, file.FileDownloadName);
    }
}
