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
public sealed class LibrarySearch(KimberliteDb db, IFullTextIndex index, SearchStatistics statistics)
{
    public const int MaxPageSize = 100;
    private const int FewDocuments = 500;
    public static readonly string[] FacetNames = ["country", "type", "language", "year", "publisher"];
    private const double K1 = 1.2, B = 0.75;
    // Markup characters only: the passage keeps its accented letters readable in JSON as on the page.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private sealed record Info(int Id, string Title, DocumentType Type, string Countries, DateOnly? PublishedOn, string? Language, string? Publisher);

    private sealed record Candidate(long Id, int DocumentId, int Number, int WordCount);

    /// <summary>Public documents for everyone, coalition ones for members, an organisation's for its members; never a withdrawn one.</summary>
    public IQueryable<LibraryDocument> Visible(ClaimsPrincipal user) => db.Documents.ReadableBy(user);

    public async Task<SearchResults> SearchAsync(ClaimsPrincipal user, SearchQuery query, DocumentFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var searching = await index.SearchingAsync(db, cancellationToken);
        var visible = Visible(user).AsNoTracking();
        var required = query.Required;

        // Which documents the words keep, with each one's best page and score.
        Dictionary<int, (int Page, double Score, long PageId)>? best = null;
        if (required.Count > 0)
            best = await RankAsync(visible, query, cancellationToken);
        var kept = best?.Keys.ToHashSet();
        // A few documents found are read by their ids; many, or a list without words, with the whole library the reader sees.
        var few = kept is { Count: <= FewDocuments } ? kept.ToArray() : null;
        var listed = few is null ? visible : visible.Where(d => few.Contains(d.Id));
        var documents = await listed.Select(d => new Info(d.Id, d.Title, d.Type, d.Countries, d.PublishedOn, d.Language, d.Publisher))
            .ToDictionaryAsync(d => d.Id, cancellationToken);
        kept ??= documents.Keys.ToHashSet();
        if (query.Excluded.Count > 0)
        {
            var stems = query.Excluded.SelectMany(w => w.Stems).Distinct().ToArray();
            kept.ExceptWith(await index.Matching(db, [stems]).Select(p => p.DocumentId).Distinct().ToListAsync(cancellationToken));
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

    /// <summary>
    /// The documents whose pages hold every word and phrase, each with its best page by BM25 (ties: the first page). A page's
    /// weight for a word is how many of its words share the most frequent of the word's stems (<see cref="PageTerm"/>).
    /// </summary>
    private async Task<Dictionary<int, (int Page, double Score, long PageId)>> RankAsync(IQueryable<LibraryDocument> visible, SearchQuery query, CancellationToken cancellationToken)
    {
        var groups = query.Required.Select(w => w.Stems).ToList();
        var matching = index.Matching(db, groups).AsNoTracking().Join(visible, p => p.DocumentId, d => d.Id, (p, d) => p);
        List<Candidate> candidates;
        if (query.Phrases.Count > 0)
        {
            var pages = await matching.Select(p => new { p.Id, p.DocumentId, p.Number, p.WordCount, p.Terms }).ToListAsync(cancellationToken);
            candidates = pages.Where(p => query.Phrases.All(phrase => HasPhrase(p.Terms, phrase)))
                .Select(p => new Candidate(p.Id, p.DocumentId, p.Number, p.WordCount)).ToList();
        }
        else
        {
            candidates = await matching.Select(p => new Candidate(p.Id, p.DocumentId, p.Number, p.WordCount)).ToListAsync(cancellationToken);
        }
        var result = new Dictionary<int, (int Page, double Score, long PageId)>();
        if (candidates.Count == 0)
            return result;

        var distinctGroups = groups.DistinctBy(g => string.Join(' ', g.Order(StringComparer.Ordinal))).ToList();
        var (pageCount, average, frequencies) = await statistics.ReadAsync(db, index, distinctGroups, cancellationToken);
        var weights = distinctGroups.Select((group, i) => (Stems: group, Idf: Math.Log(1 + (pageCount - frequencies[i] + 0.5) / (frequencies[i] + 0.5)))).ToList();

        // A term a page holds once has no row: the page is a candidate, so each of its words' groups is there at least once.
        var stems = weights.SelectMany(w => w.Stems).Distinct(StringComparer.Ordinal).ToArray();
        var ids = candidates.Select(c => c.Id).ToHashSet();
        var repeated = await db.PageTerms.AsNoTracking().Where(t => stems.Contains(t.Term)).Select(t => new { t.PageId, t.Term, t.Count }).ToListAsync(cancellationToken);
        var counts = repeated.Where(t => ids.Contains(t.PageId)).GroupBy(t => t.PageId)
            .ToDictionary(g => g.Key, g => g.ToDictionary(t => t.Term, t => t.Count, StringComparer.Ordinal));

        var tf = new int[weights.Count];
        foreach (var c in candidates.OrderBy(c => c.DocumentId).ThenBy(c => c.Number))
        {
            var known = counts.GetValueOrDefault(c.Id);
            for (var i = 0; i < weights.Count; i++)
            {
                tf[i] = 1;
                if (known is not null)
                    foreach (var stem in weights[i].Stems)
                        tf[i] = Math.Max(tf[i], known.GetValueOrDefault(stem));
            }
            var norm = K1 * (1 - B + B * c.WordCount / average);
            var score = 0.0;
            for (var i = 0; i < weights.Count; i++)
                score += weights[i].Idf * tf[i] * (K1 + 1) / (tf[i] + norm);
            if (!result.TryGetValue(c.DocumentId, out var best) || score > best.Score)
                result[c.DocumentId] = (c.Number, score, c.Id);
        }
        return result;
    }

    /// <summary>Whether the phrase's words follow one another somewhere in a page's terms (<see cref="TextAnalyzer.Terms"/>).</summary>
    public static bool HasPhrase(string terms, IReadOnlyList<QueryWord> phrase)
    {
        var words = new List<Range>();
        for (var start = 0; start < terms.Length;)
        {
            var next = terms.IndexOf(TextAnalyzer.WordBreak, start, StringComparison.Ordinal);
            var end = next < 0 ? terms.Length : next;
            words.Add(start..end);
            start = end + TextAnalyzer.WordBreak.Length;
        }
        for (var i = 0; i + phrase.Count <= words.Count; i++)
        {
            var all = true;
            for (var j = 0; j < phrase.Count && all; j++)
                all = HasStem(terms.AsSpan()[words[i + j]], phrase[j].Stems);
            if (all)
                return true;
        }
        return false;
    }

    private static bool HasStem(ReadOnlySpan<char> word, string[] stems)
    {
        foreach (var range in word.Split(' '))
            foreach (var stem in stems)
                if (word[range].SequenceEqual(stem))
                    return true;
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

    /// <summary>
    /// Analyses pages' text again and rebuilds the database's index: every page after the analyzer changes, or with
    /// <paramref name="staleOnly"/> the pages indexed before words were counted (written before migration I17Rank).
    /// </summary>
    public async Task<int> ReindexAsync(CancellationToken cancellationToken, bool staleOnly = false)
    {
        var done = 0;
        long last = 0;
        while (true)
        {
            var batch = db.DocumentPages.Where(p => p.Id > last && (!staleOnly || (p.WordCount == 0 && p.Terms != "")));
            var pages = await batch.OrderBy(p => p.Id).Take(500).ToListAsync(cancellationToken);
            if (pages.Count == 0)
                break;
            var ids = pages.Select(p => p.Id).ToList();
            await db.PageTerms.Where(t => ids.Contains(t.PageId)).ExecuteDeleteAsync(cancellationToken);
            foreach (var page in pages)
                SearchIndex.Write(page);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            last = pages[^1].Id;
            done += pages.Count;
        }
        if (done > 0 || !staleOnly)
            await index.RebuildAsync(db, cancellationToken);
        return done;
    }
}
