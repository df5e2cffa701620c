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
/// How a KoboToolbox or ODK form's fields become Kimberlite's (docs/field/): the kind of record, the
/// organisation that collected it, the form field for each Kimberlite field (`name[0]` for an element of
/// a list such as `_geolocation`), and the form's choice names for Kimberlite's where they differ.
/// </summary>
public sealed record KoboMapping(string? Kind, string? Organisation, Dictionary<string, string>? Fields, Dictionary<string, Dictionary<string, string>>? Values)
{
    /// <summary>A mapping file as docs/field describes it; a JsonException says what is wrong with it.</summary>
    public static KoboMapping Read(byte[] content)
    {
        var mapping = JsonSerializer.Deserialize<KoboMapping>(content, JsonSerializerOptions.Web) ?? throw new JsonException("The mapping file is empty (null).");
        if (mapping.Fields?.FirstOrDefault(f => string.IsNullOrWhiteSpace(f.Value)) is { Key: { } field })
            throw new JsonException($"\"fields\" maps {field} to no form field: name the form field, or leave {field} out.");
        if (mapping.Values?.FirstOrDefault(v => v.Value is null || v.Value.Values.Any(string.IsNullOrWhiteSpace)) is { Key: { } values })
            throw new JsonException($"\"values\" of {values} holds an empty value: give Kimberlite's name for each of the form's choices.");
        return mapping;
    }
}

/// <summary>What an import of a KoboToolbox or ODK export did, or would do when only checked (nothing recorded).</summary>
public sealed record KoboResult(bool Imported, int Created, int Repeated, IReadOnlyList<ImportProblem> Problems, bool Checked = false);

/// <summary>
/// Brings in the CSV or JSON submission exports of KoboToolbox and ODK through a mapping: all or
/// nothing, every refused value listed with its line and form field; a submission already recorded
/// (same identifier, same content) is recognised, not added again.
/// </summary>
public sealed class KoboImporter(KimberliteDb db, FieldSubmissions submissions, AuditLog audit, IStringLocalizer<Texts> texts)
{
    // allowedOrganisations: those the person may import for (where they are analysts); null for the command line's operator.
    public async Task<KoboResult> ImportAsync(byte[] content, string fileName, KoboMapping mapping, string actor, CancellationToken cancellationToken = default,
        bool checkOnly = false, IReadOnlyList<int>? allowedOrganisations = null)
    {
        var problems = new List<ImportProblem>();
        void Refuse(int line, string column, string? value, string reason) => problems.Add(new ImportProblem(line, column, value, ImportIssueKind.Refused, reason));

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
        if (mapping.Fields is not { Count: > 0 } fields || !fields.ContainsKey("clientId"))
        {
            Refuse(0, "fields", null, "Kobo_NoClientIdField");
            return new KoboResult(false, 0, 0, problems);
        }

        List<(int Line, Dictionary<string, string?> Values)> rows;
        try
        {
            rows = fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? JsonRows(content) : CsvRows(content, fileName);
        }
        catch (TableException e)
        {
            // What the table reader refused, with its own reason (a cell beyond Excel's limits, a quote never closed...).
            Refuse(e.Line, "(file)", e.Value, e.Reason);
            return new KoboResult(false, 0, 0, problems);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidDataException or InvalidOperationException)
        {
            Refuse(1, "(file)", e.Message, "Kobo_Unreadable");
            return new KoboResult(false, 0, 0, problems);
        }
        if (rows.Count == 0)
            Refuse(1, "(file)", null, "Kobo_Empty");

        var parsed = new List<(int Line, FieldSubmission Submission)>();
        foreach (var (line, values) in rows)
        {
            string? Text(string field)
            {
                if (!fields.TryGetValue(field, out var source) || !values.TryGetValue(source, out var value) || string.IsNullOrWhiteSpace(value))
                    return null;
                value = value.Trim();
                return mapping.Values?.GetValueOrDefault(field)?.GetValueOrDefault(value) ?? value;
            }
            T? Parse<T>(string field, Func<string, T?> parse) where T : struct
            {
                if (Text(field) is not { } text)
                    return null;
                if (parse(text) is { } value)
                    return value;
                Refuse(line, fields[field], text, "Kobo_NotAValue");
                return null;
            }
            var clientText = Text("clientId")?.Replace("uuid:", "", StringComparison.OrdinalIgnoreCase);
            var submission = new FieldSubmission(
                Guid.TryParse(clientText, out var clientId) ? clientId : null, mapping.Kind ?? "incident", Text("category"),
                Parse("occurredOn", Date), Parse("latitude", Number), Parse("longitude", Number), Parse("precisionMetres", Whole),
                Text("countryIso3"), Parse("siteId", Whole), Text("severity"), Parse("killed", Whole), Parse("injured", Whole), Parse("affected", Whole),
                Text("perpetrator"), Text("description"), Text("reporterName"), Text("reporterContact"), null, // the organisation goes to SubmitAsync by id, with no lookup per row
                Parse("visitedOn", Date), Parse("workers", Whole), Parse("women", Whole), Parse("childrenUnder15", Whole), Parse("children15To18", Whole),
                Text("childrenWork"), Text("armedPresence"), Text("armedGroup"), Text("interference")?.Split(' ', StringSplitOptions.RemoveEmptyEntries),
                Parse("mercury", Flag), Text("stateServices"), Text("traceability"), Text("notes"));
            foreach (var (field, messages) in submissions.Check(submission))
                Refuse(line, fields.GetValueOrDefault(field, field), Text(field), FieldSubmissions.ErrorText(texts, field, messages[0]));
            parsed.Add((line, submission));
        }
        if (problems.Count > 0 || organisation is null)
            return new KoboResult(false, 0, 0, problems);

        int created = 0, repeated = 0;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            foreach (var (line, submission) in parsed)
            {
                var result = await submissions.SubmitAsync(submission, null, [organisation.Id], actor, cancellationToken, audited: false);
                switch (result.Outcome)
                {
                    case SubmissionOutcome.Created: created++; break;
                    case SubmissionOutcome.Repeated: repeated++; break;
                    case SubmissionOutcome.Conflict:
                        Refuse(line, fields["clientId"], submission.ClientId.ToString(), "Kobo_Conflict");
                        break;
                    default:
                        foreach (var (field, messages) in result.Errors)
                            Refuse(line, fields.GetValueOrDefault(field, field), null, FieldSubmissions.ErrorText(texts, field, messages[0]));
                        break;
                }
            }
            if (problems.Count > 0 || checkOnly)
            {
                // Checking runs the whole import, then undoes it: the counts are exactly what committing will do.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return problems.Count > 0 ? new KoboResult(false, 0, 0, problems) : new KoboResult(false, created, repeated, [], Checked: true);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        await audit.AppendAsync(actor, AuditActions.IncidentSubmitted, $"{parsed.Count} {mapping.Kind ?? "incident"} submissions of {organisation.Acronym}",
            $"KoboToolbox/ODK export {Path.GetFileName(fileName)}: {created} new, {repeated} already recorded", cancellationToken);
        return new KoboResult(true, created, repeated, []);
    }

    private static List<(int, Dictionary<string, string?>)> CsvRows(byte[] content, string fileName)
    {
        var table = Table.Read(content, fileName);
        return table.Rows.Select(r => (r.Line, table.Headers.Select((h, i) => (h.Trim(), i < r.Cells.Length ? r.Cells[i] : null))
            .GroupBy(p => p.Item1).ToDictionary(g => g.Key, g => g.First().Item2))).ToList();
    }

    /// <summary>A JSON list of submissions (or KoboToolbox's `{"results": [...]}`), nested groups and lists flattened to `group/field` and `field[0]`.</summary>
    private static List<(int, Dictionary<string, string?>)> JsonRows(byte[] content)
    {
        using var document = JsonDocument.Parse(content);
        var list = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("results", out var results) ? results : document.RootElement;
        if (list.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException("Expected a list of submissions.");
        var rows = new List<(int, Dictionary<string, string?>)>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var values = new Dictionary<string, string?>();
            Flatten(item, "", values);
            rows.Add((++index, values));
        }
        return rows;
    }

    private static void Flatten(JsonElement element, string path, Dictionary<string, string?> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    Flatten(property.Value, path.Length == 0 ? property.Name : $"{path}/{property.Name}", values);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    Flatten(item, $"{path}[{i++}]", values);
                break;
            case JsonValueKind.Null:
                values[path] = null;
                break;
            default:
                values[path] = element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText();
                break;
        }
    }

    private static DateOnly? Date(string text) =>
        DateOnly.TryParseExact(text.Length >= 10 ? text[..10] : text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

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
