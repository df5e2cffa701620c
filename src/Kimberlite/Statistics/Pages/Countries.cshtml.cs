using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kimberlite.Statistics.Pages;

public sealed class CountriesModel(StatisticsReader reader, CountryNamer names) : PageModel
{
    public IReadOnlyList<CountryCoverage> Coverage { get; private set; } = [];
    public CountryNamer Names => names;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Coverage = await reader.CoverageAsync(cancellationToken);
}
