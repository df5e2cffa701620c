using System.CommandLine;
using Kimberlite.Infrastructure.Commands;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Library;

/// <summary>
/// `kimberlite import documents PATH… [--title T] [--type T] [--country ISO3]… [--language L] [--publisher P] [--licence L]
/// [--source URL] [--visibility V] [--organisation ACRONYM] [--strip-metadata]`: each file, or each file directly inside a
/// folder (not its sub-folders), is stored and its text extracted at once, so the documents are searchable when the
/// command ends. Exit 0 when every file is in the library, 1 when one was refused or its text could not be read, 2 a wrong line.
/// `kimberlite library reindex`: every page analysed again and the database's search index rebuilt, after the analyzer changed.
/// </summary>
public static class LibraryCommands
{
    public static IEnumerable<Command> Create(CommandContext context)
    {
        var library = context.Command("library", "LibL_Cli_Help");
        var reindex = context.Command("reindex", "LibL_Cli_HelpReindex");
        reindex.SetAction(async (_, cancellationToken) =>
        {
            await using var scope = await context.OpenDatabaseAsync(cancellationToken);
            var pages = await scope.ServiceProvider.GetRequiredService<LibrarySearch>().ReindexAsync(cancellationToken);
            context.Output.WriteLine(context.Texts["LibL_Cli_Reindexed", pages]);
            return 0;
        });
        library.Add(reindex);
        yield return library;
    }

    public static Command ImportDocuments(CommandContext context)
    {
        var paths = new Argument<string[]>("paths") { Arity = ArgumentArity.OneOrMore, HelpName = context.Texts["Doc_Cli_ArgPaths"], Description = context.Texts["Doc_Cli_HelpPaths"] };
        var title = context.Option<string>("--title", "Doc_Cli_HelpTitle", "T");
        var type = context.Choice("--type", "Doc_Cli_HelpType", Enum.GetNames<DocumentType>().Select(n => n.ToLowerInvariant()).ToArray());
        var country = context.Option<string[]>("--country", "Doc_Cli_HelpCountry", "ISO3");
        country.AllowMultipleArgumentsPerToken = false;
        var language = context.Choice("--language", "Doc_Cli_HelpLanguage", DocumentLibrary.Languages);
        var publisher = context.Option<string>("--publisher", "Doc_Cli_HelpPublisher", "P");
        var licence = context.Option<string>("--licence", "Doc_Cli_HelpLicence", "L");
        var source = context.Option<string>("--source", "Doc_Cli_HelpSource", "URL");
        var visibility = context.Choice("--visibility", "Doc_Cli_HelpVisibility", ["public", "coalition", "organisation"]);
        var organisation = context.Option<string>("--organisation", "Doc_Cli_HelpOrganisation", "ACRONYM");
        var strip = context.Option<bool>("--strip-metadata", "Doc_Cli_HelpStrip");
        var command = context.Command("documents", "Doc_Cli_Help");
        command.Add(paths);
        foreach (var option in (Option[])[title, type, country, language, publisher, licence, source, visibility, organisation, strip])
            command.Add(option);
        command.SetAction((line, cancellationToken) =>
        {
            var metadata = new DocumentMetadata(line.GetValue(title), Enum.TryParse<DocumentType>(line.GetValue(type), true, out var t) ? t : null,
                line.GetValue(country) is { Length: > 0 } c ? c : null, null, line.GetValue(language), line.GetValue(publisher), line.GetValue(source),
                line.GetValue(licence), Enum.TryParse<DocumentVisibility>(line.GetValue(visibility), true, out var v) ? v : null,
                line.GetValue(strip) ? true : null, line.GetValue(organisation));
            return ImportAsync(context, line.GetRequiredValue(paths), metadata, cancellationToken);
        });
        return command;
    }

    private static async Task<int> ImportAsync(CommandContext context, string[] paths, DocumentMetadata metadata, CancellationToken cancellationToken)
    {
        var (texts, output, errors) = (context.Texts, context.Output, context.Errors);
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (CommandContext.Locate(path) is { } file)
                files.Add(file);
            else if (Folder(path) is { } folder)
                // A folder's own files, in name order; hidden files (.DS_Store) are not documents.
                files.AddRange(Directory.EnumerateFiles(folder).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal));
            else
            {
                errors.WriteLine(texts["Cli_FileNotFound", path]);
                return 2;
            }
        }
        if (metadata.Title is not null && files.Count != 1)
        {
            errors.WriteLine(texts["Doc_Cli_TitleForOneFile"]);
            return 2;
        }

        await using var scope = await context.OpenDatabaseAsync(cancellationToken);
        var library = scope.ServiceProvider.GetRequiredService<DocumentLibrary>();
        var extractor = scope.ServiceProvider.GetRequiredService<DocumentExtractor>();
        var db = scope.ServiceProvider.GetRequiredService<KimberliteDb>();
        var who = new Librarian(null, CommandContext.Actor, [], Operator: true);
        var exit = 0;
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var result = await library.UploadAsync(await File.ReadAllBytesAsync(file, cancellationToken), name, metadata, who, cancellationToken);
            db.ChangeTracker.Clear();
            switch (result.Outcome)
            {
                case DocumentUploadOutcome.Repeated:
                    output.WriteLine(texts["Doc_Cli_Already", name, result.Document!.Id]);
                    break;
                case DocumentUploadOutcome.Refused:
                    errors.WriteLine(texts["Doc_Cli_Refused", name, Refusal(texts, result.Refusal!.Value, result.Detail)]);
                    exit = 1;
                    break;
                case DocumentUploadOutcome.Invalid:
                    foreach (var problem in result.Problems!)
                        errors.WriteLine(texts["Doc_Cli_Refused", name, texts[problem.Key]]);
                    // The same options apply to every file: one refused for them refuses them all.
                    return 2;
                default:
                    var id = result.Document!.Id;
                    // The command extracts its documents itself: a web server may not be running.
                    await extractor.ExtractAsync(id, cancellationToken);
                    db.ChangeTracker.Clear();
                    var done = await db.Documents.AsNoTracking().SingleAsync(d => d.Id == id, cancellationToken);
                    // A web server of the same database may have claimed it first: its text is read there, and waited for here,
                    // or read here after all if that server dies and its lease runs out.
                    while (done.Extraction is ExtractionState.Waiting or ExtractionState.Running)
                    {
                        await Task.Delay(200, cancellationToken);
                        await extractor.ExtractAsync(id, cancellationToken);
                        db.ChangeTracker.Clear();
                        done = await db.Documents.AsNoTracking().SingleAsync(d => d.Id == id, cancellationToken);
                    }
                    if (done.Extraction == ExtractionState.Done)
                        output.WriteLine(texts["Doc_Cli_New", name, id, done.PageCount]);
                    else
                    {
                        errors.WriteLine(texts["Doc_Cli_ExtractionFailed", name, id, done.ExtractionError ?? ""]);
                        exit = 1;
                    }
                    break;
            }
        }
        return exit;
    }

    /// <summary>Why a file was refused, in the reader's language.</summary>
    public static string Refusal(IStringLocalizer<Texts> texts, Refusal refusal, string? detail) =>
        texts[$"Doc_Refused_{refusal}", detail ?? ""];

    private static string? Folder(string path)
    {
        if (Path.IsPathRooted(path))
            return Directory.Exists(path) ? path : null;
        return new[] { Environment.GetEnvironmentVariable("PWD"), Directory.GetCurrentDirectory() }.OfType<string>()
            .Select(folder => Path.GetFullPath(Path.Combine(folder, path))).FirstOrDefault(Directory.Exists);
    }
}
