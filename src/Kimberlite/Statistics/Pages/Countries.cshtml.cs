using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kimberlite.Statistics.Pages;

[AllowAnonymous]
public sealed class CountriesModel(StatisticsReader reader, CountryNamer names) : PageModel
{
    public IReadOnlyList<CountryCoverage> Coverage { get; private set; } = [];
    public CountryNamer Names => names;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Coverage = await reader.CoverageAsync(cancellationToken);
}
