using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Api;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Kimberlite.Library;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Advocacy.Pages;

/// <summary>The item form as the browser sends it: one field per translation, evidence as parallel lines; a field left empty is cleared, not kept.</summary>
public sealed record ItemFormInput(
    Guid? ClientId, string? Kind, string? Text, string? Language, string? TranslationFr, string? TranslationEn, string? TranslationPt,
    string[]? Organisations, string? Organisation, int? Meeting, string? Addressee, string? AddresseeKind, string[]? Countries, string? Theme,
    string? DueOn, string? CommittedBy, string? RecordedIn, string[]? EvidenceKind, string[]? EvidenceTarget, string[]? EvidenceNote, string[]? EvidencePage = null)
{
    public ItemInput ToInput() => new(
        ClientId, Kind, Text ?? "", Language ?? "", new() { ["fr"] = TranslationFr ?? "", ["en"] = TranslationEn ?? "", ["pt"] = TranslationPt ?? "" },
        Organisations ?? [], Organisation, Meeting, Addressee ?? "", AddresseeKind, Countries ?? [], Theme ?? "", DueOn ?? "", null, null, CommittedBy ?? "", RecordedIn ?? "",
        [.. (EvidenceKind ?? []).Select((k, i) => ItemFormModel.Piece(k, EvidenceTarget?.ElementAtOrDefault(i), EvidenceNote?.ElementAtOrDefault(i), EvidencePage?.ElementAtOrDefault(i))).OfType<EvidenceInput>()]);
}

/// <summary>
/// An analyst records a recommendation or commitment for their organisation (from a finding, an incident or a meeting,
/// which fill in its evidence and country), or changes one their organisation recorded: the same rules as the API.
/// </summary>
[Authorize(Policy = Policies.Analyst)]
public sealed class ItemFormModel(KimberliteDb db, AdvocacyBook book, Library.Citations citations) : PageModel
{
    /// <summary>Evidence lines the form offers beyond those already given.</summary>
    private const int BlankEvidenceLines = 2;

    public int? Id { get; private set; }
    public ItemFormInput Input { get; private set; } = null!;
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();
    public IReadOnlyList<(string Acronym, string Name)> Coalition { get; private set; } = [];
    public IReadOnlyList<string> Recording { get; private set; } = [];
    public IReadOnlyList<(int Id, string Title, string Language)> Meetings { get; private set; } = [];
    public IReadOnlyList<(string Kind, string Target, string Note, string Page)> EvidenceLines { get; private set; } = [];
    /// <summary>The latest documents the analyst may read, offered for a document piece of evidence.</summary>
    public IReadOnlyList<(int Id, string Title)> Documents { get; private set; } = [];

    // The cited page is named apart from `page`, which Razor Pages keeps for the page's own route value.
    public async Task<IActionResult> OnGetAsync(int? id, int? finding, int? incident, int? meeting, int? document, [FromQuery(Name = "page")] int? documentPage,
        CancellationToken cancellationToken)
    {
        Id = id;
        if (id is { } existing)
        {
            var item = await book.FindAsync(User, existing, cancellationToken);
            if (item is null)
                return NotFound();
            if (!AdvocacyBook.CanChange(User, item))
                return Forbid();
            if (item.Status == ItemStatus.Withdrawn)
                return Redirect($"/advocacy/recommendations/{existing}");
            var acronyms = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Acronym, cancellationToken);
            string Translation(string language) => item.Translations.FirstOrDefault(t => t.Language == language)?.Text ?? "";
            var motivating = item.Evidence.Where(e => e.StatusChangeId is null).OrderBy(e => e.Id).ToList();
            Input = new ItemFormInput(null, ApiCodes.Code(item.Kind), item.Text, item.Language, Translation("fr"), Translation("en"), Translation("pt"),
                [.. item.MadeBy.Select(m => acronyms.GetValueOrDefault(m.OrganisationId)).OfType<string>()], null, item.MeetingId, item.Addressee,
                ApiCodes.Code(item.AddresseeKind), item.CountryCodes.Count == 0 ? [AdvocacyTexts.Regional] : [.. item.CountryCodes], ApiCodes.Code(item.Theme),
                item.DueOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), item.CommittedBy, item.RecordedIn,
                [.. motivating.Select(e => ApiCodes.Code(e.Kind))], [.. motivating.Select(e => e.Url ?? e.TargetId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "")],
                [.. motivating.Select(e => e.Note ?? "")], [.. motivating.Select(e => e.Page?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "")]);
        }
        else
        {
            // Opened from a finding, an incident, a document or a meeting: its evidence and its country come filled in.
            var (kinds, targets, countries) = (new List<string>(), new List<string>(), new List<string>());
            var pages = new List<string>();
            if (finding is { } f && await db.Findings.AsNoTracking().Where(x => x.Id == f).Select(x => x.CountryIso3).FirstOrDefaultAsync(cancellationToken) is { } findingCountry)
                (kinds, targets, countries) = ([ApiCodes.Code(EvidenceKind.Finding)], [$"{f}"], [findingCountry]);
            else if (incident is { } n && await db.Incidents.AsNoTracking().Where(x => x.Id == n).Select(x => x.CountryIso3).FirstOrDefaultAsync(cancellationToken) is { } incidentCountry)
                (kinds, targets, countries) = ([ApiCodes.Code(EvidenceKind.Incident)], [$"{n}"], [incidentCountry]);
            else if (document is { } d && await db.Documents.AsNoTracking().ReadableBy(User).Where(x => x.Id == d).Select(x => x.Countries).FirstOrDefaultAsync(cancellationToken) is { } documentCountries)
                (kinds, targets, countries, pages) = ([ApiCodes.Code(EvidenceKind.Document)], [$"{d}"], [.. Advocacy.Countries.Split(documentCountries)],
                    [documentPage?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ""]);
            int? fromMeeting = null;
            if (meeting is { } m && await book.VisibleMeetings(User).Where(x => x.Id == m).Select(x => x.Countries).FirstOrDefaultAsync(cancellationToken) is { } meetingCountries)
            {
                fromMeeting = m;
                if (countries.Count == 0)
                    countries = [.. Advocacy.Countries.Split(meetingCountries)];
            }
            Input = new ItemFormInput(Guid.NewGuid(), ApiCodes.Code(ItemKind.Recommendation), null, Formats.Language, null, null, null, null, null, fromMeeting, null,
                ApiCodes.Code(AddresseeKind.Ministry), [.. countries], null, null, null, null, [.. kinds], [.. targets], [], [.. pages]);
        }
        await LoadChoicesAsync(cancellationToken);
        // Made by the organisation recording it, unless the analyst says otherwise.
        if (Input.Organisations is null or { Length: 0 } && Recording.Count == 1)
            Input = Input with { Organisations = [Recording[0]] };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int? id, [FromForm] ItemFormInput input, CancellationToken cancellationToken)
    {
        var result = id is { } existing ? await book.UpdateAsync(User, existing, input.ToInput() with { ClientId = null }, cancellationToken)
            : await book.RecordAsync(User, input.ToInput(), cancellationToken);
        if (BookAnswer.For(result, item => $"/advocacy/recommendations/{item.Id}") is { } answer)
            return answer;
        (Id, Input, Errors) = (id, input, result.Errors);
        await LoadChoicesAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>A piece of evidence from a form's kind, "number or address" and, for a document, page; null when the line is left empty.</summary>
    public static EvidenceInput? Piece(string? kind, string? target, string? note, string? page = null)
    {
        if (string.IsNullOrWhiteSpace(kind) && string.IsNullOrWhiteSpace(target))
            return null;
        var parsed = ApiCodes.Parse<EvidenceKind>(kind);
        var link = parsed == EvidenceKind.Link;
        // A page that is not a number is sent as 0, so the book refuses it rather than the page being silently dropped.
        int? cited = parsed != EvidenceKind.Document || string.IsNullOrWhiteSpace(page) ? null
            : int.TryParse(page.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : 0;
        return new EvidenceInput(kind, !link && int.TryParse(target?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null,
            link ? target?.Trim() : null, string.IsNullOrWhiteSpace(note) ? null : note, cited);
    }

    private async Task LoadChoicesAsync(CancellationToken cancellationToken)
    {
        Coalition = (await db.Organisations.AsNoTracking().OrderBy(o => o.Acronym).Select(o => new { o.Acronym, o.Name }).ToListAsync(cancellationToken))
            .Select(o => (o.Acronym, o.Name)).ToList();
        var mine = User.OrganisationsWith(MemberRole.Analyst);
        Recording = await db.Organisations.AsNoTracking().Where(o => mine.Contains(o.Id)).OrderBy(o => o.Acronym).Select(o => o.Acronym).ToListAsync(cancellationToken);
        Meetings = (await book.VisibleMeetings(User).OrderByDescending(m => m.StartsOn).ThenBy(m => m.Title).Select(m => new { m.Id, m.Title, m.Language }).ToListAsync(cancellationToken))
            .Select(m => (m.Id, m.Title, m.Language)).ToList();
        var given = (Input.EvidenceKind ?? []).Select((k, i) => (k, Input.EvidenceTarget?.ElementAtOrDefault(i) ?? "", Input.EvidenceNote?.ElementAtOrDefault(i) ?? "",
                Input.EvidencePage?.ElementAtOrDefault(i) ?? ""))
            .Where(l => !string.IsNullOrWhiteSpace(l.k) || !string.IsNullOrWhiteSpace(l.Item2)).ToList();
        EvidenceLines = [.. given, .. Enumerable.Repeat(("", "", "", ""), BlankEvidenceLines)];
        Documents = await citations.RecentAsync(User, cancellationToken);
    }

    public bool HasCountry(string code) => Input.Countries?.Any(c => string.Equals(c, code, StringComparison.OrdinalIgnoreCase)) == true;
}
