using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Api;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Field;

/// <summary>
/// A field submission as a device sends it (JSON, camelCase): `kind` "incident" (category, occurredOn, the
/// point, severity, victims, description, reporter) or "visit" (siteId, visitedOn and what IPIS records).
/// </summary>
public sealed record FieldSubmission(
    Guid? ClientId, string? Kind, string? Category, DateOnly? OccurredOn, double? Latitude, double? Longitude, int? PrecisionMetres,
    string? CountryIso3, int? SiteId, string? Severity, int? Killed, int? Injured, int? Affected, string? Perpetrator,
    string? Description, string? ReporterName, string? ReporterContact, string? Organisation,
    DateOnly? VisitedOn = null, int? Workers = null, int? Women = null, int? ChildrenUnder15 = null, int? Children15To18 = null, string? ChildrenWork = null,
    string? ArmedPresence = null, string? ArmedGroup = null, string[]? Interference = null, bool? Mercury = null, string? StateServices = null,
    string? Traceability = null, string? Notes = null);

/// <summary>Revised: the submission replaced an earlier version of a record, which it now holds (the earlier one kept as a FieldRevision).</summary>
public enum SubmissionOutcome { Created, Repeated, Conflict, Invalid, Revised }

public sealed record SubmissionResult(SubmissionOutcome Outcome, string? Kind, int? Id, IDictionary<string, string[]> Errors);

/// <summary>
/// Records field submissions exactly once: the device's identifier makes a repeat (even many at once)
/// the same record, and a different body under an identifier already used a conflict, never a second record.
/// </summary>
public sealed class FieldSubmissions(KimberliteDb db, ReporterProtector reporters, AuditLog audit, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.Web);
    // A revision's content is read by people: accents as they are (the hash keeps Canonical, which escapes them).
    private static readonly JsonSerializerOptions Readable = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Records a submission once. With `replaces`, the identifier of a version it replaces (an edit in KoboToolbox or ODK), the
    /// record holding that version is updated, its current version kept as a revision, instead of a second record being added.
    /// </summary>
    public async Task<SubmissionResult> SubmitAsync(FieldSubmission s, int? userId, IReadOnlyList<int> organisations, string actor, CancellationToken cancellationToken, bool audited = true,
        Guid? replaces = null)
    {
        var errors = Check(s);
        int? organisation = null;
        if (s.Organisation is { Length: > 0 } acronym)
        {
            var upper = acronym.Trim().ToUpperInvariant();
            organisation = await db.Organisations.Where(o => o.Acronym.ToUpper() == upper && organisations.Contains(o.Id)).Select(o => (int?)o.Id).FirstOrDefaultAsync(cancellationToken);
            if (organisation is null)
                errors["organisation"] = ["You report for an organisation where you are at least a monitor: give its acronym, or leave it out when you have one."];
        }
        else if (organisations.Count == 1)
            organisation = organisations[0];
        else
            errors["organisation"] = ["You monitor for several organisations: say which one this report is for (its acronym)."];
        if (s.SiteId is { } site && !await db.MiningSites.AnyAsync(m => m.Id == site, cancellationToken))
            errors["siteId"] = [$"No mining site {site}: GET /api/v1/sites lists them."];
        if (errors.Count > 0)
            return new SubmissionResult(SubmissionOutcome.Invalid, null, null, errors);

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(s with { Organisation = null }, Canonical) + "|" + organisation)));
        if (await ExistingAsync(s.ClientId!.Value, hash, cancellationToken) is { } existing)
            return existing;
        if (replaces is { } earlier && earlier != s.ClientId && earlier != Guid.Empty)
        {
            if (await FindAsync(earlier, cancellationToken) is { } holder)
                return holder.Kind != (s.Kind == "visit" ? "visit" : "incident")
                    ? new SubmissionResult(SubmissionOutcome.Conflict, holder.Kind, holder.Id, new Dictionary<string, string[]>())
                    : await ReviseAsync(holder, s, hash, organisation!.Value, cancellationToken);
            // The version it replaces never came here: this one is the record, and the earlier identifier is kept so that an
            // older export holding it finds this record rather than adding a second one.
            var created = await SubmitAsync(s, userId, organisations, actor, cancellationToken, audited);
            if (created.Outcome == SubmissionOutcome.Created)
            {
                db.FieldRevisions.Add(new FieldRevision
                {
                    IncidentId = created.Kind == "incident" ? created.Id : null, SiteVisitId = created.Kind == "visit" ? created.Id : null,
                    ClientId = earlier, ReplacedBy = s.ClientId.Value, ReplacedAtUtc = clock.GetUtcNow().UtcDateTime,
                });
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
            return created;
        }
        if (s.Kind == "visit")
            return await SaveAsync(Visit(s, hash, organisation!.Value, userId), s.ClientId.Value, hash, actor, audited, cancellationToken);

        var incident = new Incident
        {
            ClientId = s.ClientId.Value, SubmissionHash = hash, OrganisationId = organisation!.Value, SubmittedById = userId,
            SubmittedAtUtc = clock.GetUtcNow().UtcDateTime, Category = ApiCodes.Parse<IncidentCategory>(s.Category)!.Value, OccurredOn = s.OccurredOn!.Value,
            CountryIso3 = s.CountryIso3!.ToUpperInvariant(), Latitude = s.Latitude!.Value, Longitude = s.Longitude!.Value, PrecisionMetres = s.PrecisionMetres,
            SiteId = s.SiteId, Severity = ApiCodes.Parse<IncidentSeverity>(s.Severity)!.Value, Killed = s.Killed, Injured = s.Injured, Affected = s.Affected,
            Perpetrator = ApiCodes.Parse<PerpetratorType>(s.Perpetrator) ?? PerpetratorType.Unknown,
            Description = s.Description!.Trim(), Status = IncidentStatus.Submitted,
            ReporterName = reporters.Protect(s.ReporterName, s.ClientId.Value), ReporterContact = reporters.Protect(s.ReporterContact, s.ClientId.Value),
        };
        return await SaveAsync(incident, s.ClientId.Value, hash, actor, audited, cancellationToken);
    }

    /// <summary>
    /// The resource that says what is wrong with a field in the reader's language (SubmissionError_{field}), for
    /// the pages and the command line; the API's English message for a field that has none.
    /// </summary>
    public static string ErrorText(IStringLocalizer texts, string field, string message) =>
        texts[$"SubmissionError_{field}"] is { ResourceNotFound: false } ? $"SubmissionError_{field}" : message;

    /// <summary>What is wrong with a submission before any database is asked, field by field.</summary>
    public Dictionary<string, string[]> Check(FieldSubmission s) =>
        s.Kind == "visit" ? ValidateVisit(s, clock.GetUtcNow()) : Validate(s, clock.GetUtcNow());

    private async Task<SubmissionResult> SaveAsync(object record, Guid clientId, string hash, string actor, bool audited, CancellationToken cancellationToken)
    {
        db.Add(record);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same identifier arrived at the same moment from another request: that one is the record.
            db.ChangeTracker.Clear();
            return await ExistingAsync(clientId, hash, cancellationToken) ?? throw new InvalidOperationException("A submission failed to save.");
        }
        db.ChangeTracker.Clear();
        // The trail names the record, never what it says or who told it.
        var (kind, id, summary) = record switch
        {
            Incident i => ("incident", i.Id, $"{i.Category}, {i.CountryIso3}"),
            SiteVisit v => ("visit", v.Id, $"site {v.SiteId}"),
            _ => throw new ArgumentException("Not a field record.", nameof(record)),
        };
        if (audited)
            await audit.AppendAsync(actor, AuditActions.IncidentSubmitted, $"{kind} {id}", summary, cancellationToken);
        return new SubmissionResult(SubmissionOutcome.Created, kind, id, new Dictionary<string, string[]>());
    }

    private SiteVisit Visit(FieldSubmission s, string hash, int organisation, int? userId) => new()
    {
        ClientId = s.ClientId!.Value, SubmissionHash = hash, OrganisationId = organisation, SubmittedById = userId, SubmittedAtUtc = clock.GetUtcNow().UtcDateTime,
        SiteId = s.SiteId!.Value, VisitedOn = s.VisitedOn!.Value, Workers = s.Workers, Women = s.Women, ChildrenUnder15 = s.ChildrenUnder15,
        Children15To18 = s.Children15To18, ChildrenWork = Clean(s.ChildrenWork), ArmedPresence = ApiCodes.Parse<ArmedPresence>(s.ArmedPresence) ?? ArmedPresence.None,
        ArmedGroup = Clean(s.ArmedGroup), Interference = (s.Interference ?? []).Aggregate(Interference.None, (all, one) => all | ApiCodes.Parse<Interference>(one)!.Value),
        Mercury = s.Mercury, StateServices = Clean(s.StateServices), Traceability = Clean(s.Traceability), Notes = Clean(s.Notes),
    };

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>
    /// What already stands under this identifier, whichever kind it is: the same body is a repeat, another a conflict. An
    /// earlier version that an edit replaced is a repeat too (nothing new), or a conflict when its body differs from what was kept.
    /// </summary>
    private async Task<SubmissionResult?> ExistingAsync(Guid clientId, string hash, CancellationToken cancellationToken)
    {
        if (await FindAsync(clientId, cancellationToken) is not { } existing)
            return null;
        var outcome = existing.Hash is null || existing.Hash == hash ? SubmissionOutcome.Repeated : SubmissionOutcome.Conflict;
        return new SubmissionResult(outcome, existing.Kind, existing.Id, new Dictionary<string, string[]>());
    }

    private sealed record Holder(string Kind, int Id, string? Hash, Guid Current);

    /// <summary>
    /// The record that holds a version with this identifier, with the hash of that version (null for a version that never came
    /// here) and the identifier of the record's current version: an earlier version is a revision's ClientId, the current one
    /// the last revision's ReplacedBy, or the record's own ClientId when it was never edited.
    /// </summary>
    private async Task<Holder?> FindAsync(Guid clientId, CancellationToken cancellationToken)
    {
        var revision = await db.FieldRevisions.AsNoTracking().Where(r => r.ClientId == clientId || r.ReplacedBy == clientId)
            .OrderBy(r => r.ClientId == clientId ? 0 : 1).Select(r => new { r.IncidentId, r.SiteVisitId, r.ClientId, r.SubmissionHash }).FirstOrDefaultAsync(cancellationToken);
        var (kind, id) = revision is null ? ("", 0) : revision.IncidentId is { } incidentId ? ("incident", incidentId) : ("visit", revision.SiteVisitId!.Value);
        var record = revision is null
            ? await db.Incidents.AsNoTracking().Where(i => i.ClientId == clientId).Select(i => new { Kind = "incident", i.Id, i.SubmissionHash }).FirstOrDefaultAsync(cancellationToken)
              ?? await db.SiteVisits.AsNoTracking().Where(v => v.ClientId == clientId).Select(v => new { Kind = "visit", v.Id, v.SubmissionHash }).FirstOrDefaultAsync(cancellationToken)
            : kind == "incident"
                ? await db.Incidents.AsNoTracking().Where(i => i.Id == id).Select(i => new { Kind = "incident", i.Id, i.SubmissionHash }).FirstAsync(cancellationToken)
                : await db.SiteVisits.AsNoTracking().Where(v => v.Id == id).Select(v => new { Kind = "visit", v.Id, v.SubmissionHash }).FirstAsync(cancellationToken);
        if (record is null)
            return null;
        var current = await db.FieldRevisions.AsNoTracking()
            .Where(r => record.Kind == "incident" ? r.IncidentId == record.Id : r.SiteVisitId == record.Id)
            .OrderByDescending(r => r.Id).Select(r => (Guid?)r.ReplacedBy).FirstOrDefaultAsync(cancellationToken) ?? clientId;
        var isEarlier = revision is not null && revision.ClientId == clientId;
        return new Holder(record.Kind, record.Id, isEarlier ? revision!.SubmissionHash : record.SubmissionHash, current);
    }

    /// <summary>
    /// Brings a record to a newer version: what it held becomes a revision (without the reporter, who stays encrypted on the
    /// record only), and a reviewed incident goes back to review, since what was verified is no longer what it says.
    /// </summary>
    private async Task<SubmissionResult> ReviseAsync(Holder holder, FieldSubmission s, string hash, int organisation, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var revision = new FieldRevision { ClientId = holder.Current, ReplacedBy = s.ClientId!.Value, ReplacedAtUtc = now };
        if (holder.Kind == "incident")
        {
            var incident = await db.Incidents.FirstAsync(i => i.Id == holder.Id, cancellationToken);
            if (incident.OrganisationId != organisation)
                return new SubmissionResult(SubmissionOutcome.Conflict, holder.Kind, holder.Id, new Dictionary<string, string[]>());
            (revision.IncidentId, revision.SubmissionHash) = (incident.Id, incident.SubmissionHash);
            revision.Content = JsonSerializer.Serialize(new
            {
                incident.Category, incident.OccurredOn, incident.CountryIso3, incident.Latitude, incident.Longitude, incident.PrecisionMetres, incident.SiteId,
                incident.Severity, incident.Killed, incident.Injured, incident.Affected, incident.Perpetrator, incident.Description, incident.Status, incident.PublicSummary,
            }, Readable);
            incident.SubmissionHash = hash;
            incident.Category = ApiCodes.Parse<IncidentCategory>(s.Category)!.Value;
            incident.OccurredOn = s.OccurredOn!.Value;
            incident.CountryIso3 = s.CountryIso3!.ToUpperInvariant();
            (incident.Latitude, incident.Longitude, incident.PrecisionMetres, incident.SiteId) = (s.Latitude!.Value, s.Longitude!.Value, s.PrecisionMetres, s.SiteId);
            incident.Severity = ApiCodes.Parse<IncidentSeverity>(s.Severity)!.Value;
            (incident.Killed, incident.Injured, incident.Affected) = (s.Killed, s.Injured, s.Affected);
            incident.Perpetrator = ApiCodes.Parse<PerpetratorType>(s.Perpetrator) ?? PerpetratorType.Unknown;
            incident.Description = s.Description!.Trim();
            // A reporter left out of the new version (deleted from the export once imported, as docs/field asks) stays as recorded.
            incident.ReporterName = reporters.Protect(s.ReporterName, incident.ClientId) ?? incident.ReporterName;
            incident.ReporterContact = reporters.Protect(s.ReporterContact, incident.ClientId) ?? incident.ReporterContact;
            if (incident.Status is IncidentStatus.Verified or IncidentStatus.Published)
                (incident.Status, incident.PublishedAtUtc) = (IncidentStatus.UnderReview, null);
        }
        else
        {
            var visit = await db.SiteVisits.FirstAsync(v => v.Id == holder.Id, cancellationToken);
            if (visit.OrganisationId != organisation)
                return new SubmissionResult(SubmissionOutcome.Conflict, holder.Kind, holder.Id, new Dictionary<string, string[]>());
            (revision.SiteVisitId, revision.SubmissionHash) = (visit.Id, visit.SubmissionHash);
            revision.Content = JsonSerializer.Serialize(new
            {
                visit.SiteId, visit.VisitedOn, visit.Workers, visit.Women, visit.ChildrenUnder15, visit.Children15To18, visit.ChildrenWork, visit.ArmedPresence,
                visit.ArmedGroup, visit.Interference, visit.Mercury, visit.StateServices, visit.Traceability, visit.Notes,
            }, Readable);
            var newer = Visit(s, hash, organisation, visit.SubmittedById);
            (newer.Id, newer.ClientId, newer.SubmittedAtUtc) = (visit.Id, visit.ClientId, visit.SubmittedAtUtc);
            db.Entry(visit).CurrentValues.SetValues(newer);
        }
        db.FieldRevisions.Add(revision);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new SubmissionResult(SubmissionOutcome.Revised, holder.Kind, holder.Id, new Dictionary<string, string[]>());
    }

    private static Dictionary<string, string[]> Validate(FieldSubmission s, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];
        if (s.ClientId is null || s.ClientId == Guid.Empty)
            Error("clientId", "Give the identifier the device made for this submission (a UUID); a repeat with the same one is recorded once.");
        if (s.Kind != "incident")
            Error("kind", "Use \"incident\" or \"visit\".");
        if (ApiCodes.Parse<IncidentCategory>(s.Category) is null)
            Error("category", $"Use one of: {ApiCodes.Names<IncidentCategory>()}.");
        if (s.OccurredOn is not { } on || on.Year < 1990 || on > DateOnly.FromDateTime(now.UtcDateTime.AddDays(1)))
            Error("occurredOn", "Give the date it happened (YYYY-MM-DD), not in the future.");
        if (s.Latitude is not (>= -90 and <= 90) || s.Longitude is not (>= -180 and <= 180))
            Error(s.Latitude is (>= -90 and <= 90) ? "longitude" : "latitude", "Give the place in WGS84 degrees: latitude -90 to 90, longitude -180 to 180.");
        if (s.PrecisionMetres is < 0)
            Error("precisionMetres", "A precision is a distance in metres, 0 or more.");
        if (s.CountryIso3 is not { Length: 3 } country || !CountryCodes.IsKnown(country.ToUpperInvariant()) || CountryCodes.IsAggregate(country.ToUpperInvariant()))
            Error("countryIso3", "Give the country's ISO 3166 three-letter code, such as CAF.");
        if (ApiCodes.Parse<IncidentSeverity>(s.Severity) is null)
            Error("severity", $"Use one of: {ApiCodes.Names<IncidentSeverity>()}.");
        if (s.Perpetrator is { Length: > 0 } && ApiCodes.Parse<PerpetratorType>(s.Perpetrator) is null)
            Error("perpetrator", $"Use one of: {ApiCodes.Names<PerpetratorType>()}, or leave it out.");
        foreach (var (field, value) in new[] { ("killed", s.Killed), ("injured", s.Injured), ("affected", s.Affected) })
            if (value is < 0)
                Error(field, "A number of people, 0 or more; leave it out when not known.");
        if (string.IsNullOrWhiteSpace(s.Description) || s.Description.Length > 10_000)
            Error("description", "Describe what happened (up to 10,000 characters).");
        if (s.ReporterName?.Length > 200 || s.ReporterContact?.Length > 200)
            Error("reporterName", "A name and a contact of up to 200 characters each.");
        return errors;
    }

    private static Dictionary<string, string[]> ValidateVisit(FieldSubmission s, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];
        if (s.ClientId is null || s.ClientId == Guid.Empty)
            Error("clientId", "Give the identifier the device made for this submission (a UUID); a repeat with the same one is recorded once.");
        if (s.SiteId is null)
            Error("siteId", "Say which site was visited (GET /api/v1/sites lists them).");
        if (s.VisitedOn is not { } on || on.Year < 1990 || on > DateOnly.FromDateTime(now.UtcDateTime.AddDays(1)))
            Error("visitedOn", "Give the date of the visit (YYYY-MM-DD), not in the future.");
        foreach (var (field, value) in new[] { ("workers", s.Workers), ("women", s.Women), ("childrenUnder15", s.ChildrenUnder15), ("children15To18", s.Children15To18) })
            if (value is < 0)
                Error(field, "A number of people, 0 or more; leave it out when not known.");
        if (s.ArmedPresence is { Length: > 0 } && ApiCodes.Parse<ArmedPresence>(s.ArmedPresence) is null)
            Error("armedPresence", $"Use one of: {ApiCodes.Names<ArmedPresence>()}.");
        if (s.Interference?.Any(i => ApiCodes.Parse<Interference>(i) is null or Interference.None) == true)
            Error("interference", $"A list of: {ApiCodes.Names(Interference.None)}.");
        foreach (var (field, value, length) in new[] { ("childrenWork", s.ChildrenWork, 500), ("armedGroup", s.ArmedGroup, 500), ("stateServices", s.StateServices, 500), ("traceability", s.Traceability, 500), ("notes", s.Notes, 10_000) })
            if (value?.Length > length)
                Error(field, $"Up to {length:N0} characters.");
        return errors;
    }
}
