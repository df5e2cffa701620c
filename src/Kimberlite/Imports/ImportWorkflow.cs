using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Kimberlite.Accounts;
using Kimberlite.Advocacy;
using Kimberlite.Analysis;
using Kimberlite.Field;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Comtrade;
using Kimberlite.Statistics.Import;

namespace Kimberlite.Imports;

/// <summary>Which importer reads a file.</summary>
public enum ImportKind { Statistics, Comtrade, Kobo, Recommendations }

/// <summary>
/// A file to import, where it lies on disk, and the mapping file that makes it a KoboToolbox or ODK export; `As` where
/// the user named what the file is (`kimberlite import recommendations`), else the file says.
/// </summary>
public sealed record ImportFile(string Path, string FileName, byte[]? Mapping = null, ImportKind? As = null);

/// <summary>
/// What one pass of the workflow found or did, the same whichever door it came through: the importer chosen and why,
/// the first rows, the encoding or sheet read, the report, the publisher the layout suggests, and the analysis after.
/// </summary>
public sealed record ImportRun(string FileName, ImportKind Kind, string ChoiceReason)
{
    public ImportResult? Result { get; init; }
    public KoboResult? Kobo { get; init; }
    public RecommendationResult? Recommendations { get; init; }
    public Table? FirstRows { get; init; }
    /// <summary>Why the mapping file could not be read (then nothing else ran).</summary>
    public string? MappingError { get; init; }
    public AnalysisSummary? Analysis { get; init; }
    /// <summary>True when the import is committed but its analysis did not finish: it runs again at the next start.</summary>
    public bool AnalysisPending { get; init; }
    /// <summary>The publisher the user stated; null where they stated none.</summary>
    public string? StatedPublisher { get; init; }

    public string? SuggestedPublisher => Result?.SuggestedPublisher;
    /// <summary>The layout suggests a publisher the user has not stated: nothing is imported until they confirm or change it.</summary>
    public bool PublisherNeeded => SuggestedPublisher is not null && StatedPublisher is null;
    public bool Checked => Result?.Outcome == ImportOutcome.Checked || Kobo?.Checked == true || Recommendations?.Checked == true;
    public bool Imported => Result?.Outcome == ImportOutcome.Imported || Kobo?.Imported == true || Recommendations?.Imported == true;
    public bool Refused => MappingError is not null || Result?.Outcome == ImportOutcome.Refused || Kobo is { Imported: false, Checked: false }
        || Recommendations is { Imported: false, Checked: false };
    public IReadOnlyList<ImportProblem> Problems => Result?.Problems ?? Kobo?.Problems ?? Recommendations?.Problems ?? [];
    /// <summary>The whole count of problems, where only the first are listed.</summary>
    public int ProblemCount => Result?.ProblemCount ?? (Result is { } r ? r.Refusals.Count() : Problems.Count);
    public string? Encoding => Result?.Encoding ?? FirstRows?.Encoding;
    public string? Sheet => Result?.Sheet ?? FirstRows?.Sheet;
    /// <summary>The resource key that names the importer chosen.</summary>
    public string KindKey => Kind == ImportKind.Recommendations ? "AdvImp_Kind" : $"Door_Kind_{Kind}";
}

/// <summary>
/// One import, whatever the door: the /import page and the command line both check and import every layout through
/// here. It chooses the importer from the file, writes the import's audit entry in the transaction that stores the
/// data (and audits a refusal too), records who imported, refuses to publish under a publisher the user did not state,
/// and runs the analysis after, whose unfinished run the next start takes up (docs/IMPORTS.md).
/// </summary>
public sealed class ImportWorkflow(
    StatisticsImporter statistics, ComtradeImporter comtrade, KoboImporter kobo, RecommendationImporter recommendations, FindingsEngine findings, AuditLog audit,
    ImportStages stages, ILogger<ImportWorkflow> logger)
{
    public const int PreviewRows = 10;
    private const int HeadBytes = 64 * 1024;

    /// <summary>Reads the file and says what importing it would do; nothing is stored, and only a refusal is audited.</summary>
    public Task<ImportRun> CheckAsync(ImportFile file, Provenance provenance, IReadOnlyList<int>? allowedOrganisations = null, ClaimsPrincipal? reader = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(file, provenance, allowedOrganisations, reader, check: true, cancellationToken);

    /// <summary>Imports the file, all or nothing, audits what happened, and analyses the figures afterwards.</summary>
    /// <remarks>`reader` is the person importing, whose readable documents a list of recommendations may cite; none (the command line), public ones only.</remarks>
    public Task<ImportRun> ImportAsync(ImportFile file, Provenance provenance, IReadOnlyList<int>? allowedOrganisations = null, ClaimsPrincipal? reader = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(file, provenance, allowedOrganisations, reader, check: false, cancellationToken);

    /// <summary>
    /// The importer for a file: a mapping file makes it a KoboToolbox or ODK export; Comtrade's own column names make it
    /// a Comtrade file; anything else goes to the statistics importer, which recognises its layout or names the ones it knows.
    /// The reason is a resource key.
    /// </summary>
    public static (ImportKind Kind, string Reason) Choose(ReadOnlySpan<byte> head, string fileName, bool hasMapping) =>
        hasMapping ? (ImportKind.Kobo, "Door_ChoseKobo")
        : ComtradeImporter.Recognises(head, fileName) ? (ImportKind.Comtrade, "Door_ChoseComtrade")
        : (ImportKind.Statistics, "Door_ChoseStatistics");

    private async Task<ImportRun> RunAsync(ImportFile file, Provenance provenance, IReadOnlyList<int>? allowedOrganisations, ClaimsPrincipal? reader, bool check,
        CancellationToken cancellationToken)
    {
        var actor = provenance.ImportedBy ?? throw new ArgumentException("Every import says who makes it (Provenance.ImportedBy).", nameof(provenance));
        var head = await HeadAsync(file.Path, cancellationToken);
        var (kind, reason) = Choose(head, file.FileName, file.Mapping is not null);
        var run = new ImportRun(file.FileName, kind, reason) { FirstRows = await PreviewAsync(file, head, cancellationToken), StatedPublisher = Clean(provenance.Publisher) };
        provenance = provenance with { Publisher = run.StatedPublisher };
        await stages.ReachedAsync(ImportStages.FileRead, cancellationToken);

        if (kind == ImportKind.Kobo)
            return await KoboAsync(file, run, actor, allowedOrganisations, check, cancellationToken);
        // A list of recommendations says so by its columns; the command that names it reads it as one whatever it holds.
        if (file.As == ImportKind.Recommendations || kind == ImportKind.Statistics && run.FirstRows is { } first && RecommendationImporter.Recognises(first.Headers))
            return await RecommendationsAsync(file, run with
            {
                Kind = ImportKind.Recommendations, ChoiceReason = file.As == ImportKind.Recommendations ? "AdvImp_ChoseAsked" : "AdvImp_ChoseColumns",
            }, provenance, allowedOrganisations, reader, check, cancellationToken);

        // The import's audit entry goes into the importer's transaction, committed with the data or not at all.
        BeforeCommit audited = async (db, result, token) =>
        {
            await audit.AppendInAsync(db, actor, AuditActions.Import, $"dataset {result.DatasetId}",
                $"{file.FileName}: {result.RowsLoaded} rows, {result.FiguresLoaded} figures", token);
            await stages.ReachedAsync(ImportStages.DataWritten, token);
        };
        ImportResult imported;
        // A layout that names no publisher only suggests one: each importer refuses to import without the user's word.
        if (kind == ImportKind.Comtrade)
            imported = await comtrade.ImportAsync(file.Path, provenance, cancellationToken, checkOnly: check, beforeCommit: audited, fileName: file.FileName);
        else
            imported = await statistics.ImportAsync(await File.ReadAllBytesAsync(file.Path, cancellationToken), file.FileName, provenance,
                cancellationToken: cancellationToken, checkOnly: check, beforeCommit: audited);
        run = run with { Result = imported };
        switch (imported.Outcome)
        {
            case ImportOutcome.Refused when !(run.PublisherNeeded && imported.Refusals.All(p => p.Reason == "Import_PublisherNotStated")):
                // A refusal is audited at whichever step it comes: the page's check or the import itself.
                await audit.AppendAsync(actor, AuditActions.ImportRefused, file.FileName,
                    $"{kind}: {run.ProblemCount} problems{(imported.Format is { } f ? $" ({f})" : "")}", cancellationToken);
                return run;
            case ImportOutcome.Refused:
                return run; // only the publisher is missing: nothing was refused, the user is asked for it
            case ImportOutcome.Checked:
                return run;
            case ImportOutcome.Imported:
                await stages.ReachedAsync(ImportStages.DataCommitted, cancellationToken);
                return await AnalyseAsync(run, actor, cancellationToken);
            default:
                // Already imported: nothing changed, but an analysis a kill cut short is taken up now rather than left missing.
                return !check && await findings.PendingAsync(cancellationToken) ? await AnalyseAsync(run, actor, cancellationToken) : run;
        }
    }

    /// <summary>Runs the analysis that follows every import, its audit entry in its transaction; if it fails, the dataset stays pending.</summary>
    public async Task<ImportRun> AnalyseAsync(ImportRun run, string actor, CancellationToken cancellationToken)
    {
        try
        {
            var summary = await findings.AnalyzeAsync(cancellationToken, async (db, counts, token) =>
            {
                await audit.AppendInAsync(db, actor, AuditActions.Analysis, "findings",
                    $"{counts.Raised} raised, {counts.Changed} changed, {counts.Resolved} resolved", token);
                await stages.ReachedAsync(ImportStages.AnalysisWritten, token);
            });
            return run with { Analysis = summary };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The data is committed and marked not yet analysed: the next start runs the analysis again.
            logger.LogError(e, "The analysis after importing {File} did not finish; it runs again at the next start", run.FileName);
            return run with { AnalysisPending = true };
        }
    }

    private async Task<ImportRun> KoboAsync(ImportFile file, ImportRun run, string actor, IReadOnlyList<int>? allowedOrganisations, bool check, CancellationToken cancellationToken)
    {
        KoboMapping mapping;
        try
        {
            mapping = KoboMapping.Read(file.Mapping!);
        }
        catch (JsonException e)
        {
            run = run with { MappingError = e.Message };
            await audit.AppendAsync(actor, AuditActions.ImportRefused, file.FileName, $"{run.Kind}: the mapping file cannot be read", cancellationToken);
            return run;
        }
        var result = await kobo.ImportAsync(await File.ReadAllBytesAsync(file.Path, cancellationToken), file.FileName, mapping, actor, cancellationToken,
            checkOnly: check, allowedOrganisations, beforeCommit: (_, token) => stages.ReachedAsync(ImportStages.DataWritten, token));
        run = run with { Kobo = result, FirstRows = run.FirstRows is { } table ? Protect(table, mapping) : null };
        if (run.Refused)
            await audit.AppendAsync(actor, AuditActions.ImportRefused, file.FileName, $"{run.Kind}: {result.Problems.Count} values refused", cancellationToken);
        return run;
    }

    private async Task<ImportRun> RecommendationsAsync(ImportFile file, ImportRun run, Provenance provenance, IReadOnlyList<int>? allowedOrganisations, ClaimsPrincipal? reader,
        bool check, CancellationToken cancellationToken)
    {
        var actor = provenance.ImportedBy!;
        var result = await recommendations.ImportAsync(await File.ReadAllBytesAsync(file.Path, cancellationToken), file.FileName, provenance.ImportedByOrganisationId,
            actor, provenance.ImportedByUserId, allowedOrganisations, check, (_, token) => stages.ReachedAsync(ImportStages.DataWritten, token), reader, cancellationToken);
        run = run with { Recommendations = result };
        if (run.Refused)
            await audit.AppendAsync(actor, AuditActions.ImportRefused, file.FileName, $"{run.Kind}: {result.Problems.Count} problems", cancellationToken);
        return run;
    }

    /// <summary>
    /// Only the columns the mapping reads are shown, and who reported stays hidden even from the person who sent the
    /// file: a screen is seen by others, and an unmapped column may name someone too.
    /// </summary>
    private static Table Protect(Table table, KoboMapping mapping)
    {
        var mapped = mapping.Fields?.GroupBy(f => f.Value.Trim()).ToDictionary(g => g.Key, g => g.Select(f => f.Key).ToList()) ?? [];
        var columns = table.Headers.Select((h, i) => (Header: h.Trim(), Index: i)).Where(c => mapped.ContainsKey(c.Header)).ToList();
        string Cell(string[] cells, (string Header, int Index) c) =>
            c.Index >= cells.Length ? "" : mapped[c.Header].Any(f => f is "reporterName" or "reporterContact") && cells[c.Index].Length > 0 ? "•••" : cells[c.Index];
        return table with
        {
            Headers = columns.Select(c => c.Header).ToList(),
            Rows = table.Rows.Select(r => r with { Cells = columns.Select(c => Cell(r.Cells, c)).ToArray() }).ToList(),
        };
    }

    private static async Task<byte[]> HeadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        var buffer = new byte[(int)Math.Min(stream.Length, HeadBytes)];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }

    /// <summary>The first rows as the file holds them: a text file's from its head cut at its last whole line, a workbook's from the whole file.</summary>
    private static async Task<Table?> PreviewAsync(ImportFile file, byte[] head, CancellationToken cancellationToken)
    {
        try
        {
            byte[] content;
            if (file.FileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || Table.IsZip(head) || new FileInfo(file.Path).Length <= head.Length)
                content = head.Length < HeadBytes ? head : await File.ReadAllBytesAsync(file.Path, cancellationToken);
            else
                content = head[..(Array.LastIndexOf(head, (byte)'\n') + 1)];
            var table = Table.Read(content, file.FileName);
            return table with { Rows = table.Rows.Take(PreviewRows).ToList() };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null; // the report says why the file cannot be read (or it is JSON, shown by its report alone)
        }
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
