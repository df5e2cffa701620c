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
    public string? Query { get; private set; }
    public Infrastructure.Web.Paging Paging { get; private set; } = Infrastructure.Web.Paging.Of(1, PageSize, 0);
    public const int PageSize = 25;
    public FindingTexts Texts => texts;
    public CountryNamer Names => names;

    public string Code<T>(T value) where T : struct, Enum => Infrastructure.Api.ApiCodes.Code(value);

    public async Task OnGetAsync(string? country, string? rule, string? severity, string? status, string? year, string? state, string? sort, string? q, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "page")] int? pageNumber, CancellationToken cancellationToken)
    {
        (Filter, Errors) = FindingsApi.ReadFilter(country, rule, severity, status, year, state, sort);
        Countries = await db.Findings.AsNoTracking().Select(f => f.CountryIso3).Distinct().OrderBy(c => c).ToListAsync(cancellationToken);
        var all = await FindingsApi.QueryAsync(db, Errors.Count == 0 ? Filter : new FindingFilter(), options.Value, cancellationToken);
        // The words are searched in what the reader reads (the title and explanation in their language, the country's name).
        if (Infrastructure.Web.Paging.Words(q) is { } words)
        {
            Query = words;
            all = all.Where(f => $"{texts.Title(f)} {texts.Explain(f)} {names.Name(f.CountryIso3)} {f.CountryIso3}".Contains(words, StringComparison.CurrentCultureIgnoreCase)).ToList();
        }
        Paging = Infrastructure.Web.Paging.Of(pageNumber, PageSize, all.Count);
        Findings = all.Skip(Paging.Skip).Take(Paging.Size).ToList();
    }
}
