namespace Kimberlite.Imports;

/// <summary>
/// The moments of an import where a kill must leave a state that explains itself. In production this does nothing.
/// With the setting <c>Kimberlite:Testing:PauseAt</c> naming a stage, the process writes <c>stage STAGE reached</c> to
/// standard error when it gets there and waits, so a test can kill it at exactly that moment
/// (docs/decisions/018-one-import-door.md).
/// </summary>
public sealed class ImportStages(IConfiguration configuration)
{
    /// <summary>The file is read and its importer chosen; nothing is written yet.</summary>
    public const string FileRead = "file-read";
    /// <summary>Inside the import's transaction: data and audit entry written, not committed.</summary>
    public const string DataWritten = "data-written";
    /// <summary>The data and its audit entry are committed; the analysis has not started.</summary>
    public const string DataCommitted = "data-committed";
    /// <summary>Inside the analysis's transaction: findings written, not committed.</summary>
    public const string AnalysisWritten = "analysis-written";

    public static readonly string[] All = [FileRead, DataWritten, DataCommitted, AnalysisWritten];

    private readonly string? _pauseAt = configuration["Kimberlite:Testing:PauseAt"];

    public async Task ReachedAsync(string stage, CancellationToken cancellationToken)
    {
        if (!string.Equals(_pauseAt, stage, StringComparison.Ordinal))
            return;
        await Console.Error.WriteLineAsync($"stage {stage} reached");
        await Console.Error.FlushAsync(cancellationToken);
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
