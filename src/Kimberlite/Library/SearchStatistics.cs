using System.Collections.Concurrent;
using System.Security.Claims;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Library;

/// <summary>
/// What ranking weighs words and pages by (docs/decisions/033-search.md): how many pages the public library has, their
/// average number of words, and how many of them hold each word. Public pages only, so that the weights are the same for every reader and tell nothing of what only some
/// may read; counted once and kept until the public data changes here or, as the poll sees it, on another server.
/// </summary>
public sealed class SearchStatistics(LocalPublicChanges local, IServiceProvider services)
{
    private static readonly ClaimsPrincipal Public = new(new ClaimsIdentity());
    private readonly ConcurrentDictionary<string, int> _frequencies = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private (long Local, long Database) _version = (-1, -1);
    private (long Count, double AverageWords)? _pages;

    /// <summary>The number of public pages and their average number of words, and for each group of stems the number of public pages holding one of them.</summary>
    public async Task<(long Pages, double AverageWords, int[] Frequencies)> ReadAsync(KimberliteDb db, IFullTextIndex index, IReadOnlyList<string[]> groups,
        CancellationToken cancellationToken)
    {
        var version = Follow();
        var visible = db.Documents.ReadableBy(Public);
        var pages = _pages;
        if (pages is null)
        {
            var publicPages = db.DocumentPages.Join(visible, p => p.DocumentId, d => d.Id, (p, d) => p);
            var count = await publicPages.LongCountAsync(cancellationToken);
            var words = count == 0 ? 0 : await publicPages.SumAsync(p => (long)p.WordCount, cancellationToken);
            pages = (count, Math.Max(1.0, count == 0 ? 1.0 : (double)words / count));
            Keep(version, () => _pages = pages);
        }
        var frequencies = new int[groups.Count];
        for (var i = 0; i < groups.Count; i++)
        {
            var key = string.Join(' ', groups[i].Order(StringComparer.Ordinal));
            if (!_frequencies.TryGetValue(key, out var df))
            {
                df = await index.Matching(db, [groups[i]]).Join(visible, p => p.DocumentId, d => d.Id, (p, d) => p.Id).CountAsync(cancellationToken);
                Keep(version, () => _frequencies[key] = df);
            }
            frequencies[i] = df;
        }
        return (pages.Value.Count, pages.Value.AverageWords, frequencies);
    }

    /// <summary>Keeps a count only if the data it was made from is still the current one.</summary>
    private void Keep((long, long) version, Action keep)
    {
        lock (_lock)
            if (_version == version)
                keep();
    }

    /// <summary>Forgets every count when the public data has changed since they were made.</summary>
    private (long, long) Follow()
    {
        var now = (local.Count, services.GetService<PublicCacheVersion>()?.Database ?? -1);
        lock (_lock)
        {
            if (now != _version)
            {
                _version = now;
                _pages = null;
                _frequencies.Clear();
            }
        }
        return now;
    }
}
