using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Files;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.Options;

namespace Kimberlite.Library;

/// <summary>
/// Reads the text of waiting documents, one at a time: a document is claimed by an update only one server wins
/// (Waiting → Running, or Running past its lease when its server died), its progress written page by page with the lease
/// renewed, its pages handed to every <see cref="IPagesExtracted"/> and saved together with Done; a failure is saved as
/// Failed with the reason, for a person to retry.
/// </summary>
public sealed class DocumentExtractor(KimberliteDb db, IFileStore files, DocumentReader reader, IEnumerable<IPagesExtracted> hooks,
    IOptions<LibraryOptions> options, TimeProvider clock, ILogger<DocumentExtractor> logger)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private DateTime LeaseEnd => Now.AddSeconds(options.Value.ExtractionLeaseSeconds);

    /// <summary>Waiting documents, and running ones whose server stopped renewing its lease (stopped, killed, or cut off from the database).</summary>
    private IQueryable<LibraryDocument> Claimable(DateTime now) =>
        db.Documents.Where(d => d.Extraction == ExtractionState.Waiting
            || d.Extraction == ExtractionState.Running && (d.ExtractionLeaseUntilUtc == null || d.ExtractionLeaseUntilUtc < now));

    /// <summary>The document while this attempt still holds it: a server that took it over has counted another attempt.</summary>
    private IQueryable<LibraryDocument> Held(int id, int attempt) =>
        db.Documents.Where(d => d.Id == id && d.Attempts == attempt && d.Extraction == ExtractionState.Running);

    /// <summary>Extracts the oldest document waiting or abandoned by its server; false when there is none.</summary>
    public async Task<bool> ExtractNextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = await Claimable(Now).AsNoTracking().OrderBy(d => d.Id).Select(d => (int?)d.Id).FirstOrDefaultAsync(cancellationToken);
            if (next is not { } id)
                return false;
            if (await ExtractAsync(id, cancellationToken))
                return true;
            // Another server claimed it first: look again.
        }
    }

    /// <summary>Extracts one document waiting or abandoned by its server; false when another server holds it, or it is done.</summary>
    public async Task<bool> ExtractAsync(int id, CancellationToken cancellationToken)
    {
        var now = Now;
        if (await Claimable(now).AsNoTracking().Where(d => d.Id == id).Select(d => (int?)d.Attempts).FirstOrDefaultAsync(cancellationToken) is not { } before)
            return false;
        var attempt = before + 1;
        // One conditional update: of two servers claiming together, the second finds the lease renewed and the attempt counted, and claims nothing.
        var claimed = await Claimable(now).Where(d => d.Id == id && d.Attempts == before)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Extraction, ExtractionState.Running).SetProperty(d => d.Attempts, attempt)
                .SetProperty(d => d.PagesDone, 0).SetProperty(d => d.ExtractionError, (string?)null)
                .SetProperty(d => d.ExtractionLeaseUntilUtc, now.AddSeconds(options.Value.ExtractionLeaseSeconds)), cancellationToken);
        if (claimed == 0)
            return false;
        try
        {
            await RunAsync(id, attempt, cancellationToken);
        }
        catch (ClaimLostException)
        {
            // This server outlived its lease and another took the document over: that one finishes it.
            logger.LogWarning("Document {Id} was taken over by another server while this one read it; its reading here is dropped", id);
            db.ChangeTracker.Clear();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Extracting document {Id} failed", id);
            db.ChangeTracker.Clear();
            await WriteHeldAsync(id, attempt, s => s.SetProperty(d => d.Extraction, ExtractionState.Failed)
                .SetProperty(d => d.ExtractionError, Describe(e)).SetProperty(d => d.ExtractionLeaseUntilUtc, (DateTime?)null), CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            // The server stops: the document waits for the next one.
            await Held(id, attempt).ExecuteUpdateAsync(s => s.SetProperty(d => d.Extraction, ExtractionState.Waiting)
                .SetProperty(d => d.ExtractionLeaseUntilUtc, (DateTime?)null), CancellationToken.None);
            throw;
        }
        return true;
    }

    private async Task RunAsync(int id, int attempt, CancellationToken cancellationToken)
    {
        var document = await db.Documents.SingleAsync(d => d.Id == id, cancellationToken);
        var content = await files.ReadAsync(document.StoredName, cancellationToken)
            ?? throw new ExtractionException($"The file {document.StoredName} is missing from the file store.");
        var count = DocumentReader.CountPages(content, document.Format);
        if (count > options.Value.MaxPages)
            throw new ExtractionException($"The document has {count} pages; the library reads at most {options.Value.MaxPages} (Kimberlite:Library:MaxPages).");
        await Progress(id, attempt, count ?? 0, 0, cancellationToken);
        var read = new List<ReadPage>();
        await foreach (var page in reader.ReadAsync(content, document.Format, cancellationToken))
        {
            read.Add(page);
            if (read.Count > options.Value.MaxPages)
                throw new ExtractionException($"The document has more than {options.Value.MaxPages} pages (Kimberlite:Library:MaxPages).");
            await Progress(id, attempt, Math.Max(count ?? 0, read.Count), read.Count, cancellationToken);
        }

        // The pages are saved in one transaction that first checks the claim: a server that took the document over waits for its
        // commit (the row is locked by then) and finds it done, or this one finds it lost and writes nothing.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await Held(id, attempt).ExecuteUpdateAsync(s => s.SetProperty(d => d.ExtractionLeaseUntilUtc, LeaseEnd), cancellationToken) == 0)
            throw new ClaimLostException();
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
        document.ExtractionLeaseUntilUtc = null;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Progress renews the lease. It does not move the public data version (a long OCR would empty every server's cache at each page):
    /// answers that show an extraction under way are never stored (DocumentsApi).
    /// </summary>
    private async Task Progress(int id, int attempt, int count, int done, CancellationToken cancellationToken)
    {
        if (await Held(id, attempt).ExecuteUpdateAsync(s => s.SetProperty(d => d.PageCount, count).SetProperty(d => d.PagesDone, done)
                .SetProperty(d => d.ExtractionLeaseUntilUtc, LeaseEnd), cancellationToken) == 0)
            throw new ClaimLostException();
    }

    /// <summary>A bulk write while this attempt holds the document, moving the public data version at its commit, so no cached answer outlives it.</summary>
    private async Task WriteHeldAsync(int id, int attempt, Action<UpdateSettersBuilder<LibraryDocument>> set, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await Held(id, attempt).ExecuteUpdateAsync(set, cancellationToken) == 0)
            return;
        // A save of nothing inside the application's transaction marks work written in bulk (decision 028).
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>What a reader of the document page is told: the reason in one sentence, clipped to what the record holds.</summary>
    private static string Describe(Exception e)
    {
        var message = e is ExtractionException ? e.Message : $"The file could not be read ({e.GetType().Name}): {e.Message}";
        return message.Length > 2_000 ? message[..2_000] : message;
    }

    private sealed class ExtractionException(string message) : Exception(message);

    private sealed class ClaimLostException() : Exception("Another server took the document over.");
}

/// <summary>
/// Extracts waiting documents in the background of every web server; an upload or a retry wakes it, else it looks every
/// few seconds, also for documents whose server died mid-extraction. Two servers never extract the same document: each
/// claims it with an update only one wins.
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
