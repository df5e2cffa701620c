using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Files;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kimberlite.Library;

/// <summary>
/// Reads the text of waiting documents, one at a time: a document is claimed by an update only one server wins
/// (Waiting → Running), its progress written page by page, its pages handed to every <see cref="IPagesExtracted"/> and
/// saved together with Done; a failure is saved as Failed with the reason, for a person to retry.
/// </summary>
public sealed class DocumentExtractor(KimberliteDb db, IFileStore files, DocumentReader reader, IEnumerable<IPagesExtracted> hooks,
    IOptions<LibraryOptions> options, ILogger<DocumentExtractor> logger)
{
    /// <summary>Extracts the oldest waiting document; false when none waits.</summary>
    public async Task<bool> ExtractNextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = await db.Documents.AsNoTracking().Where(d => d.Extraction == ExtractionState.Waiting).OrderBy(d => d.Id)
                .Select(d => (int?)d.Id).FirstOrDefaultAsync(cancellationToken);
            if (next is not { } id)
                return false;
            if (await ExtractAsync(id, cancellationToken))
                return true;
            // Another server claimed it first: look again.
        }
    }

    /// <summary>Extracts one waiting document; false when it was not waiting (another server has it, or it is done).</summary>
    public async Task<bool> ExtractAsync(int id, CancellationToken cancellationToken)
    {
        var claimed = await db.Documents.Where(d => d.Id == id && d.Extraction == ExtractionState.Waiting)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Extraction, ExtractionState.Running).SetProperty(d => d.Attempts, d => d.Attempts + 1)
                .SetProperty(d => d.PagesDone, 0).SetProperty(d => d.ExtractionError, (string?)null), cancellationToken);
        if (claimed == 0)
            return false;
        try
        {
            await RunAsync(id, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Extracting document {Id} failed", id);
            db.ChangeTracker.Clear();
            // A save, not a bulk update: the public data version moves, so no cached answer still says it is running.
            var failed = await db.Documents.SingleAsync(d => d.Id == id, CancellationToken.None);
            failed.Extraction = ExtractionState.Failed;
            failed.ExtractionError = Describe(e);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            // The server stops: the document waits for the next one.
            await db.Documents.Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Extraction, ExtractionState.Waiting), CancellationToken.None);
            throw;
        }
        return true;
    }

    private async Task RunAsync(int id, CancellationToken cancellationToken)
    {
        var document = await db.Documents.SingleAsync(d => d.Id == id, cancellationToken);
        var content = await files.ReadAsync(document.StoredName, cancellationToken)
            ?? throw new ExtractionException($"The file {document.StoredName} is missing from the file store.");
        var count = DocumentReader.CountPages(content, document.Format);
        if (count > options.Value.MaxPages)
            throw new ExtractionException($"The document has {count} pages; the library reads at most {options.Value.MaxPages} (Kimberlite:Library:MaxPages).");
        await Progress(id, count ?? 0, 0, cancellationToken);
        var read = new List<ReadPage>();
        await foreach (var page in reader.ReadAsync(content, document.Format, cancellationToken))
        {
            read.Add(page);
            if (read.Count > options.Value.MaxPages)
                throw new ExtractionException($"The document has more than {options.Value.MaxPages} pages (Kimberlite:Library:MaxPages).");
            await Progress(id, Math.Max(count ?? 0, read.Count), read.Count, cancellationToken);
        }

        // A retry starts from nothing: the pages of an earlier attempt go, with what was made of them.
        await db.DocumentPages.Where(p => p.DocumentId == id).ExecuteDeleteAsync(cancellationToken);
        await db.DocumentMentions.Where(m => m.DocumentId == id).ExecuteDeleteAsync(cancellationToken);
        var pages = read.Select(p => new DocumentPage { DocumentId = id, Number = p.Number, Text = p.Text, Source = p.Source }).ToList();
        await db.Entry(document).ReloadAsync(cancellationToken);
        document.DetectedLanguage = LanguageDetector.Detect(string.Join('\n', read.Select(p => p.Text)));
        document.Language ??= document.DetectedLanguage;
        foreach (var hook in hooks.OrderBy(h => h.Order))
            await hook.OnExtractedAsync(db, document, pages, cancellationToken);
        db.DocumentPages.AddRange(pages);
        document.PageCount = document.PagesDone = pages.Count;
        document.Extraction = ExtractionState.Done;
        document.ExtractionError = null;
        await db.SaveChangesAsync(cancellationToken);
    }

    private Task Progress(int id, int count, int done, CancellationToken cancellationToken) =>
        db.Documents.Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.PageCount, count).SetProperty(d => d.PagesDone, done), cancellationToken);

    /// <summary>What a reader of the document page is told: the reason in one sentence, clipped to what the record holds.</summary>
    private static string Describe(Exception e)
    {
        var message = e is ExtractionException ? e.Message : $"The file could not be read ({e.GetType().Name}): {e.Message}";
        return message.Length > 2_000 ? message[..2_000] : message;
    }

    private sealed class ExtractionException(string message) : Exception(message);
}

/// <summary>
/// Extracts waiting documents in the background of every web server; an upload or a retry wakes it, else it looks every
/// few seconds. Two servers never extract the same document: each claims it with an update only one wins.
/// </summary>
public sealed class DocumentExtraction(IServiceScopeFactory scopes, IOptions<LibraryOptions> options, ILogger<DocumentExtraction> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        var reindexed = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                if (!reindexed)
                {
                    // Pages indexed before words were counted rank and match phrases badly until they are analysed again.
                    var stale = await scope.ServiceProvider.GetRequiredService<LibrarySearch>().ReindexAsync(stoppingToken, staleOnly: true);
                    if (stale > 0)
                        logger.LogInformation("Indexed {Pages} pages again for ranking", stale);
                    reindexed = true;
                }
                var extractor = scope.ServiceProvider.GetRequiredService<DocumentExtractor>();
                while (await extractor.ExtractNextAsync(stoppingToken))
                    scope.ServiceProvider.GetRequiredService<KimberliteDb>().ChangeTracker.Clear();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database away for a moment, or not yet migrated at start: the next pass tries again.
                logger.LogWarning(e, "Looking for documents to extract failed; trying again in {Poll}", poll);
            }
            try
            {
                await DocumentLibrary.Uploaded.WaitAsync(poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
