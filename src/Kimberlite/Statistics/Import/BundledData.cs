using System.Text.Json;

namespace Kimberlite.Statistics.Import;

/// <summary>
/// The public collection shipped in `data/`: loaded into a new database so the observatory starts
/// with real figures. Its rows are real and messy, so refused rows are left out and reported in each
/// dataset's import report instead of refusing the whole file (docs/decisions/002-bundled-data.md).
/// </summary>
public sealed class BundledData(StatisticsImporter importer, Analysis.Labels.LabelMeanings labels, ILogger<BundledData> logger)
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "data");

    private sealed record Manifest(DateOnly RetrievedOn, List<Entry> Datasets);
    private sealed record Entry(string File, string Title, string Publisher, string? Address);

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var manifestPath = Path.Combine(Folder, "datasets.json");
        if (!File.Exists(manifestPath))
        {
            logger.LogWarning("No bundled data at {Folder}: starting empty", Folder);
            return;
        }
        var manifest = JsonSerializer.Deserialize<Manifest>(await File.ReadAllBytesAsync(manifestPath, cancellationToken), JsonSerializerOptions.Web)
            ?? throw new InvalidDataException($"{manifestPath} is empty.");
        foreach (var entry in manifest.Datasets)
        {
            var content = await File.ReadAllBytesAsync(Path.Combine(Folder, entry.File), cancellationToken);
            var result = await importer.ImportAsync(content, entry.File,
                new Provenance(entry.Title, entry.Publisher, entry.Address, manifest.RetrievedOn),
                ImportMode.LeaveOutRefusedRows, bundled: true, cancellationToken);
            logger.LogInformation("Bundled {File}: {Outcome}, {Loaded} of {Read} rows loaded", entry.File, result.Outcome, result.RowsLoaded, result.RowsRead);
        }
        // What the bundled rows' own labels mean, as their sources explain them (docs/decisions/020-label-meanings.md).
        await labels.LoadBundledAsync(Path.Combine(Folder, "labels.csv"), cancellationToken);
    }
}
