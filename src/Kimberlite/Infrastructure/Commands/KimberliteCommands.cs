using System.Globalization;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Import;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Infrastructure.Commands;

/// <summary>
/// The command line of the same executable as the web app: `kimberlite import statistics FILE`,
/// `kimberlite db migrate`. Every command first brings the database up to date, as the web app does.
/// </summary>
public static class KimberliteCommands
{
    private static readonly string[] Commands = ["import", "db", "help", "--help", "-h"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        if (CultureInfo.CurrentUICulture.Equals(CultureInfo.InvariantCulture))
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("fr");

        var builder = Host.CreateApplicationBuilder(args.Where(a => a.StartsWith("--Kimberlite", StringComparison.OrdinalIgnoreCase)).ToArray());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddKimberliteData();
        builder.AddKimberliteLocalization();
        using var host = builder.Build();
        var texts = host.Services.GetRequiredService<IStringLocalizer<Texts>>();
        var positional = args.Where(a => !a.StartsWith("--Kimberlite", StringComparison.OrdinalIgnoreCase)).ToArray();

        switch (positional)
        {
            case ["db", "migrate", ..]:
                return await MigrateAsync(host.Services, texts, output);
            case ["import", "statistics", var file, .. var options]:
                return await ImportStatisticsAsync(host.Services, texts, file, options, output, errors);
            default:
                (positional is ["help" or "--help" or "-h", ..] ? output : errors).WriteLine(texts["Cli_Usage"]);
                return positional is ["help" or "--help" or "-h", ..] ? 0 : 2;
        }
    }

    private static async Task<int> MigrateAsync(IServiceProvider services, IStringLocalizer<Texts> texts, TextWriter output)
    {
        using var scope = services.CreateScope();
        var initializer = scope.ServiceProvider.GetRequiredService<DatabaseInitializer>();
        var applied = await initializer.MigrateAsync();
        await initializer.InitializeAsync();
        output.WriteLine(texts["Cli_Database", services.DescribeDatabase()]);
        output.WriteLine(applied.Count == 0 ? texts["Cli_MigrateNothing"] : texts["Cli_MigrateApplied", applied.Count, string.Join(", ", applied)]);
        return 0;
    }

    private static async Task<int> ImportStatisticsAsync(
        IServiceProvider services, IStringLocalizer<Texts> texts, string file, string[] options, TextWriter output, TextWriter errors)
    {
        var (provenance, optionError) = ReadProvenance(options, texts);
        if (optionError is not null)
        {
            errors.WriteLine(optionError);
            return 2;
        }
        if (!File.Exists(file))
        {
            errors.WriteLine(texts["Cli_FileNotFound", Path.GetFullPath(file)]);
            return 2;
        }

        using var scope = services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var importer = scope.ServiceProvider.GetRequiredService<StatisticsImporter>();
        var result = await importer.ImportAsync(await File.ReadAllBytesAsync(file), Path.GetFileName(file), provenance!);

        switch (result.Outcome)
        {
            case ImportOutcome.AlreadyImported:
                output.WriteLine(texts["Cli_AlreadyImported", result.DatasetId!]);
                return 0;
            case ImportOutcome.Refused:
                var refusals = result.Refusals.ToList();
                errors.WriteLine(texts["Cli_Refused", Path.GetFileName(file), refusals.Count]);
                foreach (var p in refusals)
                    errors.WriteLine(Describe(texts, p));
                return 1;
            default:
                output.WriteLine(texts["Cli_Imported", result.DatasetId!, Path.GetFileName(file), texts[$"Format_{result.Format}"], result.RowsRead, result.RowsLoaded, result.FiguresLoaded]);
                foreach (var p in result.Problems)
                    output.WriteLine(Describe(texts, p));
                return 0;
        }
    }

    public static string Describe(IStringLocalizer<Texts> texts, ImportProblem p) =>
        texts[p.Kind == ImportIssueKind.Refused ? "Cli_ProblemRefused" : "Cli_ProblemNote", p.Line, p.Column, p.Value ?? "", texts[p.Reason]];

    private static (Provenance? Provenance, string? Error) ReadProvenance(string[] options, IStringLocalizer<Texts> texts)
    {
        string? title = null, publisher = null, url = null;
        DateOnly? retrieved = null;
        for (var i = 0; i < options.Length; i++)
        {
            var value = i + 1 < options.Length ? options[i + 1] : null;
            switch (options[i])
            {
                case "--title" when value is not null: title = value; i++; break;
                case "--publisher" when value is not null: publisher = value; i++; break;
                case "--url" when value is not null: url = value; i++; break;
                case "--retrieved" when value is not null:
                    if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                        return (null, texts["Cli_BadDate", value]);
                    retrieved = date; i++; break;
                default:
                    return (null, texts["Cli_UnknownOption", options[i]] + Environment.NewLine + texts["Cli_Usage"]);
            }
        }
        return (new Provenance(title, publisher, url, retrieved), null);
    }
}
