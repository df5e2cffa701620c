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
    /// <summary>The sheet of a workbook the user chose; else the importer picks the one it recognises.</summary>
    public string? Sheet { get; init; }
}

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
        bool bundled = false, CancellationToken cancellationToken = default, bool checkOnly = false)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        if (await db.DatasetIdWithShaAsync(sha256, cancellationToken) is { } existing)
            return new ImportResult(ImportOutcome.AlreadyImported, existing, null, 0, 0, 0, []);

        if (content.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            return Refused(null, 0, [new ImportProblem(1, "(header)", null, ImportIssueKind.Refused, "Import_EmptyFile")]);
        Table table;
        try
        {
            table = Table.Read(content, fileName);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever the parser met (no header, a quote never closed, a damaged spreadsheet), the file is refused, never a crash.
            logger.LogInformation("Unreadable statistics file {File}: {Error}", fileName, e.GetType().Name);
            return Refused(null, 0, [e is TableException t
                ? new ImportProblem(t.Line, "(file)", t.Value, ImportIssueKind.Refused, t.Reason)
                : new ImportProblem(1, "(file)", e.Message, ImportIssueKind.Refused, "Import_UnreadableFile")]);
        }

        if (table.Headers.Count == 0 || table.Headers.All(string.IsNullOrWhiteSpace))
            return Refused(null, 0, [new ImportProblem(1, "(header)", null, ImportIssueKind.Refused, "Import_EmptyFile")]);
        var (format, columns) = StatisticsFormats.Detect(table.Headers);
        if (format is null)
            return Refused(null, table.Rows.Count, [new ImportProblem(1, "(header)", string.Join(",", table.Headers), ImportIssueKind.Refused, "Import_UnknownHeader")]);
        var missing = StatisticsFormats.RequiredColumns[format.Value].Where(c => !columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            return Refused(format, table.Rows.Count, missing.Select(c => new ImportProblem(1, c, null, ImportIssueKind.Refused, "Import_MissingColumn")).ToList());
        if (table.Rows.Count == 0)
            return Refused(format, 0, [new ImportProblem(2, "(row)", null, ImportIssueKind.Refused, "Import_NoRows")]);

        // The Kimberley Process table is the Kimberley Process's own publication, whoever downloads it.
        if (format == StatisticsFormat.KpPublicTable)
            provenance = provenance with
            {
                Publisher = provenance.Publisher ?? "Kimberley Process",
                Address = provenance.Address ?? "https://kimberleyprocessstatistics.org/",
            };

        var problems = table.Headers
            .Select((header, index) => (header, index))
            .Where(h => h.header.Trim().Length > 0 && !columns.ContainsValue(h.index))
            .Select(h => new ImportProblem(1, h.header.Trim(), null, ImportIssueKind.Note, "Import_ColumnIgnored"))
            .ToList();
        var figures = new List<Figure>();
        var refusedRows = 0;
        foreach (var row in table.Rows)
        {
            var rowProblems = new List<ImportProblem>();
            var reader = new RowReader(row, columns, table.Headers, rowProblems);
            if (row.CellCount != table.Headers.Count)
                reader.Refuse("(row)", $"{row.CellCount}", "Import_CellCount");
            var mapped = StatisticsFormats.Map(format.Value, reader).ToList();
            foreach (var figure in mapped)
            {
                figure.SourcePublisher ??= provenance.Publisher;
                figure.SourceAddress ??= provenance.Address;
            }
            if (mapped.Any(f => string.IsNullOrWhiteSpace(f.SourcePublisher)))
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

        if (refusedRows > 0 && mode == ImportMode.AllOrNothing)
            return Refused(format, table.Rows.Count, problems);
        if (checkOnly)
            return new ImportResult(ImportOutcome.Checked, null, format, table.Rows.Count, table.Rows.Count - refusedRows, figures.Count, problems);

        var dataset = new Dataset
        {
            Title = Clip(provenance.Title) ?? Path.GetFileNameWithoutExtension(fileName),
            Publisher = Clip(provenance.Publisher) ?? "",
            Address = provenance.Address,
            RetrievedOn = provenance.RetrievedOn,
            FileName = Path.GetFileName(fileName),
            Sha256 = sha256,
            Format = format.Value,
            ImportedAtUtc = clock.GetUtcNow().UtcDateTime,
            Bundled = bundled,
            RowsRead = table.Rows.Count,
            RowsLoaded = table.Rows.Count - refusedRows,
            RowsRefused = refusedRows,
            Issues = problems.Select(p => new ImportIssue { Line = p.Line, Column = p.Column, Value = Clip(p.Value, 1000), Kind = p.Kind, Reason = p.Reason }).ToList(),
        };
        db.Datasets.Add(dataset);
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
                return new ImportResult(ImportOutcome.AlreadyImported, raced, format, 0, 0, 0, []);
            }
            // The figures go through the bulk writer, in the same transaction as their dataset.
            foreach (var figure in figures)
                figure.DatasetId = dataset.Id;
            await writer.WriteAsync(db, FigureTables.Figures, figures, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        db.ChangeTracker.Clear();
        logger.LogInformation("Imported dataset {DatasetId} ({Format}): {Rows} rows read, {Loaded} loaded, {Figures} figures",
            dataset.Id, format, dataset.RowsRead, dataset.RowsLoaded, figures.Count);
        return new ImportResult(ImportOutcome.Imported, dataset.Id, format, dataset.RowsRead, dataset.RowsLoaded, figures.Count, problems);
    }

    private static ImportResult Refused(StatisticsFormat? format, int rows, IReadOnlyList<ImportProblem> problems) =>
        new(ImportOutcome.Refused, null, format, rows, 0, 0, problems);

    private static string? Clip(string? text, int length = 500) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Length <= length ? text.Trim() : text[..length];
}
