using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Api;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Import;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Advocacy;

/// <summary>What an import of recommendations found or did: how many rows are new, how many were recorded already, and what is wrong.</summary>
public sealed record RecommendationResult(bool Imported, int Created, int Repeated, IReadOnlyList<ImportProblem> Problems, bool Checked = false);

/// <summary>
/// Brings in a workshop's outcomes as a list (CSV or XLSX, columns in docs/IMPORTS.md): every row checked by the same
/// rules as the API (<see cref="AdvocacyBook.CheckAsync"/>), all or nothing, every bad cell listed with its line and
/// column; the rows written in one transaction with one audit entry. A row's identifier is its `id`, else one made
/// from what it says, so a file imported again records nothing twice.
/// </summary>
public sealed class RecommendationImporter(KimberliteDb db, AdvocacyBook book, AuditLog audit)
{
    public const string Text = "text", Language = "language", Addressee = "addressee", Theme = "theme";

    /// <summary>The columns a file may have; the four above are required.</summary>
    public static readonly string[] Columns =
    [
        "kind", Text, Language, "text_fr", "text_en", "text_pt", "made_by", "organisation", "meeting", Addressee, "addressee_kind",
        "countries", Theme, "due", "status", "acknowledgement", "committed_by", "recorded_in", "evidence", "id",
    ];

    private static readonly string[] Required = [Text, Language, Addressee, Theme];

    /// <summary>The book's field keys, and the column and reason each refusal is reported under; null where the importer checks the cell itself.</summary>
    private static readonly Dictionary<string, (string Column, string Reason)?> Fields = new()
    {
        ["kind"] = ("kind", "AdvImp_BadKind"),
        ["text"] = (Text, "AdvImp_Text"),
        ["language"] = (Language, "AdvImp_Language"),
        ["translations"] = null,
        ["addressee"] = (Addressee, "AdvImp_Addressee"),
        ["addresseeKind"] = ("addressee_kind", "AdvImp_AddresseeKind"),
        ["countries"] = null,
        ["theme"] = (Theme, "AdvImp_Theme"),
        ["dueOn"] = ("due", "AdvImp_Due"),
        ["status"] = ("status", "AdvImp_Status"),
        ["acknowledgement"] = ("acknowledgement", "AdvImp_Acknowledgement"),
        ["committedBy"] = ("committed_by", "AdvImp_CommittedBy"),
        ["recordedIn"] = ("recorded_in", "AdvImp_RecordedIn"),
        ["meeting"] = null,
        ["organisations"] = null,
        ["evidence"] = null,
        ["clientId"] = null,
    };

    /// <summary>Each theme's name in French, English and Portuguese (the pages' words), folded, with its code.</summary>
    private static readonly Lazy<Dictionary<string, string>> ThemeWords = new(() =>
    {
        var texts = new System.Resources.ResourceManager(typeof(Infrastructure.Localization.Texts));
        var words = new Dictionary<string, string>();
        foreach (var theme in Enum.GetValues<Theme>())
            foreach (var language in AdvocacyBook.Languages)
                if (texts.GetString($"Adv_Theme_{theme}", CultureInfo.GetCultureInfo(language)) is { } word)
                    words.TryAdd(Fold(word), ApiCodes.Code(theme));
        return words;
    });

    /// <summary>A theme as a person writes it in a list: its code, or its name in any of the three languages, accents and case aside.</summary>
    public static string? ThemeCode(string? cell) => cell is null ? null : ThemeWords.Value.GetValueOrDefault(Fold(cell), cell);

    private static string Fold(string text) => new([.. text.Normalize(NormalizationForm.FormD).Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    /// <summary>A header that names the four required columns is a list of recommendations, whatever else it holds.</summary>
    public static bool Recognises(IReadOnlyList<string> headers) => Required.All(r => headers.Any(h => Name(h) == r));

    /// <summary>A header as the documentation writes it: case, spaces and hyphens aside ("Made by" is `made_by`).</summary>
    private static string Name(string header) => header.Trim().ToLowerInvariant().Replace(' ', '_').Replace('-', '_');

    private sealed record Row(int Line, ItemInput Input, int Organisation);

    /// <summary>
    /// Checks the file and, unless <paramref name="checkOnly"/>, records its new rows. <paramref name="organisation"/> records
    /// the rows whose `organisation` cell is empty; <paramref name="allowed"/>, when given, the organisations the person
    /// may record for (the page's analyst); the command line may record for any.
    /// </summary>
    public async Task<RecommendationResult> ImportAsync(byte[] content, string fileName, int? organisation, string actor, int? actorId,
        IReadOnlyList<int>? allowed, bool checkOnly, Func<KimberliteDb, CancellationToken, Task>? beforeCommit, ClaimsPrincipal? reader, CancellationToken cancellationToken)
    {
        Table table;
        try
        {
            table = Table.Read(content, fileName);
        }
        catch (TableException e)
        {
            return Refused([new ImportProblem(e.Line, "(file)", e.Value, ImportIssueKind.Refused, e.Reason)]);
        }
        var problems = new List<ImportProblem>();
        var columns = new Dictionary<string, int>();
        foreach (var (header, index) in table.Headers.Select((h, i) => (h, i)))
        {
            var name = Name(header);
            if (name.Length == 0 && table.Rows.All(r => string.IsNullOrWhiteSpace(r.Cells[index])))
                continue;
            if (!Columns.Contains(name))
                problems.Add(Problem(table.HeaderLine, header, header, "AdvImp_UnknownColumn"));
            else if (!columns.TryAdd(name, index))
                problems.Add(Problem(table.HeaderLine, header, header, "AdvImp_RepeatedColumn"));
        }
        problems.AddRange(Required.Where(r => !columns.ContainsKey(r)).Select(r => Problem(table.HeaderLine, r, "", "AdvImp_MissingColumn")));
        if (problems.Count == 0 && table.Rows.Count == 0)
            problems.Add(Problem(table.HeaderLine, "(file)", "", "AdvImp_NoRows"));
        if (problems.Count > 0)
            return Refused(problems);

        var organisations = await db.Organisations.AsNoTracking().Select(o => new { o.Id, o.Acronym }).ToListAsync(cancellationToken);
        var meetings = await db.Meetings.AsNoTracking().Select(m => new { m.Id, m.Key, m.Title }).ToListAsync(cancellationToken);
        var rows = new List<Row>();
        var seen = new Dictionary<Guid, int>();
        foreach (var row in table.Rows)
        {
            string Cell(string column) => columns.TryGetValue(column, out var i) && i < row.Cells.Length ? row.Cells[i].Trim() : "";
            string? Optional(string column) => Cell(column) is { Length: > 0 } value ? value : null;
            var refused = new List<ImportProblem>();
            void Refuse(string column, string value, string reason) => refused.Add(Problem(row.Line, column, value, reason));

            Guid? id = null;
            if (Optional("id") is { } given)
            {
                if (Guid.TryParse(given, out var parsed) && parsed != Guid.Empty)
                    id = parsed;
                else
                    Refuse("id", given, "AdvImp_Id");
            }
            int? recorder = organisation;
            if (Optional("organisation") is { } acronym)
            {
                recorder = organisations.FirstOrDefault(o => string.Equals(o.Acronym, acronym, StringComparison.OrdinalIgnoreCase))?.Id;
                if (recorder is null)
                    Refuse("organisation", acronym, "AdvImp_UnknownOrganisation");
                else if (allowed is not null && !allowed.Contains(recorder.Value))
                    Refuse("organisation", acronym, "AdvImp_NotYourOrganisation");
            }
            else if (recorder is null)
                Refuse("organisation", "", "AdvImp_NoOrganisation");
            var madeBy = List(Cell("made_by"));
            foreach (var unknown in madeBy.Where(a => !organisations.Any(o => string.Equals(o.Acronym, a, StringComparison.OrdinalIgnoreCase))))
                Refuse("made_by", unknown, "AdvImp_UnknownOrganisation");
            int? meeting = null;
            if (Optional("meeting") is { } named)
            {
                meeting = (int.TryParse(named, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? meetings.FirstOrDefault(m => m.Id == number) : null)?.Id
                    ?? meetings.FirstOrDefault(m => string.Equals(m.Key, named, StringComparison.OrdinalIgnoreCase))?.Id
                    ?? meetings.FirstOrDefault(m => string.Equals(m.Title.Trim(), named, StringComparison.OrdinalIgnoreCase))?.Id;
                if (meeting is null)
                    Refuse("meeting", named, "AdvImp_UnknownMeeting");
            }
            var countries = List(Cell("countries"));
            foreach (var wrong in countries.Where(c => !AdvocacyBook.IsRegional(c) && (!CountryCodes.IsKnown(c.ToUpperInvariant()) || CountryCodes.IsAggregate(c.ToUpperInvariant()))))
                Refuse("countries", wrong, "AdvImp_UnknownCountry");
            var translations = new Dictionary<string, string>();
            foreach (var language in AdvocacyBook.Languages)
                if (Optional($"text_{language}") is { } translated)
                {
                    if (translated.Length > 5_000)
                        Refuse($"text_{language}", Clip(translated), "AdvImp_TooLong");
                    translations[language] = translated;
                }
            var evidence = new List<EvidenceInput>();
            foreach (var piece in List(Cell("evidence")))
                if (await EvidenceAsync(piece, reader, cancellationToken) is { } reason)
                    Refuse("evidence", piece, reason);
                else
                    evidence.Add(Evidence(piece));

            var input = new ItemInput(id ?? Guid.NewGuid(), Optional("kind"), Cell(Text), Cell(Language), translations, madeBy.Count > 0 ? [.. madeBy] : null,
                null, meeting, Cell(Addressee), Optional("addressee_kind"), countries.Count > 0 ? [.. countries] : null, ThemeCode(Cell(Theme)),
                Due(Cell("due"), table.Sheet is not null), Optional("status"), Optional("acknowledgement"), Optional("committed_by"), Optional("recorded_in"), [.. evidence]);
            // The API's own rules, each refusal put back under the column the person wrote.
            foreach (var (field, _) in await book.CheckAsync(input, creating: true, cancellationToken, reader))
                if ((Fields.TryGetValue(field, out var known) ? known : (field, "AdvImp_Invalid")) is { } target && !refused.Any(p => p.Column == target.Column))
                    Refuse(target.Column, Clip(Cell(target.Column)), target.Reason);
            if (refused.Count == 0)
            {
                input = input with { ClientId = id ?? Identity(input, recorder!.Value) };
                if (seen.TryGetValue(input.ClientId!.Value, out var first))
                    Refuse(id is null ? Text : "id", Clip(id is null ? Cell(Text) : Cell("id")), "AdvImp_RepeatedRow");
                else
                {
                    seen[input.ClientId!.Value] = row.Line;
                    rows.Add(new Row(row.Line, input, recorder!.Value));
                }
            }
            problems.AddRange(refused);
        }
        if (problems.Count > 0)
            return Refused(problems);

        var ids = rows.Select(r => r.Input.ClientId!.Value).ToList();
        var existing = (await db.AdvocacyItems.AsNoTracking().Where(i => ids.Contains(i.ClientId)).Select(i => i.ClientId).ToListAsync(cancellationToken)).ToHashSet();
        var fresh = rows.Where(r => !existing.Contains(r.Input.ClientId!.Value)).ToList();
        if (checkOnly)
            return new RecommendationResult(false, fresh.Count, rows.Count - fresh.Count, [], Checked: true);
        if (fresh.Count == 0)
            return new RecommendationResult(true, 0, rows.Count, []);

        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var items = new List<AdvocacyItem>();
            foreach (var row in fresh)
                items.Add(await book.NewItemAsync(row.Input, row.Organisation, actorId, actor, cancellationToken, reader));
            db.AddRange(items);
            await db.SaveChangesAsync(cancellationToken);
            // The audit entry is committed with the items it records, or not at all.
            var recorders = string.Join(", ", organisations.Where(o => fresh.Any(r => r.Organisation == o.Id)).Select(o => o.Acronym));
            await audit.AppendInAsync(db, actor, AuditActions.AdvocacyRecorded, $"{items.Count} items of {recorders}",
                $"{Path.GetFileName(fileName)}: {items.Count} new ({ItemRange(items)}), {rows.Count - fresh.Count} already recorded", cancellationToken);
            if (beforeCommit is not null)
                await beforeCommit(db, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another import recorded some of these rows meanwhile: counted again, they are "already recorded".
            db.ChangeTracker.Clear();
            var now = (await db.AdvocacyItems.AsNoTracking().Where(i => ids.Contains(i.ClientId)).Select(i => i.ClientId).ToListAsync(cancellationToken)).Count;
            if (now == existing.Count)
                throw;
            return await ImportAsync(content, fileName, organisation, actor, actorId, allowed, checkOnly, beforeCommit, reader, cancellationToken);
        }
        db.ChangeTracker.Clear();
        return new RecommendationResult(true, fresh.Count, rows.Count - fresh.Count, []);
    }

    private static RecommendationResult Refused(List<ImportProblem> problems) =>
        new(false, 0, 0, [.. problems.OrderBy(p => p.Line)]);

    private static ImportProblem Problem(int line, string column, string value, string reason) => new(line, column, value, ImportIssueKind.Refused, reason);

    private static string ItemRange(List<AdvocacyItem> items) => items.Count == 1 ? $"id {items[0].Id}" : $"ids {items.Min(i => i.Id)}–{items.Max(i => i.Id)}";

    /// <summary>A cell's list: values separated by semicolons (or commas, where the file's own separator is the semicolon).</summary>
    private static List<string> List(string cell) =>
        [.. cell.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>`finding:12`, `incident:5`, `dataset:3`, `document:7` or `document:7:3` (its page 3), or an address; a page that is no number reads as 0.</summary>
    private static EvidenceInput Evidence(string piece)
    {
        if (piece.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || piece.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return new EvidenceInput("link", null, piece, null);
        var parts = piece.Split(':', 3, StringSplitOptions.TrimEntries);
        int? Number(int index) => parts.Length <= index ? null : int.TryParse(parts[index], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        return parts.Length < 2 ? new EvidenceInput(piece, null, null, null)
            : new EvidenceInput(parts[0], Number(1) is > 0 and var id ? id : null, null, null, parts.Length == 3 ? Number(2) : null);
    }

    /// <summary>
    /// Why a piece of evidence is refused (a resource key), or null if Kimberlite holds what it names. A document is one the
    /// importer may read, as the book rules for the form and the API; without a reader (the command line), a public one.
    /// </summary>
    private async Task<string?> EvidenceAsync(string piece, ClaimsPrincipal? reader, CancellationToken cancellationToken)
    {
        var evidence = Evidence(piece);
        var kind = ApiCodes.Parse<EvidenceKind>(evidence.Kind);
        if (kind is null || (kind != EvidenceKind.Link && evidence.Id is null) || (kind != EvidenceKind.Document && piece.Count(c => c == ':') > 1))
            return "LibF_ImpEvidenceForm";
        var errors = new Dictionary<string, string[]>();
        await book.CheckEvidenceAsync([evidence], errors, cancellationToken, reader);
        return errors.Count == 0 ? null : kind switch
        {
            EvidenceKind.Link => "AdvImp_EvidenceLink",
            EvidenceKind.Document => "LibF_ImpEvidenceDocument",
            _ => "AdvImp_EvidenceMissing",
        };
    }

    /// <summary>A date as YYYY-MM-DD; a workbook's date cell, which it stores as a day number, read as the date it shows.</summary>
    private static string? Due(string cell, bool workbook) =>
        cell.Length == 0 ? null
        : workbook && double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 20_000 and < 100_000
            ? DateOnly.FromDateTime(DateTime.FromOADate(serial)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : cell;

    /// <summary>
    /// The identifier of a row that gives none: a hash of what makes it the same recommendation (kind, text, language,
    /// addressee, meeting, recording organisation), so the same row imported again is recognised.
    /// </summary>
    private static Guid Identity(ItemInput input, int organisation)
    {
        var kind = ApiCodes.Parse<ItemKind>(input.Kind) ?? ItemKind.Recommendation;
        var key = string.Join('\n', "kimberlite-advocacy-item", ApiCodes.Code(kind), input.Text!.Trim(), input.Language!.Trim().ToLowerInvariant(),
            input.Addressee!.Trim(), input.Meeting?.ToString(CultureInfo.InvariantCulture) ?? "", organisation.ToString(CultureInfo.InvariantCulture));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key))[..16];
        // Marked as a name-based UUID (version 5 layout, RFC 9562 variant).
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash, bigEndian: true);
    }

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
