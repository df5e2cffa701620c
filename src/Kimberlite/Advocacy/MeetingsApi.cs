using System.ComponentModel;
using System.Security.Claims;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Advocacy;

/// <summary>
/// A meeting as a reader may see it: `organisations` are the coalition's present (acronyms), `aims` one per entry,
/// `items` the ids of the recommendations and commitments that came out of it and that the reader may read (GET /{id} only).
/// </summary>
public sealed record MeetingDto(
    int Id, string? Key, MeetingKind Kind, string Title, DateOnly? StartsOn, DateOnly? EndsOn, string? Place, IReadOnlyList<string> Countries, bool Regional,
    IReadOnlyList<string> Organisations, string? OtherParticipants, string? Description, IReadOnlyList<string> Aims, string? Minutes, string? Outcomes,
    string Language, string? Source, string? RecordedBy, bool Published, IReadOnlyList<int>? Items);

public static class MeetingsApi
{
    public static IEndpointRouteBuilder MapMeetingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/meetings").WithTags("Meetings");
        group.MapGet("/", List).AllowAnonymous().WithName("ListMeetings")
            .WithSummary("Workshops, dialogues with governments, Kimberley Process plenaries and missions: the bundled workshop of the seed first, then the newest")
            .WithDescription("The public reads the published ones, minutes included (a coordinator chose to publish them); members read them all. "
                + "`?country=` ISO3 or `regional`; `?format=csv` for CSV.");
        group.MapGet("/{id:int}", Get).AllowAnonymous().WithName("GetMeeting")
            .WithSummary("One meeting with its organisations, aims, minutes, outcomes and the ids of the items that came out of it")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", Create).RequireAuthorization(Policies.Coordinator).WithName("RecordMeeting")
            .WithSummary("Records a meeting once per clientId (coordinators); a repeat answers 200 with the meeting already recorded")
            .WithDescription("`organisation` (an acronym) says which of your organisations records it when you coordinate several; `organisations` are the "
                + "acronyms of the coalition's organisations present; dates YYYY-MM-DD; `language` fr, en or pt.")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPut("/{id:int}", Change).RequireAuthorization(Policies.Coordinator).WithName("ChangeMeeting")
            .WithSummary("Changes a meeting (coordinators of the organisation that recorded it; any coordinator for the bundled workshop); a field left out keeps its value")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:int}/publish", Publish).RequireAuthorization(Policies.Coordinator).WithName("PublishMeeting")
            .WithSummary("Publishes a meeting, or takes it back (the coordinators who may change it)")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<List<MeetingDto>>, FileContentHttpResult, ValidationProblem>> List(
        [Description("ISO3 code of a country concerned, or `regional` for the meetings that name no country")] string? country,
        [Description("json (default) or csv")] string? format,
        ClaimsPrincipal user, AdvocacyBook book, AdvocacyViews views, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (code, regional) = RecommendationsApi.ReadCountry(country, errors);
        var listFormat = ListFormats.Parse(format);
        if (listFormat is null)
            errors["format"] = [ListFormats.Error(format)];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        var meetings = await book.VisibleMeetings(user).Include(m => m.Organisations).AsSplitQuery().ToListAsync(cancellationToken);
        var acronyms = await views.AcronymsAsync(cancellationToken);
        var dtos = meetings
            .Where(m => code is null ? !regional || m.Countries == "" : Countries.Split(m.Countries).Contains(code))
            // The bundled meetings (the seed's workshop) open the record; then the newest, a meeting without dates last.
            .OrderBy(m => m.Key is null).ThenByDescending(m => m.StartsOn ?? DateOnly.MinValue).ThenBy(m => m.Id)
            .Select(m => Dto(m, acronyms, null)).ToList();
        if (listFormat == ListFormat.Csv)
            return CsvOutput.File(dtos, "meetings.csv",
                ("id", d => d.Id), ("kind", d => d.Kind), ("title", d => d.Title), ("starts_on", d => d.StartsOn), ("ends_on", d => d.EndsOn), ("place", d => d.Place),
                ("countries", d => string.Join(';', d.Countries)), ("organisations", d => string.Join(';', d.Organisations)), ("other_participants", d => d.OtherParticipants),
                ("language", d => d.Language), ("published", d => d.Published), ("source", d => d.Source));
        return TypedResults.Ok(dtos);
    }

    private static async Task<Results<Ok<MeetingDto>, ProblemHttpResult>> Get(int id, ClaimsPrincipal user, AdvocacyBook book, AdvocacyViews views, CancellationToken cancellationToken) =>
        await DetailAsync(id, user, book, views, cancellationToken) is { } dto ? TypedResults.Ok(dto) : NotFound(id);

    private static async Task<Results<Created<MeetingDto>, Ok<MeetingDto>, ValidationProblem>> Create(
        MeetingInput input, ClaimsPrincipal user, AdvocacyBook book, AdvocacyViews views, CancellationToken cancellationToken)
    {
        var result = await book.RecordMeetingAsync(user, input, cancellationToken);
        if (result.Outcome is not (BookOutcome.Done or BookOutcome.Repeated))
            return TypedResults.ValidationProblem(result.Errors);
        var dto = (await DetailAsync(result.Value!.Id, user, book, views, cancellationToken))!;
        return result.Outcome == BookOutcome.Done ? TypedResults.Created($"/api/v1/meetings/{dto.Id}", dto) : TypedResults.Ok(dto);
    }

    private static async Task<Results<Ok<MeetingDto>, ProblemHttpResult, ValidationProblem>> Change(
        int id, MeetingInput input, ClaimsPrincipal user, AdvocacyBook book, AdvocacyViews views, CancellationToken cancellationToken) =>
        await Answer(id, await book.UpdateMeetingAsync(user, id, input, cancellationToken), user, book, views, cancellationToken);

    private static async Task<Results<Ok<MeetingDto>, ProblemHttpResult, ValidationProblem>> Publish(
        int id, PublishInput input, ClaimsPrincipal user, AdvocacyBook book, AdvocacyViews views, CancellationToken cancellationToken)
    {
        if (input.Published is not { } published)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["published"] = ["Say true to publish the meeting, false to take it back."] });
        return await Answer(id, await book.PublishMeetingAsync(user, id, published, cancellationToken), user, book, views, cancellationToken);
    }

    private static async Task<Results<Ok<MeetingDto>, ProblemHttpResult, ValidationProblem>> Answer(
        int id, BookResult<Meeting> result, ClaimsPrincipal user, AdvocacyBook book, AdvocacyViews views, CancellationToken cancellationToken) => result.Outcome switch
        {
            BookOutcome.Done or BookOutcome.Repeated => TypedResults.Ok((await DetailAsync(id, user, book, views, cancellationToken))!),
            BookOutcome.NotFound => NotFound(id),
            BookOutcome.Forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your organisation's meeting",
                detail: "Only the coordinators of the organisation that recorded this meeting change or publish it."),
            _ => TypedResults.ValidationProblem(result.Errors),
        };

    private static async Task<MeetingDto?> DetailAsync(int id, ClaimsPrincipal user, AdvocacyBook book, AdvocacyViews views, CancellationToken cancellationToken)
    {
        var meeting = await book.VisibleMeetings(user).Include(m => m.Organisations).FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meeting is null)
            return null;
        var items = await book.Visible(user).Where(i => i.MeetingId == id).OrderBy(i => i.Id).Select(i => i.Id).ToListAsync(cancellationToken);
        return Dto(meeting, await views.AcronymsAsync(cancellationToken), items);
    }

    private static MeetingDto Dto(Meeting m, IReadOnlyDictionary<int, string> acronyms, IReadOnlyList<int>? items)
    {
        var countries = Countries.Split(m.Countries);
        return new(m.Id, m.Key, m.Kind, m.Title, m.StartsOn, m.EndsOn, m.Place, countries, countries.Count == 0,
            [.. m.Organisations.Select(o => acronyms.GetValueOrDefault(o.OrganisationId)).OfType<string>().Order(StringComparer.OrdinalIgnoreCase)],
            m.OtherParticipants, m.Description, m.Aims?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
            m.Minutes, m.Outcomes, m.Language, m.Source, m.OrganisationId is { } o ? acronyms.GetValueOrDefault(o) : null, m.IsPublished, items);
    }

    private static ProblemHttpResult NotFound(int id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No meeting {id}", detail: "GET /api/v1/meetings lists the ones you may read, with their ids.");
}
