using System.Data;
using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Kimberlite.Infrastructure.Localization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Kimberlite.Infrastructure.Data;

/// <summary>What a backup holds, counted in the same snapshot as the copy: restore checks the copy against it.</summary>
public sealed record BackupCounts(int Datasets, int Findings, int Incidents, int EvidenceFiles, long AuditEntries);

/// <summary>manifest.json, written last: a folder without it is an interrupted backup, never restored.</summary>
public sealed record BackupManifest(
    int Format, DateTime CreatedAtUtc, string Version, string? Migration, DatabaseProvider Provider, string Database, string DatabaseSha256,
    BackupCounts Counts, long AuditHeadSequence, string? AuditHeadHash, Dictionary<string, string> EvidenceFiles, string? AuditHeadMac = null)
{
    public const string FileName = "manifest.json";
    public const int CurrentFormat = 1;
}

/// <summary>A backup or restore that cannot go on; Key names the sentence in the resources, Exit the exit code.</summary>
public sealed class BackupRefusedException(string key, int exit, params object[] arguments) : Exception($"Backup refused: {key}")
{
    public string Key => key;
    public int Exit => exit;
    public object[] Arguments => arguments;
    /// <summary>Commands the operator can run instead, when a tool is missing; never holds a password.</summary>
    public IReadOnlyList<string> Recipe { get; init; } = [];
    /// <summary>What pg_dump or pg_restore said, when they failed.</summary>
    public string? ToolOutput { get; init; }
}

public sealed record BackupResult(string Folder, BackupManifest Manifest, string KeysDirectory, TimeSpan Took);

public sealed record RestoreResult(BackupManifest Manifest, IReadOnlyList<string> Migrations, BackupCounts Restored, string KeysDirectory, TimeSpan Took);

/// <summary>
/// `kimberlite backup` and `kimberlite restore` (docs/decisions/029-backup-and-restore.md): a consistent copy of the
/// database taken while the app runs (SQLite's online backup; pg_dump in an exported snapshot), the evidence files
/// beside it, and a manifest of counts and checksums; a restore goes only into an empty target. Keys are never copied.
/// </summary>
public sealed class DatabaseBackup(KimberliteDb db, IOptions<KimberliteOptions> options, IHostEnvironment environment, TimeProvider clock, IStringLocalizer<Texts> texts)
{
    private const string SqliteFile = "kimberlite.db", PostgresFile = "kimberlite.dump", EvidenceFolder = "evidence";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private string DataDirectory => DataRegistration.DataDirectory(environment, options.Value);
    public string KeysDirectory => DataRegistration.KeysDirectory(environment, options.Value);
    private bool IsPostgres => options.Value.Database.Provider == DatabaseProvider.Postgres;

    public async Task<BackupResult> BackupAsync(string folder, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new BackupRefusedException("Backup_TargetNotEmpty", 1, folder);
        if (!IsPostgres && !File.Exists(SqlitePath))
            throw new BackupRefusedException("Backup_NoDatabase", 1, Path.GetFullPath(SqlitePath));
        string? pgDump = null;
        if (IsPostgres && (pgDump = FindTool("pg_dump")) is null)
            throw new BackupRefusedException("Backup_PgDumpMissing", 1) { Recipe = DumpRecipe(folder) };
        var existed = Directory.Exists(folder);
        PrivateFiles.CreateFolder(folder);
        try
        {
            var (file, counts, head, migration) = IsPostgres
                ? await DumpPostgresAsync(pgDump!, Path.Combine(folder, PostgresFile), cancellationToken)
                : await CopySqliteAsync(Path.Combine(folder, SqliteFile), cancellationToken);
            // After the database: a file is written before its row is committed, so every row in the copy finds its file.
            var evidence = await CopyEvidenceAsync(Path.Combine(DataDirectory, EvidenceFolder), Path.Combine(folder, EvidenceFolder), cancellationToken);
            var manifest = new BackupManifest(BackupManifest.CurrentFormat, clock.GetUtcNow().UtcDateTime, Version, migration, options.Value.Database.Provider,
                Path.GetFileName(file), await Sha256Async(file, cancellationToken), counts, head?.Sequence ?? 0, head?.Hash, evidence, head?.Mac);
            // A backup holds what the database holds: readable by the service's user alone, like the data folder.
            await using (var stream = PrivateFiles.Open(Path.Combine(folder, BackupManifest.FileName), FileMode.CreateNew, FileAccess.Write))
                await JsonSerializer.SerializeAsync(stream, manifest, Json, cancellationToken);
            return new BackupResult(folder, manifest, KeysDirectory, started.Elapsed);
        }
        catch
        {
            // A half-written backup is not left to be mistaken for one; the folder was empty or absent before.
            foreach (var entry in Directory.EnumerateFileSystemEntries(folder))
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true); else File.Delete(entry);
            if (!existed)
                Directory.Delete(folder);
            throw;
        }
    }

    public async Task<RestoreResult> RestoreAsync(string folder, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var manifest = await ReadManifestAsync(folder, cancellationToken);
        string? pgRestore = null;
        if (IsPostgres && (pgRestore = FindTool("pg_restore")) is null)
            throw new BackupRefusedException("Backup_PgRestoreMissing", 1) { Recipe = RestoreRecipe(folder) };
        var evidenceTarget = Path.Combine(DataDirectory, EvidenceFolder);
        if (Directory.Exists(evidenceTarget) && Directory.EnumerateFiles(evidenceTarget).Any())
            throw new BackupRefusedException("Backup_TargetHasEvidence", 1, evidenceTarget);

        if (IsPostgres)
            await RestorePostgresAsync(pgRestore!, Path.Combine(folder, manifest.Database), cancellationToken);
        else
            RestoreSqlite(Path.Combine(folder, manifest.Database));
        if (manifest.EvidenceFiles.Count > 0)
        {
            PrivateFiles.CreateFolder(evidenceTarget);
            foreach (var name in manifest.EvidenceFiles.Keys)
                await CopyPrivateAsync(Path.Combine(folder, EvidenceFolder, name), Path.Combine(evidenceTarget, name), cancellationToken);
        }

        // An older backup comes up to date, as the web app would bring it at start.
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
            await db.Database.MigrateAsync(cancellationToken);
        var (restored, _) = await CountAsync(db, cancellationToken);
        return new RestoreResult(manifest, pending, restored, KeysDirectory, started.Elapsed);
    }

    private static string Version => typeof(DatabaseBackup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The rows a drill checks, and the audit trail's last entry; read inside the caller's snapshot.</summary>
    private static async Task<(BackupCounts Counts, (long Sequence, string Hash, string? Mac)? Head)> CountAsync(KimberliteDb source, CancellationToken cancellationToken)
    {
        var counts = new BackupCounts(
            await source.Datasets.CountAsync(cancellationToken), await source.Findings.CountAsync(cancellationToken),
            await source.Incidents.CountAsync(cancellationToken), await source.EvidenceFiles.CountAsync(cancellationToken),
            await source.AuditEntries.LongCountAsync(cancellationToken));
        var head = await source.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence).Select(e => new { e.Sequence, e.Hash, e.Mac }).FirstOrDefaultAsync(cancellationToken);
        return (counts, head is null ? null : (head.Sequence, head.Hash, head.Mac));
    }

    // ---- SQLite ----

    private async Task<(string File, BackupCounts Counts, (long Sequence, string Hash, string? Mac)? Head, string? Migration)> CopySqliteAsync(string file, CancellationToken cancellationToken)
    {
        // Made 0600 before SQLite writes a byte into it: the copy holds what the database holds.
        await PrivateFiles.Open(file, FileMode.CreateNew, FileAccess.Write).DisposeAsync();
        var copy = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();
        // Never creates the database it copies: a wrong data folder is a refusal, not an empty backup.
        await using (var source = new SqliteConnection(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Mode = SqliteOpenMode.ReadWrite }.ToString()))
        await using (var destination = new SqliteConnection(copy))
        {
            await source.OpenAsync(cancellationToken);
            await destination.OpenAsync(cancellationToken);
            // One step, under one read transaction: writers go on (WAL), and the copy is the database as of that moment.
            source.BackupDatabase(destination);
            await using var command = destination.CreateCommand();
            // One self-contained file, with no -wal beside it.
            command.CommandText = "PRAGMA journal_mode=DELETE;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var copied = new SqliteKimberliteDb(new DbContextOptionsBuilder<SqliteKimberliteDb>().UseSqlite(copy).Options);
        var (counts, head) = await CountAsync(copied, cancellationToken);
        var migration = (await copied.Database.GetAppliedMigrationsAsync(cancellationToken)).LastOrDefault();
        return (file, counts, head, migration);
    }

    private string SqlitePath => new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;

    private void RestoreSqlite(string copy)
    {
        var target = Path.GetFullPath(SqlitePath);
        if (File.Exists(target) && new FileInfo(target).Length > 0)
            throw new BackupRefusedException("Backup_TargetHasDatabase", 1, target);
        // A stale journal beside an absent database would be replayed into the copy.
        foreach (var stale in new[] { target, target + "-wal", target + "-shm", target + "-journal" })
            File.Delete(stale);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = target + ".restoring";
        File.Delete(partial);
        using (var stream = PrivateFiles.Open(partial, FileMode.CreateNew, FileAccess.Write))
        using (var source = File.OpenRead(copy))
            source.CopyTo(stream);
        // Whole or not at all: an interrupted copy never sits under the database's name.
        File.Move(partial, target);
    }

    // ---- PostgreSQL ----

    private NpgsqlConnectionStringBuilder Connection => new(db.Database.GetConnectionString());

    private async Task<(string File, BackupCounts Counts, (long Sequence, string Hash, string? Mac)? Head, string? Migration)> DumpPostgresAsync(string pgDump, string file, CancellationToken cancellationToken)
    {
        await using var transaction = await OpenAsync(() => db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken));
        // pg_dump reads the snapshot this transaction exported: the dump and the manifest's counts see the same rows.
        var snapshot = await db.Database.SqlQueryRaw<string>("SELECT pg_export_snapshot() AS \"Value\"").SingleAsync(cancellationToken);
        var (counts, head) = await CountAsync(db, cancellationToken);
        var migration = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).LastOrDefault();
        await PrivateFiles.Open(file, FileMode.CreateNew, FileAccess.Write).DisposeAsync();
        await RunAsync(pgDump, ["--format=custom", $"--snapshot={snapshot}", $"--file={file}", .. ConnectionArguments(Connection)], cancellationToken);
        await transaction.RollbackAsync(cancellationToken);
        return (file, counts, head, migration);
    }

    private async Task RestorePostgresAsync(string pgRestore, string dump, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        var connection = Connection;
        if (!await OpenAsync(() => creator.ExistsAsync(cancellationToken)))
            await creator.CreateAsync(cancellationToken);
        var tables = await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM information_schema.tables WHERE table_schema = 'public'").SingleAsync(cancellationToken);
        if (tables > 0)
            throw new BackupRefusedException("Backup_TargetDatabaseNotEmpty", 1, connection.Database ?? "", connection.Host ?? "");
        // One transaction: a failed restore leaves the database empty, ready for another attempt.
        await RunAsync(pgRestore, ["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges", .. ConnectionArguments(connection), dump], cancellationToken);
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Runs a step that opens the database; an unreachable server is exit code 3, with the host named.</summary>
    private async Task<T> OpenAsync<T>(Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            throw new BackupRefusedException("Backup_NoDatabase", 1, $"{Connection.Database} ({Connection.Host}:{Connection.Port})");
        }
        catch (Exception e) when (Unreachable(e) is { } cause)
        {
            var connection = Connection;
            throw new BackupRefusedException("Backup_DatabaseUnreachable", 3, $"{connection.Host}:{connection.Port}", cause.Message);
        }
    }

    /// <summary>The connection failure under EF Core's retry wrapper, if that is what went wrong.</summary>
    private static NpgsqlException? Unreachable(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            // Refused connections, timeouts, and a server that refuses the user or password (SQLSTATE 28…): the setting is wrong or the server is away.
            if (e is NpgsqlException { InnerException: System.Net.Sockets.SocketException or TimeoutException or IOException } or NpgsqlException { IsTransient: true } and not PostgresException
                or PostgresException { SqlState: ['2', '8', ..] })
                return (NpgsqlException)e;
        return null;
    }

    /// <summary>Host, port, user and database on the command line; the password never: it goes through PGPASSWORD.</summary>
    private static string[] ConnectionArguments(NpgsqlConnectionStringBuilder c) =>
        ["--no-password", $"--host={c.Host}", $"--port={c.Port}", $"--username={c.Username}", $"--dbname={c.Database}"];

    private async Task RunAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        var connection = Connection;
        if (!string.IsNullOrEmpty(connection.Password))
            start.Environment["PGPASSWORD"] = connection.Password;
        if (connection.SslMode is not SslMode.Disable and not SslMode.Prefer)
            start.Environment["PGSSLMODE"] = connection.SslMode.ToString().ToLowerInvariant() switch { "verifyca" => "verify-ca", "verifyfull" => "verify-full", var mode => mode };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            var said = ((await errors) + (await output)).Trim();
            if (!string.IsNullOrEmpty(connection.Password))
                said = said.Replace(connection.Password, "…", StringComparison.Ordinal);
            throw new BackupRefusedException("Backup_ToolFailed", 1, Path.GetFileName(tool), process.ExitCode) { ToolOutput = said };
        }
    }

    /// <summary>The tool on PATH, or the newest PostgreSQL's own (Debian keeps them in /usr/lib/postgresql/N/bin).</summary>
    private static string? FindTool(string name)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists);
        if (onPath is not null)
            return onPath;
        const string debian = "/usr/lib/postgresql";
        return Directory.Exists(debian)
            ? Directory.GetDirectories(debian)
                .Select(folder => (Version: int.TryParse(Path.GetFileName(folder), out var v) ? v : 0, Tool: Path.Combine(folder, "bin", name)))
                .Where(t => File.Exists(t.Tool)).OrderByDescending(t => t.Version).Select(t => t.Tool).FirstOrDefault()
            : null;
    }

    private string[] DumpRecipe(string folder)
    {
        var c = Connection;
        return
        [
            $"mkdir -m 0700 -p '{folder}'",
            $"export PGPASSWORD='…'   # {texts["Backup_RecipePassword"]}",
            $"pg_dump --format=custom --no-password --host={c.Host} --port={c.Port} --username={c.Username} --dbname={c.Database} --file='{Path.Combine(folder, PostgresFile)}'",
            $"cp -a '{Path.Combine(DataDirectory, EvidenceFolder)}' '{folder}/'   # {texts["Backup_RecipeIfExists"]}",
        ];
    }

    private string[] RestoreRecipe(string folder)
    {
        var c = Connection;
        return
        [
            $"export PGPASSWORD='…'   # {texts["Backup_RecipePassword"]}",
            $"createdb --no-password --host={c.Host} --port={c.Port} --username={c.Username} {c.Database}",
            $"pg_restore --single-transaction --exit-on-error --no-owner --no-privileges --no-password --host={c.Host} --port={c.Port} --username={c.Username} --dbname={c.Database} '{Path.Combine(folder, PostgresFile)}'",
            $"cp -a '{Path.Combine(folder, EvidenceFolder)}' '{DataDirectory}/'   # {texts["Backup_RecipeIfExists"]}",
            "kimberlite db migrate && kimberlite audit verify",
        ];
    }

    // ---- Files ----

    /// <summary>The manifest, and every file it names present with the bytes it recorded: a damaged backup is refused before anything is touched.</summary>
    private async Task<BackupManifest> ReadManifestAsync(string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, BackupManifest.FileName);
        if (!File.Exists(path))
            throw new BackupRefusedException("Backup_NoManifest", 1, folder);
        BackupManifest? manifest;
        try
        {
            await using var stream = File.OpenRead(path);
            manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(stream, Json, cancellationToken);
        }
        catch (JsonException)
        {
            manifest = null;
        }
        if (manifest is null || manifest.Format != BackupManifest.CurrentFormat || manifest.EvidenceFiles is null || manifest.Counts is null
            || Path.GetFileName(manifest.Database) != manifest.Database || manifest.EvidenceFiles.Keys.Any(name => Path.GetFileName(name) != name))
            throw new BackupRefusedException("Backup_Damaged", 1, path);
        if (manifest.Provider != options.Value.Database.Provider)
            throw new BackupRefusedException("Backup_WrongProvider", 1, manifest.Provider, options.Value.Database.Provider);
        foreach (var (file, expected) in manifest.EvidenceFiles.Select(e => (Path.Combine(folder, EvidenceFolder, e.Key), e.Value)).Prepend((Path.Combine(folder, manifest.Database), manifest.DatabaseSha256)))
        {
            if (!File.Exists(file))
                throw new BackupRefusedException("Backup_FileMissing", 1, file);
            if (await Sha256Async(file, cancellationToken) != expected)
                throw new BackupRefusedException("Backup_Damaged", 1, file);
        }
        return manifest;
    }

    /// <summary>Each evidence file by name and checksum; none when the folder is absent (evidence kept in the database).</summary>
    private static async Task<Dictionary<string, string>> CopyEvidenceAsync(string from, string to, CancellationToken cancellationToken)
    {
        var copied = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(from))
            return copied;
        foreach (var file in Directory.EnumerateFiles(from).Order(StringComparer.Ordinal))
        {
            if (copied.Count == 0)
                PrivateFiles.CreateFolder(to);
            var name = Path.GetFileName(file);
            await CopyPrivateAsync(file, Path.Combine(to, name), cancellationToken);
            copied[name] = await Sha256Async(Path.Combine(to, name), cancellationToken);
        }
        return copied;
    }

    private static async Task CopyPrivateAsync(string from, string to, CancellationToken cancellationToken)
    {
        await using var source = File.OpenRead(from);
        await using var target = PrivateFiles.Open(to, FileMode.CreateNew, FileAccess.Write);
        await source.CopyToAsync(target, cancellationToken);
    }

    private static async Task<string> Sha256Async(string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

}
