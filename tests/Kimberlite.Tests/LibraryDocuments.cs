using Kimberlite.Library;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>Documents arranged as the extraction leaves them: the record, its pages, and the mention finder run over them.</summary>
public static class LibraryDocuments
{
    public static async Task<int> AddAsync(KimberliteApp app, string title, DocumentVisibility visibility, string organisation = "RELUFA", params string[] pages)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Infrastructure.Data.KimberliteDb>();
        var owner = await db.Organisations.SingleAsync(o => o.Acronym == organisation);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(title + Guid.NewGuid())));
        var document = new LibraryDocument
        {
            Sha256 = sha, StoredName = sha, FileName = "report.txt", Format = "txt", Title = title, Type = DocumentType.Report, Visibility = visibility,
            OrganisationId = owner.Id, UploadedBy = "test", UploadedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
            Extraction = ExtractionState.Done, PageCount = pages.Length, PagesDone = pages.Length,
        };
        db.Documents.Add(document);
        await db.SaveChangesAsync();
        var rows = pages.Select((text, i) => new DocumentPage { DocumentId = document.Id, Number = i + 1, Text = text, Source = PageSource.Text }).ToList();
        db.DocumentPages.AddRange(rows);
        foreach (var hook in scope.ServiceProvider.GetServices<IPagesExtracted>().OrderBy(h => h.Order))
            await hook.OnExtractedAsync(db, document, rows, CancellationToken.None);
        await db.SaveChangesAsync();
        return document.Id;
    }

    /// <summary>Runs the hooks again over the stored pages, as a retried extraction does.</summary>
    public static async Task ExtractAgainAsync(KimberliteApp app, int documentId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Infrastructure.Data.KimberliteDb>();
        var document = await db.Documents.SingleAsync(d => d.Id == documentId);
        var pages = await db.DocumentPages.Where(p => p.DocumentId == documentId).OrderBy(p => p.Number).ToListAsync();
        foreach (var hook in scope.ServiceProvider.GetServices<IPagesExtracted>().OrderBy(h => h.Order))
            await hook.OnExtractedAsync(db, document, pages, CancellationToken.None);
        await db.SaveChangesAsync();
    }

    public static Task<List<DocumentMention>> MentionsAsync(KimberliteApp app, int documentId) =>
        app.WithDb(db => db.DocumentMentions.AsNoTracking().Where(m => m.DocumentId == documentId).OrderBy(m => m.Page).ThenBy(m => m.Id).ToListAsync());
}
