using System.Security.Cryptography;
using Kimberlite.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Statistics.Import;

/// <summary>
/// Who published a file, where and when it was retrieved, and who brought it in: a person (with the
/// organisation they imported for) or the command line. The publisher is only ever what the user stated.
/// </summary>
public sealed record Provenance(string? Title = null, string? Publisher = null, string? Address = null, DateOnly? RetrievedOn = null)
{
    /// <summary>The person's e-mail, or "command line (user)"; the audit trail's actor.</summary>
    public string? ImportedBy { get; init; }
    public int? ImportedByOrganisationId { get; init; }
    /// <summary>The person's account, where a person imports (not the command line).</summary>
    public int? ImportedByUserId { get; init; }
    /// <summary>The sheet of a workbook the user chose; else the importer picks the one it recognises.</summary>
    public string? Sheet { get; init; }
}

/// <summary>
/// Run by an importer inside its transaction, after its data is written and just before it commits: what the caller
/// writes here (the import's audit entry) is committed with the data or not at all.
/// </summary>
public delegate Task BeforeCommit(KimberliteDb db, ImportResult result, CancellationToken cancellationToken);

public enum ImportMode
{
    /// <summary>A file with any refused row is refused whole: the rule for every import a person makes.</summary>
    AllOrNothing,
    /// <summary>Refused rows are left out and listed in the dataset's report: only for the bundled collection.</summary>
    LeaveOutRefusedRows,
}

/// <summary>Checked: the file would be imported as it is, and nothing was stored (the import page's first step).</summary>
public enum ImportOutcome { Imported, AlreadyImported, Refused, Checked }

public sealed record ImportResult(
    ImportOutcome Outcome,
    int? DatasetId,
    StatisticsFormat? Format,
    int RowsRead,
    int RowsLoaded,
    int FiguresLoaded,
    IReadOnlyList<ImportProblem> Problems)
{
    public IEnumerable<ImportProblem> Refusals => Problems.Where(p => p.Kind == ImportIssueKind.Refused);

    /// <summary>How many problems the file has in all, where only the first of them are listed in Problems.</summary>
    public int? ProblemCount { get; init; }
    /// <summary>A publisher the layout suggests (the Kimberley Process for its own export): shown for the user to confirm, never applied unstated.</summary>
    public string? SuggestedPublisher { get; init; }
    /// <summary>The text encoding the file was read with, or the workbook sheet read, for the report.</summary>
    public string? Encoding { get; init; }
    public string? Sheet { get; init; }
}

/// <summary>
/// Imports a statistics file: recognises its layout, reads every row, reports every problem with its
/// line, column and value, and stores all of it in one transaction — or nothing.
/// </summary>
public sealed class StatisticsImporter(KimberliteDb db, IBulkWriter writer, TimeProvider clock, ILogger<StatisticsImporter> logger)
{
    public async Task<ImportResult> ImportAsync(
        byte[] content, string fileName, Provenance provenance, ImportMode mode = ImportMode.AllOrNothing,
        bool bundled = false, CancellationToken cancellationToken = default, bool checkOnly = false, BeforeCommit? beforeCommit = null)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        if (await db.DatasetIdWithShaAsync(sha256, cancellationToken) is { } existing)
            return new ImportResult(ImportOutcome.AlreadyImported, existing, null, 0, 0, 0, []);

        if (content.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            return Refused(null, 0, [new ImportProblem(1, "(header)", null, ImportIssueKind.Refused, "Import_EmptyFile")]);
        Table table;
        try
        {
            // Title rows above the header (Trade Map's) are skipped: the header is the first row a layout recognises.
            table = Table.Read(content, fileName, new TableReadOptions(provenance.Sheet, StatisticsLayouts.IsHeader));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever the parser met (no header, a quote never closed, a damaged spreadsheet), the file is refused, never a crash.
            logger.LogInformation("Unreadable statistics file {File}: {Error}", fileName, e.GetType().Name);
            return Refused(null, 0, [e is TableException t
                ? new ImportProblem(t.Line, "(file)", t.Value, ImportIssueKind.Refused, t.Reason)
                : new ImportProblem(1, "(file)", e.Message, ImportIssueKind.Refused, "Import_UnreadableFile")]);
        }
        ImportResult Report(ImportOutcome outcome, int? datasetId, StatisticsFormat? format, int loaded, int figureCount, List<ImportProblem> found, string? suggested) =>
            new(outcome, datasetId, format, table.Rows.Count, loaded, figureCount, found.Count > MaxListed ? found[..MaxListed] : found)
            {
                ProblemCount = found.Count(p => p.Kind == ImportIssueKind.Refused), SuggestedPublisher = suggested, Encoding = table.Encoding, Sheet = table.Sheet,
            };

        var headerLine = table.HeaderLine;
        if (table.Headers.Count == 0 || table.Headers.All(string.IsNullOrWhiteSpace))
            return Report(ImportOutcome.Refused, null, null, 0, 0, [new ImportProblem(headerLine, "(header)", null, ImportIssueKind.Refused, "Import_EmptyFile")], null);
        var detection = StatisticsLayouts.Detect(table.Headers);
        var columnsFound = string.Join(" | ", table.Headers.Select(h => h.Trim()).Where(h => h.Length > 0));
        if (detection.Layout is not { } layout)
        {
            // No layout, or several: the user is told the columns found and, for several, which layouts they fit.
            List<ImportProblem> unknown = [new(headerLine, "(header)", columnsFound, ImportIssueKind.Refused, detection.Candidates.Count == 0 ? "Import_UnknownHeader" : "Import_AmbiguousHeader")];
            unknown.AddRange(detection.Candidates.Select(c => new ImportProblem(headerLine, "(layout)", c.Name, ImportIssueKind.Refused, "Import_LayoutMatched")));
            return Report(ImportOutcome.Refused, null, null, 0, 0, unknown, null);
        }
        var format = layout.Format;
        var columns = detection.Columns;
        var suggestedPublisher = layout.SuggestedPublisher;
        var problems = detection.Duplicates
            .Select(i => new ImportProblem(headerLine, table.Headers[i].Trim(), null, ImportIssueKind.Refused, "Import_DuplicateColumn"))
            .Concat(detection.Missing.Select(m => new ImportProblem(headerLine, HeaderOf(layout, m), null, ImportIssueKind.Refused, "Import_MissingColumn")))
            .ToList();
        if (problems.Count > 0)
            return Report(ImportOutcome.Refused, null, format, 0, 0, problems, suggestedPublisher);
        if (table.Rows.Count == 0)
            return Report(ImportOutcome.Refused, null, format, 0, 0, [new ImportProblem(headerLine + 1, "(row)", null, ImportIssueKind.Refused, "Import_NoRows")], suggestedPublisher);

        // A layout may suggest its publisher; only the user states it (the preview shows the suggestion to confirm).
        if (string.IsNullOrWhiteSpace(provenance.Publisher) && !columns.ContainsKey("source_publisher") && suggestedPublisher is not null)
            problems.Add(new ImportProblem(headerLine, "(publisher)", suggestedPublisher, ImportIssueKind.Refused, "Import_PublisherNotStated"));
        var publisherMissing = problems.Count > 0;

        problems.AddRange(table.Headers
            .Select((header, index) => (header, index))
            .Where(h => h.header.Trim().Length > 0 && !columns.Values.Contains(h.index))
            .Select(h => new ImportProblem(headerLine, h.header.Trim(), null, ImportIssueKind.Note, "Import_ColumnIgnored")));
        var context = new ReadingContext(
            SpreadsheetNumbers: table.Sheet is not null,
            DecimalComma: format == StatisticsFormat.KpDatabaseExport && table.Delimiter == ';',
            Preamble: table.Preamble);
        if (format == StatisticsFormat.TradeMap)
            context = StatisticsFormats.TradeMapContext(context, columns, problems);
        var fileRefused = problems.Any(p => p.Kind == ImportIssueKind.Refused);

        var figures = new List<Figure>();
        var refusedRows = 0;
        foreach (var row in table.Rows)
        {
            var rowProblems = new List<ImportProblem>();
            var reader = new RowReader(row, columns, table.Headers, rowProblems) { Context = context };
            if (row.CellCount != table.Headers.Count)
                reader.Refuse("(row)", $"{row.CellCount}", "Import_CellCount");
            var mapped = StatisticsFormats.Map(format, reader).ToList();
            foreach (var figure in mapped)
            {
                figure.SourcePublisher ??= provenance.Publisher;
                figure.SourceAddress ??= provenance.Address;
            }
            if (!publisherMissing && mapped.Any(f => string.IsNullOrWhiteSpace(f.SourcePublisher)))
                reader.Refuse(columns.ContainsKey("source_publisher") ? "source_publisher" : "(row)", null, "Import_PublisherMissing");
            if (reader.Refused)
            {
                refusedRows++;
                // A refused row is not loaded: its notes would only distract from what must be fixed.
                problems.AddRange(rowProblems.Where(p => p.Kind == ImportIssueKind.Refused));
            }
            else
            {
                problems.AddRange(rowProblems);
                figures.AddRange(mapped);
            }
        }

        if (format == StatisticsFormat.KpDatabaseExport)
            problems.AddRange(StatisticsFormats.RepeatedHalves(figures, table.Headers[columns["country"]].Trim()));

        if (fileRefused || (refusedRows > 0 && mode == ImportMode.AllOrNothing))
            return Report(ImportOutcome.Refused, null, format, 0, 0, problems, suggestedPublisher);
        if (checkOnly)
            return Report(ImportOutcome.Checked, null, format, table.Rows.Count - refusedRows, figures.Count, problems, suggestedPublisher);

        var dataset = new Dataset
        {
            Title = Clip(provenance.Title) ?? Path.GetFileNameWithoutExtension(fileName),
            Publisher = Clip(provenance.Publisher) ?? "",
            Address = provenance.Address,
            RetrievedOn = provenance.RetrievedOn,
            FileName = Path.GetFileName(fileName),
            Sha256 = sha256,
            Format = format,
            ImportedAtUtc = clock.GetUtcNow().UtcDateTime,
            Bundled = bundled,
            RowsRead = table.Rows.Count,
            RowsLoaded = table.Rows.Count - refusedRows,
            RowsRefused = refusedRows,
            Encoding = table.Encoding,
            Sheet = Clip(table.Sheet, 200),
            Issues = problems.Take(MaxListed).Select(p => new ImportIssue { Line = p.Line, Column = p.Column, Value = Clip(p.Value, 1000), Kind = p.Kind, Reason = p.Reason }).ToList(),
            ImportedBy = Clip(provenance.ImportedBy, 300),
            ImportedByOrganisationId = provenance.ImportedByOrganisationId,
        };
        db.Datasets.Add(dataset);
        ImportResult imported;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // The same file arrived twice at once: the other import won, and this one changes nothing.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                if (await db.DatasetIdWithShaAsync(sha256, cancellationToken) is not { } raced)
                    throw;
                return Report(ImportOutcome.AlreadyImported, raced, format, 0, 0, [], suggestedPublisher) with { RowsRead = 0 };
            }
            // The figures go through the bulk writer, in the same transaction as their dataset.
            foreach (var figure in figures)
                figure.DatasetId = dataset.Id;
            await writer.WriteAsync(db, FigureTables.Figures, figures, cancellationToken);
            imported = Report(ImportOutcome.Imported, dataset.Id, format, dataset.RowsLoaded, figures.Count, problems, suggestedPublisher);
            if (beforeCommit is not null)
                await beforeCommit(db, imported, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        db.ChangeTracker.Clear();
        logger.LogInformation("Imported dataset {DatasetId} ({Format}): {Rows} rows read, {Loaded} loaded, {Figures} figures",
            dataset.Id, format, dataset.RowsRead, dataset.RowsLoaded, figures.Count);
        return imported;
    }

    /// <summary>The problems listed in a report and stored with a dataset; the count of all of them is given beside.</summary>
    public const int MaxListed = 1000;

    /// <summary>The column as a file of the layout writes it, for a report: its first accepted header.</summary>
    private static string HeaderOf(Layout layout, string required) =>
        string.Join(" / ", required.Split('|').Select(name => layout.Columns.FirstOrDefault(c => c.Name == name)?.Headers[0] ?? name));

    private static ImportResult Refused(StatisticsFormat? format, int rows, IReadOnlyList<ImportProblem> problems) =>
        new(ImportOutcome.Refused, null, format, rows, 0, 0, problems) { ProblemCount = problems.Count };

    private static string? Clip(string? text, int length = 500) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Length <= length ? text.Trim() : text[..length];
}
