using System.CommandLine;
using System.Globalization;
using Kimberlite.Infrastructure.Commands;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Imports;

/// <summary>
/// `kimberlite import statistics FILE`, `kimberlite import comtrade FILE`, `kimberlite import kobo FILE --mapping M` and
/// `kimberlite import recommendations FILE [--organisation ACRONYM]`:
/// a file is imported whole or refused whole with every problem listed (exit 1); a wrong line exits 2.
/// </summary>
public static class ImportCommands
{
    public static IEnumerable<Command> Create(CommandContext context)
    {
        var import = context.Command("import", "Cli_Help_Import");
        import.Add(Tabular(context, "statistics", "Cli_Help_ImportStatistics", comtrade: false));
        import.Add(Tabular(context, "comtrade", "Cli_Help_ImportComtrade", comtrade: true));
        import.Add(Kobo(context));
        import.Add(Recommendations(context));
        import.Add(Library.LibraryCommands.ImportDocuments(context));
        yield return import;
    }

    /// <summary>A statistics or Comtrade file, with what the file may not say about itself.</summary>
    private static Command Tabular(CommandContext context, string name, string descriptionKey, bool comtrade)
    {
        var file = context.Argument("file", "Cli_Arg_File", "Cli_Help_File");
        var title = context.Option<string>("--title", "Cli_Help_Title", "T");
        var publisher = context.Option<string>("--publisher", "Cli_Help_Publisher", "P");
        var url = context.Option<string>("--url", "Cli_Help_Url", "U");
        var retrieved = context.Option<DateOnly?>("--retrieved", "Cli_Help_Retrieved", context.Texts["Cli_Arg_Date"]);
        retrieved.CustomParser = result =>
        {
            var value = result.Tokens[0].Value;
            if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                return date;
            result.AddError(context.Texts["Cli_BadDate", value]);
            return null;
        };
        var sheet = comtrade ? null : context.Option<string>("--sheet", "Cli_Help_Sheet", "S");
        var command = context.Command(name, descriptionKey);
        command.Add(file);
        if (sheet is not null)
            command.Add(sheet);
        command.Add(title);
        command.Add(publisher);
        command.Add(url);
        command.Add(retrieved);
        command.SetAction((line, cancellationToken) => ImportAsync(context, line.GetRequiredValue(file),
            new Provenance(line.GetValue(title), line.GetValue(publisher), line.GetValue(url), line.GetValue(retrieved)) { Sheet = sheet is null ? null : line.GetValue(sheet) },
            comtrade, cancellationToken));
        return command;
    }

    private static Command Kobo(CommandContext context)
    {
        var file = context.Argument("file", "Cli_Arg_File", "Cli_Help_KoboFile");
        var mapping = context.Option<string>("--mapping", "Cli_Help_KoboMapping", context.Texts["Cli_Arg_Mapping"], required: true);
        var command = context.Command("kobo", "Cli_Help_ImportKobo");
        command.Add(file);
        command.Add(mapping);
        command.SetAction((line, cancellationToken) => ImportKoboAsync(context, line.GetRequiredValue(file), line.GetRequiredValue(mapping), cancellationToken));
        return command;
    }

    private static async Task<int> ImportAsync(CommandContext context, string file, Provenance provenance, bool comtrade, CancellationToken cancellationToken)
    {
        var (texts, output, errors) = (context.Texts, context.Output, context.Errors);
        if (CommandContext.Locate(file) is not { } path)
        {
            errors.WriteLine(texts["Cli_FileNotFound", file]);
            return 2;
        }
        var fileName = Path.GetFileName(path);
        await using var scope = await context.OpenDatabaseAsync(cancellationToken);
        // The same workflow as the /import page: it chooses the importer from the file, audits, and analyses afterwards.
        var run = await scope.ServiceProvider.GetRequiredService<ImportWorkflow>().ImportAsync(
            new ImportFile(path, fileName), provenance with { ImportedBy = CommandContext.Actor }, cancellationToken: cancellationToken);
        if (run.Kind != (comtrade ? ImportKind.Comtrade : ImportKind.Statistics))
            errors.WriteLine(texts["Door_CliChosen", texts[run.KindKey], texts[run.ChoiceReason]]);
        if (run.Recommendations is not null)
            return Report(context, run);
        var result = run.Result!;

        switch (result.Outcome)
        {
            case ImportOutcome.AlreadyImported:
                output.WriteLine(texts["Cli_AlreadyImported", result.DatasetId!]);
                if (run.Analysis is { } pending)
                    output.WriteLine(Kimberlite.Analysis.FindingTexts.AnalysisDone(texts, pending.Raised, pending.Changed, pending.Resolved, pending.Active.Count));
                return 0;
            case ImportOutcome.Refused when run.PublisherNeeded && result.Refusals.All(p => p.Reason == "Import_PublisherNotStated"):
                // The layout only suggests a publisher: the user states it, as on the page.
                errors.WriteLine(texts["Door_CliPublisherRequired", fileName, run.SuggestedPublisher!]);
                return 2;
            case ImportOutcome.Refused:
                errors.WriteLine(texts["Cli_Refused", fileName, run.ProblemCount]);
                foreach (var p in result.Refusals)
                    errors.WriteLine(Describe(texts, p));
                return 1;
            default:
                output.WriteLine(texts["Cli_Imported", result.DatasetId!, fileName, texts[$"Format_{result.Format}"], result.RowsRead, result.RowsLoaded, result.FiguresLoaded]);
                if (result.Sheet is { } sheet)
                    output.WriteLine(texts["ImportPage_Sheet", sheet]);
                else if (result.Encoding is { } encoding)
                    output.WriteLine(texts["ImportPage_Encoding", encoding]);
                foreach (var p in result.Problems)
                    output.WriteLine(Describe(texts, p));
                // Findings follow the figures: every import is followed by a new analysis; one that fails stays pending for the next start.
                if (run.Analysis is { } summary)
                    output.WriteLine(Kimberlite.Analysis.FindingTexts.AnalysisDone(texts, summary.Raised, summary.Changed, summary.Resolved, summary.Active.Count));
                else
                    errors.WriteLine(texts["Door_AnalysisPending"]);
                return run.AnalysisPending ? 1 : 0;
        }
    }

    private static async Task<int> ImportKoboAsync(CommandContext context, string file, string mappingFile, CancellationToken cancellationToken)
    {
        var (texts, errors) = (context.Texts, context.Errors);
        if (CommandContext.Locate(file) is not { } path || CommandContext.Locate(mappingFile) is not { } mappingPath)
        {
            errors.WriteLine(texts["Cli_FileNotFound", CommandContext.Locate(file) is null ? file : mappingFile]);
            return 2;
        }
        await using var scope = await context.OpenDatabaseAsync(cancellationToken);
        var run = await scope.ServiceProvider.GetRequiredService<ImportWorkflow>().ImportAsync(
            new ImportFile(path, Path.GetFileName(path), await File.ReadAllBytesAsync(mappingPath, cancellationToken)),
            new Provenance { ImportedBy = CommandContext.Actor }, cancellationToken: cancellationToken);
        if (run.MappingError is { } mappingError)
        {
            errors.WriteLine(texts["Cli_KoboBadMapping", Path.GetFileName(mappingPath), mappingError]);
            return 2;
        }
        var result = run.Kobo!;
        if (!result.Imported)
        {
            errors.WriteLine(texts["Cli_Refused", Path.GetFileName(path), result.Problems.Count]);
            foreach (var p in result.Problems)
                errors.WriteLine(Describe(texts, p));
            return 1;
        }
        context.Output.WriteLine(texts["Cli_KoboImported", Path.GetFileName(path), result.Created, result.Repeated]);
        if (result.Revised > 0)
            context.Output.WriteLine(texts["Kobo_Revised", result.Revised]);
        return 0;
    }

    private static Command Recommendations(CommandContext context)
    {
        var file = context.Argument("file", "Cli_Arg_File", "AdvImp_HelpFile");
        var organisation = context.Option<string>("--organisation", "AdvImp_HelpOrganisation", context.Texts["AdvImp_ArgAcronym"]);
        var command = context.Command("recommendations", "AdvImp_HelpImport");
        command.Add(file);
        command.Add(organisation);
        command.SetAction((line, cancellationToken) => ImportRecommendationsAsync(context, line.GetRequiredValue(file), line.GetValue(organisation), cancellationToken));
        return command;
    }

    private static async Task<int> ImportRecommendationsAsync(CommandContext context, string file, string? acronym, CancellationToken cancellationToken)
    {
        var (texts, errors) = (context.Texts, context.Errors);
        if (CommandContext.Locate(file) is not { } path)
        {
            errors.WriteLine(texts["Cli_FileNotFound", file]);
            return 2;
        }
        await using var scope = await context.OpenDatabaseAsync(cancellationToken);
        int? organisation = null;
        if (acronym is not null)
        {
            var known = await scope.ServiceProvider.GetRequiredService<KimberliteDb>().Organisations.AsNoTracking()
                .Select(o => new { o.Id, o.Acronym }).ToListAsync(cancellationToken);
            organisation = known.FirstOrDefault(o => string.Equals(o.Acronym, acronym.Trim(), StringComparison.OrdinalIgnoreCase))?.Id;
            if (organisation is null)
            {
                errors.WriteLine(texts["AdvImp_CliUnknownOrganisation", acronym, string.Join(", ", known.Select(o => o.Acronym).Order())]);
                return 2;
            }
        }
        var run = await scope.ServiceProvider.GetRequiredService<ImportWorkflow>().ImportAsync(
            new ImportFile(path, Path.GetFileName(path), As: ImportKind.Recommendations),
            new Provenance { ImportedBy = CommandContext.Actor, ImportedByOrganisationId = organisation }, cancellationToken: cancellationToken);
        return Report(context, run);
    }

    /// <summary>What a list of recommendations came to: how many new and already recorded, or every refused cell (exit 1).</summary>
    private static int Report(CommandContext context, ImportRun run)
    {
        var (texts, result) = (context.Texts, run.Recommendations!);
        if (!result.Imported)
        {
            context.Errors.WriteLine(texts["Cli_Refused", run.FileName, result.Problems.Count]);
            foreach (var p in result.Problems)
                context.Errors.WriteLine(Describe(texts, p));
            return 1;
        }
        context.Output.WriteLine(texts["AdvImp_CliImported", run.FileName, result.Created, result.Repeated]);
        return 0;
    }

    public static string Describe(IStringLocalizer<Texts> texts, ImportProblem p) =>
        texts[p.Kind == ImportIssueKind.Refused ? "Cli_ProblemRefused" : "Cli_ProblemNote", p.Line, p.Column, p.Value ?? "", texts[p.Reason]];
}
