using Kimberlite.Field;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Files;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace Kimberlite.Imports;

/// <summary>A file checked on /import that waits for the analyst's decision: who sent it, when, and what they said of it.</summary>
public sealed class PendingUpload
{
    public Guid Id { get; set; }
    public int UserId { get; set; }
    /// <summary>The page's details (file name, title, publisher, address, date, sheet) as JSON; the file itself is in the file store, encrypted.</summary>
    public required string Details { get; set; }
    public bool HasMapping { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}

internal sealed class PendingUploadConfiguration : IEntityTypeConfiguration<PendingUpload>
{
    public void Configure(EntityTypeBuilder<PendingUpload> b)
    {
        b.HasIndex(u => u.CreatedAtUtc);
    }
}

/// <summary>What a waiting upload holds once opened: the file and its mapping, in memory only.</summary>
public sealed record OpenedUpload(PendingUpload Upload, byte[] Content, byte[]? Mapping);

/// <summary>
/// Uploads waiting between the check and the import, kept in the file store (so the check on one server and the import
/// on another both work) and encrypted under the reporter key, bound to the upload's identifier: a Kobo export names
/// reporters, and neither the disk nor a copy of the store alone shows them. Deleted on import, on cancel, or after
/// `Kimberlite:Files:PendingUploadMinutes`.
/// </summary>
public sealed class PendingUploads(KimberliteDb db, IFileStore files, ReporterProtector protector, IOptions<FileStoreOptions> options, TimeProvider clock)
{
    private static string FileName(Guid id) => $"uploads/{id:N}";
    private static string MappingName(Guid id) => $"uploads/{id:N}.mapping";

    public async Task<Guid> KeepAsync(int userId, string details, byte[] content, byte[]? mapping, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        await files.PutAsync(FileName(id), protector.Protect(content, id), cancellationToken);
        if (mapping is not null)
            await files.PutAsync(MappingName(id), protector.Protect(mapping, id), cancellationToken);
        db.PendingUploads.Add(new PendingUpload { Id = id, UserId = userId, Details = details, HasMapping = mapping is not null, CreatedAtUtc = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return id;
    }

    /// <summary>The upload, decrypted, if it is this person's and has not expired.</summary>
    public async Task<OpenedUpload?> OpenAsync(Guid id, int userId, CancellationToken cancellationToken)
    {
        var upload = await db.PendingUploads.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        // One person's upload is theirs alone to commit.
        if (upload is null || upload.UserId != userId || upload.CreatedAtUtc < ExpiredBefore)
            return null;
        if (await files.ReadAsync(FileName(id), cancellationToken) is not { } content)
            return null;
        var mapping = upload.HasMapping && await files.ReadAsync(MappingName(id), cancellationToken) is { } sealedMapping ? protector.Reveal(sealedMapping, id) : null;
        return new OpenedUpload(upload, protector.Reveal(content, id), mapping);
    }

    /// <summary>Removes the upload, its file and its mapping; one that is someone else's stays.</summary>
    public async Task DeleteAsync(Guid id, int? userId, CancellationToken cancellationToken)
    {
        if (userId is { } user && !await db.PendingUploads.AnyAsync(u => u.Id == id && u.UserId == user, cancellationToken))
            return;
        await files.DeleteAsync(FileName(id), cancellationToken);
        await files.DeleteAsync(MappingName(id), cancellationToken);
        await db.PendingUploads.Where(u => u.Id == id).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Removes every upload older than the setting; returns how many.</summary>
    public async Task<int> RemoveExpiredAsync(CancellationToken cancellationToken)
    {
        var expired = await db.PendingUploads.AsNoTracking().Where(u => u.CreatedAtUtc < ExpiredBefore).Select(u => u.Id).ToListAsync(cancellationToken);
        foreach (var id in expired)
            await DeleteAsync(id, null, cancellationToken);
        return expired.Count;
    }

    private DateTime ExpiredBefore => clock.GetUtcNow().UtcDateTime.AddMinutes(-options.Value.PendingUploadMinutes);
}

/// <summary>
/// Deletes expired uploads every few minutes. It runs on every web server; the database lock lets one of them do the
/// work each time, so two never delete the same upload at once.
/// </summary>
public sealed class PendingUploadCleanup(IServiceScopeFactory scopes, TimeProvider clock, ILogger<PendingUploadCleanup> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    /// <summary>One pass: false when another server was doing it.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var uploads = scope.ServiceProvider.GetRequiredService<PendingUploads>();
        return await scope.ServiceProvider.GetRequiredService<DatabaseLock>().TryRunAsync("pending-uploads", async token =>
        {
            if (await uploads.RemoveExpiredAsync(token) is > 0 and var removed)
                logger.LogInformation("Deleted {Count} uploads that waited too long for their import", removed);
        }, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first pass waits a whole interval: at start the database may not be reachable or migrated yet.
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database away for a moment: the next pass tries again.
                logger.LogWarning(e, "Deleting expired uploads failed; trying again in {Interval}", Interval);
            }
        }
    }
}

/// <summary>
/// A file an importer reads by path: written 0600 into a 0700 folder inside the data folder, deleted when disposed.
/// The bytes are on disk only while one request reads them.
/// </summary>
public sealed class TemporaryFile : IDisposable
{
    public string Path { get; }

    private TemporaryFile(string path) => Path = path;

    public static async Task<TemporaryFile> WriteAsync(string dataDirectory, byte[] content, CancellationToken cancellationToken)
    {
        var file = new TemporaryFile(System.IO.Path.Combine(dataDirectory, "tmp", Guid.NewGuid().ToString("N")));
        try
        {
            await using var stream = PrivateFiles.CreateFile(file.Path);
            await stream.WriteAsync(content, cancellationToken);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        return file;
    }

    public void Dispose() => File.Delete(Path);
}
