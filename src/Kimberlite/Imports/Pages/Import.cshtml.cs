using System.Text.Json;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics.Import;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kimberlite.Imports.Pages;

/// <summary>
/// An analyst uploads a file, sees which importer Kimberlite chose and why, its first rows and the validation report,
/// confirms who published it, then imports or cancels — through the same workflow as the command line. Between the
/// two steps the file waits encrypted in the file store, tied to the person who sent it (<see cref="PendingUploads"/>).
/// </summary>
[Authorize(Policy = Policies.Analyst)]
[Infrastructure.Web.UploadLimit(MaxBytes)]
public sealed class ImportModel(ImportWorkflow workflow, PendingUploads uploads, KimberliteDb db, IHostEnvironment environment, IOptions<KimberliteOptions> options) : PageModel
{
    public const int MaxBytes = 50 * 1024 * 1024;

    public ImportRun? Run { get; private set; }
    public string? Upload { get; private set; }
    public string? Error { get; private set; }
    /// <summary>The organisations the analyst may import for, to say which one this import is for.</summary>
    public IReadOnlyList<(int Id, string Acronym)> Organisations { get; private set; } = [];
    /// <summary>What the publisher field holds on the preview: what the user stated, else the layout's suggestion.</summary>
    public string? Publisher => Run?.StatedPublisher ?? Run?.SuggestedPublisher;
    /// <summary>The file may be imported from this preview: it checked, or only its publisher is yet to be confirmed.</summary>
    public bool Waiting => Run is { } run && (run.Checked || run.PublisherNeeded && run.Problems.Where(p => p.Kind == Statistics.ImportIssueKind.Refused).All(p => p.Reason == "Import_PublisherNotStated"));

    private sealed record Waits(string FileName, string? Title, string? Publisher, string? Address, DateOnly? RetrievedOn, bool Kobo = false, string? Sheet = null);

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostCheckAsync(IFormFile? file, IFormFile? mapping, string? title, string? publisher, string? url, DateOnly? retrieved, string? sheet, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            Error = "Import_NoFile";
            return Page();
        }
        var name = Path.GetFileName(file.FileName);
        var mappingContent = mapping is { Length: > 0 } ? await BytesAsync(mapping, cancellationToken) : null;
        var content = await BytesAsync(file, cancellationToken);
        var waits = new Waits(name, Clean(title), Clean(publisher), Clean(url), retrieved, mappingContent is not null, Clean(sheet));
        using (var temporary = await TemporaryFile.WriteAsync(DataDirectory, content, cancellationToken))
            Run = await workflow.CheckAsync(new ImportFile(temporary.Path, name, mappingContent), await ProvenanceAsync(waits, waits.Publisher, null, cancellationToken),
                User.OrganisationsWith(MemberRole.Analyst), User, cancellationToken);
        // Only a file that would import waits for the analyst's decision.
        if (Waiting)
            Upload = (await uploads.KeepAsync(User.UserId()!.Value, JsonSerializer.Serialize(waits), content, mappingContent, cancellationToken)).ToString("N");
        return Page();
    }

    public async Task<IActionResult> OnPostCommitAsync(string? upload, string? publisher, int? organisation, CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(upload, "N", out var id) || await uploads.OpenAsync(id, User.UserId()!.Value, cancellationToken) is not { } opened
            || JsonSerializer.Deserialize<Waits>(opened.Upload.Details) is not { } waits)
            return RedirectToPage();
        Upload = upload;
        // The publisher is what the analyst confirmed on the preview: the suggestion, changed or not, or their own.
        using (var temporary = await TemporaryFile.WriteAsync(DataDirectory, opened.Content, cancellationToken))
            Run = await workflow.ImportAsync(new ImportFile(temporary.Path, waits.FileName, opened.Mapping),
                await ProvenanceAsync(waits, Clean(publisher), organisation, cancellationToken), User.OrganisationsWith(MemberRole.Analyst), User, cancellationToken);
        if (Run.Refused)
        {
            if (!Waiting)
                await uploads.DeleteAsync(id, User.UserId(), cancellationToken);
            return Page();
        }
        await uploads.DeleteAsync(id, User.UserId(), cancellationToken);
        // Recommendations are listed on the page that imported them: how many are new, how many were recorded already.
        if (Run.Recommendations is not null)
            return Page();
        if (Run.Kobo is not null)
            return Redirect(Run.Kind == ImportKind.Kobo && KoboKind(opened.Mapping) == "visit" ? "/field/visits" : "/field/incidents");
        return Redirect($"/datasets/{Run.Result!.DatasetId}");
    }

    public async Task<IActionResult> OnPostCancelAsync(string? upload, CancellationToken cancellationToken)
    {
        if (Guid.TryParseExact(upload, "N", out var id))
            await uploads.DeleteAsync(id, User.UserId(), cancellationToken);
        return RedirectToPage();
    }

    /// <summary>Who imports, for whom (an organisation where they are analyst), and what they said of the file.</summary>
    private async Task<Provenance> ProvenanceAsync(Waits waits, string? publisher, int? organisation, CancellationToken cancellationToken)
    {
        var allowed = User.OrganisationsWith(MemberRole.Analyst);
        Organisations = (await db.Organisations.AsNoTracking().Where(o => allowed.Contains(o.Id)).OrderBy(o => o.Acronym)
            .Select(o => new { o.Id, o.Acronym }).ToListAsync(cancellationToken)).Select(o => (o.Id, o.Acronym)).ToList();
        int? chosen = organisation is { } id && allowed.Contains(id) ? id : Organisations.Count > 0 ? Organisations[0].Id : null;
        return new Provenance(waits.Title, publisher, waits.Address, waits.RetrievedOn) { ImportedBy = User.Actor(), ImportedByUserId = User.UserId(), ImportedByOrganisationId = chosen, Sheet = waits.Sheet };
    }

    private static string? KoboKind(byte[]? mapping)
    {
        try
        {
            return mapping is null ? null : Field.KoboMapping.Read(mapping).Kind;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private string DataDirectory => DataRegistration.DataDirectory(environment, options.Value);

    private static async Task<byte[]> BytesAsync(IFormFile file, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
