using System.Security.Claims;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Api;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Library;
using Kimberlite.Statistics;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Advocacy;

/// <summary>A piece of evidence as a member gives it: `kind` finding, incident, dataset, document or link; `id` or `url`.</summary>
/// `kind` document cites a document of the library by `id`, with its `page` (from 1).
public sealed record EvidenceInput(string? Kind, int? Id, string? Url, string? Note, int? Page = null);

/// <summary>
/// A recommendation or commitment as a member writes it (API JSON in camelCase, the form, a row of an import).
/// `countries` empty or ["regional"] means regional; `organisations` are the acronyms of who made it;
/// `organisation` the one recording it (needed only by a member of several).
/// </summary>
public sealed record ItemInput(
    Guid? ClientId, string? Kind, string? Text, string? Language, Dictionary<string, string>? Translations,
    string[]? Organisations, string? Organisation, int? Meeting, string? Addressee, string? AddresseeKind, string[]? Countries,
    string? Theme, string? DueOn, string? Status, string? Acknowledgement, string? CommittedBy, string? RecordedIn, EvidenceInput[]? Evidence);

/// <summary>
/// A meeting as a coordinator writes it. `organisations` are the acronyms of the coalition's organisations present;
/// `countries` empty or ["regional"] means regional; dates YYYY-MM-DD.
/// </summary>
public sealed record MeetingInput(
    Guid? ClientId, string? Kind, string? Title, string? StartsOn, string? EndsOn, string? Place, string[]? Countries, string[]? Organisations,
    string? OtherParticipants, string? Description, string? Aims, string? Minutes, string? Outcomes, string? Language, string? Organisation);

/// <summary>A step of the workflow: the new status, why, and what shows it.</summary>
public sealed record StatusInput(string? Status, string? Acknowledgement, string? Note, EvidenceInput[]? Evidence);

public enum BookOutcome { Done, Repeated, NotFound, Forbidden, Invalid, Conflict }

public sealed record BookResult<T>(BookOutcome Outcome, T? Value, Dictionary<string, string[]> Errors) where T : class
{
    public static BookResult<T> Fail(BookOutcome outcome, string? field = null, string? message = null) =>
        new(outcome, null, field is null ? [] : new() { [field] = [message!] });
}

/// <summary>
/// Recommendations, commitments and meetings: who may see and change them, the status workflow and its history.
/// The pages, the API and the import all go through here; each change is audited in the same transaction.
/// </summary>
public sealed class AdvocacyBook(KimberliteDb db, AuditLog audit, TimeProvider clock)
{
    public static readonly string[] Languages = ["fr", "en", "pt"];

    /// <summary>The open states in their order: an item moves forward through them, skipping some if it must.</summary>
    public static readonly ItemStatus[] OpenStates = [ItemStatus.Proposed, ItemStatus.Presented, ItemStatus.Acknowledged, ItemStatus.InProgress];

    public static readonly ItemStatus[] Outcomes = [ItemStatus.Implemented, ItemStatus.PartlyImplemented, ItemStatus.NotImplemented, ItemStatus.Abandoned];

    /// <summary>
    /// Forward through the open states; from any open state to an outcome; an outcome revised to another or back to
    /// in progress (a later assessment); withdrawn from anywhere, and final.
    /// </summary>
    public static bool Allowed(ItemStatus from, ItemStatus to) => from != to && from != ItemStatus.Withdrawn && (
        to == ItemStatus.Withdrawn
        || Outcomes.Contains(to)
        || (OpenStates.Contains(from) && OpenStates.Contains(to) && to > from)
        || (Outcomes.Contains(from) && to == ItemStatus.InProgress));

    public static IEnumerable<ItemStatus> NextStates(ItemStatus from) => Enum.GetValues<ItemStatus>().Where(to => Allowed(from, to));

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Members of the coalition read every item; the public, the published ones.</summary>
    public IQueryable<AdvocacyItem> Visible(ClaimsPrincipal user) =>
        user.HasRole(MemberRole.Viewer) ? db.Set<AdvocacyItem>().AsNoTracking() : db.Set<AdvocacyItem>().AsNoTracking().Where(i => i.IsPublished);

    public IQueryable<Meeting> VisibleMeetings(ClaimsPrincipal user) =>
        user.HasRole(MemberRole.Viewer) ? db.Set<Meeting>().AsNoTracking() : db.Set<Meeting>().AsNoTracking().Where(m => m.IsPublished);

    /// <summary>An item with its organisations, translations, evidence and history, if the reader may see it.</summary>
    public Task<AdvocacyItem?> FindAsync(ClaimsPrincipal user, int id, CancellationToken cancellationToken) =>
        Visible(user).Include(i => i.MadeBy).Include(i => i.Translations).Include(i => i.Evidence).Include(i => i.History)
            .AsSplitQuery().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);

    public static bool CanChange(ClaimsPrincipal user, AdvocacyItem item) => user.HasRoleIn(item.OrganisationId, MemberRole.Analyst);

    public static bool CanPublish(ClaimsPrincipal user, AdvocacyItem item) => user.HasRoleIn(item.OrganisationId, MemberRole.Coordinator);

    /// <summary>The coordinators of the organisation that recorded a meeting; any coordinator for the coalition's own (bundled) meeting.</summary>
    public static bool CanChange(ClaimsPrincipal user, Meeting meeting) =>
        meeting.OrganisationId is { } owner ? user.HasRoleIn(owner, MemberRole.Coordinator) : user.HasRole(MemberRole.Coordinator);

    /// <summary>Records a new item, or finds the one a repeated request (same `clientId`) already recorded.</summary>
    public async Task<BookResult<AdvocacyItem>> RecordAsync(ClaimsPrincipal user, ItemInput input, CancellationToken cancellationToken)
    {
        if (input.ClientId is { } clientId && clientId != Guid.Empty
            && await db.Set<AdvocacyItem>().AsNoTracking().FirstOrDefaultAsync(i => i.ClientId == clientId, cancellationToken) is { } same)
            return new(BookOutcome.Repeated, same, []);
        var (organisation, orgErrors) = await RecordingOrganisationAsync(user, input.Organisation, cancellationToken);
        var errors = await CheckAsync(input, creating: true, cancellationToken, user);
        foreach (var (field, messages) in orgErrors)
            errors[field] = messages;
        if (errors.Count > 0)
            return new(BookOutcome.Invalid, null, errors);

        var item = await NewItemAsync(input, organisation!.Value, user.UserId(), user.Actor(), cancellationToken, user);
        db.Add(item);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.SaveUnlessRepeatedAsync(transaction, cancellationToken))
        {
            // The same request arrived twice at once: the other one recorded it.
            var other = await db.Set<AdvocacyItem>().AsNoTracking().FirstOrDefaultAsync(i => i.ClientId == item.ClientId, cancellationToken);
            return other is null ? throw new InvalidOperationException("An item failed to save for another reason than a repeat.") : new(BookOutcome.Repeated, other, []);
        }
        await audit.AppendInAsync(db, user.Actor(), AuditActions.AdvocacyRecorded, $"{Code(item.Kind)} {item.Id}", $"{Code(item.Status)}, {item.Addressee}: {Clip(item.Text, 200)}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new(BookOutcome.Done, item, []);
    }

    /// <summary>
    /// A new item as a checked input describes it, with the first entry of its history, not yet added or saved: one for
    /// <see cref="RecordAsync"/>, many in the one transaction of an import.
    /// </summary>
    public async Task<AdvocacyItem> NewItemAsync(ItemInput input, int organisation, int? actorId, string actor, CancellationToken cancellationToken, ClaimsPrincipal? reader = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var kind = ApiCodes.Parse<ItemKind>(input.Kind) ?? ItemKind.Recommendation;
        // A commitment is a promise the addressee already made: it starts accepted unless the input says otherwise.
        var status = ApiCodes.Parse<ItemStatus>(input.Status) ?? (kind == ItemKind.Commitment ? ItemStatus.Acknowledged : ItemStatus.Proposed);
        var acknowledgement = ApiCodes.Parse<Acknowledgement>(input.Acknowledgement)
            ?? (kind == ItemKind.Commitment && status >= ItemStatus.Acknowledged ? Acknowledgement.Accepted : null);
        var item = new AdvocacyItem
        {
            ClientId = input.ClientId is { } c && c != Guid.Empty ? c : Guid.NewGuid(),
            Kind = kind, Text = "", Language = "", Addressee = "", OrganisationId = organisation, Status = status, Acknowledgement = acknowledgement,
            StatusChangedAtUtc = now, CreatedAtUtc = now, UpdatedAtUtc = now,
        };
        await ApplyAsync(item, input, cancellationToken, reader);
        item.History.Add(new StatusChange
        {
            AtUtc = now, From = null, To = status, Acknowledgement = acknowledgement, ActorId = actorId, ActorOrganisationId = organisation, Actor = actor,
        });
        return item;
    }

    /// <summary>Changes what an item says (never its status: that is a step of <see cref="StepAsync"/>).</summary>
    public async Task<BookResult<AdvocacyItem>> UpdateAsync(ClaimsPrincipal user, int id, ItemInput input, CancellationToken cancellationToken)
    {
        var item = await Tracked(id, cancellationToken);
        if (item is null)
            return BookResult<AdvocacyItem>.Fail(BookOutcome.NotFound);
        if (!CanChange(user, item))
            return BookResult<AdvocacyItem>.Fail(BookOutcome.Forbidden);
        if (item.Status == ItemStatus.Withdrawn)
            return BookResult<AdvocacyItem>.Fail(BookOutcome.Conflict, "status", "A withdrawn item stays as it was withdrawn.");
        var errors = await CheckAsync(input, creating: false, cancellationToken, user);
        if (errors.Count > 0)
            return new(BookOutcome.Invalid, null, errors);
        var before = Clip(item.Text, 200);
        if (!string.IsNullOrWhiteSpace(input.Kind))
            item.Kind = ApiCodes.Parse<ItemKind>(input.Kind)!.Value;
        await ApplyAsync(item, input, cancellationToken, user);
        item.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        await SaveAuditedAsync(user, AuditActions.AdvocacyChanged, item, $"was: {before}", cancellationToken);
        return new(BookOutcome.Done, item, []);
    }

    /// <summary>Moves an item to its next status, keeping the date, who, the note and the evidence.</summary>
    public async Task<BookResult<AdvocacyItem>> StepAsync(ClaimsPrincipal user, int id, StatusInput input, CancellationToken cancellationToken)
    {
        var item = await Tracked(id, cancellationToken);
        if (item is null)
            return BookResult<AdvocacyItem>.Fail(BookOutcome.NotFound);
        if (!CanChange(user, item))
            return BookResult<AdvocacyItem>.Fail(BookOutcome.Forbidden);
        var errors = new Dictionary<string, string[]>();
        var to = ApiCodes.Parse<ItemStatus>(input.Status);
        var acknowledgement = ApiCodes.Parse<Acknowledgement>(input.Acknowledgement);
        var note = Clean(input.Note);
        if (to is null)
            errors["status"] = [$"Use one of: {ApiCodes.Names<ItemStatus>()}."];
        else if (!Allowed(item.Status, to.Value))
            errors["status"] = [item.Status == ItemStatus.Withdrawn ? "A withdrawn item stays withdrawn."
                : $"From {Code(item.Status)} an item moves to {string.Join(", ", NextStates(item.Status).Select(s => Code(s)))}."];
        if (to == ItemStatus.Acknowledged && acknowledgement is null)
            errors["acknowledgement"] = ["Say how the addressee received it: accepted or noted."];
        else if (!string.IsNullOrEmpty(input.Acknowledgement) && acknowledgement is null)
            errors["acknowledgement"] = ["Use accepted or noted."];
        if ((to == ItemStatus.Withdrawn || Outcomes.Contains(to ?? ItemStatus.Proposed)) && note is null)
            errors["note"] = [to == ItemStatus.Withdrawn ? "Give the reason it is withdrawn." : "Say what shows this outcome."];
        if (note?.Length > 5_000)
            errors["note"] = ["A note of up to 5,000 characters."];
        var evidence = await CheckEvidenceAsync(input.Evidence, errors, cancellationToken, user);
        if (errors.Count > 0)
            return new(BookOutcome.Invalid, null, errors);

        var now = clock.GetUtcNow().UtcDateTime;
        var change = new StatusChange
        {
            AtUtc = now, From = item.Status, To = to!.Value, Acknowledgement = acknowledgement, Note = note, ActorId = user.UserId(),
            ActorOrganisationId = user.RoleIn(item.OrganisationId) is null ? null : item.OrganisationId, Actor = user.Actor(),
        };
        foreach (var e in evidence)
        {
            e.ItemId = item.Id;
            change.Evidence.Add(e);
        }
        item.History.Add(change);
        var from = item.Status;
        item.Status = to.Value;
        item.Acknowledgement = acknowledgement ?? item.Acknowledgement;
        item.StatusChangedAtUtc = item.UpdatedAtUtc = now;
        if (to == ItemStatus.Withdrawn)
            item.WithdrawnReason = note;
        await SaveAuditedAsync(user, AuditActions.AdvocacyStatusChanged, item, $"{Code(from)} → {Code(to.Value)}" + (note is null ? "" : $": {Clip(note, 300)}"), cancellationToken);
        return new(BookOutcome.Done, item, []);
    }

    /// <summary>Publishes an item (or takes it back): its coordinators decide what the public sees.</summary>
    public async Task<BookResult<AdvocacyItem>> PublishAsync(ClaimsPrincipal user, int id, bool published, CancellationToken cancellationToken)
    {
        var item = await Tracked(id, cancellationToken);
        if (item is null)
            return BookResult<AdvocacyItem>.Fail(BookOutcome.NotFound);
        if (!CanPublish(user, item))
            return BookResult<AdvocacyItem>.Fail(BookOutcome.Forbidden);
        item.IsPublished = published;
        item.PublishedAtUtc = published ? item.PublishedAtUtc ?? clock.GetUtcNow().UtcDateTime : null;
        await SaveAuditedAsync(user, published ? AuditActions.AdvocacyPublished : AuditActions.AdvocacyUnpublished, item, Clip(item.Text, 200), cancellationToken);
        return new(BookOutcome.Done, item, []);
    }

    /// <summary>Records a meeting, or finds the one a repeated request (same `clientId`) already recorded. Coordinators only.</summary>
    public async Task<BookResult<Meeting>> RecordMeetingAsync(ClaimsPrincipal user, MeetingInput input, CancellationToken cancellationToken)
    {
        if (input.ClientId is { } clientId && clientId != Guid.Empty
            && await db.Meetings.AsNoTracking().FirstOrDefaultAsync(m => m.ClientId == clientId, cancellationToken) is { } same)
            return new(BookOutcome.Repeated, same, []);
        var coordinatorOf = user.OrganisationsWith(MemberRole.Coordinator);
        var candidates = await db.Organisations.AsNoTracking().Where(o => coordinatorOf.Contains(o.Id)).Select(o => new { o.Id, o.Acronym }).ToListAsync(cancellationToken);
        var wanted = Clean(input.Organisation)?.ToUpperInvariant();
        var organisation = wanted is not null ? candidates.FirstOrDefault(o => o.Acronym.ToUpperInvariant() == wanted)?.Id : candidates.Count == 1 ? candidates[0].Id : null;
        var errors = await CheckMeetingAsync(input, creating: true, cancellationToken);
        if (organisation is null)
            errors["organisation"] = [candidates.Count > 1 && wanted is null
                ? "You coordinate several organisations: say which one records this meeting (its acronym)."
                : "Give the acronym of an organisation you coordinate."];
        if (errors.Count > 0)
            return new(BookOutcome.Invalid, null, errors);
        var now = clock.GetUtcNow().UtcDateTime;
        var meeting = new Meeting
        {
            ClientId = input.ClientId!.Value, Title = "", Language = "", OrganisationId = organisation, CreatedAtUtc = now, UpdatedAtUtc = now,
        };
        await ApplyAsync(meeting, input, cancellationToken);
        db.Meetings.Add(meeting);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.SaveUnlessRepeatedAsync(transaction, cancellationToken))
        {
            var other = await db.Meetings.AsNoTracking().FirstOrDefaultAsync(m => m.ClientId == meeting.ClientId, cancellationToken);
            return other is null ? throw new InvalidOperationException("A meeting failed to save for another reason than a repeat.") : new(BookOutcome.Repeated, other, []);
        }
        await audit.AppendInAsync(db, user.Actor(), AuditActions.MeetingRecorded, $"meeting {meeting.Id}", Clip(meeting.Title, 200), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new(BookOutcome.Done, meeting, []);
    }

    public async Task<BookResult<Meeting>> UpdateMeetingAsync(ClaimsPrincipal user, int id, MeetingInput input, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.Include(m => m.Organisations).FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meeting is null)
            return BookResult<Meeting>.Fail(BookOutcome.NotFound);
        if (!CanChange(user, meeting))
            return BookResult<Meeting>.Fail(BookOutcome.Forbidden);
        var errors = await CheckMeetingAsync(input, creating: false, cancellationToken);
        if (errors.Count > 0)
            return new(BookOutcome.Invalid, null, errors);
        await ApplyAsync(meeting, input, cancellationToken);
        meeting.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        await SaveMeetingAuditedAsync(user, AuditActions.MeetingChanged, meeting, cancellationToken);
        return new(BookOutcome.Done, meeting, []);
    }

    public async Task<BookResult<Meeting>> PublishMeetingAsync(ClaimsPrincipal user, int id, bool published, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meeting is null)
            return BookResult<Meeting>.Fail(BookOutcome.NotFound);
        if (!CanChange(user, meeting))
            return BookResult<Meeting>.Fail(BookOutcome.Forbidden);
        meeting.IsPublished = published;
        meeting.PublishedAtUtc = published ? meeting.PublishedAtUtc ?? clock.GetUtcNow().UtcDateTime : null;
        await SaveMeetingAuditedAsync(user, published ? AuditActions.MeetingPublished : AuditActions.MeetingUnpublished, meeting, cancellationToken);
        return new(BookOutcome.Done, meeting, []);
    }

    private async Task SaveMeetingAuditedAsync(ClaimsPrincipal user, string action, Meeting meeting, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendInAsync(db, user.Actor(), action, $"meeting {meeting.Id}", Clip(meeting.Title, 200), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    private async Task ApplyAsync(Meeting meeting, MeetingInput input, CancellationToken cancellationToken)
    {
        if (ApiCodes.Parse<MeetingKind>(input.Kind) is { } kind)
            meeting.Kind = kind;
        else if (meeting.Id == 0)
            meeting.Kind = MeetingKind.Workshop;
        if (Clean(input.Title) is { } title)
            meeting.Title = title;
        meeting.StartsOn = input.StartsOn is null ? meeting.StartsOn : Date(input.StartsOn);
        meeting.EndsOn = input.EndsOn is null ? meeting.EndsOn : Date(input.EndsOn);
        meeting.Countries = input.Countries is null ? meeting.Countries : CountryList(input.Countries);
        // A text left out keeps its value; one sent empty clears it.
        meeting.Place = Given(input.Place, meeting.Place);
        meeting.OtherParticipants = Given(input.OtherParticipants, meeting.OtherParticipants);
        meeting.Description = Given(input.Description, meeting.Description);
        meeting.Aims = Given(input.Aims, meeting.Aims);
        meeting.Minutes = Given(input.Minutes, meeting.Minutes);
        meeting.Outcomes = Given(input.Outcomes, meeting.Outcomes);
        if (Clean(input.Language)?.ToLowerInvariant() is { } language)
            meeting.Language = language;
        if (input.Organisations is not null)
        {
            var acronyms = input.Organisations.Select(a => a.Trim().ToUpperInvariant()).ToList();
            var ids = await db.Organisations.AsNoTracking().Where(o => acronyms.Contains(o.Acronym.ToUpper())).Select(o => o.Id).ToListAsync(cancellationToken);
            meeting.Organisations.Clear();
            meeting.Organisations.AddRange(ids.Select(o => new MeetingOrganisation { OrganisationId = o }));
        }
    }

    public async Task<Dictionary<string, string[]>> CheckMeetingAsync(MeetingInput s, bool creating, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (creating && (s.ClientId is null || s.ClientId == Guid.Empty))
            errors["clientId"] = ["Give an identifier for this meeting (a UUID you make): a request sent again with the same one records it once."];
        if (!string.IsNullOrWhiteSpace(s.Kind) && ApiCodes.Parse<MeetingKind>(s.Kind) is null)
            errors["kind"] = [$"Use one of: {ApiCodes.Names<MeetingKind>()}."];
        if ((creating || s.Title is not null) && (Clean(s.Title) is not { } title || title.Length > 500))
            errors["title"] = ["Give the meeting's title (up to 500 characters)."];
        if ((creating || s.Language is not null) && !Languages.Contains(Clean(s.Language)?.ToLowerInvariant()))
            errors["language"] = ["Say the language its texts are written in: fr, en or pt."];
        foreach (var (field, value) in new[] { ("startsOn", s.StartsOn), ("endsOn", s.EndsOn) })
            if (!string.IsNullOrWhiteSpace(value) && !DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", out _))
                errors[field] = ["Give the date as YYYY-MM-DD, or leave it out."];
        if (Date(s.StartsOn ?? "") is { } start && Date(s.EndsOn ?? "") is { } end && end < start)
            errors["endsOn"] = ["The meeting ends on or after the day it starts."];
        CheckCountries(s.Countries, errors);
        if (s.Place?.Length > 300 || s.OtherParticipants?.Length > 2_000 || s.Description?.Length > 10_000 || s.Aims?.Length > 10_000 || s.Outcomes?.Length > 20_000 || s.Minutes?.Length > 50_000)
            errors["text"] = ["A place of up to 300 characters, participants up to 2,000, a description and aims up to 10,000 each, outcomes up to 20,000 and minutes up to 50,000."];
        await CheckOrganisationsAsync(s.Organisations, errors, cancellationToken);
        return errors;
    }

    /// <summary>Countries of an item or a meeting: ISO3 codes of real countries, or "regional".</summary>
    private static void CheckCountries(string[]? countries, Dictionary<string, string[]> errors)
    {
        if (countries?.Where(c => !IsRegional(c)).FirstOrDefault(c => !CountryCodes.IsKnown(c.Trim().ToUpperInvariant()) || CountryCodes.IsAggregate(c.Trim().ToUpperInvariant())) is { } wrong)
            errors["countries"] = [$"'{wrong}' is not a country: give ISO 3166 three-letter codes such as CAF, or \"regional\"."];
    }

    /// <summary>Organisations that made an item or attended a meeting: acronyms of the coalition's organisations.</summary>
    private async Task CheckOrganisationsAsync(string[]? organisations, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (organisations is not { Length: > 0 })
            return;
        var known = await db.Organisations.AsNoTracking().Select(o => o.Acronym.ToUpper()).ToListAsync(cancellationToken);
        if (organisations.Select(a => a.Trim().ToUpperInvariant()).FirstOrDefault(a => !known.Contains(a)) is { } unknown)
            errors["organisations"] = [$"No organisation '{unknown}': give the acronyms of the coalition's organisations ({string.Join(", ", known.Order())})."];
    }

    private static DateOnly? Date(string text) => DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", out var d) ? d : null;

    private Task<AdvocacyItem?> Tracked(int id, CancellationToken cancellationToken) =>
        db.Set<AdvocacyItem>().Include(i => i.MadeBy).Include(i => i.Translations).Include(i => i.Evidence).AsSplitQuery()
            .FirstOrDefaultAsync(i => i.Id == id, cancellationToken);

    private async Task SaveAuditedAsync(ClaimsPrincipal user, string action, AdvocacyItem item, string summary, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendInAsync(db, user.Actor(), action, $"{Code(item.Kind)} {item.Id}", summary, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>Copies what the input gives onto the item; on an update a field left out keeps its value.</summary>
    private async Task ApplyAsync(AdvocacyItem item, ItemInput input, CancellationToken cancellationToken, ClaimsPrincipal? reader = null)
    {
        if (Clean(input.Text) is { } text)
            item.Text = text;
        if (Clean(input.Language)?.ToLowerInvariant() is { } language)
            item.Language = language;
        if (input.Meeting is not null)
            item.MeetingId = input.Meeting;
        if (Clean(input.Addressee) is { } addressee)
            item.Addressee = addressee;
        if (ApiCodes.Parse<AddresseeKind>(input.AddresseeKind) is { } addresseeKind)
            item.AddresseeKind = addresseeKind;
        else if (item.Id == 0)
            item.AddresseeKind = AddresseeKind.Other;
        if (input.Countries is not null)
            item.Countries = CountryList(input.Countries);
        if (ApiCodes.Parse<Theme>(input.Theme) is { } theme)
            item.Theme = theme;
        if (input.DueOn is not null)
            item.DueOn = string.IsNullOrWhiteSpace(input.DueOn) ? null : DateOnly.ParseExact(input.DueOn.Trim(), "yyyy-MM-dd");
        item.CommittedBy = Given(input.CommittedBy, item.CommittedBy);
        item.RecordedIn = Given(input.RecordedIn, item.RecordedIn);
        if (input.Translations is not null)
        {
            item.Translations.Clear();
            foreach (var (lang, translated) in input.Translations)
                if (Clean(translated) is { } t && lang.ToLowerInvariant() != item.Language)
                    item.Translations.Add(new ItemTranslation { Language = lang.ToLowerInvariant(), Text = t });
        }
        if (input.Organisations is not null)
        {
            var acronyms = input.Organisations.Select(a => a.Trim().ToUpperInvariant()).ToList();
            var ids = await db.Organisations.AsNoTracking().Where(o => acronyms.Contains(o.Acronym.ToUpper())).Select(o => o.Id).ToListAsync(cancellationToken);
            item.MadeBy.Clear();
            item.MadeBy.AddRange(ids.Select(o => new ItemOrganisation { OrganisationId = o }));
        }
        if (item.MadeBy.Count == 0)
            item.MadeBy.Add(new ItemOrganisation { OrganisationId = item.OrganisationId });
        if (input.Evidence is not null)
        {
            var errors = new Dictionary<string, string[]>();
            var motivating = await CheckEvidenceAsync(input.Evidence, errors, cancellationToken, reader);
            item.Evidence.RemoveAll(e => e.StatusChangeId is null);
            item.Evidence.AddRange(motivating);
        }
    }

    /// <summary>What is wrong with an item's fields; on an update (<paramref name="creating"/> false) a field left out is not checked.</summary>
    public async Task<Dictionary<string, string[]>> CheckAsync(ItemInput s, bool creating, CancellationToken cancellationToken, ClaimsPrincipal? reader = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (creating && (s.ClientId is null || s.ClientId == Guid.Empty))
            errors["clientId"] = ["Give an identifier for this item (a UUID you make): a request sent again with the same one records it once."];
        if (!string.IsNullOrWhiteSpace(s.Kind) && ApiCodes.Parse<ItemKind>(s.Kind) is null)
            errors["kind"] = ["Use recommendation or commitment."];
        if ((creating || s.Text is not null) && (Clean(s.Text) is not { } text || text.Length > 5_000))
            errors["text"] = ["Write the recommendation as it was made (up to 5,000 characters)."];
        if ((creating || s.Language is not null) && !Languages.Contains(Clean(s.Language)?.ToLowerInvariant()))
            errors["language"] = ["Say the language it is written in: fr, en or pt."];
        foreach (var (lang, translated) in s.Translations ?? [])
            if (!Languages.Contains(lang.ToLowerInvariant()) || translated?.Length > 5_000)
                errors["translations"] = ["Translations are keyed fr, en or pt, each up to 5,000 characters."];
        if ((creating || s.Addressee is not null) && (Clean(s.Addressee) is not { } addressee || addressee.Length > 300))
            errors["addressee"] = ["Name the institution it is addressed to: a ministry, a parliament, the Kimberley Process, a company (up to 300 characters)."];
        if (!string.IsNullOrWhiteSpace(s.AddresseeKind) && ApiCodes.Parse<AddresseeKind>(s.AddresseeKind) is null)
            errors["addresseeKind"] = [$"Use one of: {ApiCodes.Names<AddresseeKind>()}."];
        CheckCountries(s.Countries, errors);
        if ((creating || s.Theme is not null) && ApiCodes.Parse<Theme>(s.Theme) is null)
            errors["theme"] = [$"Use one of: {ApiCodes.Names<Theme>()}."];
        if (!string.IsNullOrWhiteSpace(s.DueOn) && !DateOnly.TryParseExact(s.DueOn.Trim(), "yyyy-MM-dd", out _))
            errors["dueOn"] = ["Give the due date as YYYY-MM-DD, or leave it out."];
        if (creating && !string.IsNullOrWhiteSpace(s.Status) && ApiCodes.Parse<ItemStatus>(s.Status) is not { } status)
            errors["status"] = [$"Use one of: {ApiCodes.Names(ItemStatus.Withdrawn)}."];
        else if (!creating && !string.IsNullOrWhiteSpace(s.Status))
            errors["status"] = ["A status changes through POST /api/v1/recommendations/{id}/status, with a note and its evidence."];
        else if (ApiCodes.Parse<ItemStatus>(s.Status) == ItemStatus.Withdrawn)
            errors["status"] = ["An item is recorded first, then withdrawn with its reason."];
        if (!string.IsNullOrWhiteSpace(s.Acknowledgement) && ApiCodes.Parse<Acknowledgement>(s.Acknowledgement) is null)
            errors["acknowledgement"] = ["Use accepted or noted."];
        if (s.CommittedBy?.Length > 300 || s.RecordedIn?.Length > 1_000)
            errors[s.CommittedBy?.Length > 300 ? "committedBy" : "recordedIn"] = ["Who made a commitment in up to 300 characters, and where it is recorded in up to 1,000."];
        if (s.Meeting is { } meeting && !await db.Set<Meeting>().AnyAsync(m => m.Id == meeting, cancellationToken))
            errors["meeting"] = [$"No meeting {meeting}: GET /api/v1/meetings lists them."];
        await CheckOrganisationsAsync(s.Organisations, errors, cancellationToken);
        await CheckEvidenceAsync(s.Evidence, errors, cancellationToken, reader);
        return errors;
    }

    /// <summary>
    /// Reads the evidence given, adding an error for each piece that names nothing Kimberlite holds. A document must be one the
    /// <paramref name="reader"/> may read (without a reader, a public one), and its page one it has.
    /// </summary>
    public async Task<List<ItemEvidence>> CheckEvidenceAsync(EvidenceInput[]? pieces, Dictionary<string, string[]> errors, CancellationToken cancellationToken, ClaimsPrincipal? reader = null)
    {
        var found = new List<ItemEvidence>();
        var problems = new List<string>();
        foreach (var (piece, index) in (pieces ?? []).Select((p, i) => (p, i)))
        {
            var kind = ApiCodes.Parse<EvidenceKind>(piece.Kind);
            var note = Clean(piece.Note);
            var document = kind == EvidenceKind.Document && piece.Id is { } di
                ? await (reader is null ? db.Documents.Public() : db.Documents.ReadableBy(reader)).Where(d => d.Id == di).Select(d => new { d.PageCount }).FirstOrDefaultAsync(cancellationToken)
                : null;
            var exists = kind switch
            {
                EvidenceKind.Document => document is not null,
                EvidenceKind.Finding => piece.Id is { } f && await db.Findings.AnyAsync(x => x.Id == f, cancellationToken),
                EvidenceKind.Incident => piece.Id is { } n && await db.Incidents.AnyAsync(x => x.Id == n, cancellationToken),
                EvidenceKind.Dataset => piece.Id is { } d && await db.Datasets.AnyAsync(x => x.Id == d, cancellationToken),
                EvidenceKind.Link => Uri.TryCreate(piece.Url?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && piece.Url!.Length <= 2_000,
                _ => false,
            };
            if (kind is null)
                problems.Add($"evidence[{index}]: kind '{piece.Kind}' is not one of finding, incident, dataset, document or link.");
            else if (kind == EvidenceKind.Document && document is null)
                problems.Add($"evidence[{index}]: no document {piece.Id} that you may read (GET /api/v1/documents lists them).");
            else if (kind == EvidenceKind.Document && piece.Page is { } pg && (pg < 1 || (document!.PageCount > 0 && pg > document.PageCount)))
                problems.Add($"evidence[{index}]: give a page of document {piece.Id} from 1" + (document!.PageCount > 0 ? $" to {document.PageCount}." : "."));
            else if (!exists)
                problems.Add(kind == EvidenceKind.Link ? $"evidence[{index}]: give an address starting with http:// or https://."
                    : $"evidence[{index}]: no {Code(kind.Value)} {piece.Id}.");
            else if (note?.Length > 1_000)
                problems.Add($"evidence[{index}]: a note of up to 1,000 characters.");
            else
                found.Add(new ItemEvidence
                {
                    Kind = kind.Value, TargetId = kind == EvidenceKind.Link ? null : piece.Id, Url = kind == EvidenceKind.Link ? piece.Url!.Trim() : null, Note = note,
                    Page = kind == EvidenceKind.Document ? piece.Page : null,
                });
        }
        if (problems.Count > 0)
            errors["evidence"] = [.. problems];
        return found;
    }

    private async Task<(int? Organisation, Dictionary<string, string[]> Errors)> RecordingOrganisationAsync(ClaimsPrincipal user, string? acronym, CancellationToken cancellationToken)
    {
        var mine = user.OrganisationsWith(MemberRole.Analyst);
        var candidates = await db.Organisations.AsNoTracking().Where(o => mine.Contains(o.Id)).Select(o => new { o.Id, o.Acronym }).ToListAsync(cancellationToken);
        var wanted = Clean(acronym)?.ToUpperInvariant();
        var organisation = wanted is not null ? candidates.FirstOrDefault(o => o.Acronym.ToUpperInvariant() == wanted)?.Id
            : candidates.Count == 1 ? candidates[0].Id : null;
        if (organisation is not null)
            return (organisation, []);
        return (null, new() { ["organisation"] = [candidates.Count > 1 && wanted is null
            ? "You are an analyst in several organisations: say which one records this item (its acronym)."
            : "Give the acronym of an organisation where you are an analyst."] });
    }

    public static bool IsRegional(string? country) => string.Equals(country?.Trim(), "regional", StringComparison.OrdinalIgnoreCase);

    public static string CountryList(IEnumerable<string> countries) => Advocacy.Countries.Join(countries.Where(c => !IsRegional(c)));

    public static string Code<T>(T value) where T : struct, Enum => ApiCodes.Code(value);

    private static string? Given(string? input, string? current) => input is null ? current : Clean(input);

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length] + "…";
}
