using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Statistics.Pages;

[AllowAnonymous]
public sealed class DatasetDetailModel(KimberliteDb db, IStringLocalizer<Texts> texts) : PageModel
{
    public DatasetDto Dataset { get; private set; } = null!;
    public IReadOnlyList<ImportIssueDto> Report { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (await DatasetsApi.Projection(db.Datasets.Where(d => d.Id == id)).FirstOrDefaultAsync(cancellationToken) is not { } dataset)
            return NotFound();
        Dataset = dataset.ForReader(User);
        Report = await DatasetsApi.ReportAsync(db, texts, id, cancellationToken);
        return Page();
    }
}
