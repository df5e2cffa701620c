using System.CommandLine;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Infrastructure.Commands;

/// <summary>
/// What a feature's commands are built with and run in: the services of the host built for this line,
/// the texts in the language LANG names, and the two streams a command speaks through.
/// </summary>
public sealed class CommandContext(IServiceProvider services, IStringLocalizer<Texts> texts, TextWriter output, TextWriter errors)
{
    public IServiceProvider Services => services;
    public IStringLocalizer<Texts> Texts => texts;
    public TextWriter Output => output;
    public TextWriter Errors => errors;

    /// <summary>How the audit trail names whoever runs a command: the machine account, never a person's secret.</summary>
    public static string Actor => $"command line ({Environment.UserName})";

    /// <summary>A scope on a database brought up to date (migrations, bundled data), as the web app does at start.</summary>
    public async Task<AsyncServiceScope> OpenDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);
        return scope;
    }

    /// <summary>A command with its one-line description from the resources.</summary>
    public Command Command(string name, string descriptionKey) => new(name, texts[descriptionKey]);

    /// <summary>An option with its description and the name of its value (T, YYYY-MM-DD) from the resources.</summary>
    public Option<T> Option<T>(string name, string descriptionKey, string? valueName = null, bool required = false) => new(name)
    {
        Description = texts[descriptionKey],
        HelpName = valueName,
        Required = required,
    };

    /// <summary>An option that takes one of a few words; any other word is refused at parse time, with the words it takes.</summary>
    public Option<string> Choice(string name, string descriptionKey, string[] words, bool required = false)
    {
        var option = Option<string>(name, descriptionKey, string.Join('|', words), required);
        option.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: var value }] && !words.Contains(value, StringComparer.OrdinalIgnoreCase))
                result.AddError(texts["Cli_ValueNotAllowed", name, value, string.Join(", ", words)]);
        });
        return option;
    }

    /// <summary>An argument named in the help in the reader's language (FICHIER, FILE, FICHEIRO).</summary>
    public Argument<string> Argument(string name, string valueNameKey, string descriptionKey)
    {
        var argument = new Argument<string>(name) { HelpName = texts[valueNameKey], Description = texts[descriptionKey] };
        // `import statistics --colour` names an option it does not know, not a file called --colour.
        argument.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: ['-', _, ..] value }])
                result.AddError(texts["Cli_UnknownOption", value]);
        });
        return argument;
    }

    /// <summary>
    /// A relative path is read from the shell's directory ($PWD) first: `dotnet run --project` starts
    /// the program in the project's folder, not where the user typed the command.
    /// </summary>
    public static string? Locate(string file)
    {
        if (Path.IsPathRooted(file))
            return File.Exists(file) ? file : null;
        var shell = Environment.GetEnvironmentVariable("PWD");
        return new[] { shell, Directory.GetCurrentDirectory() }
            .OfType<string>()
            .Select(folder => Path.GetFullPath(Path.Combine(folder, file)))
            .FirstOrDefault(File.Exists);
    }
}
