using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Statistics.Pages;

[AllowAnonymous]
public sealed class DatasetDetailModel(KimberliteDb db, IStringLocalizer<Texts> texts, Analysis.Labels.LabelMeanings labels, IAuthorizationService authorization) : PageModel
{
    public DatasetDto Dataset { get; private set; } = null!;
    public IReadOnlyList<ImportIssueDto> Report { get; private set; } = [];
    public Analysis.Labels.LeftOutSection LeftOut { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (await DatasetsApi.Projection(db.Datasets.Where(d => d.Id == id)).FirstOrDefaultAsync(cancellationToken) is not { } dataset)
            return NotFound();
        Dataset = dataset.ForReader(User);
        Report = await DatasetsApi.ReportAsync(db, texts, id, cancellationToken);
        // Whether a figure can be used depends on the other sources of its country: read them all, list this dataset's.
        var countries = await db.Figures.Where(f => f.DatasetId == id).Select(f => f.CountryIso3).Distinct().ToListAsync(cancellationToken);
        LeftOut = await Analysis.Labels.LeftOutSection.BuildAsync(labels, authorization, User, countries, f => f.DatasetId == id, $"/datasets/{id}#left-out", cancellationToken);
        return Page();
    }
}
