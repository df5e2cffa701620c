using System.ComponentModel;
using System.Security.Claims;
using Kimberlite.Accounts;
using Kimberlite.Analysis;
using Kimberlite.Field;
using Kimberlite.Infrastructure.Api;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Library;
using Kimberlite.Statistics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Advocacy;

/// <summary>A piece of evidence as a reader may see it; `title` is the finding's sentence, the dataset's title or the incident's public summary.</summary>
/// <summary>`page` is the cited page of a document; a document shows only to a reader who may read it (the public: public documents).</summary>
public sealed record EvidenceDto(EvidenceKind Kind, int? Id, string? Url, string? Note, string? Title, int? Page = null);

/// <summary>One step of an item's history; `actor` (the person) for members only, `organisation` (its acronym) for everyone.</summary>
public sealed record HistoryDto(long Id, DateTime AtUtc, ItemStatus? From, ItemStatus To, Acknowledgement? Acknowledgement, string? Note, string? Actor,
    string? Organisation, IReadOnlyList<EvidenceDto> Evidence);

/// <summary>
/// A recommendation or commitment. `countries` empty and `regional` true for a regional item; `overdue` when its due date has
/// passed and it is not closed; `evidence` what motivated it; `history` on GET /{id} only.
/// </summary>
public sealed record RecommendationDto(
    int Id, ItemKind Kind, string Text, string Language, IReadOnlyDictionary<string, string> Translations, IReadOnlyList<string> Organisations,
    string? RecordedBy, int? MeetingId, string? MeetingTitle, string Addressee, AddresseeKind AddresseeKind, IReadOnlyList<string> Countries, bool Regional,
    Theme Theme, DateOnly? DueOn, ItemStatus Status, Acknowledgement? Acknowledgement, bool Overdue, DateTime StatusChangedAtUtc, bool Published,
    string? WithdrawnReason, string? CommittedBy, string? RecordedIn, IReadOnlyList<EvidenceDto> Evidence, IReadOnlyList<HistoryDto>? History);

/// <summary>`published` true shows the item to the public, false takes it back.</summary>
public sealed record PublishInput(bool? Published);

/// <summary>Which items a list keeps; read from the query string by <see cref="RecommendationsApi.ReadFilter"/>.</summary>
public sealed record ItemFilter(string? Country, bool Regional, Theme? Theme, ItemStatus? Status, bool Overdue, string? Addressee, AddresseeKind? AddresseeKind, int? Meeting, ItemKind? Kind);

public static class RecommendationsApi
{
    public static IEndpointRouteBuilder MapRecommendationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/recommendations").WithTags("Recommendations");
        group.MapGet("/", List).AllowAnonymous().WithName("ListRecommendations")
            .WithSummary("Recommendations to governments and commitments they made, with their status; the most recently changed first")
            .WithDescription("The public reads the published ones; members of the coalition read them all. Filters: `country` (ISO3, or `regional`), "
                + "`theme`, `status` (a status, or `overdue`: past its due date and not closed), `addressee` (part of its name, or a kind: "
                + "ministry, parliament, kimberleyProcess, company, other), `meeting` (its id) and `kind` (recommendation or commitment). `?format=csv` for CSV.");
        group.MapGet("/{id:int}", Get).AllowAnonymous().WithName("GetRecommendation")
            .WithSummary("One recommendation or commitment with its translations, evidence and status history")
            .WithDescription("The public sees, for each step, the organisation that took it, never the person; and never an incident that is not published.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", Create).RequireAuthorization(Policies.Analyst).WithName("RecordRecommendation")
            .WithSummary("Records a recommendation or commitment once per clientId (analysts); a repeat answers 200 with the item already recorded")
            .WithDescription("`organisation` (an acronym) says which of your organisations records it when you are an analyst in several; its analysts "
                + "change it and its coordinators publish it. `evidence`: [{kind: finding|incident|dataset|link, id or url, note}].")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPut("/{id:int}", Change).RequireAuthorization(Policies.Analyst).WithName("ChangeRecommendation")
            .WithSummary("Changes what an item says (analysts of its organisation); a field left out keeps its value, the status moves through /status")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:int}/status", Step).RequireAuthorization(Policies.Analyst).WithName("ChangeRecommendationStatus")
            .WithSummary("Moves an item to its next status with a note and its evidence (analysts of its organisation)")
            .WithDescription("proposed → presented → acknowledged (with `acknowledgement` accepted or noted) → inProgress → implemented, partlyImplemented, "
                + "notImplemented or abandoned (with a note saying what shows it); withdrawn from any state with its reason in `note`, and final. "
                + "A refused step answers a ProblemDetails naming the states it may move to.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:int}/publish", Publish).RequireAuthorization(Policies.Coordinator).WithName("PublishRecommendation")
            .WithSummary("Publishes an item, or takes it back (coordinators of its organisation)")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>Reads the filters of the query string, or says which one is wrong and how to write it.</summary>
    public static (ItemFilter Filter, Dictionary<string, string[]> Errors) ReadFilter(
        string? country, string? theme, string? status, string? addressee, string? meeting, string? kind)
    {
        var errors = new Dictionary<string, string[]>();
        var (code, regional) = ReadCountry(country, errors);
        var th = ApiCodes.Parse<Theme>(theme);
        if (!string.IsNullOrWhiteSpace(theme) && th is null)
            errors["theme"] = [$"'{theme}' is not a theme: use {ApiCodes.Names<Theme>()}."];
        var overdue = string.Equals(status?.Trim(), "overdue", StringComparison.OrdinalIgnoreCase);
        var st = ApiCodes.Parse<ItemStatus>(status);
        if (!string.IsNullOrWhiteSpace(status) && st is null && !overdue)
            errors["status"] = [$"'{status}' is not a status: use {ApiCodes.Names<ItemStatus>()}, or overdue."];
        var addresseeKind = ApiCodes.Parse<AddresseeKind>(addressee);
        int? meetingId = null;
        if (!string.IsNullOrWhiteSpace(meeting))
        {
            if (int.TryParse(meeting, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m))
                meetingId = m;
            else
                errors["meeting"] = [$"'{meeting}' is not a meeting id: give the number GET /api/v1/meetings shows."];
        }
        var k = ApiCodes.Parse<ItemKind>(kind);
        if (!string.IsNullOrWhiteSpace(kind) && k is null)
            errors["kind"] = [$"'{kind}' is not a kind: use recommendation or commitment."];
        var name = string.IsNullOrWhiteSpace(addressee) || addresseeKind is not null ? null : addressee.Trim();
        return (new ItemFilter(code, regional, th, st, overdue, name, addresseeKind, meetingId, k), errors);
    }

    /// <summary>`?country=` of the advocacy lists: an ISO3 code, or `regional` for what names no country.</summary>
    public static (string? Code, bool Regional) ReadCountry(string? country, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(country) || AdvocacyBook.IsRegional(country))
            return (null, AdvocacyBook.IsRegional(country));
        var code = country.Trim().ToUpperInvariant();
        if (!CountryCodes.IsKnown(code) || CountryCodes.IsAggregate(code))
            errors["country"] = [$"'{country}' is not a country: use an ISO 3166 three-letter code such as CAF, or regional."];
        return (code, false);
    }

    /// <summary>The items the reader may see that the filter keeps, the most recently changed first.</summary>
    public static async Task<List<AdvocacyItem>> QueryAsync(AdvocacyBook book, ClaimsPrincipal user, ItemFilter filter, CancellationToken cancellationToken)
    {
        var query = book.Visible(user);
        if (filter.Country is { } country)
        {
            var wrapped = "," + country + ",";
            query = query.Where(i => ("," + i.Countries + ",").Contains(wrapped));
        }
        if (filter.Regional)
            query = query.Where(i => i.Countries == "");
        if (filter.Theme is { } theme)
            query = query.Where(i => i.Theme == theme);
        if (filter.Status is { } status)
            query = query.Where(i => i.Status == status);
        if (filter.Overdue)
        {
            var today = book.Today;
            var closed = AdvocacyBook.Outcomes.Append(ItemStatus.Withdrawn).ToList();
            query = query.Where(i => i.DueOn != null && i.DueOn < today && !closed.Contains(i.Status));
        }
        if (filter.AddresseeKind is { } addresseeKind)
            query = query.Where(i => i.AddresseeKind == addresseeKind);
        if (filter.Meeting is { } meeting)
            query = query.Where(i => i.MeetingId == meeting);
        if (filter.Kind is { } kind)
            query = query.Where(i => i.Kind == kind);
        var items = await query.Include(i => i.MadeBy).Include(i => i.Translations).Include(i => i.Evidence).AsSplitQuery()
            .OrderByDescending(i => i.StatusChangedAtUtc).ThenByDescending(i => i.Id).ToListAsync(cancellationToken);
        // Part of a name, in any case and with accents: compared here, as SQLite lowers ASCII letters only.
        return filter.Addressee is { } part ? items.Where(i => i.Addressee.Contains(part, StringComparison.CurrentCultureIgnoreCase)).ToList() : items;
    }

    private static async Task<Results<Ok<List<RecommendationDto>>, FileContentHttpResult, ValidationProblem>> List(
        [Description("ISO3 code of a country concerned, or `regional` for the items that name no country")] string? country,
        [Description("transparencyOfFigures, revenue, communityRights, traceability, environment, security, artisanalMiners or regionalCooperation")] string? theme,
        [Description("proposed, presented, acknowledged, inProgress, implemented, partlyImplemented, notImplemented, abandoned, withdrawn, or overdue")] string? status,
        [Description("Part of the addressee's name (any case), or its kind: ministry, parliament, kimberleyProcess, company, other")] string? addressee,
        [Description("The id of the meeting the items came out of")] string? meeting,
        [Description("recommendation or commitment")] string? kind,
        [Description("json (default) or csv")] string? format,
        ClaimsPrincipal user, AdvocacyBook book, AdvocacyViews views, CancellationToken cancellationToken)
    {
        var (filter, errors) = ReadFilter(country, theme, status, addressee, meeting, kind);
        var listFormat = ListFormats.Parse(format);
        if (listFormat is null)
            errors["format"] = [ListFormats.Error(format)];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        var items = await QueryAsync(book, user, filter, cancellationToken);
        var dtos = await views.ItemsAsync(user, items, withHistory: false, cancellationToken);
        if (listFormat == ListFormat.Csv)
            return CsvOutput.File(dtos, "recommendations.csv",
                ("id", d => d.Id), ("kind", d => d.Kind), ("status", d => d.Status), ("acknowledgement", d => d.Acknowledgement), ("overdue", d => d.Overdue),
                ("due_on", d => d.DueOn), ("status_changed_at_utc", d => d.StatusChangedAtUtc), ("countries", d => string.Join(';', d.Countries)),
                ("theme", d => d.Theme), ("addressee", d => d.Addressee), ("addressee_kind", d => d.AddresseeKind), ("organisations", d => string.Join(';', d.Organisations)),
                ("meeting_id", d => d.MeetingId), ("meeting_title", d => d.MeetingTitle), ("language", d => d.Language), ("text", d => d.Text),
                ("committed_by", d => d.CommittedBy), ("recorded_in", d => d.RecordedIn), ("published", d => d.Published), ("withdrawn_reason", d => d.WithdrawnReason),
                ("evidence", d => string.Join("; ", d.Evidence.Select(e => $"{ApiCodes.Code(e.Kind)}:{(object?)e.Id ?? e.Url}"))));
        return TypedResults.Ok(dtos);
    }

    private static async Task<Results<Ok<RecommendationDto>, ProblemHttpResult>> Get(int id, ClaimsPrincipal user, AdvocacyBook book, AdvocacyViews views, CancellationToken cancellationToken) =>
        await book.FindAsync(user, id, cancellationToken) is { } item
            ? TypedResults.Ok(await views.ItemAsync(user, item, cancellationToken))
            : NotFound(id);

    private static async Task<Results<Created<RecommendationDto>, Ok<RecommendationDto>, ValidationProblem>> Create(
        ItemInput input, ClaimsPrincipal user, AdvocacyBook book, AdvocacyViews views, CancellationToken cancellationToken)
    {
        var result = await book.RecordAsync(user, input, cancellationToken);
        if (result.Outcome is not (BookOutcome.Done or BookOutcome.Repeated))
            return TypedResults.ValidationProblem(result.Errors);
        var dto = await views.ItemAsync(user, (await book.FindAsync(user, result.Value!.Id, cancellationToken))!, cancellationToken);
        return result.Outcome == BookOutcome.Done ? TypedResults.Created($"/api/v1/recommendations/{dto.Id}", dto) : TypedResults.Ok(dto);
    }

    private static async Task<Results<Ok<RecommendationDto>, ProblemHttpResult, ValidationProblem>> Change(
        int id, ItemInput input, ClaimsPrincipal user, AdvocacyBook book, AdvocacyViews views, CancellationToken cancellationToken) =>
        await Answer(id, await book.UpdateAsync(user, id, input, cancellationToken), user, book, views, cancellationToken);

    private static async Task<Results<Ok<RecommendationDto>, ProblemHttpResult, ValidationProblem>> Step(
        int id, StatusInput input, ClaimsPrincipal user, AdvocacyBook book, AdvocacyViews views, CancellationToken cancellationToken) =>
        await Answer(id, await book.StepAsync(user, id, input, cancellationToken), user, book, views, cancellationToken);

    private static async Task<Results<Ok<RecommendationDto>, ProblemHttpResult, ValidationProblem>> Publish(
        int id, PublishInput input, ClaimsPrincipal user, AdvocacyBook book, AdvocacyViews views, CancellationToken cancellationToken)
    {
        if (input.Published is not { } published)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["published"] = ["Say true to publish the item, false to take it back."] });
        return await Answer(id, await book.PublishAsync(user, id, published, cancellationToken), user, book, views, cancellationToken, coordinators: true);
    }

    private static async Task<Results<Ok<RecommendationDto>, ProblemHttpResult, ValidationProblem>> Answer(int id, BookResult<AdvocacyItem> result,
        ClaimsPrincipal user, AdvocacyBook book, AdvocacyViews views, CancellationToken cancellationToken, bool coordinators = false) => result.Outcome switch
        {
            BookOutcome.Done or BookOutcome.Repeated => TypedResults.Ok(await views.ItemAsync(user, (await book.FindAsync(user, id, cancellationToken))!, cancellationToken)),
            BookOutcome.NotFound => NotFound(id),
            BookOutcome.Forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your organisation's item",
                detail: coordinators ? "Only the coordinators of the organisation that recorded this item publish it." : "Only the analysts of the organisation that recorded this item change it."),
            BookOutcome.Conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The item cannot change", detail: result.Errors.Values.First()[0]),
            _ => TypedResults.ValidationProblem(result.Errors),
        };

    private static ProblemHttpResult NotFound(int id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No recommendation {id}", detail: "GET /api/v1/recommendations lists the ones you may read, with their ids.");
}

/// <summary>
/// Turns items and meetings into what a reader may see: organisations by acronym, a person only for members,
/// evidence without unpublished incidents for the public, nothing of an incident beyond its id and public summary.
/// </summary>
public sealed class AdvocacyViews(KimberliteDb db, AdvocacyBook book, FindingTexts findingTexts)
{
    private Dictionary<int, string>? _acronyms;

    public async Task<IReadOnlyDictionary<int, string>> AcronymsAsync(CancellationToken cancellationToken) =>
        _acronyms ??= await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Acronym, cancellationToken);

    public async Task<RecommendationDto> ItemAsync(ClaimsPrincipal user, AdvocacyItem item, CancellationToken cancellationToken) =>
        (await ItemsAsync(user, [item], withHistory: true, cancellationToken))[0];

    public async Task<List<RecommendationDto>> ItemsAsync(ClaimsPrincipal user, IReadOnlyList<AdvocacyItem> items, bool withHistory, CancellationToken cancellationToken)
    {
        var member = user.HasRole(MemberRole.Viewer);
        var acronyms = await AcronymsAsync(cancellationToken);
        var meetingIds = items.Where(i => i.MeetingId is not null).Select(i => i.MeetingId!.Value).Distinct().ToList();
        var meetings = await book.VisibleMeetings(user).Where(m => meetingIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Title, cancellationToken);
        var titles = await EvidenceTitlesAsync(items.SelectMany(i => i.Evidence).ToList(), user, cancellationToken);
        var today = book.Today;
        return items.Select(i =>
        {
            var evidence = i.Evidence.Where(e => e.StatusChangeId is null).OrderBy(e => e.Id).Select(e => Evidence(e, member, titles)).OfType<EvidenceDto>().ToList();
            var history = withHistory ? i.History.OrderBy(s => s.AtUtc).ThenBy(s => s.Id).Select(s => new HistoryDto(s.Id, s.AtUtc, s.From, s.To, s.Acknowledgement, s.Note,
                member ? s.Actor : null, Acronym(acronyms, s.ActorOrganisationId ?? i.OrganisationId),
                [.. i.Evidence.Where(e => e.StatusChangeId == s.Id).OrderBy(e => e.Id).Select(e => Evidence(e, member, titles)).OfType<EvidenceDto>()])).ToList() : null;
            var countries = i.CountryCodes;
            return new RecommendationDto(i.Id, i.Kind, i.Text, i.Language, i.Translations.ToDictionary(t => t.Language, t => t.Text),
                [.. i.MadeBy.Select(o => Acronym(acronyms, o.OrganisationId)).OfType<string>().Order(StringComparer.OrdinalIgnoreCase)], Acronym(acronyms, i.OrganisationId),
                i.MeetingId is { } m && meetings.ContainsKey(m) ? m : null, i.MeetingId is { } t && meetings.TryGetValue(t, out var title) ? title : null,
                i.Addressee, i.AddresseeKind, countries, countries.Count == 0, i.Theme, i.DueOn, i.Status, i.Acknowledgement, i.IsOverdue(today), i.StatusChangedAtUtc,
                i.IsPublished, i.WithdrawnReason, i.CommittedBy, i.RecordedIn, evidence, history);
        }).ToList();
    }

    private static string? Acronym(IReadOnlyDictionary<int, string> acronyms, int? id) => id is { } o && acronyms.TryGetValue(o, out var a) ? a : null;

    /// <summary>What a piece of evidence shows this reader; null when the public may not know it exists (an unpublished incident).</summary>
    private static EvidenceDto? Evidence(ItemEvidence e, bool member, EvidenceTitles titles)
    {
        // A document the reader may not read is not named, not even by its title or number.
        if (e.Kind == EvidenceKind.Document)
            return titles.Documents.TryGetValue(e.TargetId ?? 0, out var document) ? new(e.Kind, e.TargetId, null, e.Note, document, e.Page) : null;
        if (e.Kind != EvidenceKind.Incident)
            return new(e.Kind, e.TargetId, e.Url, e.Note, e.Kind switch
            {
                EvidenceKind.Finding => titles.Findings.GetValueOrDefault(e.TargetId ?? 0),
                EvidenceKind.Dataset => titles.Datasets.GetValueOrDefault(e.TargetId ?? 0),
                _ => null,
            });
        if (!titles.PublishedIncidents.TryGetValue(e.TargetId ?? 0, out var summary) && !member)
            return null;
        // The public learns of an incident its id and public summary only; the note beside it may speak of more.
        return new(e.Kind, e.TargetId, null, member ? e.Note : null, summary);
    }

    private sealed record EvidenceTitles(Dictionary<int, string> Findings, Dictionary<int, string> Datasets, Dictionary<int, string?> PublishedIncidents, Dictionary<int, string> Documents);

    private async Task<EvidenceTitles> EvidenceTitlesAsync(List<ItemEvidence> evidence, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        List<int> Ids(EvidenceKind kind) => evidence.Where(e => e.Kind == kind && e.TargetId is not null).Select(e => e.TargetId!.Value).Distinct().ToList();
        var findingIds = Ids(EvidenceKind.Finding);
        var datasetIds = Ids(EvidenceKind.Dataset);
        var incidentIds = Ids(EvidenceKind.Incident);
        var findings = findingIds.Count == 0 ? [] : (await db.Findings.AsNoTracking().Where(f => findingIds.Contains(f.Id)).ToListAsync(cancellationToken))
            .ToDictionary(f => f.Id, findingTexts.Explain);
        var datasets = datasetIds.Count == 0 ? [] : await db.Datasets.AsNoTracking().Where(d => datasetIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Title, cancellationToken);
        var incidents = incidentIds.Count == 0 ? [] : await db.Incidents.AsNoTracking().Where(i => incidentIds.Contains(i.Id) && i.Status == IncidentStatus.Published)
            .ToDictionaryAsync(i => i.Id, i => i.PublicSummary, cancellationToken);
        var documentIds = Ids(EvidenceKind.Document);
        var documents = documentIds.Count == 0 ? [] : await db.Documents.ReadableBy(user).Where(d => documentIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Title, cancellationToken);
        return new(findings, datasets, incidents, documents);
    }
}
