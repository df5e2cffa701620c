using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kimberlite.Analysis.Pages;

[AllowAnonymous]
public sealed class FindingsModel(KimberliteDb db, FindingTexts texts, CountryNamer names, IOptions<AnalysisOptions> options) : PageModel
{
    public FindingFilter Filter { get; private set; } = new();
    public Dictionary<string, string[]> Errors { get; private set; } = [];
    public IReadOnlyList<Finding> Findings { get; private set; } = [];
    public IReadOnlyList<string> Countries { get; private set; } = [];
    public FindingTexts Texts => texts;
    public CountryNamer Names => names;

    public string Code<T>(T value) where T : struct, Enum => Infrastructure.Api.ApiCodes.Code(value);

    public async Task OnGetAsync(string? country, string? rule, string? severity, string? status, string? year, string? state, string? sort, CancellationToken cancellationToken)
    {
        (Filter, Errors) = FindingsApi.ReadFilter(country, rule, severity, status, year, state, sort);
        Countries = await db.Findings.AsNoTracking().Select(f => f.CountryIso3).Distinct().OrderBy(c => c).ToListAsync(cancellationToken);
        Findings = await FindingsApi.QueryAsync(db, Errors.Count == 0 ? Filter : new FindingFilter(), options.Value, cancellationToken);
    }
}
