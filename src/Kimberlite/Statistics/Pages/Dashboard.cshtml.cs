using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kimberlite.Statistics.Pages;

[AllowAnonymous]
public sealed class DashboardModel(StatisticsReader reader, CountryNamer names) : PageModel
{
    public IReadOnlyList<CountryProfile> Countries { get; private set; } = [];
    public CountryNamer Names => names;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Countries = await reader.CoalitionAsync(cancellationToken);
}
