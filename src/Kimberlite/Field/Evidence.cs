using System.Linq.Expressions;
using System.Security.Claims;
using System.Security.Cryptography;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Files;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Kimberlite.Field;

/// <summary>
/// A file attached to an incident. Images are stored re-encoded, without their EXIF, XMP, IPTC or GPS
/// metadata; the original bytes are never written. Other files are stored as given, and the uploader is warned.
/// </summary>
public sealed class EvidenceFile
{
    public int Id { get; set; }
    public int IncidentId { get; set; }
    /// <summary>SHA-256 of the bytes the device sent: the same file sent again is the same evidence.</summary>
    public required string UploadSha256 { get; set; }
    public required string StoredName { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Length { get; set; }
    public bool Reencoded { get; set; }
    public int UploadedById { get; set; }
    public DateTime UploadedAtUtc { get; set; }
}

internal sealed class EvidenceFileConfiguration : IEntityTypeConfiguration<EvidenceFile>
{
    public void Configure(EntityTypeBuilder<EvidenceFile> b)
    {
        b.HasIndex(e => new { e.IncidentId, e.UploadSha256 }).IsUnique();
        b.Property(e => e.UploadSha256).HasMaxLength(64);
        b.Property(e => e.StoredName).HasMaxLength(100);
        b.Property(e => e.FileName).HasMaxLength(255);
        b.Property(e => e.ContentType).HasMaxLength(100);
        b.HasOne<Incident>().WithMany().HasForeignKey(e => e.IncidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record EvidenceResult(bool Created, EvidenceFile File);

public enum UploadOutcome { Stored, NotFound, Forbidden, Refused }

/// <summary>What became of one uploaded file: stored (again or for the first time), or why not; Error says what to change.</summary>
public sealed record EvidenceUpload(UploadOutcome Outcome, EvidenceResult? Result = null, string? Error = null);

/// <summary>An image that cannot be decoded, or is too large to: refused, since it cannot be cleaned.</summary>
public sealed class UnreadableImageException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Stores evidence files, one request each, idempotent by their content.</summary>
public sealed class EvidenceStore(KimberliteDb db, IFileStore files, AuditLog audit, TimeProvider clock)
{
    public const long MaxBytes = 25 * 1024 * 1024;

    /// <summary>The name of a stored evidence file in the file store.</summary>
    public static string FileStoreName(string storedName) => $"evidence/{storedName}";

    public async Task<EvidenceResult> AddAsync(int incidentId, string fileName, byte[] content, int userId, string actor, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        if (await db.EvidenceFiles.AsNoTracking().FirstOrDefaultAsync(e => e.IncidentId == incidentId && e.UploadSha256 == hash, cancellationToken) is { } existing)
            return new EvidenceResult(false, existing);

        var (stored, contentType, reencoded, extension) = Clean(content, fileName);
        var name = $"{Convert.ToHexStringLower(SHA256.HashData(stored))}{extension}";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RecordAsync(incidentId, hash, name, fileName, stored, contentType, reencoded, extension, userId, actor, cancellationToken);
            }
            catch (DbUpdateException) when (attempt == 1)
            {
                // The same file arrived twice at once (a retry over a broken connection, or on two servers): the other request recorded it,
                // or stored the same bytes for another incident, and then this one records its row beside them.
                db.ChangeTracker.Clear();
                if (await db.EvidenceFiles.AsNoTracking().FirstOrDefaultAsync(e => e.IncidentId == incidentId && e.UploadSha256 == hash, cancellationToken) is { } recorded)
                    return new EvidenceResult(false, recorded);
            }
        }
    }

    private async Task<EvidenceResult> RecordAsync(int incidentId, string hash, string name, string fileName, byte[] stored, string contentType, bool reencoded, string extension, int userId, string actor, CancellationToken cancellationToken)
    {
        // The bytes and the row that names them are written in one transaction where the store is the database.
        await files.PutAsync(FileStoreName(name), stored, cancellationToken);
        var evidence = new EvidenceFile
        {
            IncidentId = incidentId, UploadSha256 = hash, StoredName = name, FileName = StoredFileName(fileName, reencoded ? extension : null),
            ContentType = contentType, Length = stored.Length, Reencoded = reencoded, UploadedById = userId, UploadedAtUtc = clock.GetUtcNow().UtcDateTime,
        };
        db.EvidenceFiles.Add(evidence);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        await audit.AppendAsync(actor, AuditActions.EvidenceAdded, $"incident {incidentId}", $"{contentType}, {stored.Length:N0} bytes{(reencoded ? ", metadata removed" : "")}", cancellationToken);
        return new EvidenceResult(true, evidence);
    }

    /// <summary>
    /// One file sent for an incident (the API names it by its number, the offline form by its clientId), by a
    /// monitor of the incident's organisation, within the size limit; an image that cannot be cleaned is refused.
    /// </summary>
    public async Task<EvidenceUpload> UploadAsync(ClaimsPrincipal user, Expression<Func<Incident, bool>> incident, IFormFile? file, CancellationToken cancellationToken)
    {
        var found = await db.Incidents.AsNoTracking().Where(incident).Select(i => new { i.Id, i.OrganisationId }).FirstOrDefaultAsync(cancellationToken);
        if (found is null)
            return new EvidenceUpload(UploadOutcome.NotFound);
        if (!user.HasRoleIn(found.OrganisationId, MemberRole.Monitor))
            return new EvidenceUpload(UploadOutcome.Forbidden);
        if (file is null || file.Length == 0 || file.Length > MaxBytes)
            return new EvidenceUpload(UploadOutcome.Refused, Error: $"Send one file (multipart field `file`) of at most {MaxBytes / 1024 / 1024} MB.");
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        try
        {
            return new EvidenceUpload(UploadOutcome.Stored, await AddAsync(found.Id, file.FileName, buffer.ToArray(), user.UserId()!.Value, user.Actor(), cancellationToken));
        }
        catch (UnreadableImageException e)
        {
            return new EvidenceUpload(UploadOutcome.Refused, Error: e.Message);
        }
    }

    /// <summary>A stored file, for the analysts and coordinators of its incident's organisation, who verify it.</summary>
    public async Task<(ReviewOutcome Outcome, EvidenceFile? File, Stream? Content)> OpenAsync(ClaimsPrincipal user, int id, CancellationToken cancellationToken)
    {
        var found = await (from e in db.EvidenceFiles.AsNoTracking()
                           join i in db.Incidents.AsNoTracking() on e.IncidentId equals i.Id
                           where e.Id == id
                           select new { File = e, i.OrganisationId }).FirstOrDefaultAsync(cancellationToken);
        if (found is null)
            return (ReviewOutcome.NotFound, null, null);
        if (!user.HasRoleIn(found.OrganisationId, MemberRole.Analyst))
            return (ReviewOutcome.Forbidden, null, null);
        return await files.ReadAsync(FileStoreName(found.File.StoredName), cancellationToken) is { } content
            ? (ReviewOutcome.Done, found.File, new MemoryStream(content, writable: false))
            : (ReviewOutcome.NotFound, null, null);
    }

    /// <summary>
    /// Evidence an earlier version wrote to the data folder moves into the file store, once, and leaves the disk:
    /// every server then reads it, and a database backup holds it. Returns how many files moved.
    /// </summary>
    public async Task<int> MoveIntoStoreAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
            return 0;
        var moved = 0;
        foreach (var path in Directory.EnumerateFiles(directory).ToList())
        {
            try
            {
                await files.PutAsync(FileStoreName(Path.GetFileName(path)), await File.ReadAllBytesAsync(path, cancellationToken), cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another server moved the same file at the same moment.
            }
            db.ChangeTracker.Clear();
            File.Delete(path);
            moved++;
        }
        if (!Directory.EnumerateFileSystemEntries(directory).Any())
            Directory.Delete(directory);
        return moved;
    }

    /// <summary>Pixels enough for any phone's photograph; a larger image is refused before it is decoded into memory.</summary>
    public const long MaxPixels = 60_000_000;

    /// <summary>
    /// An image decoded and written again from its pixels alone, into a new image that never had any
    /// metadata (EXIF, XMP, IPTC, ICC, PNG text, GIF comments); anything else as it came.
    /// </summary>
    private static (byte[] Bytes, string ContentType, bool Reencoded, string Extension) Clean(byte[] content, string fileName)
    {
        IImageFormat? format;
        try
        {
            format = Image.DetectFormat(content);
        }
        catch (Exception e) when (e is InvalidImageContentException or UnknownImageFormatException or NotSupportedException)
        {
            format = null;
        }
        if (format is null || format.Name is not ("JPEG" or "PNG" or "GIF" or "BMP" or "WEBP" or "TGA" or "TIFF"))
            return (content, ContentTypeOf(fileName), false, Path.GetExtension(fileName).ToLowerInvariant() is { Length: > 1 and <= 8 } ext ? ext : ".bin");

        // An image that cannot be decoded is refused, never stored as sent: its metadata would go with it.
        try
        {
            if (Image.Identify(content) is not { } info || (long)info.Width * info.Height > MaxPixels)
                throw new UnreadableImageException($"The image is larger than {MaxPixels / 1_000_000} million pixels: send a smaller photograph.");
            using var image = Image.Load<Rgba32>(content);
            // Row by row into a new image: two images in memory at a time, not three.
            using var clean = new Image<Rgba32>(image.Width, image.Height);
            image.ProcessPixelRows(clean, (source, target) =>
            {
                for (var y = 0; y < source.Height; y++)
                    source.GetRowSpan(y).CopyTo(target.GetRowSpan(y));
            });
            using var output = new MemoryStream();
            // Photographs stay JPEG; everything else becomes PNG.
            if (format.Name == "JPEG")
            {
                clean.SaveAsJpeg(output, new JpegEncoder { Quality = 90 });
                return (output.ToArray(), "image/jpeg", true, ".jpg");
            }
            clean.SaveAsPng(output, new PngEncoder());
            return (output.ToArray(), "image/png", true, ".png");
        }
        catch (Exception e) when (e is ImageFormatException or InvalidImageContentException or UnknownImageFormatException or NotSupportedException or SixLabors.ImageSharp.Memory.InvalidMemoryOperationException)
        {
            throw new UnreadableImageException("The image cannot be read (cut off or damaged): send it again, or the original photograph.", e);
        }
    }

    /// <summary>The name the uploader gave, without any folder, with the extension of what is stored (a GIF kept as PNG is photo.png).</summary>
    private static string StoredFileName(string fileName, string? extension)
    {
        var name = Path.GetFileName(fileName);
        if (extension is not null && !string.Equals(Path.GetExtension(name), extension, StringComparison.OrdinalIgnoreCase)
            && !(extension == ".jpg" && Path.GetExtension(name).Equals(".jpeg", StringComparison.OrdinalIgnoreCase)))
            name = Path.GetFileNameWithoutExtension(name) + extension;
        if (name.Length == 0)
            name = "evidence" + (extension ?? ".bin");
        return name.Length <= 255 ? name : name[^255..];
    }

    private static string ContentTypeOf(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".pdf" => "application/pdf",
        ".mp3" => "audio/mpeg",
        ".m4a" => "audio/mp4",
        ".ogg" or ".oga" or ".opus" => "audio/ogg",
        ".wav" => "audio/wav",
        ".amr" => "audio/amr",
        ".mp4" => "video/mp4",
        ".txt" => "text/plain",
        ".doc" => "application/msword",
        ".docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    };
}
