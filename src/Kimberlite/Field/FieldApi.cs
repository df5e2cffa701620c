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
public sealed record EvidenceDto(int Id, int IncidentId, string FileName, string ContentType, long Length, bool MetadataRemoved, string? Warning, string Address)
{
    public static EvidenceDto Of(EvidenceFile f) => new(f.Id, f.IncidentId, f.FileName, f.ContentType, f.Length, f.Reencoded,
        f.Reencoded ? null : "Stored as sent: only images are cleaned of their metadata. A document or recording can still name its author or place; check it before sending.",
        $"/api/v1/field/evidence/{f.Id}");
}

public sealed record SiteDto(int Id, string Name, string CountryIso3, string? Locality, double Latitude, double Longitude, string Kind, string Minerals,
    string? Status, bool? InCompliantZone, string Source)
{
    public static SiteDto Of(MiningSite s) => new(s.Id, s.Name, s.CountryIso3, s.Locality, s.Latitude, s.Longitude, ApiCodes.Code(s.Kind), s.Minerals, s.Status, s.InCompliantZone, s.Source);
}

/// <summary>A site visit as the members of its organisation see it.</summary>
public sealed record VisitDto(int Id, string Organisation, int SiteId, string Site, DateOnly VisitedOn, int? Workers, int? Women, int? ChildrenUnder15,
    int? Children15To18, string? ChildrenWork, string ArmedPresence, string? ArmedGroup, string[] Interference, bool? Mercury, string? StateServices,
    string? Traceability, string? Notes)
{
    public static VisitDto Of(SiteVisit v, string site, string organisation) => new(v.Id, organisation, v.SiteId, site, v.VisitedOn, v.Workers, v.Women,
        v.ChildrenUnder15, v.Children15To18, v.ChildrenWork, ApiCodes.Code(v.ArmedPresence), v.ArmedGroup,
        Enum.GetValues<Interference>().Where(i => i != Field.Interference.None && v.Interference.HasFlag(i)).Select(i => ApiCodes.Code(i)).ToArray(),
        v.Mercury, v.StateServices, v.Traceability, v.Notes);
}

/// <summary>The filters of the incident lists: `category`, `country` (ISO3), and the years `from` and `to`, inclusive.</summary>
public sealed record IncidentFilter(string? Category, string? Country, int? From, int? To)
{
    public Dictionary<string, string[]> Errors()
    {
        var errors = new Dictionary<string, string[]>();
        if (Category is { Length: > 0 } && ApiCodes.Parse<IncidentCategory>(Category) is null)
            errors["category"] = [$"Use one of: {ApiCodes.Names<IncidentCategory>()}."];
        if (Country is { Length: > 0 } && Country.Length != 3)
            errors["country"] = ["Give the country's ISO 3166 three-letter code, such as CAF."];
        if (From is < 1990 or > 2100 || To is < 1990 or > 2100 || From > To)
            errors[From > To ? "to" : "from"] = ["Give years between 1990 and 2100, from no later than to."];
        return errors;
    }

    public IQueryable<Incident> Apply(IQueryable<Incident> query)
    {
        if (ApiCodes.Parse<IncidentCategory>(Category) is { } category)
            query = query.Where(i => i.Category == category);
        if (Country is { Length: 3 })
        {
            var iso3 = Country.ToUpperInvariant();
            query = query.Where(i => i.CountryIso3 == iso3);
        }
        if (From is { } from)
        {
            var first = new DateOnly(from, 1, 1);
            query = query.Where(i => i.OccurredOn >= first);
        }
        if (To is { } to)
        {
            var last = new DateOnly(to, 12, 31);
            query = query.Where(i => i.OccurredOn <= last);
        }
        return query;
    }
}

public static class FieldApi
{
    public static IEndpointRouteBuilder MapFieldApi(this IEndpointRouteBuilder app)
    {
        var field = app.MapGroup("/api/v1/field").WithTags("Field monitoring");
        field.MapPost("/submissions", Submit).RequireAuthorization(Policies.Monitor).WithName("SubmitFieldReport")
            .WithSummary("Records a field report once per clientId: a repeat answers 200 with the same record, a different body under the same clientId 409");
        field.MapGet("/incidents", Incidents).RequireAuthorization(Policies.Viewer).WithName("ListOrganisationIncidents")
            .WithSummary("The incidents of your organisations, published or not, in JSON, CSV or GeoJSON; the exact point where you are an analyst, else the coarse place");
        field.MapGet("/visits", Visits).RequireAuthorization(Policies.Viewer).WithName("ListOrganisationVisits")
            .WithSummary("The site visits of your organisations, in JSON or CSV");
        field.MapGet("/incidents/{id:int}/evidence", EvidenceList).RequireAuthorization(Policies.Analyst).WithName("ListIncidentEvidence")
            .WithSummary("The evidence files of an incident, for the analysts and coordinators of its organisation");
        field.MapGet("/evidence/{id:int}", EvidenceDownload).RequireAuthorization(Policies.Analyst).WithName("DownloadEvidence")
            .WithSummary("One evidence file as stored (images without their metadata), for the analysts and coordinators of the incident's organisation");
        field.MapPost("/incidents/{id:int}/status", ChangeStatus).RequireAuthorization(Policies.Analyst).WithName("ChangeIncidentStatus")
            .WithSummary("A verification step: review, verify, reject, publish (with a public summary)");
        field.MapPost("/incidents/{id:int}/evidence", AddEvidence).RequireAuthorization(Policies.Monitor).WithName("AddIncidentEvidence")
            .WithMetadata(new Infrastructure.Web.UploadLimitAttribute(EvidenceStore.MaxBytes)).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .DisableAntiforgery()
            .WithSummary("One evidence file (multipart field `file`), idempotent by its content; images are stored without their metadata (EXIF, GPS…), other files as given");
        field.MapGet("/incidents/{id:int}/reporter", Reporter).RequireAuthorization(Policies.Coordinator).WithName("ReadIncidentReporter")
            .WithSummary("The reporter's name and contact, for the coordinators of the incident's organisation; every read is audited");

        app.MapGet("/api/v1/incidents", PublishedIncidents).AllowAnonymous().WithTags("Field monitoring").WithName("ListPublishedIncidents")
            .WithSummary("Published incidents at a coarse place (the centre of a grid cell), never the exact point");
        app.MapPost("/api/v1/sites", CreateSite).RequireAuthorization(Policies.Analyst).WithTags("Field monitoring").WithName("CreateMiningSite")
            .WithSummary("Adds a mining site under your organisation's name (analysts); the same name, country and point again answers 200 with the site already recorded");
        app.MapPut("/api/v1/sites/{id:int}", ChangeSite).RequireAuthorization(Policies.Analyst).WithTags("Field monitoring").WithName("ChangeMiningSite")
            .WithSummary("Changes a site your organisation recorded (its analysts); a publisher's site such as IPIS's stays as published");
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
            SubmissionOutcome.Created => TypedResults.Created((string?)null, new SubmissionAnswer(result.Id!.Value, result.Kind!, "submitted")),
            SubmissionOutcome.Repeated => TypedResults.Ok(new SubmissionAnswer(result.Id!.Value, result.Kind!, "submitted")),
            SubmissionOutcome.Conflict => TypedResults.Problem(statusCode: 409, title: "This clientId is already used by a different submission",
                detail: $"The {result.Kind} {result.Id} was recorded under this clientId with other content. A new report needs a new clientId; a repeat must be the same body."),
            _ => TypedResults.ValidationProblem(result.Errors),
        };
    }

    private static async Task<Results<Ok<List<IncidentDto>>, FileContentHttpResult, ValidationProblem>> Incidents(
        [AsParameters] IncidentFilter filter, string? status, string? format, ClaimsPrincipal user, KimberliteDb db, IOptions<FieldOptions> options, CancellationToken cancellationToken)
    {
        var errors = filter.Errors();
        IncidentStatus? wanted = null;
        if (status is { Length: > 0 })
        {
            if (ApiCodes.Parse<IncidentStatus>(status) is { } parsed)
                wanted = parsed;
            else
                errors["status"] = [$"Use one of: {ApiCodes.Names<IncidentStatus>()}."];
        }
        var chosen = ListFormats.Parse(format, places: true);
        if (chosen is null)
            errors["format"] = [ListFormats.Error(format, places: true)];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var rows = await MemberExports.IncidentsAsync(db, user, filter, wanted, options.Value.PublicGridDegrees, cancellationToken);
        return chosen switch
        {
            ListFormat.Csv => MemberExports.IncidentsCsv(rows),
            ListFormat.GeoJson => MemberExports.IncidentsGeoJson(rows),
            _ => TypedResults.Ok(rows),
        };
    }

    private static async Task<Results<Ok<List<VisitDto>>, FileContentHttpResult, ValidationProblem>> Visits(
        string? format, ClaimsPrincipal user, KimberliteDb db, CancellationToken cancellationToken)
    {
        if (ListFormats.Parse(format) is not { } chosen)
            return ListFormats.Invalid(format);
        var visits = await MemberExports.VisitsAsync(db, user, cancellationToken);
        return chosen == ListFormat.Csv
            ? MemberExports.VisitsCsv(visits)
            : TypedResults.Ok(visits);
    }

    private static async Task<Results<Ok<List<EvidenceDto>>, NotFound, ForbidHttpResult>> EvidenceList(int id, ClaimsPrincipal user, KimberliteDb db, CancellationToken cancellationToken)
    {
        var organisation = await db.Incidents.AsNoTracking().Where(i => i.Id == id).Select(i => (int?)i.OrganisationId).FirstOrDefaultAsync(cancellationToken);
        if (organisation is null)
            return TypedResults.NotFound();
        if (!user.HasRoleIn(organisation.Value, MemberRole.Analyst))
            return TypedResults.Forbid();
        var files = await db.EvidenceFiles.AsNoTracking().Where(e => e.IncidentId == id).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(files.Select(EvidenceDto.Of).ToList());
    }

    private static async Task<Results<FileStreamHttpResult, NotFound, ForbidHttpResult>> EvidenceDownload(int id, ClaimsPrincipal user, EvidenceStore evidence, CancellationToken cancellationToken) =>
        await evidence.OpenAsync(user, id, cancellationToken) switch
        {
            (ReviewOutcome.Done, { } file, { } stream) => TypedResults.File(stream, file.ContentType, file.FileName),
            (ReviewOutcome.Forbidden, _, _) => TypedResults.Forbid(),
            _ => TypedResults.NotFound(),
        };

    private static async Task<Results<Created<SiteDto>, Ok<SiteDto>, ValidationProblem>> CreateSite(SiteInput site, ClaimsPrincipal user, SiteEditor editor, CancellationToken cancellationToken)
    {
        var (outcome, saved, errors) = await editor.SaveAsync(user, null, site, cancellationToken);
        return outcome switch
        {
            SiteOutcome.Done => TypedResults.Created($"/api/v1/sites/{saved!.Id}", SiteDto.Of(saved)),
            SiteOutcome.Repeated => TypedResults.Ok(SiteDto.Of(saved!)),
            _ => TypedResults.ValidationProblem(errors),
        };
    }

    private static async Task<Results<Ok<SiteDto>, NotFound, ForbidHttpResult, ValidationProblem>> ChangeSite(int id, SiteInput site, ClaimsPrincipal user, SiteEditor editor, CancellationToken cancellationToken)
    {
        var (outcome, saved, errors) = await editor.SaveAsync(user, id, site, cancellationToken);
        return outcome switch
        {
            SiteOutcome.Done or SiteOutcome.Repeated => TypedResults.Ok(SiteDto.Of(saved!)),
            SiteOutcome.NotFound => TypedResults.NotFound(),
            SiteOutcome.Forbidden => TypedResults.Forbid(),
            _ => TypedResults.ValidationProblem(errors),
        };
    }

    private static async Task<Results<Ok<SubmissionAnswer>, NotFound, ForbidHttpResult, ValidationProblem>> ChangeStatus(
        int id, StatusChange change, ClaimsPrincipal user, IncidentReview review, CancellationToken cancellationToken)
    {
        var status = ApiCodes.Parse<IncidentStatus>(change.Status) ?? 0;
        var (outcome, incident) = await review.StepAsync(user, id, status, change.Comment, change.PublicSummary, cancellationToken);
        return outcome switch
        {
            ReviewOutcome.Done => TypedResults.Ok(new SubmissionAnswer(id, "incident", ApiCodes.Code(status))),
            ReviewOutcome.NotFound => TypedResults.NotFound(),
            ReviewOutcome.Forbidden => TypedResults.Forbid(),
            ReviewOutcome.SummaryNeeded => TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["publicSummary"] = ["Publishing needs a public summary: what the public may read, which can differ from the internal description."],
            }),
            _ => TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["status"] = [Enum.GetValues<IncidentStatus>().Where(s => Workflow.Allowed(incident!.Status, s)).Select(ApiCodes.Code).ToList() is { Count: > 0 } steps
                    ? $"From {ApiCodes.Code(incident!.Status)} the next step is one of: {string.Join(", ", steps)}."
                    : $"The incident is {ApiCodes.Code(incident!.Status)}: no step follows."],
            }),
        };
    }

    private static async Task<Results<Created<EvidenceDto>, Ok<EvidenceDto>, NotFound, ForbidHttpResult, ValidationProblem>> AddEvidence(
        int id, IFormFile? file, ClaimsPrincipal user, EvidenceStore evidence, CancellationToken cancellationToken) =>
        await evidence.UploadAsync(user, i => i.Id == id, file, cancellationToken) switch
        {
            { Outcome: UploadOutcome.Stored, Result: { } stored } => stored.Created ? TypedResults.Created((string?)null, EvidenceDto.Of(stored.File)) : TypedResults.Ok(EvidenceDto.Of(stored.File)),
            { Outcome: UploadOutcome.NotFound } => TypedResults.NotFound(),
            { Outcome: UploadOutcome.Forbidden } => TypedResults.Forbid(),
            var refused => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [refused.Error!] }),
        };

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
        [AsParameters] IncidentFilter filter, KimberliteDb db, IOptions<FieldOptions> options, string? format, CancellationToken cancellationToken)
    {
        var errors = filter.Errors();
        var chosen = ListFormats.Parse(format, places: true);
        if (chosen is null)
            errors["format"] = [ListFormats.Error(format, places: true)];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        var grid = options.Value.PublicGridDegrees;
        // Only what the public may see leaves the database: no description, no reporter, and the point made coarse below.
        var published = await filter.Apply(db.Incidents.AsNoTracking().Where(i => i.Status == IncidentStatus.Published)).OrderByDescending(i => i.OccurredOn)
            .Select(i => new { i.Id, i.Category, i.OccurredOn, i.CountryIso3, i.Latitude, i.Longitude, i.Severity, i.Killed, i.Injured, i.Affected, i.Perpetrator, i.PublicSummary, i.PublishedAtUtc })
            .ToListAsync(cancellationToken);
        var rows = published.Select(i =>
        {
            var (lat, lon) = Coarse.Point(i.Latitude, i.Longitude, grid);
            return new PublicIncidentDto(i.Id, ApiCodes.Code(i.Category), i.OccurredOn, i.CountryIso3, lat, lon, grid, ApiCodes.Code(i.Severity), i.Killed, i.Injured, i.Affected,
                ApiCodes.Code(i.Perpetrator), i.PublicSummary, i.PublishedAtUtc);
        }).ToList();
        return chosen switch
        {
            ListFormat.Csv => CsvOutput.File(rows, "incidents.csv", ("id", r => r.Id), ("category", r => r.Category), ("occurred_on", r => r.OccurredOn),
                ("country_iso3", r => r.CountryIso3), ("latitude", r => r.Latitude), ("longitude", r => r.Longitude), ("grid_degrees", r => r.GridDegrees),
                ("severity", r => r.Severity), ("killed", r => r.Killed), ("injured", r => r.Injured), ("affected", r => r.Affected),
                ("perpetrator", r => r.Perpetrator), ("summary", r => r.Summary), ("published_at_utc", r => r.PublishedAtUtc)),
            ListFormat.GeoJson => GeoJsonOutput.File(rows, "incidents.geojson", r => (r.Latitude, r.Longitude)),
            _ => TypedResults.Ok(rows),
        };
    }

    private static async Task<Results<Ok<List<SiteDto>>, FileContentHttpResult, ValidationProblem>> Sites(KimberliteDb db, string? country, string? format, CancellationToken cancellationToken)
    {
        if (ListFormats.Parse(format, places: true) is not { } chosen)
            return ListFormats.Invalid(format, places: true);
        var query = db.MiningSites.AsNoTracking();
        if (country is { Length: 3 })
            query = query.Where(s => s.CountryIso3 == country.ToUpper());
        var sites = await query.OrderBy(s => s.Name).ThenBy(s => s.Id).ToListAsync(cancellationToken);
        var rows = sites.Select(SiteDto.Of).ToList();
        return chosen switch
        {
            ListFormat.Csv => CsvOutput.File(rows, "sites.csv", ("id", r => r.Id), ("name", r => r.Name), ("country_iso3", r => r.CountryIso3), ("locality", r => r.Locality),
                ("latitude", r => r.Latitude), ("longitude", r => r.Longitude), ("kind", r => r.Kind), ("minerals", r => r.Minerals),
                ("status", r => r.Status), ("in_compliant_zone", r => r.InCompliantZone), ("source", r => r.Source)),
            ListFormat.GeoJson => GeoJsonOutput.File(rows, "sites.geojson", r => (r.Latitude, r.Longitude)),
            _ => TypedResults.Ok(rows),
        };
    }



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
