using Microsoft.AspNetCore.Http.Extensions;

namespace Kimberlite.Infrastructure.Web;

/// <summary>
/// One page of a long list (/sites, /findings, /field/incidents), chosen by ?page= and narrowed by ?q= on the
/// server: a phone on 2G receives a page, not the whole list; an address without them is the first page.
/// </summary>
public sealed record Paging(int Page, int Size, int Total)
{
    public int Pages => Math.Max(1, (Total + Size - 1) / Size);
    public int Skip => (Page - 1) * Size;

    /// <summary>The page asked for, within the list (a page past the end is the last one).</summary>
    public static Paging Of(int? page, int size, int total) =>
        new(Math.Clamp(page ?? 1, 1, Math.Max(1, (total + size - 1) / size)), size, total);

    /// <summary>The same address with another page number, the other filters kept.</summary>
    public static string Link(HttpRequest request, int page)
    {
        var query = request.Query.Where(p => p.Key != "page").SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v))).ToList();
        if (page > 1)
            query.Add(new("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return request.Path + new QueryBuilder(query.Select(p => new KeyValuePair<string, string>(p.Key, p.Value ?? ""))).ToQueryString().Value;
    }

    /// <summary>The words of a search, trimmed; null when there are none.</summary>
    public static string? Words(string? q) => string.IsNullOrWhiteSpace(q) ? null : q.Trim()[..Math.Min(q.Trim().Length, 200)];
}
