using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Files;
using Kimberlite.Statistics;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Library;

/// <summary>What a person says of a document; a field left null keeps its value (or its default on upload).</summary>
public sealed record DocumentMetadata(
    string? Title = null, DocumentType? Type = null, IReadOnlyList<string>? Countries = null, DateOnly? PublishedOn = null, string? Language = null,
    string? Publisher = null, string? SourceUrl = null, string? Licence = null, DocumentVisibility? Visibility = null, bool? StripMetadata = null,
    string? Organisation = null);

/// <summary>Who uploads or changes a document: a person with their analyst organisations, or the command line's operator.</summary>
public sealed record Librarian(int? UserId, string Actor, IReadOnlyList<int> AnalystOrganisations, bool Operator)
{
    public static Librarian Of(ClaimsPrincipal user) => new(user.UserId(), user.Actor(), user.OrganisationsWith(MemberRole.Analyst), false);
}

/// <summary>One problem with what was sent: the field, its resource key for the pages and its English sentence for the API.</summary>
public sealed record DocumentProblem(string Field, string Key, string English);

public enum DocumentUploadOutcome { Created, Repeated, Refused, Invalid }

public sealed record UploadResult(DocumentUploadOutcome Outcome, LibraryDocument? Document = null, Refusal? Refusal = null, string? Detail = null,
    IReadOnlyList<DocumentProblem>? Problems = null)
{
    public string? RefusalEnglish => Refusal is { } r ? Inspection.English(r, Detail) : null;
}

public enum ChangeOutcome { Done, NotFound, Forbidden, Invalid, Conflict }

public sealed record ChangeResult(ChangeOutcome Outcome, LibraryDocument? Document = null, IReadOnlyList<DocumentProblem>? Problems = null);

/// <summary>
/// The library's one workflow, used by the pages, the API and the command line: a file recognised by its content and
/// stored once by its SHA-256, its metadata checked, every upload, change of visibility and withdrawal audited; who
/// sees what (docs/ACCESS.md).
/// </summary>
public sealed class DocumentLibrary(KimberliteDb db, IFileStore files, AuditLog audit, TimeProvider clock)
{
    public static readonly string[] Languages = ["fr", "en", "pt"];

    /// <summary>The signal the background extraction waits on, so an upload is read at once rather than at the next poll.</summary>
    public static readonly SemaphoreSlim Uploaded = new(0);

    /// <summary>The largest file a page or API upload carries; the command line reads any size.</summary>
    public const int MaxUploadBytes = 100 * 1024 * 1024;

    /// <summary>Documents the person may find: public ones; coalition ones for members; an organisation's for its members. Never a withdrawn one.</summary>
    public IQueryable<LibraryDocument> Readable(ClaimsPrincipal user) => db.Documents.AsNoTracking().ReadableBy(user);

    /// <summary>What <see cref="Readable"/> holds, and the withdrawn records of the organisations where the person is an analyst.</summary>
    public IQueryable<LibraryDocument> Visible(ClaimsPrincipal user)
    {
        var analystOf = user.OrganisationsWith(MemberRole.Analyst);
        var readable = Readable(user).Select(d => d.Id);
        return db.Documents.AsNoTracking().Where(d => readable.Contains(d.Id)
            || d.WithdrawnAtUtc != null && d.OrganisationId != null && analystOf.Contains(d.OrganisationId.Value));
    }

    /// <summary>Analysts of the uploading organisation change a document; one the command line imported without an organisation, any analyst.</summary>
    public static bool CanChange(ClaimsPrincipal user, LibraryDocument document) =>
        document.OrganisationId is { } organisation ? user.HasRoleIn(organisation, MemberRole.Analyst) : user.HasRole(MemberRole.Analyst);

    public async Task<UploadResult> UploadAsync(byte[] content, string fileName, DocumentMetadata metadata, Librarian who, CancellationToken cancellationToken)
    {
        var inspection = DocumentReader.Inspect(content);
        if (inspection.Refusal is { } refusal)
            return new(DocumentUploadOutcome.Refused, Refusal: refusal, Detail: inspection.Detail);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        if (await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Sha256 == sha, cancellationToken) is { } existing)
            return new(DocumentUploadOutcome.Repeated, existing);

        var problems = new List<DocumentProblem>();
        var organisationId = await OrganisationAsync(metadata, who, problems, cancellationToken);
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        var now = clock.GetUtcNow().UtcDateTime;
        var document = new LibraryDocument
        {
            Sha256 = sha, StoredName = $"library/{sha}.{inspection.Format}", FileName = Clip(string.IsNullOrWhiteSpace(name) ? $"document.{inspection.Format}" : name, 255),
            Format = inspection.Format!, Length = content.Length,
            Title = Clip(inspection.Title ?? (Path.GetFileNameWithoutExtension(name) is { Length: > 0 } stem ? stem : sha[..12]), 500),
            Type = DocumentType.Other, Visibility = DocumentVisibility.Coalition, OrganisationId = organisationId,
            UploadedById = who.UserId, UploadedBy = who.Actor, UploadedAtUtc = now, UpdatedAtUtc = now,
        };
        Apply(document, metadata, problems);
        if (problems.Count > 0)
            return new(DocumentUploadOutcome.Invalid, Problems: problems);

        await files.PutAsync(document.StoredName, content, cancellationToken);
        db.Documents.Add(document);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same file sent twice at once: the other upload stored it.
            db.ChangeTracker.Clear();
            if (await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Sha256 == sha, cancellationToken) is { } raced)
                return new(DocumentUploadOutcome.Repeated, raced);
            throw;
        }
        await audit.AppendAsync(who.Actor, AuditActions.DocumentUploaded, $"document {document.Id}",
            $"{document.FileName} ({document.Format}, {document.Length} bytes, sha256 {sha}), {document.Visibility}", cancellationToken);
        Uploaded.Release();
        return new(DocumentUploadOutcome.Created, document);
    }

    public async Task<ChangeResult> ChangeAsync(ClaimsPrincipal user, int id, DocumentMetadata metadata, CancellationToken cancellationToken) =>
        await ChangeAsync(id, user, Librarian.Of(user), metadata, cancellationToken);

    private async Task<ChangeResult> ChangeAsync(int id, ClaimsPrincipal user, Librarian who, DocumentMetadata metadata, CancellationToken cancellationToken)
    {
        if (!await Visible(user).AnyAsync(d => d.Id == id, cancellationToken))
            return new(ChangeOutcome.NotFound);
        var document = await db.Documents.SingleAsync(d => d.Id == id, cancellationToken);
        if (!CanChange(user, document))
            return new(ChangeOutcome.Forbidden);
        if (document.WithdrawnAtUtc is not null)
            return new(ChangeOutcome.Conflict, document);
        var problems = new List<DocumentProblem>();
        var visibility = document.Visibility;
        Apply(document, metadata with { Organisation = null }, problems);
        if (problems.Count > 0)
            return new(ChangeOutcome.Invalid, Problems: problems);
        document.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(who.Actor, AuditActions.DocumentChanged, $"document {id}", $"metadata of \"{document.Title}\"", cancellationToken);
        if (visibility != document.Visibility)
            await audit.AppendAsync(who.Actor, AuditActions.DocumentVisibilityChanged, $"document {id}", $"{visibility} → {document.Visibility}", cancellationToken);
        return new(ChangeOutcome.Done, document);
    }

    /// <summary>Withdrawn: found by nobody any more, its record and file kept, with the reason.</summary>
    public async Task<ChangeResult> WithdrawAsync(ClaimsPrincipal user, int id, string? reason, CancellationToken cancellationToken)
    {
        if (!await Readable(user).AnyAsync(d => d.Id == id, cancellationToken))
            return new(ChangeOutcome.NotFound);
        var document = await db.Documents.SingleAsync(d => d.Id == id, cancellationToken);
        if (!CanChange(user, document))
            return new(ChangeOutcome.Forbidden);
        if (string.IsNullOrWhiteSpace(reason))
            return new(ChangeOutcome.Invalid, Problems: [new("reason", "Doc_ReasonRequired", "Say why the document is withdrawn in `reason`.")]);
        document.WithdrawnAtUtc = document.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        document.WithdrawnReason = Clip(reason.Trim(), 2_000);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(user.Actor(), AuditActions.DocumentWithdrawn, $"document {id}", document.WithdrawnReason, cancellationToken);
        return new(ChangeOutcome.Done, document);
    }

    /// <summary>A failed extraction waits again for the background extraction.</summary>
    public async Task<ChangeResult> RetryAsync(ClaimsPrincipal user, int id, CancellationToken cancellationToken)
    {
        if (await Readable(user).FirstOrDefaultAsync(d => d.Id == id, cancellationToken) is not { } document)
            return new(ChangeOutcome.NotFound);
        if (!CanChange(user, document))
            return new(ChangeOutcome.Forbidden);
        var failed = await db.Documents.SingleAsync(d => d.Id == id, cancellationToken);
        if (failed.Extraction != ExtractionState.Failed)
            return new(ChangeOutcome.Conflict, document);
        failed.Extraction = ExtractionState.Waiting;
        failed.ExtractionError = null;
        await db.SaveChangesAsync(cancellationToken);
        Uploaded.Release();
        return new(ChangeOutcome.Done, failed);
    }

    /// <summary>The file as it may leave: without its authors and software where the uploader asked.</summary>
    public async Task<byte[]?> DownloadAsync(LibraryDocument document, CancellationToken cancellationToken)
    {
        var content = await files.ReadAsync(document.StoredName, cancellationToken);
        return content is null || !document.StripMetadata ? content : MetadataStripper.Strip(content, document.Format);
    }

    public static string ContentType(string format) => format switch
    {
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt" => "application/vnd.oasis.opendocument.text",
        "html" => "text/html; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    };

    /// <summary>The uploader's organisation: the one named, where they are an analyst; else their only one; the operator's is optional.</summary>
    private async Task<int?> OrganisationAsync(DocumentMetadata metadata, Librarian who, List<DocumentProblem> problems, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(metadata.Organisation))
        {
            var acronym = metadata.Organisation.Trim();
            var id = await db.Organisations.AsNoTracking().Where(o => o.Acronym == acronym).Select(o => (int?)o.Id).FirstOrDefaultAsync(cancellationToken);
            if (id is null || !who.Operator && !who.AnalystOrganisations.Contains(id.Value))
                problems.Add(new("organisation", "Doc_NotYourOrganisation", $"'{acronym}' is not an organisation where you are an analyst."));
            return id;
        }
        if (who.Operator)
            return null;
        if (who.AnalystOrganisations.Count == 1)
            return who.AnalystOrganisations[0];
        problems.Add(new("organisation", "Doc_OrganisationNeeded", "You are an analyst in several organisations: say which one uploads the document in `organisation` (its acronym)."));
        return null;
    }

    private static void Apply(LibraryDocument document, DocumentMetadata m, List<DocumentProblem> problems)
    {
        if (m.Title is not null)
        {
            if (string.IsNullOrWhiteSpace(m.Title) || m.Title.Trim().Length > 500)
                problems.Add(new("title", "Doc_BadTitle", "A title has between 1 and 500 characters."));
            else
                document.Title = m.Title.Trim();
        }
        if (m.Type is { } type)
            document.Type = type;
        if (m.Countries is { } countries)
        {
            var codes = countries.SelectMany(c => c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(c => c.ToUpperInvariant()).Distinct().ToList();
            var unknown = codes.Where(c => !CountryCodes.IsKnown(c) || CountryCodes.IsAggregate(c)).ToList();
            if (unknown.Count > 0)
                problems.Add(new("countries", "Doc_BadCountries", $"Not countries: {string.Join(", ", unknown)}. Use ISO 3166 three-letter codes such as CAF."));
            else if (string.Join(',', codes) is { Length: > 100 })
                problems.Add(new("countries", "Doc_BadCountries", "Too many countries: at most 25."));
            else
                document.Countries = string.Join(',', codes);
        }
        if (m.PublishedOn is { } date)
            document.PublishedOn = date;
        if (m.Language is not null)
        {
            var language = m.Language.Trim().ToLowerInvariant();
            if (language.Length == 0)
                document.Language = document.DetectedLanguage;
            else if (!Languages.Contains(language))
                problems.Add(new("language", "Doc_BadLanguage", $"'{m.Language}' is not a language of the library: use fr, en or pt."));
            else
                document.Language = language;
        }
        document.Publisher = Text(m.Publisher, document.Publisher, 300, "publisher", problems);
        document.Licence = Text(m.Licence, document.Licence, 300, "licence", problems);
        if (m.SourceUrl is not null)
        {
            if (m.SourceUrl.Trim().Length == 0)
                document.SourceUrl = null;
            else if (!Uri.TryCreate(m.SourceUrl.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || m.SourceUrl.Length > 2_000)
                problems.Add(new("sourceUrl", "Doc_BadSourceUrl", "The source address is an http or https address."));
            else
                document.SourceUrl = url.ToString();
        }
        if (m.Visibility is { } visibility)
        {
            if (visibility == DocumentVisibility.Organisation && document.OrganisationId is null)
                problems.Add(new("visibility", "Doc_VisibilityNeedsOrganisation", "A document for one organisation names that organisation (`organisation`, its acronym)."));
            else
                document.Visibility = visibility;
        }
        if (m.StripMetadata is { } strip)
            document.StripMetadata = strip;
    }

    private static string? Text(string? value, string? current, int max, string field, List<DocumentProblem> problems)
    {
        if (value is null)
            return current;
        if (value.Trim().Length > max)
        {
            problems.Add(new(field, "Doc_TooLong", $"`{field}` has at most {max} characters."));
            return current;
        }
        return value.Trim().Length == 0 ? null : value.Trim();
    }

    private static string Clip(string value, int max) => value.Length > max ? value[..max] : value;

    public static string Describe(DocumentVisibility visibility) => visibility.ToString().ToLower(CultureInfo.InvariantCulture);
}
