using System.CommandLine;
using Kimberlite.Infrastructure.Commands;

namespace Kimberlite.Infrastructure.Data;

/// <summary>`kimberlite db migrate`: applies the migrations (and loads the bundled data into a new database) and says which.</summary>
public static class DataCommands
{
    public static IEnumerable<Command> Create(CommandContext context)
    {
        var db = context.Command("db", "Cli_Help_Db");
        var migrate = context.Command("migrate", "Cli_Help_DbMigrate");
        migrate.SetAction((_, cancellationToken) => MigrateAsync(context, cancellationToken));
        db.Add(migrate);
        yield return db;
    }

    private static async Task<int> MigrateAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await using var scope = context.Services.CreateAsyncScope();
        var applied = await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);
        context.Output.WriteLine(context.Texts["Cli_Database", context.Services.DescribeDatabase(context.Texts)]);
        context.Output.WriteLine(applied.Count == 0 ? context.Texts["Cli_MigrateNothing"] : context.Texts["Cli_MigrateApplied", applied.Count, string.Join(", ", applied)]);
        return 0;
    }
}
