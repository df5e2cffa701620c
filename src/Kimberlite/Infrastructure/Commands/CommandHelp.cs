using System.CommandLine;
using Kimberlite.Infrastructure.Localization;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Infrastructure.Commands;

/// <summary>
/// The help of a command, written from the command tree itself so that it lists every command and
/// option there is, with the descriptions and value names the features gave in the reader's language.
/// </summary>
public static class CommandHelp
{
    private const string Executable = "kimberlite";
    private const int MaxTermWidth = 24;

    /// <summary>`kimberlite import statistics`: how a user types the command.</summary>
    public static string Path(Command command)
    {
        var names = new List<string>();
        for (var current = command; current is not null and not RootCommand; current = current.Parents.OfType<Command>().FirstOrDefault())
            names.Add(current.Name);
        names.Add(Executable);
        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>Every command that runs something under this one (itself when it runs something).</summary>
    private static IEnumerable<Command> Leaves(Command command) =>
        command.Subcommands.Count == 0 ? [command] : command.Subcommands.Where(c => !c.Hidden).SelectMany(Leaves);

    /// <summary>`kimberlite import kobo FILE --mapping MAPPING`: arguments, then required options, then [optional ones].</summary>
    public static string Usage(Command command) => string.Join(' ', [
        Path(command),
        .. command.Arguments.Where(a => !a.Hidden).Select(a => a.HelpName ?? a.Name.ToUpperInvariant()),
        .. command.Options.Where(o => !o.Hidden).OrderBy(o => !o.Required).Select(o => o.Required ? Term(o) : $"[{Term(o)}]"),
    ]);

    private static string Term(Option option) => option.HelpName is { } value ? $"{option.Name} {value}" : option.Name;

    public static void Write(Command command, IStringLocalizer<Texts> texts, TextWriter writer)
    {
        var root = command as RootCommand;
        var leaves = Leaves(command).Where(c => c is not RootCommand).ToList();
        var details = leaves.Select(leaf => (leaf, Lines: (IReadOnlyList<(string Term, string Description)>)[
            .. leaf.Arguments.Where(a => !a.Hidden).Select(a => (a.HelpName ?? a.Name.ToUpperInvariant(), a.Description ?? "")),
            .. leaf.Options.Where(o => !o.Hidden).Select(o => (Term(o), o.Description ?? "")),
        ])).ToList();
        var general = (IReadOnlyList<(string Term, string Description)>)[
            ("-h, --help", texts["Cli_Help_Help"].Value),
            .. root is null ? [] : new[] { ("--version", texts["Cli_Help_Version"].Value) },
        ];
        // A term longer than this (--role admin|coordinator|…) puts its description on the next line.
        var width = Math.Min(details.SelectMany(d => d.Lines).Concat(general).Max(l => l.Term.Length), MaxTermWidth) + 2;

        if (root is not null)
        {
            writer.WriteLine(root.Description);
            writer.WriteLine();
        }
        writer.WriteLine(texts["Cli_HelpUsage"]);
        if (root is not null)
        {
            writer.WriteLine($"  {Executable}");
            writer.WriteLine($"      {texts["Cli_HelpWeb"]}");
        }
        foreach (var (leaf, lines) in details)
        {
            writer.WriteLine($"  {Usage(leaf)}");
            writer.WriteLine($"      {leaf.Description}");
            foreach (var (term, description) in lines)
                WriteTerm(writer, "        ", term, description, width);
        }
        writer.WriteLine();
        writer.WriteLine(texts["Cli_HelpOptions"]);
        foreach (var (term, description) in general)
            WriteTerm(writer, "  ", term, description, width + 6);
        if (root is not null)
        {
            writer.WriteLine();
            writer.WriteLine(texts["Cli_HelpSettings"]);
        }
    }

    private static void WriteTerm(TextWriter writer, string indent, string term, string description, int width)
    {
        if (term.Length + 2 > width)
        {
            writer.WriteLine(indent + term);
            term = "";
        }
        writer.WriteLine(indent + term.PadRight(width) + description);
    }
}
