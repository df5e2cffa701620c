using Kimberlite.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Library;

/// <summary>Writes each extracted page's analysed terms; the database's full-text index follows them (docs/decisions/033-search.md).</summary>
public sealed class SearchIndex : IPagesExtracted
{
    public int Order => 10;

    public Task OnExtractedAsync(KimberliteDb db, LibraryDocument document, IReadOnlyList<DocumentPage> pages, CancellationToken cancellationToken)
    {
        foreach (var page in pages)
            Write(page);
        return Task.CompletedTask;
    }

    /// <summary>Fills a page's terms, word count and repeated terms from its text.</summary>
    public static void Write(DocumentPage page)
    {
        var indexed = TextAnalyzer.Index(page.Text);
        page.Terms = indexed.Terms;
        page.WordCount = indexed.WordCount;
        page.Repeated.Clear();
        page.Repeated.AddRange(indexed.Repeated.Select(r => new PageTerm { Term = r.Key, Count = r.Value }));
    }
}

/// <summary>
/// The pages whose terms hold, for every group, at least one of its terms: SQLite's FTS5 (migration I17Search) or
/// PostgreSQL's GIN over the stored column TermsVector, to_tsvector('simple', "Terms") (migration I17Rank), both kept in
/// step with DocumentPages.Terms by the database.
/// </summary>
public interface IFullTextIndex
{
    IQueryable<DocumentPage> Matching(KimberliteDb db, IReadOnlyList<string[]> groups);

    /// <summary>Builds the database's index again from the terms the pages hold.</summary>
    Task RebuildAsync(KimberliteDb db, CancellationToken cancellationToken);

    /// <summary>Prepares the connection for the queries of one search; disposing of what it returns ends that.</summary>
    Task<IAsyncDisposable?> SearchingAsync(KimberliteDb db, CancellationToken cancellationToken);
}

public sealed class SqliteFullTextIndex : IFullTextIndex
{
    public IQueryable<DocumentPage> Matching(KimberliteDb db, IReadOnlyList<string[]> groups) =>
        db.DocumentPages.FromSqlRaw("""SELECT p.* FROM "DocumentPages" AS p WHERE p."Id" IN (SELECT rowid FROM "DocumentPagesFts" WHERE "DocumentPagesFts" MATCH {0})""", Query(groups));

    /// <summary>FTS5's own query: ("a" OR "b") AND ("c"); terms are letters and digits, quoted all the same.</summary>
    public static string Query(IReadOnlyList<string[]> groups) =>
        string.Join(" AND ", groups.Select(g => "(" + string.Join(" OR ", g.Select(t => "\"" + t + "\"")) + ")"));

    public Task RebuildAsync(KimberliteDb db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync("""INSERT INTO "DocumentPagesFts"("DocumentPagesFts") VALUES ('rebuild')""", cancellationToken);

    public Task<IAsyncDisposable?> SearchingAsync(KimberliteDb db, CancellationToken cancellationToken) => Task.FromResult<IAsyncDisposable?>(null);
}

public sealed class PostgresFullTextIndex : IFullTextIndex
{
    public IQueryable<DocumentPage> Matching(KimberliteDb db, IReadOnlyList<string[]> groups) =>
        db.DocumentPages.FromSqlRaw("""SELECT p.* FROM "DocumentPages" AS p WHERE p."TermsVector" @@ to_tsquery('simple'::regconfig, {0})""", Query(groups));

    public static string Query(IReadOnlyList<string[]> groups) =>
        string.Join(" & ", groups.Select(g => "(" + string.Join(" | ", g) + ")"));

    public Task RebuildAsync(KimberliteDb db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync("""REINDEX INDEX "IX_DocumentPages_TermsVector" """, cancellationToken);

    /// <summary>
    /// A read-only transaction where the planner reaches tables through bitmaps only, so pages through the GIN index: it
    /// costs testing a page's tsvector as nothing, not the out-of-row value it must fetch and unpack, and would otherwise walk
    /// every page by a b-tree or in full where the GIN index names a few (docs/decisions/033-search.md). No JIT: a scan
    /// left without another path is costed at 10^10, which would make it compile each query (measured: 145 ms of 150).
    /// </summary>
    public async Task<IAsyncDisposable?> SearchingAsync(KimberliteDb db, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
            return null;
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("SET TRANSACTION READ ONLY; SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off; SET LOCAL jit = off", cancellationToken);
        return transaction;
    }
}
