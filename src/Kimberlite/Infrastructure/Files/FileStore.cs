using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kimberlite.Infrastructure.Files;

/// <summary>
/// Where evidence files and waiting uploads live, shared by every web server of one database: the database itself
/// (the default, so a database backup holds them) or an S3-compatible object store, chosen once at start-up.
/// </summary>
public interface IFileStore
{
    /// <summary>
    /// Stores the bytes under the name, unless that name is stored already. The database store adds them to the
    /// request's unit of work, written by the caller's next SaveChangesAsync with the row that names them; an object
    /// store writes them at once.
    /// </summary>
    Task PutAsync(string name, byte[] content, CancellationToken cancellationToken);

    /// <summary>The bytes stored under the name, or null.</summary>
    Task<byte[]?> ReadAsync(string name, CancellationToken cancellationToken);

    /// <summary>Removes the file at once; a name not stored is no error.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);
}

/// <summary>One file kept in the database: a bytea on PostgreSQL, a BLOB on SQLite.</summary>
public sealed class StoredFile
{
    /// <summary>A path-like name: evidence/{sha256}.jpg, uploads/{id}.</summary>
    public required string Name { get; set; }
    public required byte[] Content { get; set; }
    public long Length { get; set; }
    public DateTime StoredAtUtc { get; set; }
}

internal sealed class StoredFileConfiguration : IEntityTypeConfiguration<StoredFile>
{
    public void Configure(EntityTypeBuilder<StoredFile> b)
    {
        b.HasKey(f => f.Name);
        b.Property(f => f.Name).HasMaxLength(200);
    }
}

/// <summary>Files as rows of StoredFiles, in the transaction of the row that refers to them.</summary>
public sealed class DatabaseFileStore(Data.KimberliteDb db, TimeProvider clock) : IFileStore
{
    public async Task PutAsync(string name, byte[] content, CancellationToken cancellationToken)
    {
        if (db.StoredFiles.Local.Any(f => f.Name == name) || await db.StoredFiles.AnyAsync(f => f.Name == name, cancellationToken))
            return;
        db.StoredFiles.Add(new StoredFile { Name = name, Content = content, Length = content.Length, StoredAtUtc = clock.GetUtcNow().UtcDateTime });
    }

    public Task<byte[]?> ReadAsync(string name, CancellationToken cancellationToken) =>
        db.StoredFiles.AsNoTracking().Where(f => f.Name == name).Select(f => f.Content).FirstOrDefaultAsync(cancellationToken);

    public Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        db.StoredFiles.Where(f => f.Name == name).ExecuteDeleteAsync(cancellationToken);
}
