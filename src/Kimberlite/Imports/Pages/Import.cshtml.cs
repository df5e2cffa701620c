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
/// two steps the file waits in the data directory, tied to the person who sent it.
/// </summary>
[Authorize(Policy = Policies.Analyst)]
[Infrastructure.Web.UploadLimit(MaxBytes)]
public sealed class ImportModel(ImportWorkflow workflow, KimberliteDb db, IHostEnvironment environment, IOptions<KimberliteOptions> options, TimeProvider clock) : PageModel
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

    private sealed record Waits(string FileName, int UserId, string? Title, string? Publisher, string? Address, DateOnly? RetrievedOn, bool Kobo = false, string? Sheet = null);

    public void OnGet() => RemoveStale();

    public async Task<IActionResult> OnPostCheckAsync(IFormFile? file, IFormFile? mapping, string? title, string? publisher, string? url, DateOnly? retrieved, string? sheet, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            Error = "Import_NoFile";
            return Page();
        }
        var name = Path.GetFileName(file.FileName);
        var mappingContent = mapping is { Length: > 0 } ? await BytesAsync(mapping, cancellationToken) : null;
        Upload = Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(Uploads);
        await using (var stored = System.IO.File.Create(PathOf(Upload)))
            await file.CopyToAsync(stored, cancellationToken);
        if (mappingContent is not null)
            await System.IO.File.WriteAllBytesAsync(PathOf(Upload) + ".mapping", mappingContent, cancellationToken);
        var waits = new Waits(name, User.UserId()!.Value, Clean(title), Clean(publisher), Clean(url), retrieved, mappingContent is not null, Clean(sheet));
        await System.IO.File.WriteAllTextAsync(PathOf(Upload) + ".json", JsonSerializer.Serialize(waits), cancellationToken);

        Run = await workflow.CheckAsync(new ImportFile(PathOf(Upload), name, mappingContent), await ProvenanceAsync(waits, waits.Publisher, null, cancellationToken),
            User.OrganisationsWith(MemberRole.Analyst), cancellationToken);
        // Only a file that would import waits for the analyst's decision.
        if (!Waiting)
            Delete(Upload);
        return Page();
    }

    public async Task<IActionResult> OnPostCommitAsync(string? upload, string? publisher, int? organisation, CancellationToken cancellationToken)
    {
        if (await LoadAsync(upload, cancellationToken) is not { } waits)
            return RedirectToPage();
        var mapping = waits.Kobo ? await System.IO.File.ReadAllBytesAsync(PathOf(upload!) + ".mapping", cancellationToken) : null;
        // The publisher is what the analyst confirmed on the preview: the suggestion, changed or not, or their own.
        Run = await workflow.ImportAsync(new ImportFile(PathOf(upload!), waits.FileName, mapping),
            await ProvenanceAsync(waits, Clean(publisher), organisation, cancellationToken), User.OrganisationsWith(MemberRole.Analyst), cancellationToken);
        if (Run.Refused)
        {
            if (!Waiting)
                Delete(upload!);
            return Page();
        }
        Delete(upload!);
        if (Run.Kobo is not null)
            return Redirect(Run.Kind == ImportKind.Kobo && KoboKind(mapping) == "visit" ? "/field/visits" : "/field/incidents");
        return Redirect($"/datasets/{Run.Result!.DatasetId}");
    }

    public IActionResult OnPostCancel(string? upload)
    {
        if (IsUpload(upload))
            Delete(upload!);
        return RedirectToPage();
    }

    /// <summary>Who imports, for whom (an organisation where they are analyst), and what they said of the file.</summary>
    private async Task<Provenance> ProvenanceAsync(Waits waits, string? publisher, int? organisation, CancellationToken cancellationToken)
    {
        var allowed = User.OrganisationsWith(MemberRole.Analyst);
        Organisations = (await db.Organisations.AsNoTracking().Where(o => allowed.Contains(o.Id)).OrderBy(o => o.Acronym)
            .Select(o => new { o.Id, o.Acronym }).ToListAsync(cancellationToken)).Select(o => (o.Id, o.Acronym)).ToList();
        int? chosen = organisation is { } id && allowed.Contains(id) ? id : Organisations.Count > 0 ? Organisations[0].Id : null;
        return new Provenance(waits.Title, publisher, waits.Address, waits.RetrievedOn) { ImportedBy = User.Actor(), ImportedByOrganisationId = chosen, Sheet = waits.Sheet };
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

    private async Task<Waits?> LoadAsync(string? upload, CancellationToken cancellationToken)
    {
        if (!IsUpload(upload) || !System.IO.File.Exists(PathOf(upload!) + ".json"))
            return null;
        var waits = JsonSerializer.Deserialize<Waits>(await System.IO.File.ReadAllTextAsync(PathOf(upload!) + ".json", cancellationToken));
        // One person's upload is theirs alone to commit.
        if (waits is null || waits.UserId != User.UserId())
            return null;
        Upload = upload;
        return waits;
    }

    private string Uploads => Path.Combine(DataRegistration.DataDirectory(environment, options.Value), "uploads");

    private string PathOf(string upload) => Path.Combine(Uploads, upload);

    private static bool IsUpload(string? upload) => upload is { Length: 32 } && upload.All(char.IsAsciiHexDigitLower);

    private void Delete(string upload)
    {
        foreach (var suffix in new[] { "", ".json", ".mapping" })
            System.IO.File.Delete(PathOf(upload) + suffix);
    }

    private static async Task<byte[]> BytesAsync(IFormFile file, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>Files checked but never committed nor cancelled go after a day.</summary>
    private void RemoveStale()
    {
        if (!Directory.Exists(Uploads))
            return;
        var limit = clock.GetUtcNow().UtcDateTime.AddDays(-1);
        foreach (var path in Directory.EnumerateFiles(Uploads).Where(p => System.IO.File.GetLastWriteTimeUtc(p) < limit))
            System.IO.File.Delete(path);
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
