using System.CommandLine;
using System.Globalization;
using Kimberlite.Infrastructure.Commands;
using Kimberlite.Infrastructure.Localization;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Analysis.Labels;

/// <summary>`kimberlite labels set|list|undo`: what a label of the sources means, said once, audited, undoable.</summary>
public static class LabelCommands
{
    public static IEnumerable<Command> Create(CommandContext context)
    {
        var labels = context.Command("labels", "Labels_Help");

        var kind = context.Argument("kind", "Labels_Arg_Kind", "Labels_Help_Kind");
        var label = context.Argument("label", "Labels_Arg_Label", "Labels_Help_Label");
        var value = context.Argument("value", "Labels_Arg_Value", "Labels_Help_Value");
        var country = context.Option<string>("--country", "Labels_Help_Country", "ISO3");
        var reason = context.Option<string>("--reason", "Labels_Help_Reason", context.Texts["Labels_Arg_Reason"].Value, required: true);
        var set = context.Command("set", "Labels_Help_Set");
        set.Add(kind);
        set.Add(label);
        set.Add(value);
        set.Add(country);
        set.Add(reason);
        set.SetAction((line, cancellationToken) => SetAsync(context, line.GetValue(kind), line.GetValue(label), line.GetValue(value), line.GetValue(country), line.GetValue(reason), cancellationToken));
        labels.Add(set);

        var list = context.Command("list", "Labels_Help_List");
        list.SetAction((_, cancellationToken) => ListAsync(context, cancellationToken));
        labels.Add(list);

        var id = context.Argument("id", "Labels_Arg_Id", "Labels_Help_Id");
        var undo = context.Command("undo", "Labels_Help_Undo");
        undo.Add(id);
        undo.SetAction((line, cancellationToken) => UndoAsync(context, line.GetValue(id), cancellationToken));
        labels.Add(undo);

        yield return labels;
    }

    private static async Task<int> SetAsync(CommandContext context, string? kind, string? label, string? value, string? country, string? reason, CancellationToken cancellationToken)
    {
        var texts = context.Texts;
        // Checked before the database is opened: a wrong line changes nothing.
        if (LabelMeanings.Check(kind, label, value, country, reason, out _) is { } refused)
            return Refuse(context, refused);
        await using var scope = await context.OpenDatabaseAsync(cancellationToken);
        var result = await scope.ServiceProvider.GetRequiredService<LabelMeanings>().SetAsync(kind, label, value, country, reason, CommandContext.Actor, cancellationToken);
        if (result.Outcome == LabelOutcome.Refused)
            return Refuse(context, result);
        var meaning = result.Meaning!;
        context.Output.WriteLine(result.Outcome == LabelOutcome.Unchanged
            ? texts["Labels_Cli_Unchanged", meaning.Id, Describe(texts, meaning)]
            : texts["Labels_Cli_Set", meaning.Id, Describe(texts, meaning)]);
        WriteAnalysis(context, result.Analysis);
        return 0;
    }

    private static async Task<int> UndoAsync(CommandContext context, string? idText, CancellationToken cancellationToken)
    {
        if (!int.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            context.Errors.WriteLine(context.Texts["Labels_Cli_NoSuchMeaning", idText ?? ""]);
            return 2;
        }
        await using var scope = await context.OpenDatabaseAsync(cancellationToken);
        var result = await scope.ServiceProvider.GetRequiredService<LabelMeanings>().UndoAsync(id, CommandContext.Actor, cancellationToken);
        switch (result.Outcome)
        {
            case LabelOutcome.NotFound:
                context.Errors.WriteLine(context.Texts["Labels_Cli_NoSuchMeaning", idText!]);
                return 2;
            case LabelOutcome.Unchanged:
                context.Output.WriteLine(context.Texts["Labels_Cli_AlreadyUndone", id]);
                return 0;
            default:
                context.Output.WriteLine(context.Texts["Labels_Cli_Undone", id, Describe(context.Texts, result.Meaning!)]);
                WriteAnalysis(context, result.Analysis);
                return 0;
        }
    }

    private static async Task<int> ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await using var scope = await context.OpenDatabaseAsync(cancellationToken);
        var all = await scope.ServiceProvider.GetRequiredService<LabelMeanings>().AllAsync(cancellationToken);
        var texts = context.Texts;
        if (all.Count == 0)
        {
            context.Output.WriteLine(texts["Labels_Cli_None"]);
            return 0;
        }
        foreach (var m in all)
        {
            var line = $"{m.Id,4}  {Describe(texts, m)} — {texts["Labels_SetBy", m.SetBy, Formats.Date(m.SetAtUtc)]}, {texts["Labels_Because", m.Reason]}";
            if (!m.InForce)
                line += " " + texts["Labels_UndoneBy", m.UndoneBy ?? "", Formats.Date(m.UndoneAtUtc!.Value)];
            context.Output.WriteLine(line);
        }
        return 0;
    }

    /// <summary>segment "legal (KP)" of CAF read as the country's total.</summary>
    public static string Describe(IStringLocalizer texts, LabelMeaning m) =>
        texts["Labels_Describe", texts[$"Labels_Kind_{m.Kind}"], LabelWords(texts, m), m.CountryIso3 is { } c ? texts["Labels_OfCountry", c] : texts["Labels_AnyCountry"], ValueText(texts, m)];

    // i18 words: a segment or period label in the reader's language where the data vocabularies know it; a publisher is a name.
    private static string LabelWords(IStringLocalizer texts, LabelMeaning m) => m.Kind switch
    {
        LabelKind.Segment => texts.Translate(DataWords.Vocabulary.Segment, m.Label) ?? m.Label,
        LabelKind.Publisher => m.Label,
        _ => texts.Translate(DataWords.Vocabulary.Period, m.Label) ?? m.Label,
    };

    public static string ValueText(IStringLocalizer texts, LabelMeaning m) => m.Kind switch
    {
        LabelKind.Segment => texts[$"Labels_Segment_{m.Value}"],
        LabelKind.Publisher => texts[$"Labels_Publisher_{m.Value.Replace("-", "", StringComparison.Ordinal)}"],
        _ => texts["Labels_PeriodValue", m.Value],
    };

    private static int Refuse(CommandContext context, LabelResult refused)
    {
        context.Errors.WriteLine(context.Texts[refused.Problem!, refused.Arguments ?? []]);
        return 2;
    }

    private static void WriteAnalysis(CommandContext context, AnalysisSummary? summary)
    {
        if (summary is not null)
            context.Output.WriteLine(FindingTexts.AnalysisDone(context.Texts, summary.Raised, summary.Changed, summary.Resolved, summary.Active.Count));
    }
}
