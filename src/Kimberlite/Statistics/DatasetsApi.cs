using System.ComponentModel;
using Kimberlite.Infrastructure.Api;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Statistics;

public sealed record DatasetDto(
    int Id, string Title, string Publisher, string? Address, DateOnly? RetrievedOn, string FileName, string Sha256,
    StatisticsFormat Format, DateTime ImportedAtUtc, bool Bundled, int RowsRead, int RowsLoaded, int RowsRefused, int Figures, int Notes,
    [property: Description("Who imported the file: a person (shown to signed-in members only) or \"command line (user)\"; null for the bundled collection")] string? ImportedBy,
    [property: Description("The acronym of the organisation the person imported for")] string? ImportedByOrganisation,
    [property: Description("True while the analysis of this dataset's figures has not finished; it runs again at the next start")] bool AnalysisPending,
    [property: Description("The text encoding the file was read with (UTF-8, UTF-16, Windows-1252); null for a workbook")] string? Encoding,
    [property: Description("The workbook sheet read; null for a text file")] string? Sheet)
{
    /// <summary>
    /// The person who imported is named to signed-in members only: the public sees the organisation, or the command
    /// line (docs/decisions/018-one-import-door.md).
    /// </summary>
    public DatasetDto ForReader(System.Security.Claims.ClaimsPrincipal reader) =>
        reader.Identity?.IsAuthenticated == true || ImportedBy is null || ImportedBy.StartsWith("command line", StringComparison.Ordinal) ? this : this with { ImportedBy = null };
}

public sealed record ImportIssueDto(int Line, string Column, string? Value, ImportIssueKind Kind, string Reason, string Message);

public sealed record DatasetDetailDto(DatasetDto Dataset, IReadOnlyList<ImportIssueDto> Report);

public static class DatasetsApi
{
    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/datasets").WithTags("Datasets").AllowAnonymous();
        group.MapGet("/", List).WithName("ListDatasets")
            .WithSummary("Imported files and their provenance").WithDescription("`?format=csv` for CSV.");
        group.MapGet("/{id:int}", Get).WithName("GetDataset")
            .WithSummary("One dataset with its import report");
        group.MapGet("/{id:int}/report", Report).WithName("GetDatasetReport")
            .WithSummary("The import report of a dataset: refused rows and notes, with line, column, value and reason")
            .WithDescription("`?format=csv` for CSV.");
        return app;
    }

    internal static IQueryable<DatasetDto> Projection(IQueryable<Dataset> datasets) =>
        datasets.AsNoTracking().OrderBy(d => d.Id).Select(d => new DatasetDto(
            d.Id, d.Title, d.Publisher, d.Address, d.RetrievedOn, d.FileName, d.Sha256, d.Format, d.ImportedAtUtc, d.Bundled,
            d.RowsRead, d.RowsLoaded, d.RowsRefused, d.Figures.Count, d.Issues.Count(i => i.Kind == ImportIssueKind.Note),
            d.ImportedBy, d.ImportedByOrganisation != null ? d.ImportedByOrganisation.Acronym : null, d.AnalysedAtUtc == null,
            d.Encoding, d.Sheet));

    internal static async Task<List<ImportIssueDto>> ReportAsync(KimberliteDb db, IStringLocalizer<Texts> texts, int id, CancellationToken cancellationToken) =>
        (await db.ImportIssues.AsNoTracking().Where(i => i.DatasetId == id).OrderBy(i => i.Line).ThenBy(i => i.Id).ToListAsync(cancellationToken))
            .Select(i => new ImportIssueDto(i.Line, i.Column, i.Value, i.Kind, i.Reason, texts[i.Reason]))
            .ToList();

    private static async Task<Results<Ok<List<DatasetDto>>, FileContentHttpResult, ValidationProblem>> List(
        KimberliteDb db, [Description("json (default) or csv")] string? format, System.Security.Claims.ClaimsPrincipal reader, CancellationToken cancellationToken)
    {
        if (ListFormats.Parse(format) is not { } listFormat)
            return ListFormats.Invalid(format);
        var rows = (await Projection(db.Datasets).ToListAsync(cancellationToken)).Select(d => d.ForReader(reader)).ToList();
        if (listFormat == ListFormat.Csv)
            return CsvOutput.File(rows, "datasets.csv",
                ("id", d => d.Id), ("title", d => d.Title), ("publisher", d => d.Publisher), ("address", d => d.Address),
                ("retrieved_on", d => d.RetrievedOn), ("file_name", d => d.FileName), ("sha256", d => d.Sha256),
                ("format", d => d.Format), ("imported_at_utc", d => d.ImportedAtUtc), ("bundled", d => d.Bundled),
                ("rows_read", d => d.RowsRead), ("rows_loaded", d => d.RowsLoaded), ("rows_refused", d => d.RowsRefused),
                ("figures", d => d.Figures), ("notes", d => d.Notes), ("imported_by", d => d.ImportedBy),
                ("imported_by_organisation", d => d.ImportedByOrganisation), ("analysis_pending", d => d.AnalysisPending),
                ("encoding", d => d.Encoding), ("sheet", d => d.Sheet));
        return TypedResults.Ok(rows);
    }

    private static async Task<Results<Ok<DatasetDetailDto>, ProblemHttpResult>> Get(
        int id, KimberliteDb db, IStringLocalizer<Texts> texts, System.Security.Claims.ClaimsPrincipal reader, CancellationToken cancellationToken)
    {
        if (await Projection(db.Datasets.Where(d => d.Id == id)).FirstOrDefaultAsync(cancellationToken) is not { } dataset)
            return NotFound(id);
        return TypedResults.Ok(new DatasetDetailDto(dataset.ForReader(reader), await ReportAsync(db, texts, id, cancellationToken)));
    }

    private static async Task<Results<Ok<List<ImportIssueDto>>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Report(
        int id, [Description("json (default) or csv")] string? format, KimberliteDb db, IStringLocalizer<Texts> texts, CancellationToken cancellationToken)
    {
        if (ListFormats.Parse(format) is not { } listFormat)
            return ListFormats.Invalid(format);
        if (!await db.Datasets.AnyAsync(d => d.Id == id, cancellationToken))
            return NotFound(id);
        var report = await ReportAsync(db, texts, id, cancellationToken);
        if (listFormat == ListFormat.Csv)
            return CsvOutput.File(report, $"dataset-{id}-report.csv",
                ("line", i => i.Line), ("column", i => i.Column), ("value", i => i.Value), ("kind", i => i.Kind),
                ("reason", i => i.Reason), ("message", i => i.Message));
        return TypedResults.Ok(report);
    }

    private static ProblemHttpResult NotFound(int id) =>
        TypedResults.Problem(statusCode: 404, title: $"No dataset {id}", detail: "GET /api/v1/datasets lists the datasets and their ids.");
}
