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
/// The pages whose terms hold, for every group, at least one of its terms: SQLite's FTS5 or PostgreSQL's GIN over
/// to_tsvector('simple', "Terms"), both kept in step with DocumentPages.Terms by the database (migration I17Search).
/// </summary>
public interface IFullTextIndex
{
    IQueryable<DocumentPage> Matching(KimberliteDb db, IReadOnlyList<string[]> groups);

    /// <summary>Builds the database's index again from the terms the pages hold.</summary>
    Task RebuildAsync(KimberliteDb db, CancellationToken cancellationToken);
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
}

public sealed class PostgresFullTextIndex : IFullTextIndex
{
    // The expression is the GIN index's own, word for word, so that the planner uses it.
    public IQueryable<DocumentPage> Matching(KimberliteDb db, IReadOnlyList<string[]> groups) =>
        db.DocumentPages.FromSqlRaw("""SELECT p.* FROM "DocumentPages" AS p WHERE to_tsvector('simple'::regconfig, p."Terms") @@ to_tsquery('simple'::regconfig, {0})""", Query(groups));

    public static string Query(IReadOnlyList<string[]> groups) =>
        string.Join(" & ", groups.Select(g => "(" + string.Join(" | ", g) + ")"));

    public Task RebuildAsync(KimberliteDb db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync("""REINDEX INDEX "IX_DocumentPages_Terms_Search" """, cancellationToken);
}
