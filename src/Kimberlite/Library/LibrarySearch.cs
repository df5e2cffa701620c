using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Library;

/// <summary>The filters of a search or a list: each one optional; `Year` is the year of publication.</summary>
public sealed record DocumentFilter(string? Country = null, DocumentType? Type = null, string? Language = null, int? Year = null, string? Publisher = null);

/// <summary>
/// A document found: its metadata, and for a search the page that matches best, a passage of it (`PassageHtml` has the
/// matched words in &lt;mark&gt;, the rest HTML-encoded) and its score.
/// </summary>
public sealed record DocumentHit(int Id, string Title, DocumentType Type, IReadOnlyList<string> Countries, DateOnly? PublishedOn, string? Language,
    string? Publisher, int? Page, string? Passage, string? PassageHtml, double? Score)
{
    /// <summary>The document opened at the page that matched.</summary>
    public string Url => Page is { } page ? $"/library/{Id}?page={page}#page-{page}" : $"/library/{Id}";
}

public sealed record FacetCount(string Value, int Count);

/// <summary>One page of results, how many documents match in all, and for each filter the count of each of its values.</summary>
public sealed record SearchResults(int Total, int Page, int PageSize, IReadOnlyList<DocumentHit> Documents, IReadOnlyDictionary<string, IReadOnlyList<FacetCount>> Facets);

/// <summary>
/// Searches the documents a reader may see (docs/decisions/033-search.md): the index gives the pages that hold every
/// word; phrases, ranking (BM25 over the pages' terms) and counts are worked out here, so both databases answer alike.
/// </summary>
public sealed class LibrarySearch(KimberliteDb db, IFullTextIndex index)
{
    public const int MaxPageSize = 100;
    public static readonly string[] FacetNames = ["country", "type", "language", "year", "publisher"];
    private const double K1 = 1.2, B = 0.75;
    // Markup characters only: the passage keeps its accented letters readable in JSON as on the page.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private sealed record Info(int Id, string Title, DocumentType Type, string Countries, DateOnly? PublishedOn, string? Language, string? Publisher);

    private sealed record Candidate(long Id, int DocumentId, int Number, string Terms);

    /// <summary>Public documents for everyone, coalition ones for members, an organisation's for its members; never a withdrawn one.</summary>
    public IQueryable<LibraryDocument> Visible(ClaimsPrincipal user) => db.Documents.ReadableBy(user);

    public async Task<SearchResults> SearchAsync(ClaimsPrincipal user, SearchQuery query, DocumentFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        var visible = Visible(user).AsNoTracking();
        var documents = await visible.Select(d => new Info(d.Id, d.Title, d.Type, d.Countries, d.PublishedOn, d.Language, d.Publisher))
            .ToDictionaryAsync(d => d.Id, cancellationToken);

        // Which documents the words keep, with each one's best page and score.
        Dictionary<int, (int Page, double Score, long PageId)>? best = null;
        var required = query.Required;
        if (required.Count > 0)
            best = await RankAsync(visible, query, cancellationToken);
        var kept = best is null ? documents.Keys.ToHashSet() : best.Keys.ToHashSet();
        if (query.Excluded.Count > 0)
        {
            var stems = query.Excluded.SelectMany(w => w.Stems).Distinct().ToArray();
            var excluded = await index.Matching(db, [stems]).Select(p => p.DocumentId).Distinct().ToListAsync(cancellationToken);
            kept.ExceptWith(excluded);
        }
        var matched = kept.Where(documents.ContainsKey).Select(id => documents[id]).ToList();

        var facets = FacetNames.ToDictionary(f => f, f => Facet(f, matched.Where(d => Keeps(filter, d, except: f))));
        var found = matched.Where(d => Keeps(filter, d, except: null));
        var ordered = best is null
            ? found.OrderByDescending(d => d.PublishedOn ?? DateOnly.MinValue).ThenByDescending(d => d.Id).ToList()
            : found.OrderByDescending(d => best[d.Id].Score).ThenBy(d => d.Id).ToList();
        var shown = ordered.Skip((page - 1) * pageSize).Take(pageSize).ToList();

        var texts = new Dictionary<long, string>();
        if (best is not null)
        {
            var pageIds = shown.Select(d => best[d.Id].PageId).ToList();
            texts = await db.DocumentPages.Where(p => pageIds.Contains(p.Id)).Select(p => new { p.Id, p.Text }).ToDictionaryAsync(p => p.Id, p => p.Text, cancellationToken);
        }
        var marked = required.SelectMany(w => w.Stems).ToHashSet(StringComparer.Ordinal);
        var hits = shown.Select(d =>
        {
            var countries = d.Countries.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (best is null || !best.TryGetValue(d.Id, out var b))
                return new DocumentHit(d.Id, d.Title, d.Type, countries, d.PublishedOn, d.Language, d.Publisher, null, null, null, null);
            var (plain, html) = Passage(texts.GetValueOrDefault(b.PageId, ""), marked);
            return new DocumentHit(d.Id, d.Title, d.Type, countries, d.PublishedOn, d.Language, d.Publisher, b.Page, plain, html, Math.Round(b.Score, 6));
        }).ToList();
        return new SearchResults(ordered.Count, page, pageSize, hits, facets);
    }

    /// <summary>The documents whose pages hold every word and phrase, each with its best page by BM25 (ties: the first page).</summary>
    private async Task<Dictionary<int, (int Page, double Score, long PageId)>> RankAsync(IQueryable<LibraryDocument> visible, SearchQuery query, CancellationToken cancellationToken)
    {
        var groups = query.Required.Select(w => w.Stems).ToList();
        var candidates = await index.Matching(db, groups).AsNoTracking()
            .Join(visible, p => p.DocumentId, d => d.Id, (p, d) => new Candidate(p.Id, p.DocumentId, p.Number, p.Terms))
            .ToListAsync(cancellationToken);
        if (query.Phrases.Count > 0 && candidates.Count > 0)
        {
            var ids = candidates.Select(c => c.Id).ToList();
            var withPhrases = new HashSet<long>();
            foreach (var chunk in ids.Chunk(500))
            {
                var pages = await db.DocumentPages.AsNoTracking().Where(p => chunk.Contains(p.Id)).Select(p => new { p.Id, p.Text }).ToListAsync(cancellationToken);
                withPhrases.UnionWith(pages.Where(p => query.Phrases.All(phrase => HasPhrase(TextAnalyzer.Words(p.Text), phrase))).Select(p => p.Id));
            }
            candidates = candidates.Where(c => withPhrases.Contains(c.Id)).ToList();
        }
        var result = new Dictionary<int, (int Page, double Score, long PageId)>();
        if (candidates.Count == 0)
            return result;

        // Pages of the reader's documents only, so that what they may not see weighs on nothing they do see.
        var pageCount = await db.DocumentPages.Join(visible, p => p.DocumentId, d => d.Id, (p, d) => p.Id).CountAsync(cancellationToken);
        var weights = new List<(HashSet<string> Stems, double Idf)>();
        foreach (var group in groups.DistinctBy(g => string.Join(' ', g.Order(StringComparer.Ordinal))))
        {
            var df = groups.Count == 1 ? candidates.Count
                : await index.Matching(db, [group]).Join(visible, p => p.DocumentId, d => d.Id, (p, d) => p.Id).CountAsync(cancellationToken);
            weights.Add((group.ToHashSet(StringComparer.Ordinal), Math.Log(1 + (pageCount - df + 0.5) / (df + 0.5))));
        }
        var lengths = candidates.ToDictionary(c => c.Id, c => c.Terms.Length == 0 ? 0 : c.Terms.Count(ch => ch == ' ') + 1);
        var average = Math.Max(1.0, (double)lengths.Values.Sum(l => (long)l) / lengths.Count);
        foreach (var c in candidates.OrderBy(c => c.DocumentId).ThenBy(c => c.Number))
        {
            var frequencies = new int[weights.Count];
            foreach (var term in c.Terms.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                for (var i = 0; i < weights.Count; i++)
                    if (weights[i].Stems.Contains(term))
                        frequencies[i]++;
            var norm = K1 * (1 - B + B * lengths[c.Id] / average);
            var score = 0.0;
            for (var i = 0; i < weights.Count; i++)
                score += weights[i].Idf * frequencies[i] * (K1 + 1) / (frequencies[i] + norm);
            if (!result.TryGetValue(c.DocumentId, out var known) || score > known.Score)
                result[c.DocumentId] = (c.Number, score, c.Id);
        }
        return result;
    }

    /// <summary>Whether the phrase's words follow one another somewhere on the page.</summary>
    public static bool HasPhrase(List<AnalysedWord> words, IReadOnlyList<QueryWord> phrase)
    {
        for (var i = 0; i + phrase.Count <= words.Count; i++)
        {
            var all = true;
            for (var j = 0; j < phrase.Count && all; j++)
                all = words[i + j].Stems.Intersect(phrase[j].Stems, StringComparer.Ordinal).Any();
            if (all)
                return true;
        }
        return false;
    }

    /// <summary>About forty words around the first match, as text and as HTML with the matched words marked.</summary>
    public static (string Plain, string Html) Passage(string text, IReadOnlySet<string> stems)
    {
        var words = TextAnalyzer.Words(text);
        if (words.Count == 0)
            return ("", "");
        var first = words.FindIndex(w => w.Stems.Any(stems.Contains));
        var from = Math.Max(0, first - 12);
        var to = Math.Min(words.Count, from + 40);
        var start = from == 0 ? 0 : words[from].Start;
        var end = to == words.Count ? text.Length : words[to - 1].End;
        var plain = new StringBuilder(from == 0 ? "" : "… ");
        var html = new StringBuilder(from == 0 ? "" : "… ");
        var at = start;
        for (var i = from; i < to; i++)
        {
            var w = words[i];
            if (!w.Stems.Any(stems.Contains))
                continue;
            html.Append(Html.Encode(text[at..w.Start])).Append("<mark>").Append(Html.Encode(text[w.Start..w.End])).Append("</mark>");
            at = w.End;
        }
        html.Append(Html.Encode(text[at..end]));
        plain.Append(text[start..end]);
        if (to < words.Count)
        {
            plain.Append(" …");
            html.Append(" …");
        }
        return (Squeeze(plain.ToString()), Squeeze(html.ToString()));
    }

    /// <summary>Line breaks and runs of spaces of the page read as one space in a passage.</summary>
    private static string Squeeze(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static bool Keeps(DocumentFilter filter, Info d, string? except) =>
        (except == "country" || filter.Country is null || Countries(d).Contains(filter.Country))
        && (except == "type" || filter.Type is null || d.Type == filter.Type)
        && (except == "language" || filter.Language is null || d.Language == filter.Language)
        && (except == "year" || filter.Year is null || d.PublishedOn?.Year == filter.Year)
        && (except == "publisher" || filter.Publisher is null || string.Equals(d.Publisher, filter.Publisher, StringComparison.OrdinalIgnoreCase));

    private static string[] Countries(Info d) => d.Countries.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Each value of one filter among the documents, the most frequent first.</summary>
    private static IReadOnlyList<FacetCount> Facet(string name, IEnumerable<Info> documents)
    {
        IEnumerable<string?> values(Info d) => name switch
        {
            "country" => Countries(d),
            "type" => new[] { Infrastructure.Api.ApiCodes.Code(d.Type) },
            "language" => new[] { d.Language },
            "year" => new[] { d.PublishedOn?.Year.ToString(CultureInfo.InvariantCulture) },
            _ => new[] { d.Publisher },
        };
        return documents.SelectMany(values).OfType<string>().Where(v => v.Length > 0)
            .GroupBy(v => v, StringComparer.Ordinal).Select(g => new FacetCount(g.Key, g.Count()))
            .OrderByDescending(f => f.Count).ThenBy(f => f.Value, StringComparer.Ordinal).ToList();
    }

    /// <summary>Analyses every page's text again and rebuilds the database's index (after the analyzer changes).</summary>
    public async Task<int> ReindexAsync(CancellationToken cancellationToken)
    {
        var done = 0;
        long last = 0;
        while (true)
        {
            var pages = await db.DocumentPages.Where(p => p.Id > last).OrderBy(p => p.Id).Take(500).ToListAsync(cancellationToken);
            if (pages.Count == 0)
                break;
            foreach (var page in pages)
                page.Terms = TextAnalyzer.Terms(page.Text);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            last = pages[^1].Id;
            done += pages.Count;
        }
        await index.RebuildAsync(db, cancellationToken);
        return done;
    }
}
