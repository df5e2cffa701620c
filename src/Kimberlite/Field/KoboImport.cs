using System.Globalization;
using System.Text.Json;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Import;
using Kimberlite.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Field;

/// <summary>
/// What an import of a KoboToolbox or ODK export did, or would do when only checked (nothing recorded): submissions new,
/// already recorded, and edits that updated the record of the version they replace; the shape the file was read as.
/// </summary>
public sealed record KoboResult(bool Imported, int Created, int Repeated, IReadOnlyList<ImportProblem> Problems, bool Checked = false, int Revised = 0, string? Shape = null);

/// <summary>
/// Brings in KoboToolbox and ODK Central submission exports (KoboExport reads every shape) through a mapping: all or
/// nothing, every refused value listed with its line and form field; a submission already recorded (same identifier,
/// same content) is recognised, not added again; an edit updates the record of the version it replaces.
/// </summary>
public sealed class KoboImporter(KimberliteDb db, FieldSubmissions submissions, AuditLog audit, IStringLocalizer<Texts> texts)
{
    /// <summary>What ODK Central writes in place of the answers of a submission it could not decrypt (CSV Status, OData __system/status).</summary>
    private static readonly HashSet<string> NotDecrypted = new(StringComparer.OrdinalIgnoreCase)
        { "not decrypted", "missing encrypted form data", "notDecrypted", "missingEncryptedFormData" };

    /// <summary>The elements of an encrypted OpenRosa submission's manifest: a server that keeps them as answers never decrypted them.</summary>
    private static readonly string[] EncryptedElements = ["base64EncryptedKey", "encryptedXmlFile", "base64EncryptedElementSignature"];

    // allowedOrganisations: those the person may import for (where they are analysts); null for the command line's operator.
    public async Task<KoboResult> ImportAsync(byte[] content, string fileName, KoboMapping mapping, string actor, CancellationToken cancellationToken = default,
        bool checkOnly = false, IReadOnlyList<int>? allowedOrganisations = null, Func<KimberliteDb, CancellationToken, Task>? beforeCommit = null)
    {
        var problems = new List<ImportProblem>();
        void Refuse(int line, string column, string? value, string reason) => problems.Add(new ImportProblem(line, column, value, ImportIssueKind.Refused, reason));
        bool Refused() => problems.Any(p => p.Kind == ImportIssueKind.Refused);

        var organisation = mapping.Organisation is { Length: > 0 } acronym
            ? await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Acronym.ToUpper() == acronym.ToUpper(), cancellationToken)
            : null;
        if (organisation is null)
            Refuse(0, "organisation", mapping.Organisation, "Kobo_NoOrganisation");
        else if (allowedOrganisations is not null && !allowedOrganisations.Contains(organisation.Id))
        {
            Refuse(0, "organisation", mapping.Organisation, "Kobo_NotYourOrganisation");
            organisation = null;
        }
        var fields = (mapping.Fields ?? []).ToDictionary(f => f.Key.Trim(), f => f.Value.Trim());
        var constants = (mapping.Constants ?? []).ToDictionary(c => c.Key.Trim(), c => c.Value.Trim());
        if (!fields.ContainsKey("clientId"))
            Refuse(0, "fields", null, "Kobo_NoClientIdField");
        foreach (var (part, names) in new (string, IEnumerable<string>)[] { ("fields", fields.Keys), ("values", (IEnumerable<string>?)mapping.Values?.Keys ?? []), ("constants", constants.Keys) })
            foreach (var name in names.Where(n => !KoboMapping.KnownFields.Contains(n)))
                Refuse(0, part, name, "Kobo_UnknownField");
        foreach (var name in constants.Keys.Where(fields.ContainsKey).Concat(new[] { "latitude", "longitude", "precisionMetres" }
            .Where(f => fields.ContainsKey("point") && (fields.ContainsKey(f) || constants.ContainsKey(f)))))
            Refuse(0, "constants", name, "Kobo_TwoSources");
        foreach (var name in new[] { "clientId", "replaces", "point" }.Where(constants.ContainsKey))
            Refuse(0, "constants", name, "Kobo_NotAConstant");
        if (Refused())
            return new KoboResult(false, 0, 0, problems);

        KoboExport export;
        try
        {
            var clientColumn = fields["clientId"];
            export = KoboExport.Read(content, fileName, headers => headers.Any(h => h.Trim() == clientColumn || h.Trim() == clientColumn.Replace('/', '-')));
        }
        catch (TableException e)
        {
            // What the table reader refused, with its own reason (a cell beyond Excel's limits, a quote never closed...).
            Refuse(e.Line, "(file)", e.Value, e.Reason);
            return new KoboResult(false, 0, 0, problems);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidDataException or InvalidOperationException or ArgumentException or IOException
            or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException or System.Xml.XmlException)
        {
            Refuse(1, "(file)", e.Message, "Kobo_Unreadable");
            return new KoboResult(false, 0, 0, problems);
        }
        var isTable = !export.Shape.Contains("JSON", StringComparison.Ordinal);
        var headerLine = isTable ? 1 : 0;
        if (export.IsRepeatTable)
        {
            Refuse(headerLine, export.Columns.Contains("PARENT_KEY") ? "PARENT_KEY" : "_parent_index", null, "Kobo_RepeatTable");
            return new KoboResult(false, 0, 0, problems, Shape: export.Shape);
        }
        if (export.Rows.Count == 0)
            Refuse(1, "(file)", null, "Kobo_Empty");

        // Each mapped path is found in the export once, before any row: a path it lacks or one column for two fields is said once, at the header.
        var columns = new Dictionary<string, string>();
        foreach (var (field, path) in fields)
        {
            if (export.Resolve(path) is { } column)
            {
                columns[field] = column;
                if (export.Duplicates.Contains(column))
                    Refuse(headerLine, column, field, "Kobo_AmbiguousColumn");
            }
            else if (export.RepeatOf(path) is { } repeat)
                Refuse(headerLine, path, repeat, "Kobo_InRepeat");
            else if (isTable)
                Refuse(headerLine, path, field, "Kobo_MissingColumn");
            else if (field != "replaces")
                // JSON leaves out the questions a submission did not answer: a path no submission answers may be a misspelling, or just unanswered.
                problems.Add(new ImportProblem(headerLine, path, field, ImportIssueKind.Note, "Kobo_NoAnswer"));
        }
        foreach (var shared in fields.GroupBy(f => columns.GetValueOrDefault(f.Key, f.Value)).Where(g => g.Count() > 1))
            Refuse(headerLine, shared.Key, string.Join(", ", shared.Select(f => f.Key).Order(StringComparer.Ordinal)), "Kobo_OneColumnTwoFields");
        if (Refused())
            return new KoboResult(false, 0, 0, problems, Shape: export.Shape);

        var parsed = new List<(int Line, FieldSubmission Submission, Guid? Replaces)>();
        foreach (var row in export.Rows)
        {
            var line = row.Line;
            if (Encrypted(row) is { } encrypted)
            {
                Refuse(line, encrypted.Column, encrypted.Value, "Kobo_Encrypted");
                continue;
            }
            string ColumnOf(string field) => columns.GetValueOrDefault(field) ?? (constants.ContainsKey(field) ? $"constants.{field}" : fields.GetValueOrDefault(field, field));
            string? Raw(string field) =>
                constants.TryGetValue(field, out var constant) ? constant
                : columns.TryGetValue(field, out var column) && row.Values.TryGetValue(column, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim()
                : null;
            string? Choice(string field)
            {
                if (Raw(field) is not { } raw || constants.ContainsKey(field))
                    return Raw(field);
                var names = mapping.Values?.GetValueOrDefault(field);
                if (names?.GetValueOrDefault(raw) is { } whole)
                    return whole;
                // A select-multiple answer ("3 4") is read choice by choice.
                var choices = raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (choices.Length < 2 || (names is null && field != "interference"))
                    return raw;
                var mapped = choices.Select(c => names?.GetValueOrDefault(c) ?? c).Distinct(StringComparer.Ordinal).ToList();
                if (field == "interference" || mapped.Count == 1)
                    return string.Join(' ', mapped);
                Refuse(line, ColumnOf(field), raw, "Kobo_SeveralChoices");
                return null;
            }
            var text = KoboMapping.KnownFields.ToDictionary(f => f, Choice);
            T? Parse<T>(string field, Func<string, T?> parse) where T : struct
            {
                if (text[field] is not { } value)
                    return null;
                if (parse(value) is { } parsedValue)
                    return parsedValue;
                Refuse(line, ColumnOf(field), value, "Kobo_NotAValue");
                return null;
            }
            Guid? Identifier(string field)
            {
                if (text[field]?.Replace("uuid:", "", StringComparison.OrdinalIgnoreCase) is not { } value)
                    return null;
                if (Guid.TryParse(value, out var id))
                    return id;
                Refuse(line, ColumnOf(field), text[field], "Kobo_NotAnIdentifier");
                return null;
            }
            var (latitude, longitude, precision) = (Parse("latitude", Number), Parse("longitude", Number), Parse("precisionMetres", Whole));
            if (text["point"] is { } pointText)
            {
                if (KoboExport.Point(pointText) is { } point)
                    (latitude, longitude, precision) = (point.Latitude, point.Longitude, point.Accuracy is { } a && a >= 0 && a < int.MaxValue ? (int)Math.Round(a) : null);
                else
                    Refuse(line, ColumnOf("point"), pointText, "Kobo_NotAPoint");
            }
            var clientId = text["clientId"]?.Replace("uuid:", "", StringComparison.OrdinalIgnoreCase);
            var submission = new FieldSubmission(
                Guid.TryParse(clientId, out var id) ? id : null, mapping.Kind ?? "incident", text["category"],
                Parse("occurredOn", Date), latitude, longitude, precision,
                text["countryIso3"], Parse("siteId", Whole), text["severity"], Parse("killed", Whole), Parse("injured", Whole), Parse("affected", Whole),
                text["perpetrator"], text["description"], text["reporterName"], text["reporterContact"], null, // the organisation goes to SubmitAsync by id, with no lookup per row
                Parse("visitedOn", Date), Parse("workers", Whole), Parse("women", Whole), Parse("childrenUnder15", Whole), Parse("children15To18", Whole),
                text["childrenWork"], text["armedPresence"], text["armedGroup"], text["interference"]?.Split(' ', StringSplitOptions.RemoveEmptyEntries),
                Parse("mercury", Flag), text["stateServices"], text["traceability"], text["notes"]);
            var replaces = Identifier("replaces");
            foreach (var (field, messages) in submissions.Check(submission))
                Refuse(line, field is "latitude" or "longitude" && text["point"] is not null ? ColumnOf("point") : ColumnOf(field), text.GetValueOrDefault(field),
                    FieldSubmissions.ErrorText(texts, field, messages[0]));
            parsed.Add((line, submission, replaces));
        }
        if (Refused() || organisation is null)
            return new KoboResult(false, 0, 0, problems, Shape: export.Shape);

        int created = 0, repeated = 0, revised = 0;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            foreach (var (line, submission, replaces) in parsed)
            {
                var result = await submissions.SubmitAsync(submission, null, [organisation.Id], actor, cancellationToken, audited: false, replaces: replaces);
                switch (result.Outcome)
                {
                    case SubmissionOutcome.Created: created++; break;
                    case SubmissionOutcome.Repeated: repeated++; break;
                    case SubmissionOutcome.Revised: revised++; break;
                    case SubmissionOutcome.Conflict:
                        Refuse(line, columns["clientId"], submission.ClientId.ToString(), "Kobo_Conflict");
                        break;
                    default:
                        foreach (var (field, messages) in result.Errors)
                            Refuse(line, columns.GetValueOrDefault(field, field), null, FieldSubmissions.ErrorText(texts, field, messages[0]));
                        break;
                }
            }
            if (Refused() || checkOnly)
            {
                // Checking runs the whole import, then undoes it: the counts are exactly what committing will do.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return Refused() ? new KoboResult(false, 0, 0, problems, Shape: export.Shape)
                    : new KoboResult(false, created, repeated, problems, Checked: true, Revised: revised, Shape: export.Shape);
            }
            // The audit entry is committed with the submissions it records, or not at all.
            await audit.AppendInAsync(db, actor, AuditActions.IncidentSubmitted, $"{parsed.Count} {mapping.Kind ?? "incident"} submissions of {organisation.Acronym}",
                $"{export.Shape} {Path.GetFileName(fileName)}: {created} new, {revised} updated by an edit, {repeated} already recorded", cancellationToken);
            if (beforeCommit is not null)
                await beforeCommit(db, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return new KoboResult(true, created, repeated, problems, Revised: revised, Shape: export.Shape);
    }

    /// <summary>Where a row says it holds an encrypted submission that was never decrypted, if it does.</summary>
    private static (string Column, string? Value)? Encrypted(KoboRow row)
    {
        foreach (var status in new[] { "Status", "__system/status" })
            if (row.Values.GetValueOrDefault(status) is { } value && NotDecrypted.Contains(value.Trim()))
                return (status, value);
        foreach (var (key, value) in row.Values)
            if (!string.IsNullOrWhiteSpace(value) && EncryptedElements.Any(e => key == e || key.EndsWith("/" + e, StringComparison.Ordinal) || key.EndsWith("-" + e, StringComparison.Ordinal)))
                return (key, null);
        return null;
    }

    /// <summary>A date as the exports write it (`2026-11-01`, or the start of a date-time), or a spreadsheet's day number when an XLSX export stores dates as numbers.</summary>
    private static DateOnly? Date(string text) =>
        DateOnly.TryParseExact(text.Length >= 10 ? text[..10] : text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is >= 32_874 and < 73_051 // 1990 to 2099
            ? DateOnly.FromDateTime(DateTime.FromOADate(Math.Floor(serial))) : null;

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static int? Whole(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && d < int.MaxValue ? (int)Math.Round(d) : null;

    private static bool? Flag(string text) => text.ToLowerInvariant() switch
    {
        "yes" or "oui" or "sim" or "true" or "1" => true,
        "no" or "non" or "não" or "nao" or "false" or "0" => false,
        _ => null,
    };
}
