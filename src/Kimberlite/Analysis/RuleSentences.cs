using Kimberlite.Analysis.Rules;
using Kimberlite.Infrastructure.Localization;
using Kimberlite.Statistics;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Analysis;

/// <summary>The sentences of the rules of decision 022: a rise, a fall or a collapse; under- or overvaluation; a trading hub; a balance on production alone.</summary>
internal static class RuleSentences
{
    /// <summary>"the export volume", "the production value": carats are a volume, US$ a value.</summary>
    private static string What(IStringLocalizer texts, Finding f) => texts[$"Rules_What_{f.Metric}_{f.Measure}"];

    public static string SuddenChange(IStringLocalizer texts, Finding f, IReadOnlyList<FindingInput> inputs, string country, string observed, string expected, Func<decimal, string, string> value)
    {
        var fall = Formats.Percent(Math.Abs(f.GapPercent)).TrimStart('+');
        if (f.Key.EndsWith(SuddenChangeRule.CollapseSuffix))
        {
            var last = inputs.Select(i => i.Role).FirstOrDefault(r => r.StartsWith("history:"))?["history:".Length..] ?? "";
            var missing = int.TryParse(last, out var from) && f.Year is { } to && to - from > 2 ? $"{from + 1}–{to - 1}" : int.TryParse(last, out from) ? $"{from + 1}" : "";
            return texts["Rules_SuddenCollapse", country, texts.YearAndPeriod(f.PeriodText), What(texts, f), observed, expected, last, fall, missing, Formats.Number(f.TolerancePercent)];
        }
        return texts[f.Gap < 0 ? "Rules_SuddenFall" : "Rules_SuddenRise", country, texts.YearAndPeriod(f.PeriodText), What(texts, f), observed, expected, fall,
            value(f.ExpectedLow ?? f.Expected, f.Measure), value(f.ExpectedHigh ?? f.Expected, f.Measure), Formats.Number(f.TolerancePercent)];
    }

    /// <summary>Under- or overvaluation; against a partner, the flow is named with the partner's prepositions ("vers la Belgique", "par la Belgique").</summary>
    public static string Valuation(IStringLocalizer texts, CountryNamer names, Finding f, string country, string observed, string expected, string tolerance)
    {
        var (to, by) = f.PartnerIso3 is { } partner ? (names.To(partner), names.By(partner)) : ("", "");
        var gap = Formats.Percent(Math.Abs(f.GapPercent)).TrimStart('+');
        var basis = f.Key.EndsWith("|production") ? "Production" : f.Key.EndsWith("|regional") ? "Regional" : "Partner";
        return f.Rule == FindingRule.ValuationGap
            ? texts[$"Explain_Valuation{basis}", country, texts.YearAndPeriod(f.PeriodText), observed, expected, gap, tolerance, to, by]
            : texts[$"Rules_Overvaluation{basis}", country, texts.YearAndPeriod(f.PeriodText), observed, expected, gap, tolerance, to, by];
    }

    public static string TradingHub(IStringLocalizer texts, Finding f, string country, string observed, string expected, string gap, string tolerance) =>
        texts[f.Key.EndsWith("|" + TradingHubRule.Markup) ? "Rules_HubMarkup" : "Rules_HubBeyondImports", country, texts.YearAndPeriod(f.PeriodText), observed, expected, gap, tolerance];

    /// <summary>Production alone where no import figure is known; the 2004 precedent only for the Republic of the Congo's own case.</summary>
    public static string Balance(IStringLocalizer texts, Finding f, IReadOnlyList<FindingInput> inputs, string country, string observed, string expected, string gap, string tolerance)
    {
        var sentence = inputs.Any(i => i.Role == "imports")
            ? texts["Explain_Balance", country, texts.YearAndPeriod(f.PeriodText), observed, expected, gap, tolerance].Value
            : texts["Rules_BalanceProductionAlone", country, texts.YearAndPeriod(f.PeriodText), observed, expected, gap, tolerance].Value;
        return f.CountryIso3 == "COG" ? sentence + " " + texts["Rules_BalanceCongo2004"] : sentence;
    }
}
