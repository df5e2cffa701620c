using System.Globalization;
using System.Security.Claims;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Api;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Library;

/// <summary>
/// A library document's metadata and where its text extraction stands: `extraction` waiting, running, done or failed
/// (`extractionError` says why), `pagesDone` of `pageCount` while it runs. `withdrawn` records only reach analysts of its organisation.
/// </summary>
public sealed record DocumentDto(
    int Id, string Title, DocumentType Type, IReadOnlyList<string> Countries, DateOnly? PublishedOn, string? Language, string? DetectedLanguage,
    string? Publisher, string? SourceUrl, string? Licence, DocumentVisibility Visibility, string? Organisation, bool StripMetadata,
    string FileName, string Format, long Length, string Sha256, DateTime UploadedAtUtc, ExtractionState Extraction, string? ExtractionError,
    int PageCount, int PagesDone, int Attempts, bool Withdrawn, string? WithdrawnReason, string FileUrl, string PageUrl);

/// <summary>One page's text; `source` text (the file's own), ocr (read by Tesseract) or scanned (an image nobody could read: not searchable).</summary>
public sealed record DocumentPageDto(int DocumentId, int Number, string Text, PageSource Source, bool Searchable);

/// <summary>Metadata to change; a field left out keeps its value. `language` empty returns to the detected language.</summary>
public sealed record DocumentInput(string? Title, DocumentType? Type, IReadOnlyList<string>? Countries, DateOnly? PublishedOn, string? Language,
    string? Publisher, string? SourceUrl, string? Licence, DocumentVisibility? Visibility, bool? StripMetadata)
{
    public DocumentMetadata ToMetadata() => new(Title, Type, Countries, PublishedOn, Language, Publisher, SourceUrl, Licence, Visibility, StripMetadata);
}

public sealed record WithdrawInput(string? Reason);

public static class DocumentsApi
{
    public static IEndpointRouteBuilder MapDocumentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/documents").WithTags("Library");
        group.MapPost("/", Upload).RequireAuthorization(Policies.Analyst).WithName("UploadDocument").DisableAntiforgery()
            .WithMetadata(new UploadLimitAttribute(DocumentLibrary.MaxUploadBytes)).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Uploads a PDF, DOCX, ODT, HTML or UTF-8 text file with its metadata (analysts); the same file again answers 200 with the document already stored")
            .WithDescription("multipart/form-data: `file`, and optionally `title` (else the file's own title or name), `type` (report, law, decree, contract, minutes, "
                + "press, other), `countries` (ISO3, repeated or comma-separated), `publishedOn` (yyyy-MM-dd), `language` (fr, en, pt; else detected), `publisher`, "
                + "`sourceUrl`, `licence`, `visibility` (public, coalition, organisation; coalition by default), `stripMetadata` (true to remove authors and software "
                + "from every copy handed out), `organisation` (an acronym, when you are an analyst in several). The format is recognised by the content, not the name; "
                + "a file that cannot be read is refused with the reason and nothing is kept. Text extraction then runs in the background: follow `extraction`.");
        group.MapGet("/catalogue", Catalogue).AllowAnonymous().WithName("DocumentCatalogue")
            .WithSummary("The metadata of every document you may read (the public reads the public ones), in JSON or with `?format=csv` in CSV");
        group.MapGet("/{id:int}", Get).AllowAnonymous().WithName("GetDocument")
            .WithSummary("A document's metadata and the state of its text extraction; a document you may not read answers 404")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:int}/file", Download).AllowAnonymous().WithName("DownloadDocument")
            .WithSummary("The document's file; without its authors and software (PDF Info and XMP, Office and ODF properties) where its uploader asked")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:int}/pages/{number:int}", Page).AllowAnonymous().WithName("GetDocumentPage")
            .WithSummary("The text of one page, numbered from 1").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:int}", Change).RequireAuthorization(Policies.Analyst).WithName("ChangeDocument")
            .WithSummary("Changes a document's metadata (analysts of its organisation); a field left out keeps its value; a change of visibility is audited")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:int}/retry", Retry).RequireAuthorization(Policies.Analyst).WithName("RetryDocumentExtraction")
            .WithSummary("Puts a document whose extraction failed back in the queue (analysts of its organisation)")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:int}/withdraw", Withdraw).RequireAuthorization(Policies.Analyst).WithName("WithdrawDocument")
            .WithSummary("Withdraws a document with its `reason` (analysts of its organisation): nobody finds it any more, its record stays")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<DocumentDto>, Ok<DocumentDto>, ValidationProblem>> Upload(
        HttpRequest request, ClaimsPrincipal user, DocumentLibrary library, KimberliteDb db, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
            return Invalid("file", "Send multipart/form-data with the document in the field `file`.");
        var form = await request.ReadFormAsync(cancellationToken);
        if (form.Files.GetFile("file") is not { } file)
            return Invalid("file", "The field `file` holds no file: send the document as multipart/form-data in `file`.");
        var errors = new Dictionary<string, string[]>();
        var metadata = ReadForm(form, errors);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        byte[] content;
        using (var memory = new MemoryStream())
        {
            await file.CopyToAsync(memory, cancellationToken);
            content = memory.ToArray();
        }
        var result = await library.UploadAsync(content, file.FileName, metadata, Librarian.Of(user), cancellationToken);
        return result.Outcome switch
        {
            DocumentUploadOutcome.Created => TypedResults.Created($"/api/v1/documents/{result.Document!.Id}", await DtoAsync(db, result.Document, cancellationToken)),
            DocumentUploadOutcome.Repeated => TypedResults.Ok(await DtoAsync(db, result.Document!, cancellationToken)),
            DocumentUploadOutcome.Refused => Invalid("file", result.RefusalEnglish!),
            _ => TypedResults.ValidationProblem(Errors(result.Problems!)),
        };
    }

    /// <summary>The metadata fields of an upload form, or what is wrong with them.</summary>
    public static DocumentMetadata ReadForm(IFormCollection form, Dictionary<string, string[]> errors)
    {
        string? Field(string name) => form.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString() : null;
        var type = ApiCodes.Parse<DocumentType>(Field("type"));
        if (Field("type") is { } t && type is null)
            errors["type"] = [$"'{t}' is not a type: use {ApiCodes.Names<DocumentType>()}."];
        var visibility = ApiCodes.Parse<DocumentVisibility>(Field("visibility"));
        if (Field("visibility") is { } v && visibility is null)
            errors["visibility"] = [$"'{v}' is not a visibility: use {ApiCodes.Names<DocumentVisibility>()}."];
        DateOnly? published = null;
        if (Field("publishedOn") is { } p)
        {
            if (DateOnly.TryParseExact(p.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                published = date;
            else
                errors["publishedOn"] = [$"'{p}' is not a date: write it yyyy-MM-dd."];
        }
        bool? strip = null;
        if (Field("stripMetadata") is { } s)
        {
            if (s is "on" or "true" or "True")
                strip = true;
            else if (bool.TryParse(s, out var b))
                strip = b;
            else
                errors["stripMetadata"] = [$"'{s}' is not true or false."];
        }
        var countries = form.TryGetValue("countries", out var c) ? c.Where(x => !string.IsNullOrWhiteSpace(x)).Select(x => x!).ToList() : null;
        return new DocumentMetadata(Field("title"), type, countries, published, Field("language"), Field("publisher"), Field("sourceUrl"),
            Field("licence"), visibility, strip, Field("organisation"));
    }

    private static async Task<Results<Ok<DocumentDto>, NotFound<ProblemDetails>>> Get(int id, ClaimsPrincipal user, DocumentLibrary library, KimberliteDb db,
        HttpResponse response, CancellationToken cancellationToken)
    {
        if (await library.Visible(user).FirstOrDefaultAsync(d => d.Id == id, cancellationToken) is not { } document)
            return NotFound(id);
        Live(response, [document]);
        return TypedResults.Ok(await DtoAsync(db, document, cancellationToken));
    }

    /// <summary>
    /// An answer showing an extraction under way is never stored by the public cache: its progress, written in bulk page by page,
    /// does not move the public data version (docs/decisions/032-library-documents.md). Its end and a retry are saves, which do.
    /// </summary>
    private static void Live(HttpResponse response, IEnumerable<LibraryDocument> documents)
    {
        if (documents.Any(d => d.Extraction is ExtractionState.Waiting or ExtractionState.Running))
            response.Headers.CacheControl = "no-store";
    }

    private static async Task<Results<FileContentHttpResult, NotFound<ProblemDetails>>> Download(int id, ClaimsPrincipal user, DocumentLibrary library, CancellationToken cancellationToken)
    {
        if (await library.Readable(user).FirstOrDefaultAsync(d => d.Id == id, cancellationToken) is not { } document
            || await library.DownloadAsync(document, cancellationToken) is not { } content)
            return NotFound(id);
        return TypedResults.File(content, DocumentLibrary.ContentType(document.Format), document.FileName);
    }

    private static async Task<Results<Ok<DocumentPageDto>, NotFound<ProblemDetails>>> Page(int id, int number, ClaimsPrincipal user, DocumentLibrary library, KimberliteDb db, CancellationToken cancellationToken)
    {
        var readable = library.Readable(user).Select(d => d.Id);
        var page = await db.DocumentPages.AsNoTracking().Where(p => p.DocumentId == id && p.Number == number && readable.Contains(p.DocumentId))
            .Select(p => new DocumentPageDto(p.DocumentId, p.Number, p.Text, p.Source, p.Source != PageSource.Scanned)).FirstOrDefaultAsync(cancellationToken);
        return page is not null ? TypedResults.Ok(page)
            : TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "No such page", Detail = $"Document {id} has no page {number} you may read: its text may not be extracted yet (see GET /api/v1/documents/{id})." });
    }

    private static async Task<Results<Ok<List<DocumentDto>>, FileContentHttpResult>> Catalogue(string? format, ClaimsPrincipal user, DocumentLibrary library, KimberliteDb db,
        HttpResponse response, CancellationToken cancellationToken)
    {
        var documents = await library.Readable(user).OrderBy(d => d.Id).ToListAsync(cancellationToken);
        Live(response, documents);
        var acronyms = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Acronym, cancellationToken);
        var rows = documents.Select(d => Dto(d, d.OrganisationId is { } o ? acronyms.GetValueOrDefault(o) : null)).ToList();
        if (!string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
            return TypedResults.Ok(rows);
        return CsvOutput.File(rows, "documents.csv",
            ("id", d => d.Id), ("title", d => d.Title), ("type", d => d.Type), ("countries", d => string.Join(' ', d.Countries)), ("publishedOn", d => d.PublishedOn),
            ("language", d => d.Language), ("publisher", d => d.Publisher), ("sourceUrl", d => d.SourceUrl), ("licence", d => d.Licence),
            ("visibility", d => d.Visibility), ("organisation", d => d.Organisation), ("fileName", d => d.FileName), ("format", d => d.Format),
            ("length", d => d.Length), ("sha256", d => d.Sha256), ("uploadedAtUtc", d => d.UploadedAtUtc), ("pageCount", d => d.PageCount), ("fileUrl", d => d.FileUrl));
    }

    private static async Task<Results<Ok<DocumentDto>, NotFound<ProblemDetails>, ForbidHttpResult, ValidationProblem, ProblemHttpResult>> Change(
        int id, DocumentInput input, ClaimsPrincipal user, DocumentLibrary library, KimberliteDb db, CancellationToken cancellationToken) =>
        await Answer(id, await library.ChangeAsync(user, id, input.ToMetadata(), cancellationToken), db,
            "The document is withdrawn: its metadata no longer changes.", cancellationToken);

    private static async Task<Results<Ok<DocumentDto>, NotFound<ProblemDetails>, ForbidHttpResult, ValidationProblem, ProblemHttpResult>> Retry(
        int id, ClaimsPrincipal user, DocumentLibrary library, KimberliteDb db, CancellationToken cancellationToken) =>
        await Answer(id, await library.RetryAsync(user, id, cancellationToken), db,
            "Only a failed extraction is retried: this one is waiting, running or done.", cancellationToken);

    private static async Task<Results<Ok<DocumentDto>, NotFound<ProblemDetails>, ForbidHttpResult, ValidationProblem, ProblemHttpResult>> Withdraw(
        int id, WithdrawInput input, ClaimsPrincipal user, DocumentLibrary library, KimberliteDb db, CancellationToken cancellationToken) =>
        await Answer(id, await library.WithdrawAsync(user, id, input.Reason, cancellationToken), db, "", cancellationToken);

    private static async Task<Results<Ok<DocumentDto>, NotFound<ProblemDetails>, ForbidHttpResult, ValidationProblem, ProblemHttpResult>> Answer(
        int id, ChangeResult result, KimberliteDb db, string conflict, CancellationToken cancellationToken) => result.Outcome switch
    {
        ChangeOutcome.Done => TypedResults.Ok(await DtoAsync(db, result.Document!, cancellationToken)),
        ChangeOutcome.NotFound => NotFound(id),
        ChangeOutcome.Forbidden => TypedResults.Forbid(),
        ChangeOutcome.Conflict => TypedResults.Problem(statusCode: 409, title: "Not possible in this state", detail: conflict),
        _ => TypedResults.ValidationProblem(Errors(result.Problems!)),
    };

    private static NotFound<ProblemDetails> NotFound(int id) =>
        TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "No such document", Detail = $"There is no document {id} you may read." });

    private static ValidationProblem Invalid(string field, string message) => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    private static Dictionary<string, string[]> Errors(IEnumerable<DocumentProblem> problems) =>
        problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.English).ToArray());

    private static async Task<DocumentDto> DtoAsync(KimberliteDb db, LibraryDocument d, CancellationToken cancellationToken) =>
        Dto(d, d.OrganisationId is { } o ? await db.Organisations.AsNoTracking().Where(x => x.Id == o).Select(x => x.Acronym).FirstOrDefaultAsync(cancellationToken) : null);

    private static DocumentDto Dto(LibraryDocument d, string? organisation) => new(
        d.Id, d.Title, d.Type, d.Countries.Split(',', StringSplitOptions.RemoveEmptyEntries), d.PublishedOn, d.Language, d.DetectedLanguage,
        d.Publisher, d.SourceUrl, d.Licence, d.Visibility, organisation, d.StripMetadata, d.FileName, d.Format, d.Length, d.Sha256, d.UploadedAtUtc,
        d.Extraction, d.ExtractionError, d.PageCount, d.PagesDone, d.Attempts, d.WithdrawnAtUtc is not null, d.WithdrawnReason,
        $"/api/v1/documents/{d.Id}/file", $"/library/{d.Id}");
}
