using System.Text.Json;
using Kimberlite.Accounts;
using Kimberlite.Analysis;
using Kimberlite.Field;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics.Import;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Kimberlite.Statistics.Pages;

/// <summary>
/// An analyst uploads a statistics file, sees its first rows and the validation report, then commits or
/// cancels. Between the two steps the file waits in the data directory, tied to the person who sent it.
/// </summary>
[Authorize(Policy = Policies.Analyst)]
[RequestSizeLimit(MaxBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxBytes)]
public sealed class ImportModel(StatisticsImporter importer, KoboImporter kobo, FindingsEngine findings, AuditLog audit, IHostEnvironment environment, IOptions<KimberliteOptions> options, TimeProvider clock) : PageModel
{
    public const int MaxBytes = 50 * 1024 * 1024;
    private const int PreviewRows = 10;

    public ImportResult? Result { get; private set; }
    /// <summary>Set instead of Result when the file is a KoboToolbox or ODK export sent with its mapping.</summary>
    public KoboResult? Kobo { get; private set; }
    public Table? FirstRows { get; private set; }
    public string? FileName { get; private set; }
    public string? Upload { get; private set; }
    public string? Error { get; private set; }

    private sealed record Waiting(string FileName, int UserId, string? Title, string? Publisher, string? Address, DateOnly? RetrievedOn, bool Kobo = false);

    public void OnGet() => RemoveStale();

    public async Task<IActionResult> OnPostCheckAsync(IFormFile? file, IFormFile? mapping, string? title, string? publisher, string? url, DateOnly? retrieved, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            Error = "Import_NoFile";
            return Page();
        }
        var content = await BytesAsync(file, cancellationToken);
        var name = Path.GetFileName(file.FileName);
        // A mapping file makes it a KoboToolbox or ODK export; a mapping that cannot be read is refused before anything waits.
        var mappingContent = mapping is { Length: > 0 } ? await BytesAsync(mapping, cancellationToken) : null;
        KoboMapping? koboMapping = null;
        if (mappingContent is not null)
        {
            try
            {
                koboMapping = KoboMapping.Read(mappingContent);
            }
            catch (JsonException e)
            {
                Error = "Import_BadMapping";
                MappingError = e.Message;
                return Page();
            }
        }
        Upload = Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(Uploads);
        await System.IO.File.WriteAllBytesAsync(PathOf(Upload), content, cancellationToken);
        if (mappingContent is not null)
            await System.IO.File.WriteAllBytesAsync(PathOf(Upload) + ".mapping", mappingContent, cancellationToken);
        await System.IO.File.WriteAllTextAsync(PathOf(Upload) + ".json",
            JsonSerializer.Serialize(new Waiting(name, User.UserId()!.Value, Clean(title), Clean(publisher), Clean(url), retrieved, koboMapping is not null)), cancellationToken);
        if (koboMapping is not null)
        {
            ShowKobo(content, name, koboMapping, await kobo.ImportAsync(content, name, koboMapping, User.Actor(), cancellationToken, checkOnly: true, User.OrganisationsWith(MemberRole.Analyst)));
            if (!Kobo!.Checked)
                Delete(Upload);
            return Page();
        }
        await ShowAsync(content, name, ProvenanceOf(title, publisher, url, retrieved), cancellationToken);
        // Only a file that would import waits for the analyst's decision.
        if (Result!.Outcome != ImportOutcome.Checked)
            Delete(Upload);
        return Page();
    }

    public string? MappingError { get; private set; }

    public async Task<IActionResult> OnPostCommitAsync(string? upload, CancellationToken cancellationToken)
    {
        if (await LoadAsync(upload, cancellationToken) is not var (waiting, content))
            return RedirectToPage();
        if (waiting.Kobo)
        {
            var mapping = KoboMapping.Read(await System.IO.File.ReadAllBytesAsync(PathOf(upload!) + ".mapping", cancellationToken));
            var imported = await kobo.ImportAsync(content, waiting.FileName, mapping, User.Actor(), cancellationToken, allowedOrganisations: User.OrganisationsWith(MemberRole.Analyst));
            if (!imported.Imported)
            {
                await audit.AppendAsync(User.Actor(), AuditActions.ImportRefused, waiting.FileName, $"{imported.Problems.Count} values refused", cancellationToken);
                ShowKobo(content, waiting.FileName, mapping, imported);
                return Page();
            }
            Delete(upload!);
            return Redirect(mapping.Kind == "visit" ? "/field/visits" : "/field/incidents");
        }
        var provenance = new Provenance(waiting.Title, waiting.Publisher, waiting.Address, waiting.RetrievedOn);
        var result = await importer.ImportAsync(content, waiting.FileName, provenance, cancellationToken: cancellationToken);
        if (result.Outcome == ImportOutcome.Refused)
        {
            await audit.AppendAsync(User.Actor(), AuditActions.ImportRefused, waiting.FileName, $"{result.Refusals.Count()} rows refused", cancellationToken);
            Show(content, waiting.FileName, result);
            return Page();
        }
        Delete(upload!);
        if (result.Outcome == ImportOutcome.Imported)
        {
            await audit.AppendAsync(User.Actor(), AuditActions.Import, $"dataset {result.DatasetId}", $"{waiting.FileName}: {result.RowsLoaded} rows, {result.FiguresLoaded} figures", cancellationToken);
            var summary = await findings.AnalyzeAsync(cancellationToken);
            await audit.AppendAsync(User.Actor(), AuditActions.Analysis, "findings", $"{summary.Raised} raised, {summary.Changed} changed, {summary.Resolved} resolved", cancellationToken);
        }
        return Redirect($"/datasets/{result.DatasetId}");
    }

    public IActionResult OnPostCancel(string? upload)
    {
        if (IsUpload(upload))
            Delete(upload!);
        return RedirectToPage();
    }

    private async Task ShowAsync(byte[] content, string name, Provenance provenance, CancellationToken cancellationToken) =>
        Show(content, name, await importer.ImportAsync(content, name, provenance, cancellationToken: cancellationToken, checkOnly: true));

    private void ShowKobo(byte[] content, string name, KoboMapping mapping, KoboResult result)
    {
        Kobo = result;
        Preview(content, name);
        // Only the columns the mapping reads are shown, and who reported stays out of the page even for the
        // person who sent the file: a screen is seen by others, and an unmapped column may name someone too.
        // A column mapped twice is refused by the check; here it only needs to be shown once, masked if either field is a reporter's.
        var mapped = (mapping.Fields ?? []).GroupBy(f => f.Value.Trim())
            .ToDictionary(g => g.Key, g => g.Select(f => f.Key).FirstOrDefault(k => k is "reporterName" or "reporterContact") ?? g.First().Key);
        if (FirstRows is { } table)
        {
            var columns = table.Headers.Select((h, i) => (Header: h.Trim(), Index: i)).Where(c => mapped.ContainsKey(c.Header)).ToList();
            string Cell(string[] cells, (string Header, int Index) c) =>
                c.Index >= cells.Length ? "" : mapped[c.Header] is "reporterName" or "reporterContact" && cells[c.Index].Length > 0 ? "•••" : cells[c.Index];
            FirstRows = table with
            {
                Headers = columns.Select(c => c.Header).ToList(),
                Rows = table.Rows.Select(r => r with { Cells = columns.Select(c => Cell(r.Cells, c)).ToArray() }).ToList(),
            };
        }
    }

    private void Show(byte[] content, string name, ImportResult result)
    {
        Result = result;
        Preview(content, name);
    }

    private void Preview(byte[] content, string name)
    {
        FileName = name;
        try
        {
            var table = Table.Read(content, name);
            FirstRows = table with { Rows = table.Rows.Take(PreviewRows).ToList() };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            FirstRows = null; // the report says why the file cannot be read (or it is JSON, shown by its report alone)
        }
    }

    private async Task<(Waiting, byte[])?> LoadAsync(string? upload, CancellationToken cancellationToken)
    {
        if (!IsUpload(upload) || !System.IO.File.Exists(PathOf(upload!) + ".json"))
            return null;
        var waiting = JsonSerializer.Deserialize<Waiting>(await System.IO.File.ReadAllTextAsync(PathOf(upload!) + ".json", cancellationToken));
        // One person's upload is theirs alone to commit.
        if (waiting is null || waiting.UserId != User.UserId())
            return null;
        Upload = upload;
        return (waiting, await System.IO.File.ReadAllBytesAsync(PathOf(upload!), cancellationToken));
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

    private static Provenance ProvenanceOf(string? title, string? publisher, string? url, DateOnly? retrieved) =>
        new(Clean(title), Clean(publisher), Clean(url), retrieved);

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
