using System.Security.Claims;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Api;
using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kimberlite.Field;

/// <summary>A published incident as the public sees it: at a coarse place, with its public summary, nothing protected.</summary>
public sealed record PublicIncidentDto(int Id, string Category, DateOnly OccurredOn, string CountryIso3, double Latitude, double Longitude,
    double GridDegrees, string Severity, int? Killed, int? Injured, int? Affected, string Perpetrator, string? Summary, DateTime? PublishedAtUtc);

/// <summary>An incident as a member of its organisation sees it; the exact point for analysts and coordinators only.</summary>
public sealed record IncidentDto(int Id, Guid ClientId, string Organisation, string Status, string Category, DateOnly OccurredOn, string CountryIso3,
    double Latitude, double Longitude, bool Exact, int? PrecisionMetres, int? SiteId, string Severity, int? Killed, int? Injured, int? Affected,
    string Perpetrator, string Description, string? PublicSummary, bool HasReporter);

public sealed record SubmissionAnswer(int Id, string Kind, string Status);
public sealed record StatusChange(string? Status, string? Comment, string? PublicSummary);
public sealed record ReporterDto(int IncidentId, string? Name, string? Contact);
public sealed record EvidenceDto(int Id, int IncidentId, string ContentType, long Length, bool MetadataRemoved, string? Warning);
public sealed record SiteDto(int Id, string Name, string CountryIso3, string? Locality, double Latitude, double Longitude, string Kind, string Minerals, bool? InCompliantZone, string Source);

public static class FieldApi
{
    public static IEndpointRouteBuilder MapFieldApi(this IEndpointRouteBuilder app)
    {
        var field = app.MapGroup("/api/v1/field").WithTags("Field monitoring");
        field.MapPost("/submissions", Submit).RequireAuthorization(Policies.Monitor).WithName("SubmitFieldReport")
            .WithSummary("Records a field report once per clientId: a repeat answers 200 with the same record, a different body under the same clientId 409");
        field.MapGet("/incidents", Incidents).RequireAuthorization(Policies.Viewer).WithName("ListOrganisationIncidents")
            .WithSummary("The incidents of your organisations, published or not");
        field.MapPost("/incidents/{id:int}/status", ChangeStatus).RequireAuthorization(Policies.Analyst).WithName("ChangeIncidentStatus")
            .WithSummary("A verification step: review, verify, reject, publish (with a public summary)");
        field.MapPost("/incidents/{id:int}/evidence", AddEvidence).RequireAuthorization(Policies.Monitor).WithName("AddIncidentEvidence")
            .DisableAntiforgery()
            .WithSummary("One evidence file (multipart field `file`), idempotent by its content; images are stored without their metadata (EXIF, GPS…), other files as given");
        field.MapGet("/incidents/{id:int}/reporter", Reporter).RequireAuthorization(Policies.Coordinator).WithName("ReadIncidentReporter")
            .WithSummary("The reporter's name and contact, for the coordinators of the incident's organisation; every read is audited");

        app.MapGet("/api/v1/incidents", PublishedIncidents).AllowAnonymous().WithTags("Field monitoring").WithName("ListPublishedIncidents")
            .WithSummary("Published incidents at a coarse place (the centre of a grid cell), never the exact point");
        app.MapGet("/api/v1/sites", Sites).AllowAnonymous().WithTags("Field monitoring").WithName("ListMiningSites")
            .WithSummary("Mining sites with their coordinates and source (IPIS for the bundled sites of western Central African Republic, ODC-BY)");
        return app;
    }

    private static async Task<Results<Created<SubmissionAnswer>, Ok<SubmissionAnswer>, ValidationProblem, ProblemHttpResult>> Submit(
        FieldSubmission submission, ClaimsPrincipal user, FieldSubmissions submissions, CancellationToken cancellationToken)
    {
        var result = await submissions.SubmitAsync(submission, user.UserId()!.Value, user.OrganisationsWith(MemberRole.Monitor), user.Actor(), cancellationToken);
        return result.Outcome switch
        {
            SubmissionOutcome.Created => TypedResults.Created(result.Kind == "incident" ? $"/api/v1/field/incidents/{result.Id}" : null, new SubmissionAnswer(result.Id!.Value, result.Kind!, "submitted")),
            SubmissionOutcome.Repeated => TypedResults.Ok(new SubmissionAnswer(result.Id!.Value, result.Kind!, "submitted")),
            SubmissionOutcome.Conflict => TypedResults.Problem(statusCode: 409, title: "This clientId is already used by a different submission",
                detail: $"The {result.Kind} {result.Id} was recorded under this clientId with other content. A new report needs a new clientId; a repeat must be the same body."),
            _ => TypedResults.ValidationProblem(result.Errors),
        };
    }

    private static async Task<Ok<List<IncidentDto>>> Incidents(ClaimsPrincipal user, KimberliteDb db, IOptions<FieldOptions> options, CancellationToken cancellationToken)
    {
        var mine = user.OrganisationsWith(MemberRole.Viewer);
        var incidents = await db.Incidents.AsNoTracking().Where(i => mine.Contains(i.OrganisationId)).OrderByDescending(i => i.Id).Take(1000).ToListAsync(cancellationToken);
        var names = await db.Organisations.AsNoTracking().Where(o => mine.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Acronym, cancellationToken);
        return TypedResults.Ok(incidents.Select(i =>
        {
            var exact = user.HasRoleIn(i.OrganisationId, MemberRole.Analyst);
            var (lat, lon) = exact ? (i.Latitude, i.Longitude) : Coarse.Point(i.Latitude, i.Longitude, options.Value.PublicGridDegrees);
            return new IncidentDto(i.Id, i.ClientId, names[i.OrganisationId], Code(i.Status), Code(i.Category), i.OccurredOn, i.CountryIso3, lat, lon, exact,
                i.PrecisionMetres, i.SiteId, Code(i.Severity), i.Killed, i.Injured, i.Affected, Code(i.Perpetrator), i.Description, i.PublicSummary,
                i.ReporterName is not null || i.ReporterContact is not null);
        }).ToList());
    }

    private static async Task<Results<Ok<SubmissionAnswer>, NotFound, ForbidHttpResult, ValidationProblem>> ChangeStatus(
        int id, StatusChange change, ClaimsPrincipal user, IncidentReview review, CancellationToken cancellationToken)
    {
        var next = change.Status?.Replace("-", "", StringComparison.Ordinal);
        var status = Enum.TryParse<IncidentStatus>(next, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : (IncidentStatus)0;
        var (outcome, incident) = await review.StepAsync(user, id, status, change.Comment, change.PublicSummary, cancellationToken);
        return outcome switch
        {
            ReviewOutcome.Done => TypedResults.Ok(new SubmissionAnswer(id, "incident", Code(status))),
            ReviewOutcome.NotFound => TypedResults.NotFound(),
            ReviewOutcome.Forbidden => TypedResults.Forbid(),
            ReviewOutcome.SummaryNeeded => TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["publicSummary"] = ["Publishing needs a public summary: what the public may read, which can differ from the internal description."],
            }),
            _ => TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["status"] = [$"From {Code(incident!.Status)} the next step is one of: {string.Join(", ", Enum.GetValues<IncidentStatus>().Where(s => Workflow.Allowed(incident.Status, s)).Select(Code))}."],
            }),
        };
    }

    private static async Task<Results<Created<EvidenceDto>, Ok<EvidenceDto>, NotFound, ForbidHttpResult, ValidationProblem>> AddEvidence(
        int id, IFormFile? file, ClaimsPrincipal user, KimberliteDb db, EvidenceStore evidence, CancellationToken cancellationToken)
    {
        var organisation = await db.Incidents.AsNoTracking().Where(i => i.Id == id).Select(i => (int?)i.OrganisationId).FirstOrDefaultAsync(cancellationToken);
        if (organisation is null)
            return TypedResults.NotFound();
        if (!user.HasRoleIn(organisation.Value, MemberRole.Monitor))
            return TypedResults.Forbid();
        if (file is null || file.Length == 0 || file.Length > EvidenceStore.MaxBytes)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [$"Send one file (multipart field `file`) of at most {EvidenceStore.MaxBytes / 1024 / 1024} MB."] });
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var result = await evidence.AddAsync(id, file.FileName, buffer.ToArray(), user.UserId()!.Value, user.Actor(), cancellationToken);
        var dto = new EvidenceDto(result.File.Id, id, result.File.ContentType, result.File.Length, result.File.Reencoded,
            result.File.Reencoded ? null : "Stored as sent: only images are cleaned of their metadata. A document or recording can still name its author or place; check it before sending.");
        return result.Created ? TypedResults.Created((string?)null, dto) : TypedResults.Ok(dto);
    }

    private static async Task<Results<Ok<ReporterDto>, NotFound, ForbidHttpResult>> Reporter(int id, ClaimsPrincipal user, IncidentReview review, CancellationToken cancellationToken)
    {
        var (outcome, name, contact) = await review.RevealAsync(user, id, cancellationToken);
        return outcome switch
        {
            ReviewOutcome.Done => TypedResults.Ok(new ReporterDto(id, name, contact)),
            ReviewOutcome.NotFound => TypedResults.NotFound(),
            _ => TypedResults.Forbid(),
        };
    }

    private static async Task<Results<Ok<List<PublicIncidentDto>>, FileContentHttpResult, ValidationProblem>> PublishedIncidents(
        KimberliteDb db, IOptions<FieldOptions> options, string? format, CancellationToken cancellationToken)
    {
        if (Format(format) is not { } chosen)
            return FormatProblem(format);
        var grid = options.Value.PublicGridDegrees;
        // Only what the public may see leaves the database: no description, no reporter, and the point made coarse below.
        var published = await db.Incidents.AsNoTracking().Where(i => i.Status == IncidentStatus.Published).OrderByDescending(i => i.OccurredOn)
            .Select(i => new { i.Id, i.Category, i.OccurredOn, i.CountryIso3, i.Latitude, i.Longitude, i.Severity, i.Killed, i.Injured, i.Affected, i.Perpetrator, i.PublicSummary, i.PublishedAtUtc })
            .ToListAsync(cancellationToken);
        var rows = published.Select(i =>
        {
            var (lat, lon) = Coarse.Point(i.Latitude, i.Longitude, grid);
            return new PublicIncidentDto(i.Id, Code(i.Category), i.OccurredOn, i.CountryIso3, lat, lon, grid, Code(i.Severity), i.Killed, i.Injured, i.Affected,
                Code(i.Perpetrator), i.PublicSummary, i.PublishedAtUtc);
        }).ToList();
        return chosen switch
        {
            "csv" => CsvOutput.File(rows, "incidents.csv", ("id", r => r.Id), ("category", r => r.Category), ("occurred_on", r => r.OccurredOn),
                ("country_iso3", r => r.CountryIso3), ("latitude", r => r.Latitude), ("longitude", r => r.Longitude), ("grid_degrees", r => r.GridDegrees),
                ("severity", r => r.Severity), ("killed", r => r.Killed), ("injured", r => r.Injured), ("affected", r => r.Affected),
                ("perpetrator", r => r.Perpetrator), ("summary", r => r.Summary), ("published_at_utc", r => r.PublishedAtUtc)),
            "geojson" => GeoJsonOutput.File(rows, "incidents.geojson", r => (r.Latitude, r.Longitude)),
            _ => TypedResults.Ok(rows),
        };
    }

    private static async Task<Results<Ok<List<SiteDto>>, FileContentHttpResult, ValidationProblem>> Sites(KimberliteDb db, string? country, string? format, CancellationToken cancellationToken)
    {
        if (Format(format) is not { } chosen)
            return FormatProblem(format);
        var query = db.MiningSites.AsNoTracking();
        if (country is { Length: 3 })
            query = query.Where(s => s.CountryIso3 == country.ToUpper());
        var sites = await query.OrderBy(s => s.Name).ThenBy(s => s.Id).ToListAsync(cancellationToken);
        var rows = sites.Select(s => new SiteDto(s.Id, s.Name, s.CountryIso3, s.Locality, s.Latitude, s.Longitude, Code(s.Kind), s.Minerals, s.InCompliantZone, s.Source)).ToList();
        return chosen switch
        {
            "csv" => CsvOutput.File(rows, "sites.csv", ("id", r => r.Id), ("name", r => r.Name), ("country_iso3", r => r.CountryIso3), ("locality", r => r.Locality),
                ("latitude", r => r.Latitude), ("longitude", r => r.Longitude), ("kind", r => r.Kind), ("minerals", r => r.Minerals),
                ("in_compliant_zone", r => r.InCompliantZone), ("source", r => r.Source)),
            "geojson" => GeoJsonOutput.File(rows, "sites.geojson", r => (r.Latitude, r.Longitude)),
            _ => TypedResults.Ok(rows),
        };
    }

    private static string? Format(string? format) => format?.ToLowerInvariant() switch
    {
        null or "" or "json" => "json",
        "csv" => "csv",
        "geojson" => "geojson",
        _ => null,
    };

    private static ValidationProblem FormatProblem(string? format) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = [$"'{format}' is not a format of this list: use json, csv or geojson."] });


    /// <summary>camelCase, as every enum of the API is written (armedGroup, underReview).</summary>
    private static string Code<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}

/// <summary>The verification workflow: submitted → under review → verified or rejected → published.</summary>
public static class Workflow
{
    public static bool Allowed(IncidentStatus from, IncidentStatus to) => (from, to) switch
    {
        (IncidentStatus.Submitted, IncidentStatus.UnderReview) => true,
        (IncidentStatus.UnderReview, IncidentStatus.Verified or IncidentStatus.Rejected) => true,
        (IncidentStatus.Verified, IncidentStatus.Published) => true,
        _ => false,
    };
}

/// <summary>Where a published incident is shown: the centre of the grid cell it falls in, never the point itself.</summary>
public static class Coarse
{
    public static (double Latitude, double Longitude) Point(double latitude, double longitude, double grid) =>
        (Math.Round((Math.Floor(latitude / grid) + 0.5) * grid, 6), Math.Round((Math.Floor(longitude / grid) + 0.5) * grid, 6));
}
