using System.Security.Claims;
using System.Security.Cryptography;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;

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

/// <summary>Stores evidence files, one request each, idempotent by their content.</summary>
public sealed class EvidenceStore(KimberliteDb db, string directory, AuditLog audit, TimeProvider clock)
{
    public const long MaxBytes = 25 * 1024 * 1024;

    public async Task<EvidenceResult> AddAsync(int incidentId, string fileName, byte[] content, int userId, string actor, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        if (await db.EvidenceFiles.AsNoTracking().FirstOrDefaultAsync(e => e.IncidentId == incidentId && e.UploadSha256 == hash, cancellationToken) is { } existing)
            return new EvidenceResult(false, existing);

        var (stored, contentType, reencoded, extension) = Clean(content, fileName);
        var name = $"{Convert.ToHexStringLower(SHA256.HashData(stored))}{extension}";
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        if (!File.Exists(path))
            await File.WriteAllBytesAsync(path, stored, cancellationToken);
        var evidence = new EvidenceFile
        {
            IncidentId = incidentId, UploadSha256 = hash, StoredName = name, FileName = Path.GetFileName(fileName)[..Math.Min(255, Path.GetFileName(fileName).Length)],
            ContentType = contentType, Length = stored.Length, Reencoded = reencoded, UploadedById = userId, UploadedAtUtc = clock.GetUtcNow().UtcDateTime,
        };
        db.EvidenceFiles.Add(evidence);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same file arrived twice at once (a retry over a broken connection): the other request recorded it.
            db.ChangeTracker.Clear();
            return new EvidenceResult(false, await db.EvidenceFiles.AsNoTracking().FirstAsync(e => e.IncidentId == incidentId && e.UploadSha256 == hash, cancellationToken));
        }
        db.ChangeTracker.Clear();
        await audit.AppendAsync(actor, AuditActions.EvidenceAdded, $"incident {incidentId}", $"{contentType}, {stored.Length:N0} bytes{(reencoded ? ", metadata removed" : "")}", cancellationToken);
        return new EvidenceResult(true, evidence);
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
        var path = Path.Combine(directory, found.File.StoredName);
        return File.Exists(path) ? (ReviewOutcome.Done, found.File, File.OpenRead(path)) : (ReviewOutcome.NotFound, null, null);
    }

    /// <summary>An image decoded and written again with no metadata at all; anything else as it came.</summary>
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

        using var image = Image.Load(content);
        image.Metadata.ExifProfile = null;
        image.Metadata.XmpProfile = null;
        image.Metadata.IptcProfile = null;
        image.Metadata.IccProfile = null;
        foreach (var frame in image.Frames)
        {
            frame.Metadata.ExifProfile = null;
            frame.Metadata.XmpProfile = null;
            frame.Metadata.IptcProfile = null;
            frame.Metadata.IccProfile = null;
        }
        using var output = new MemoryStream();
        // Photographs stay JPEG; everything else becomes PNG, which carries no camera metadata.
        if (format.Name == "JPEG")
        {
            image.SaveAsJpeg(output, new JpegEncoder { Quality = 90 });
            return (output.ToArray(), "image/jpeg", true, ".jpg");
        }
        image.SaveAsPng(output, new PngEncoder());
        return (output.ToArray(), "image/png", true, ".png");
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
