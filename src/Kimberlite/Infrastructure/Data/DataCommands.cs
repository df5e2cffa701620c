using System.CommandLine;
using System.Globalization;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Commands;

namespace Kimberlite.Infrastructure.Data;

/// <summary>
/// `kimberlite db migrate`: applies the migrations (and loads the bundled data into a new database) and says which.
/// `kimberlite backup FOLDER` and `kimberlite restore FOLDER`: a consistent copy while the app runs, and back into an empty target.
/// </summary>
public static class DataCommands
{
    public static IEnumerable<Command> Create(CommandContext context)
    {
        var db = context.Command("db", "Cli_Help_Db");
        var migrate = context.Command("migrate", "Cli_Help_DbMigrate");
        migrate.SetAction((_, cancellationToken) => MigrateAsync(context, cancellationToken));
        db.Add(migrate);
        yield return db;

        var backupFolder = context.Argument("folder", "Backup_Arg_Folder", "Backup_Help_BackupFolder");
        var backup = context.Command("backup", "Backup_Help_Backup");
        backup.Add(backupFolder);
        backup.SetAction((line, cancellationToken) => BackupAsync(context, line.GetRequiredValue(backupFolder), cancellationToken));
        yield return backup;

        var restoreFolder = context.Argument("folder", "Backup_Arg_Folder", "Backup_Help_RestoreFolder");
        var restore = context.Command("restore", "Backup_Help_Restore");
        restore.Add(restoreFolder);
        restore.SetAction((line, cancellationToken) => RestoreAsync(context, line.GetRequiredValue(restoreFolder), cancellationToken));
        yield return restore;
    }

    private static async Task<int> MigrateAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await using var scope = context.Services.CreateAsyncScope();
        var applied = await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);
        context.Output.WriteLine(context.Texts["Cli_Database", context.Services.DescribeDatabase(context.Texts)]);
        context.Output.WriteLine(applied.Count == 0 ? context.Texts["Cli_MigrateNothing"] : context.Texts["Cli_MigrateApplied", applied.Count, string.Join(", ", applied)]);
        return 0;
    }

    private static async Task<int> BackupAsync(CommandContext context, string folder, CancellationToken cancellationToken)
    {
        var texts = context.Texts;
        await using var scope = context.Services.CreateAsyncScope();
        try
        {
            var result = await scope.ServiceProvider.GetRequiredService<DatabaseBackup>().BackupAsync(FullPath(folder), cancellationToken);
            var m = result.Manifest;
            context.Output.WriteLine(texts["Cli_Database", context.Services.DescribeDatabase(texts)]);
            context.Output.WriteLine(texts["Backup_Written", result.Folder, Seconds(result.Took), m.Database, m.EvidenceFiles.Count]);
            context.Output.WriteLine(texts["Backup_Counts", m.Counts.Datasets, m.Counts.Findings, m.Counts.Incidents, m.Counts.EvidenceFiles, m.Counts.AuditEntries, m.AuditHeadSequence, m.AuditHeadMac ?? m.AuditHeadHash ?? "-"]);
            context.Output.WriteLine(texts["Backup_KeysNotIncluded", result.KeysDirectory]);
            return 0;
        }
        catch (BackupRefusedException refused)
        {
            return Refuse(context, refused);
        }
    }

    private static async Task<int> RestoreAsync(CommandContext context, string folder, CancellationToken cancellationToken)
    {
        var texts = context.Texts;
        RestoreResult result;
        await using (var scope = context.Services.CreateAsyncScope())
        {
            try
            {
                result = await scope.ServiceProvider.GetRequiredService<DatabaseBackup>().RestoreAsync(FullPath(folder), cancellationToken);
            }
            catch (BackupRefusedException refused)
            {
                return Refuse(context, refused);
            }
        }
        var m = result.Manifest;
        context.Output.WriteLine(texts["Cli_Database", context.Services.DescribeDatabase(texts)]);
        context.Output.WriteLine(texts["Backup_Restored", m.CreatedAtUtc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture), m.Version, Seconds(result.Took)]);
        context.Output.WriteLine(result.Migrations.Count == 0 ? texts["Cli_MigrateNothing"] : texts["Cli_MigrateApplied", result.Migrations.Count, string.Join(", ", result.Migrations)]);
        var (backedUp, restored) = (m.Counts, result.Restored);
        foreach (var (key, now, then) in new (string, long, long)[]
        {
            ("Backup_Count_Datasets", restored.Datasets, backedUp.Datasets), ("Backup_Count_Findings", restored.Findings, backedUp.Findings),
            ("Backup_Count_Incidents", restored.Incidents, backedUp.Incidents), ("Backup_Count_EvidenceFiles", restored.EvidenceFiles, backedUp.EvidenceFiles),
            ("Backup_Count_AuditEntries", restored.AuditEntries, backedUp.AuditEntries),
        })
            context.Output.WriteLine(texts["Backup_CountLine", texts[key], now, then]);
        var exit = 0;
        if (restored != backedUp)
        {
            context.Errors.WriteLine(texts["Backup_CountsDiffer"]);
            exit = 1;
        }
        var audit = context.Services.GetRequiredService<AuditLog>();
        AuditHead? expected = null;
        if (result.Manifest is { AuditHeadSequence: > 0, AuditHeadMac: { } mac })
        {
            // The restored chain ends where the backup ended: the head kept beside the keys goes back to it, and says so.
            expected = new AuditHead(result.Manifest.AuditHeadSequence, mac);
            if (audit.Seal.ReadHead() is (true, { } current) && current.Sequence > expected.Value.Sequence)
                context.Output.WriteLine(texts["Backup_AuditHeadBack", current.Sequence, expected.Value.Sequence]);
            audit.Seal.Reset(expected.Value);
        }
        var verification = await audit.VerifyAsync(expected, cancellationToken);
        if (verification.Break is { } problem)
        {
            context.Errors.WriteLine(AccountsCommands.Describe(texts, problem));
            exit = 1;
        }
        else
        {
            context.Output.WriteLine(texts["Cli_AuditIntact", verification.Entries]);
            context.Output.WriteLine(texts["Chain_Head", verification.Head]);
        }
        context.Output.WriteLine(texts["Backup_KeysAfterRestore", result.KeysDirectory]);
        return exit;
    }

    /// <summary>Why nothing was done, in the reader's language, then the commands to run by hand or what the tool said.</summary>
    private static int Refuse(CommandContext context, BackupRefusedException refused)
    {
        context.Errors.WriteLine(context.Texts[refused.Key, refused.Arguments]);
        foreach (var line in refused.Recipe)
            context.Errors.WriteLine("  " + line);
        if (refused.ToolOutput is { Length: > 0 } said)
            context.Errors.WriteLine(said);
        return refused.Exit;
    }

    private static string Seconds(TimeSpan took) => took.TotalSeconds.ToString("0.0", CultureInfo.CurrentCulture);

    /// <summary>A relative folder is taken from the shell's directory ($PWD), as the import commands take their files.</summary>
    private static string FullPath(string folder) =>
        Path.GetFullPath(Path.Combine(Environment.GetEnvironmentVariable("PWD") ?? Directory.GetCurrentDirectory(), folder));
}
