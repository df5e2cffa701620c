using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Kimberlite.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Field.Pages;

/// <summary>
/// The monitor's form. It works offline once opened: a service worker keeps the page and its assets, a
/// report waits in the browser (IndexedDB) under the identifier the browser made, and goes when the
/// connection returns, to the handler below, which records it once however often it arrives.
/// </summary>
[Authorize(Policy = Policies.Monitor)]
// Only the evidence handler takes a file; its script shows the ProblemDetails' message.
[Infrastructure.Web.UploadLimit(EvidenceStore.MaxBytes, Problem = true)]
public sealed class NewModel(KimberliteDb db, FieldSubmissions submissions, EvidenceStore evidence, IStringLocalizer<Texts> texts) : PageModel
{
    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];
    /// <summary>Every site, in the page itself, so that a visit can be recorded offline.</summary>
    public IReadOnlyList<(int Id, string Label, string Country, double Latitude, double Longitude)> Sites { get; private set; } = [];
    /// <summary>The country the form starts on: that of the monitor's (first) organisation, not the first in the list.</summary>
    public string? DefaultCountry { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var mine = User.OrganisationsWith(MemberRole.Monitor);
        Organisations = await db.Organisations.AsNoTracking().Where(o => mine.Contains(o.Id)).OrderBy(o => o.Acronym).ToListAsync(cancellationToken);
        DefaultCountry = Organisations.FirstOrDefault()?.CountryIso3;
        // Several sites share a name (IPIS lists six Adouzekede): the place tells them apart.
        Sites = (await db.MiningSites.AsNoTracking().OrderBy(s => s.CountryIso3).ThenBy(s => s.Name).ThenBy(s => s.Id)
            .Select(s => new { s.Id, s.Name, s.CountryIso3, s.Minerals, s.Latitude, s.Longitude }).ToListAsync(cancellationToken))
            .OrderBy(s => s.CountryIso3 == DefaultCountry ? 0 : 1)
            .Select(s => (s.Id, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{s.Name} ({s.CountryIso3}, {texts.Minerals(s.Minerals)}; {s.Latitude:0.###}, {s.Longitude:0.###})"), s.CountryIso3, s.Latitude, s.Longitude)).ToList();
        // The picker knows a site by its label alone: where two read the same, their numbers part them.
        var repeated = Sites.GroupBy(s => s.Label).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        Sites = Sites.Select(s => repeated.Contains(s.Label) ? s with { Label = $"{s.Label} #{s.Id}" } : s).ToList();
    }

    /// <summary>
    /// One evidence file of a report already sent, named by the report's identifier (the phone does not know
    /// the server's number while offline); the same file again is the same evidence.
    /// </summary>
    public async Task<IActionResult> OnPostEvidenceAsync(Guid clientId, IFormFile? file, CancellationToken cancellationToken)
    {
        if (clientId == Guid.Empty)
            return BadRequest(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["clientId"] = ["Give the report's clientId (a UUID)."] }));
        return await evidence.UploadAsync(User, i => i.ClientId == clientId, file, cancellationToken) switch
        {
            { Outcome: UploadOutcome.Stored, Result: { } stored } => new JsonResult(new { id = stored.File.Id, metadataRemoved = stored.File.Reencoded, repeated = !stored.Created }),
            { Outcome: UploadOutcome.NotFound } => NotFound(new ProblemDetails { Status = 404, Title = "No incident under this clientId: send the report before its files." }),
            { Outcome: UploadOutcome.Forbidden } => Forbid(),
            var refused => BadRequest(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["file"] = [refused.Error!] })),
        };
    }

    /// <summary>The browser's queue posts here (JSON, with the page's anti-forgery token in a header).</summary>
    public async Task<IActionResult> OnPostSubmitAsync([FromBody] FieldSubmission? submission, CancellationToken cancellationToken)
    {
        if (submission is null || !ModelState.IsValid)
            return BadRequest(new HttpValidationProblemDetails(ModelState.Where(e => e.Value?.Errors.Count > 0)
                .ToDictionary(e => e.Key.Length == 0 ? "body" : e.Key, e => e.Value!.Errors.Select(x => x.ErrorMessage.Length > 0 ? x.ErrorMessage : "Not readable as a field submission (JSON).").ToArray()) is { Count: > 0 } errors
                ? errors : new Dictionary<string, string[]> { ["body"] = ["Send a field submission as JSON."] }));
        var result = await submissions.SubmitAsync(submission, User.UserId()!.Value, User.OrganisationsWith(MemberRole.Monitor), User.Actor(), cancellationToken);
        return result.Outcome switch
        {
            SubmissionOutcome.Created or SubmissionOutcome.Repeated => new JsonResult(new { id = result.Id, kind = result.Kind, repeated = result.Outcome == SubmissionOutcome.Repeated }),
            SubmissionOutcome.Conflict => new ObjectResult(new ProblemDetails { Status = 409, Title = "This clientId is already used by a different submission" }) { StatusCode = 409 },
            // The monitor reads what to change in the page's language.
            _ => new BadRequestObjectResult(new HttpValidationProblemDetails(result.Errors.ToDictionary(e => e.Key,
                e => e.Value.Select(message => texts[FieldSubmissions.ErrorText(texts, e.Key, message)].Value).ToArray()))),
        };
    }
}
