using Kimberlite.Accounts;
using Kimberlite.Analysis;
using Kimberlite.Statistics.Comtrade;
using Kimberlite.Statistics.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kimberlite.Infrastructure.Data;

/// <summary>
/// Brings a database up to date before anything uses it, whether the web app or a command starts
/// first: applies the migrations (and makes the trade totals an older version did not keep), then loads
/// the bundled data into a database that holds no dataset.
/// </summary>
public sealed class DatabaseInitializer(KimberliteDb db, BundledData bundled, ComtradeImporter comtrade, Field.BundledSites sites, Advocacy.BundledMeetings meetings, Analysis.Rates.LegalRateStore rates, FindingsEngine findings, AuditLog audit, Field.EvidenceStore evidence, IHostEnvironment environment, IOptions<KimberliteOptions> options, ILogger<DatabaseInitializer> logger)
{
    /// <summary>Returns the migrations it applied.</summary>
    public async Task<IReadOnlyList<string>> InitializeAsync(CancellationToken cancellationToken = default)
    {
        var applied = await MigrateAsync(cancellationToken);
        await MoveFilesOffTheDiskAsync(cancellationToken);
        await audit.SealOldChainAsync(db, cancellationToken);
        await comtrade.AddMissingTotalsAsync(cancellationToken);
        if (!await db.Organisations.AnyAsync(cancellationToken))
        {
            db.Organisations.AddRange(Organisation.Coalition());
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another server seeded them at the same moment.
                db.ChangeTracker.Clear();
            }
        }
        if (options.Value.LoadBundledData)
        {
            await sites.LoadAsync(cancellationToken);
            await rates.LoadBundledAsync(cancellationToken);
            await meetings.LoadAsync(cancellationToken);
        }
        if (options.Value.LoadBundledData && !await db.Datasets.AnyAsync(cancellationToken))
        {
            await bundled.LoadAsync(cancellationToken);
            await findings.AnalyzeAsync(cancellationToken);
        }
        else if (await findings.PendingAsync(cancellationToken))
        {
            // An analysis that did not finish (the process was killed, or it failed) is run again before anything reads the findings.
            logger.LogWarning("A dataset's analysis did not finish: running it again");
            await findings.AnalyzeAsync(cancellationToken, (context, counts, token) => audit.AppendInAsync(context, "kimberlite (start)", AuditActions.Analysis, "findings",
                $"pending analysis run again: {counts.Raised} raised, {counts.Changed} changed, {counts.Resolved} resolved", token));
        }
        return applied;
    }

    /// <summary>
    /// Evidence an earlier version kept in the data folder moves into the file store; uploads it left waiting there in
    /// plaintext are deleted (the analyst sends the file again).
    /// </summary>
    private async Task MoveFilesOffTheDiskAsync(CancellationToken cancellationToken)
    {
        var data = DataRegistration.DataDirectory(environment, options.Value);
        if (await evidence.MoveIntoStoreAsync(Path.Combine(data, "evidence"), cancellationToken) is > 0 and var moved)
            logger.LogInformation("Moved {Count} evidence files from the data folder into the file store", moved);
        var uploads = Path.Combine(data, "uploads");
        if (Directory.Exists(uploads))
        {
            Directory.Delete(uploads, recursive: true);
            logger.LogWarning("Deleted the uploads an earlier version left waiting in {Folder}", uploads);
        }
    }

    private async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (db.Database.IsSqlite())
            await UseLargePagesWhenNewAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} migrations", pending.Count);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.DuplicateDatabase)
            {
                // Another web server created the database at the same moment; the migration lock orders the rest.
                await db.Database.MigrateAsync(cancellationToken);
            }
        }
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        return pending;
    }

    /// <summary>The size of a page of a new SQLite file; an existing file keeps its own (docs/decisions/013-lean-trade-records.md).</summary>
    public const int SqlitePageSize = 16384;

    /// <summary>
    /// Gives a new SQLite file 16 KB pages rather than 4 KB: a bulk import then commits a quarter as many
    /// pages (a 5 M-row commit took 1.9–2.0 s instead of 2.4–3.0 s). Set before the first table,
    /// the only time SQLite takes it without rewriting the whole file.
    /// </summary>
    private async Task UseLargePagesWhenNewAsync(CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        // Made here, where the database is first opened, so that a command that only reads (backup) creates nothing.
        if (new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection.ConnectionString).DataSource is { Length: > 0 } file && file != ":memory:")
            DataFolder.CreateSqliteFile(Path.GetFullPath(file));
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA page_count";
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0)
                return;
            command.CommandText = $"PRAGMA page_size = {SqlitePageSize}; PRAGMA journal_mode = WAL;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
