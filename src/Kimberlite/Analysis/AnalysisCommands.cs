using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Commands;
using Kimberlite.Infrastructure.Data;

namespace Kimberlite.Analysis;

/// <summary>`kimberlite analyze` (a new analysis, summed up by rule and country) and `kimberlite findings` (every finding as JSON or CSV).</summary>
public static class AnalysisCommands
{
    public static IEnumerable<Command> Create(CommandContext context)
    {
        var analyze = context.Command("analyze", "Cli_Help_Analyze");
        analyze.SetAction((_, cancellationToken) => AnalyzeAsync(context, cancellationToken));
        yield return analyze;

        var format = context.Choice("--format", "Cli_Help_FindingsFormat", ["json", "csv"]);
        var sort = context.Choice("--sort", "Stake_CliSort", [.. Enum.GetValues<FindingSort>().Select(s => Infrastructure.Api.ApiCodes.Code(s))]);
        var findings = context.Command("findings", "Cli_Help_Findings");
        findings.Add(format);
        findings.Add(sort);
        findings.SetAction((line, cancellationToken) => PrintFindingsAsync(context, line.GetValue(format) ?? "json",
            Infrastructure.Api.ApiCodes.Parse<FindingSort>(line.GetValue(sort)) ?? FindingSort.Focus, cancellationToken));
        yield return findings;
    }

    private static async Task<int> AnalyzeAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (texts, output) = (context.Texts, context.Output);
        await using var scope = await context.OpenDatabaseAsync(cancellationToken);
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        // The findings changed: audited as the analysis that follows an import is, in the transaction that stores them.
        var summary = await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(cancellationToken, (db, counts, token) =>
            audit.AppendInAsync(db, CommandContext.Actor, AuditActions.Analysis, "findings", $"{counts.Raised} raised, {counts.Changed} changed, {counts.Resolved} resolved", token));
        output.WriteLine(FindingTexts.AnalysisDone(texts, summary.Raised, summary.Changed, summary.Resolved, summary.Active.Count));
        if (summary.Active.Count == 0)
            return LeftOut(context, summary);
        var rules = summary.Active.Select(f => f.Rule).Distinct().Order().ToList();
        var countries = summary.Active.Select(f => f.CountryIso3).Distinct().Order().ToList();
        // A table: one line per rule, one column per country, the number of active findings in each cell.
        var width = Math.Max(rules.Max(r => texts[$"Rule_{r}"].Value.Length), texts["Cli_Total"].Value.Length) + 2;
        output.WriteLine(texts["Cli_Rule"].Value.PadRight(width) + string.Concat(countries.Select(c => c.PadLeft(6))) + texts["Cli_Total"].Value.PadLeft(8));
        foreach (var rule in rules)
            output.WriteLine(texts[$"Rule_{rule}"].Value.PadRight(width)
                + string.Concat(countries.Select(c => Count(summary.Active.Count(f => f.Rule == rule && f.CountryIso3 == c)).PadLeft(6)))
                + Count(summary.Active.Count(f => f.Rule == rule)).PadLeft(8));
        output.WriteLine(texts["Cli_Total"].Value.PadRight(width)
            + string.Concat(countries.Select(c => Count(summary.Active.Count(f => f.CountryIso3 == c)).PadLeft(6)))
            + Count(summary.Active.Count).PadLeft(8));
        return LeftOut(context, summary);
    }

    /// <summary>The figures the analysis could not use, one line per reason: nothing is left out in silence.</summary>
    private static int LeftOut(CommandContext context, AnalysisSummary summary)
    {
        var total = summary.LeftOut.Values.Sum();
        context.Output.WriteLine(context.Texts["LeftOut_Cli_Total", total]);
        foreach (var (reason, count) in summary.LeftOut.OrderBy(r => r.Key))
            context.Output.WriteLine($"  {Count(count),6}  {context.Texts[$"LeftOut_{reason}"]}");
        // A rule that stopped kept its findings as they were: said here too, not only in the log.
        if (summary.FailedRules.Count > 0)
            context.Output.WriteLine(context.Texts["Cli_RulesStopped", string.Join(", ", summary.FailedRules.Select(r => context.Texts[$"Rule_{r}"].Value))]);
        return 0;
    }

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);

    private static async Task<int> PrintFindingsAsync(CommandContext context, string format, FindingSort sort, CancellationToken cancellationToken)
    {
        await using var scope = await context.OpenDatabaseAsync(cancellationToken);
        var findings = await FindingsApi.QueryAsync(scope.ServiceProvider.GetRequiredService<KimberliteDb>(), new FindingFilter(Sort: sort),
            scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<AnalysisOptions>>().Value, cancellationToken);
        var texts = scope.ServiceProvider.GetRequiredService<FindingTexts>();
        if (string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
            await context.Output.WriteAsync(FindingsApi.Csv(findings, texts));
        else
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(findings.Select(f => FindingDto.From(f, texts)), FindingsApi.JsonOptions));
        return 0;
    }
}
