using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Statistics.Pages;

[AllowAnonymous]
public sealed class DatasetsModel(KimberliteDb db) : PageModel
{
    public IReadOnlyList<DatasetDto> Datasets { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Datasets = (await DatasetsApi.Projection(db.Datasets).ToListAsync(cancellationToken)).Select(d => d.ForReader(User)).ToList();
}
