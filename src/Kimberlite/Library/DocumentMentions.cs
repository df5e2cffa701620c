using System.Security.Claims;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Library;

/// <summary>One thing a document names, with the pages that name it.</summary>
public sealed record MentionView(MentionKind Kind, string Key, string Label, string? Link, IReadOnlyList<int> Pages);

/// <summary>A document that names something, with the pages that name it.</summary>
public sealed record MentioningDocument(int Id, string Title, DateOnly? PublishedOn, IReadOnlyList<int> Pages);

/// <summary>Which document a partial is about, and who reads it (document page partials: mentions and citations).</summary>
public sealed record DocumentForReader(int DocumentId, ClaimsPrincipal Reader);

/// <summary>The documents naming a country (with its provinces) or a site, for the country and site pages.</summary>
public sealed record MentionedIn(MentionKind Kind, string Key, ClaimsPrincipal Reader);

/// <summary>The mentions of a document, and the documents mentioning a country or a site, as far as the reader may read them.</summary>
public sealed class DocumentMentions(KimberliteDb db, CountryNamer names)
{
    public const int ListLimit = 50;

    public async Task<List<MentionView>> OfAsync(ClaimsPrincipal user, int documentId, CancellationToken cancellationToken)
    {
        if (!await db.Documents.AsNoTracking().ReadableBy(user).AnyAsync(d => d.Id == documentId, cancellationToken))
            return [];
        var rows = await db.DocumentMentions.AsNoTracking().Where(m => m.DocumentId == documentId)
            .Select(m => new { m.Kind, m.Key, m.Text, m.Page }).ToListAsync(cancellationToken);
        var siteIds = rows.Where(r => r.Kind == MentionKind.Site).Select(r => int.TryParse(r.Key, out var id) ? id : 0).Distinct().ToList();
        var sites = await db.MiningSites.AsNoTracking().Where(s => siteIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), s => s.Name, cancellationToken);
        return rows.GroupBy(r => (r.Kind, r.Key))
            .Select(g => new MentionView(g.Key.Kind, g.Key.Key, Label(g.Key.Kind, g.Key.Key, g.First().Text, sites), Link(g.Key.Kind, g.Key.Key),
                g.Select(r => r.Page).Distinct().Order().ToList()))
            .OrderBy(m => m.Kind).ThenByDescending(m => m.Pages.Count).ThenBy(m => m.Label, StringComparer.CurrentCulture).ToList();
    }

    /// <summary>The readable documents naming the country or one of its provinces (a country), or the site, most recent first.</summary>
    public async Task<List<MentioningDocument>> MentioningAsync(MentionedIn what, CancellationToken cancellationToken)
    {
        var mentions = db.DocumentMentions.AsNoTracking();
        var province = what.Key + ":";
        mentions = what.Kind == MentionKind.Country
            ? mentions.Where(m => (m.Kind == MentionKind.Country && m.Key == what.Key) || (m.Kind == MentionKind.Province && m.Key.StartsWith(province)))
            : mentions.Where(m => m.Kind == what.Kind && m.Key == what.Key);
        var rows = await mentions.Join(db.Documents.AsNoTracking().ReadableBy(what.Reader), m => m.DocumentId, d => d.Id,
                (m, d) => new { d.Id, d.Title, d.PublishedOn, d.UploadedAtUtc, m.Page })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.Id)
            .OrderByDescending(g => g.First().PublishedOn).ThenByDescending(g => g.First().UploadedAtUtc).Take(ListLimit)
            .Select(g => new MentioningDocument(g.Key, g.First().Title, g.First().PublishedOn, g.Select(r => r.Page).Distinct().Order().ToList())).ToList();
    }

    private string Label(MentionKind kind, string key, string text, Dictionary<string, string> sites) => kind switch
    {
        MentionKind.Country => names.Name(key),
        MentionKind.Province => key[(key.IndexOf(':') + 1)..] + " (" + names.Name(key[..Math.Max(0, key.IndexOf(':'))]) + ")",
        MentionKind.Site => sites.GetValueOrDefault(key, text),
        MentionKind.Carats or MentionKind.Usd => text,
        _ => key,
    };

    private static string? Link(MentionKind kind, string key) => kind switch
    {
        MentionKind.Country => $"/countries/{key}",
        MentionKind.Site => $"/sites/{key}",
        _ => null,
    };
}

/// <summary>What the cited-documents partial shows on a finding or an incident: the list, and the form for who may cite.</summary>
/// <summary>`Error` is the resource key of why the last citation was refused; `Removed`, that a citation was just removed.</summary>
public sealed record CitedDocumentsView(string Anchor, int CitingId, IReadOnlyList<CitedDocumentDto> Documents, bool MayCite, string Action, IReadOnlyList<(int Id, string Title)> Recent, string? Error = null,
    bool Removed = false)
{
    /// <summary>Where the remove buttons post: the same page's Uncite handler (who may cite may remove, as the API rules).</summary>
    public string RemoveAction => Action.Replace("handler=Cite", "handler=Uncite", StringComparison.Ordinal);

    /// <summary>The resource key saying what to change in a refused citation.</summary>
    public static string ErrorKey(IReadOnlyDictionary<string, string[]> errors) =>
        errors.ContainsKey("documentId") ? "Cite_Error_Document" : errors.ContainsKey("page") ? "Cite_Error_Page" : "Cite_Error_Note";
}

/// <summary>The remove button of a citation on a finding's, an incident's or a document's page: the API's rule and audit entry, then back to the page.</summary>
public static class CitationRemoval
{
    public static async Task<Microsoft.AspNetCore.Mvc.IActionResult> RemoveAsync(Microsoft.AspNetCore.Mvc.RazorPages.PageModel page, Citations citations, long citationId, string back,
        CancellationToken cancellationToken) =>
        page.User.UserId() is null ? new Microsoft.AspNetCore.Mvc.ChallengeResult()
        : await citations.RemoveAsync(page.User, citationId, cancellationToken) switch
        {
            Advocacy.BookOutcome.Done => new Microsoft.AspNetCore.Mvc.RedirectResult(back),
            Advocacy.BookOutcome.Forbidden => new Microsoft.AspNetCore.Mvc.ForbidResult(),
            _ => new Microsoft.AspNetCore.Mvc.NotFoundResult(),
        };
}
