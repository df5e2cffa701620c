using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;
using Kimberlite.Accounts;
using Kimberlite.Advocacy;
using Kimberlite.Analysis;
using Kimberlite.Field;
using Kimberlite.Imports;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Kimberlite.Library;
using Kimberlite.Statistics;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Infrastructure.Commands;

/// <summary>
/// The command line of the same executable as the web app. Each feature declares its commands beside
/// its service (ImportCommands, AnalysisCommands, DataCommands, AccountsCommands); this class gathers
/// them, builds the host they run in and parses the line with System.CommandLine. Exit codes: 0 done,
/// 1 refused (a bad file, a broken audit trail), 2 a wrong command line, 3 the database cannot be used (its settings,
/// or a server that does not answer), said in one paragraph that names the setting and the host, never the password.
/// </summary>
public static class KimberliteCommands
{
    /// <summary>The words that ask for help or the version rather than name a command.</summary>
    private static readonly string[] HelpWords = ["-h", "--help", "-?", "/?", "/h", "--version"];

    /// <summary>A setting such as --Kimberlite:DataDirectory=/srv/k, accepted anywhere on the line and given to the configuration.</summary>
    private static bool IsSetting(string arg) =>
        arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=') is > 2 and var eq && arg[..eq].Contains(':');

    /// <summary>
    /// Any positional word makes the line a command, known or not: the web server starts only when the
    /// line holds nothing but settings and the web host's own options (`--urls http://…`, `--environment=…`).
    /// </summary>
    public static bool IsCommand(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (IsSetting(arg))
                continue;
            if (HelpWords.Contains(arg) || !arg.StartsWith('-'))
                return true;
            // The web host reads `--key value` as well as `--key=value`: the next word is the value, not a command.
            if (!arg.Contains('='))
                i++;
        }
        return false;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        if (CultureInfo.CurrentUICulture.Equals(CultureInfo.InvariantCulture))
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("fr");

        var builder = Host.CreateApplicationBuilder(args.Where(IsSetting).ToArray());
        // A command speaks through its output; the log says only what went wrong, whatever appsettings.json says.
        // A database that cannot be reached is said once, below, in the reader's language: not also by EF Core's log.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning", ["Logging:LogLevel:Kimberlite"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Connection"] = "None",
        });
        try
        {
            return await RunAsync(builder, args, output, errors);
        }
        catch (Exception e) when (DatabaseFault.Of(e, builder.Configuration, builder.Environment) is { } fault)
        {
            errors.WriteLine(fault.Describe(StandaloneTexts.Create()));
            return 3;
        }
    }

    private static async Task<int> RunAsync(HostApplicationBuilder builder, string[] args, TextWriter output, TextWriter errors)
    {
        builder.AddKimberliteData();
        builder.AddKimberliteLocalization();
        builder.AddKimberliteAccounts();
        builder.AddKimberliteField();
        builder.AddKimberliteStatistics();
        builder.AddKimberliteAnalysis();
        builder.AddKimberliteImports();
        builder.AddKimberliteAdvocacy();
        builder.AddKimberliteLibrary();
        using var host = builder.Build();
        var context = new CommandContext(host.Services, host.Services.GetRequiredService<IStringLocalizer<Texts>>(), output, errors);

        var words = args.Where(a => !IsSetting(a)).ToArray();
        // No response files: a word starting with @ is a file name or a value, never a list of more words.
        var line = Gather(context).Parse(words, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (line.Action is ParseErrorAction)
            return Refuse(line, words, context);
        // Exceptions and Ctrl+C keep .NET's own behaviour (a crash is a crash, a kill is a kill), but for a database that cannot be used.
        return await line.InvokeAsync(new InvocationConfiguration { Output = output, Error = errors, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
    }

    /// <summary>Every feature's commands under one root, in the order the help lists them.</summary>
    private static RootCommand Gather(CommandContext context)
    {
        var root = new RootCommand(context.Texts["Cli_Help_Root"]);
        root.Directives.Clear();
        foreach (var option in root.Options)
        {
            if (option is HelpOption help)
            {
                help.Description = context.Texts["Cli_Help_Help"];
                help.Action = new HelpAction(context);
            }
            else if (option is VersionOption)
                option.Description = context.Texts["Cli_Help_Version"];
        }
        foreach (var command in (IEnumerable<Command>)[
            .. ImportCommands.Create(context),
            .. LibraryCommands.Create(context),
            .. AnalysisCommands.Create(context),
            .. Analysis.Labels.LabelCommands.Create(context),
            .. Analysis.Rates.RatesCommands.Create(context),
            .. DataCommands.Create(context),
            .. AccountsCommands.Create(context)])
            root.Add(command);

        // `kimberlite help [COMMAND…]`, as `kimberlite [COMMAND…] --help`.
        var about = new Argument<string[]>("command") { Arity = ArgumentArity.ZeroOrMore };
        var helpCommand = new Command("help") { Hidden = true };
        helpCommand.Add(about);
        helpCommand.SetAction(parsed =>
        {
            Command command = root;
            foreach (var word in parsed.GetValue(about) ?? [])
            {
                if (command.Subcommands.FirstOrDefault(c => c.Name == word && !c.Hidden) is not { } sub)
                {
                    context.Errors.WriteLine(context.Texts["Cli_UnknownCommand", string.Join(' ', parsed.GetValue(about)!)]);
                    CommandHelp.Write(root, context.Texts, context.Errors);
                    return 2;
                }
                command = sub;
            }
            CommandHelp.Write(command, context.Texts, context.Output);
            return 0;
        });
        root.Add(helpCommand);
        return root;
    }

    /// <summary>What is wrong with the line, in the reader's language, then the help of the command it was meant for; exit 2.</summary>
    private static int Refuse(ParseResult line, string[] words, CommandContext context)
    {
        var (texts, errors) = (context.Texts, context.Errors);
        var command = line.CommandResult.Command;
        var unmatched = line.UnmatchedTokens;
        // An unknown option may have been taken for the file: `import statistics --colour x.csv`.
        var stray = unmatched.FirstOrDefault(t => t.StartsWith('-'))
            ?? line.Tokens.FirstOrDefault(t => t.Type == TokenType.Argument && t.Value is ['-', _, ..])?.Value;
        string? problem = null;
        if (command.Subcommands.Count > 0 && unmatched is [var word, ..] && !word.StartsWith('-'))
            problem = texts["Cli_UnknownCommand", string.Join(' ', words)];
        else if (command.Subcommands.Count > 0 && command.Action is null && unmatched.Count == 0)
            problem = texts["Cli_CommandIncomplete", CommandHelp.Path(command)];
        else if (stray is not null)
            problem = texts["Cli_UnknownOption", stray];
        else if (unmatched.Count > 0)
            problem = texts["Cli_UnexpectedArgument", unmatched[0]];
        if (problem is not null)
        {
            errors.WriteLine(problem);
            CommandHelp.Write(command, texts, errors);
            return 2;
        }

        // A missing or refused value: one line each, in the reader's language, without the whole help.
        var messages = line.Errors.Select(error => error.SymbolResult switch
        {
            OptionResult { IdentifierTokenCount: 0 } o => texts["Cli_OptionRequired", o.Option.Name].Value,
            OptionResult { Tokens.Count: 0 } o => texts["Cli_OptionNeedsValue", o.IdentifierToken?.Value ?? o.Option.Name].Value,
            ArgumentResult { Parent: OptionResult { IdentifierTokenCount: 0 } o } => texts["Cli_OptionRequired", o.Option.Name].Value,
            ArgumentResult { Parent: OptionResult { Tokens.Count: 0 } o } => texts["Cli_OptionNeedsValue", o.IdentifierToken?.Value ?? o.Option.Name].Value,
            ArgumentResult { Tokens.Count: 0 } a => texts["Cli_ArgumentMissing", a.Argument.HelpName ?? a.Argument.Name, CommandHelp.Path(command)].Value,
            // The features' own refusals (a date, a word not among the choices), already in the reader's language.
            OptionResult or ArgumentResult => error.Message,
            _ => null,
        }).OfType<string>().ToList();
        // What the library says of the command as a whole, when nothing above said it better.
        foreach (var argument in command.Arguments.Where(a => a.Arity.MinimumNumberOfValues > 0 && line.GetResult(a) is null))
            messages.Add(texts["Cli_ArgumentMissing", argument.HelpName ?? argument.Name, CommandHelp.Path(command)]);
        foreach (var option in command.Options.Where(o => o.Required && line.GetResult(o) is null))
            messages.Add(texts["Cli_OptionRequired", option.Name]);
        if (messages.Count == 0)
            messages.AddRange(line.Errors.Select(e => e.Message));
        foreach (var message in messages.Distinct())
            errors.WriteLine(message);
        return 2;
    }

    /// <summary>`--help` on any command: that command's help, in the reader's language.</summary>
    private sealed class HelpAction(CommandContext context) : SynchronousCommandLineAction
    {
        // `kimberlite import --help` is a question, not an incomplete command.
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            CommandHelp.Write(parseResult.CommandResult.Command, context.Texts, context.Output);
            return 0;
        }
    }
}
