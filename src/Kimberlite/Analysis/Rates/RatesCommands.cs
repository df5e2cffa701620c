using System.CommandLine;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Commands;
using Kimberlite.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Analysis.Rates;

/// <summary>`kimberlite rates import FILE` (a deployment's own legal rates, audited, then a new analysis) and `kimberlite rates list`.</summary>
public static class RatesCommands
{
    public static IEnumerable<Command> Create(CommandContext context)
    {
        var rates = context.Command("rates", "Rules_Cli_Rates");
        var file = context.Argument("file", "Cli_Arg_File", "Rules_Cli_RatesFile");
        var import = context.Command("import", "Rules_Cli_RatesImport");
        import.Add(file);
        import.SetAction((line, cancellationToken) => ImportAsync(context, line.GetRequiredValue(file), cancellationToken));
        rates.Add(import);
        var list = context.Command("list", "Rules_Cli_RatesList");
        list.SetAction((_, cancellationToken) => ListAsync(context, cancellationToken));
        rates.Add(list);
        yield return rates;
    }

    private static async Task<int> ImportAsync(CommandContext context, string file, CancellationToken cancellationToken)
    {
        var (texts, output, errors) = (context.Texts, context.Output, context.Errors);
        if (CommandContext.Locate(file) is not { } path)
        {
            errors.WriteLine(texts["Cli_FileNotFound", file]);
            return 2;
        }
        await using var scope = await context.OpenDatabaseAsync(cancellationToken);
        var result = await scope.ServiceProvider.GetRequiredService<LegalRateStore>()
            .ImportAsync(await File.ReadAllBytesAsync(path, cancellationToken), path, CommandContext.Actor, cancellationToken);
        if (result.Refused.Count > 0)
        {
            errors.WriteLine(texts["Rules_Cli_RatesRefused", result.Refused.Count, string.Join(Environment.NewLine, result.Refused)]);
            return 2;
        }
        output.WriteLine(texts["Rules_Cli_RatesImported", result.Added, result.Replaced]);
        // The revenue at stake depends on the rates: the findings are brought up to date at once, audited as `analyze` is.
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        var summary = await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(cancellationToken, (db, counts, token) =>
            audit.AppendInAsync(db, CommandContext.Actor, AuditActions.Analysis, "findings", $"{counts.Raised} raised, {counts.Changed} changed, {counts.Resolved} resolved", token));
        output.WriteLine(FindingTexts.AnalysisDone(texts, summary.Raised, summary.Changed, summary.Resolved, summary.Active.Count));
        return 0;
    }

    private static async Task<int> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await using var scope = await context.OpenDatabaseAsync(cancellationToken);
        var rates = await scope.ServiceProvider.GetRequiredService<KimberliteDb>().LegalRates.AsNoTracking()
            .OrderBy(r => r.CountryIso3).ThenBy(r => r.InForceFrom).ThenBy(r => r.Instrument).ToListAsync(cancellationToken);
        foreach (var r in rates)
            context.Output.WriteLine($"{r.CountryIso3}\t{r.Years}\t{r.RatePercent:0.####} %\t{r.Instrument}\t{r.Publisher}\t{r.Source}\t{r.AddedBy}");
        return 0;
    }
}
