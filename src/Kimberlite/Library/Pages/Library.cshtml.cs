using Kimberlite.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kimberlite.Library.Pages;

/// <summary>The library: the documents the reader may see, searched by words in any of the three languages, with counts per filter.</summary>
[AllowAnonymous]
public sealed class LibraryModel(LibrarySearch search) : PageModel
{
    public SearchRequest? Search { get; private set; }
    public SearchResults? Results { get; private set; }
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        string? Q(string name) => Request.Query[name].FirstOrDefault();
        var (request, errors) = LibrarySearchApi.Read(Q("q"), Q("country"), Q("type"), Q("language"), Q("year"), Q("publisher"), Q("page"), Q("pageSize"));
        Search = request;
        Errors = errors;
        if (errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        Results = await search.SearchAsync(User, request.Query, request.Filter, request.Page, request.PageSize, cancellationToken);
    }

    public bool CanUpload => User.HasRole(MemberRole.Analyst);

    public int PageCount => Results is { } r ? Math.Max(1, (r.Total + r.PageSize - 1) / r.PageSize) : 1;

    /// <summary>The value a filter holds now, as the query string writes it.</summary>
    public string? Current(string facet) => Request.Query[facet].FirstOrDefault() is { Length: > 0 } v ? v : null;

    /// <summary>This search with one parameter set (or removed with null) and back to the first page unless a page is given.</summary>
    public string Link(string? name, string? value, int? page = null)
    {
        var parameters = new List<KeyValuePair<string, string?>>();
        foreach (var key in (string[])["q", .. LibrarySearch.FacetNames, "pageSize"])
        {
            var v = key == name ? value : Request.Query[key].FirstOrDefault();
            if (!string.IsNullOrEmpty(v))
                parameters.Add(new(key, v));
        }
        if (page is > 1)
            parameters.Add(new("page", page.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return "/library" + QueryString.Create(parameters);
    }
}
