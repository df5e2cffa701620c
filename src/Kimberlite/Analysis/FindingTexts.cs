using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Html;
using Kimberlite.Infrastructure.Localization;
using Kimberlite.Statistics;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Analysis;

/// <summary>A finding told in the reader's language, with its numbers formatted for that language.</summary>
public sealed class FindingTexts(IStringLocalizer<Texts> texts, CountryNamer names)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<FindingInput> Inputs(Finding finding) =>
        JsonSerializer.Deserialize<List<FindingInput>>(finding.Inputs, Json) ?? [];

    public string Rule(FindingRule rule) => texts[$"Rule_{rule}"];
    public string Severity(Severity severity) => texts[$"Severity_{severity}"];
    public string Status(FindingStatus status) => texts[$"Status_{status}"];
    public string Unit(string measure) => texts[$"Unit_{measure}"];
    public string Value(decimal value, string measure) => $"{Formats.Number(Math.Round(value, measure == Measures.UsdPerCarat ? 2 : 0))} {Unit(measure)}";

    /// <summary>What the measure is: a volume in carats, a value in US$, a valuation in US$ per carat.</summary>
    public string MeasureName(string measure) => texts[$"MeasureName_{measure}"];

    /// <summary>What a gap is worth, as the detail page and the lists say it: "12 600 000 US$ · 1 800 000 ct", or null when the figures do not say.</summary>
    public string? Stake(Finding f)
    {
        var parts = new List<string>();
        if (f.StakeUsd is { } usd)
            parts.Add(Value(usd, Measures.Usd));
        if (f.StakeCarats is { } carats)
            parts.Add(Value(carats, Measures.Carats));
        return parts.Count == 0 ? null : string.Join(" · ", parts);
    }

    /// <summary>
    /// What the two numbers of a finding are, by rule: the other source and the preferred one, the partner's
    /// declaration and the reporter's, the exports and the supply; never an "expected" value.
    /// </summary>
    public (string Observed, string Expected) Compared(Finding f)
    {
        var inputs = Inputs(f);
        string Publisher(string role) => inputs.FirstOrDefault(i => i.Role == role)?.Publisher ?? texts["Source_Unknown"];
        return f.Rule switch
        {
            FindingRule.SourceConflict => (texts["Grammar_ObservedSourceConflict", Publisher("other")], texts["Grammar_ExpectedSourceConflict", Publisher("preferred")]),
            FindingRule.Balance => (texts["Grammar_ObservedBalance"], texts[inputs.Any(i => i.Role == "imports") ? "Grammar_ExpectedBalance" : "Grammar_ExpectedBalanceProduction"]),
            FindingRule.MirrorGap when f.PartnerIso3 is { } partner => (texts["Grammar_ObservedMirrorGap", names.By(partner)], texts["Grammar_ExpectedMirrorGap", names.By(f.CountryIso3)]),
            FindingRule.ValuationGap => (texts["Input_exportValuation"], texts[f.Key.EndsWith("|regional") ? "Input_regionalMedian" : f.Key.EndsWith("|production") ? "Input_productionValuation" : "Input_partnerValuation"]),
            FindingRule.SuddenChange => (texts["Input_value"], texts["Grammar_ExpectedSuddenChange"]),
            FindingRule.PartsAndTotal => (texts["Grammar_ObservedPartsAndTotal"], texts["Input_total"]),
            _ => (texts["Finding_Observed"], texts["Finding_Expected"]),
        };
    }

    /// <summary>The line an analysis ends with, each count agreeing with its noun: "1 constat nouveau", "3 constats nouveaux".</summary>
    public static string AnalysisDone(IStringLocalizer<Texts> texts, int raised, int changed, int resolved, int active) =>
        texts["Cli_AnalysisDone", Count(texts, "Grammar_FindingsNew", raised), Count(texts, "Grammar_FindingsChanged", changed),
            Count(texts, "Grammar_FindingsResolved", resolved), Count(texts, "Grammar_FindingsActive", active)];

    /// <summary>A number with its noun in the singular or the plural: French counts 0 and 1 as singular, English and Portuguese 1 alone.</summary>
    public static string Count(IStringLocalizer<Texts> texts, string key, int count)
    {
        var singular = count == 1 || count == 0 && Formats.Language == "fr";
        return texts[$"{key}_{(singular ? "One" : "Other")}", Formats.Number(count)];
    }

    /// <summary>Rule, country, period, and what tells it from its neighbours: the measure, the partner, the other source.</summary>
    public string Title(Finding f)
    {
        var detail = new List<string> { MeasureName(f.Measure) };
        if (f.PartnerIso3 is { } partner)
            detail.Add(names.Name(partner));
        if (f.Rule == FindingRule.SourceConflict && Inputs(f).FirstOrDefault(i => i.Role == "other")?.Publisher is { } other)
            detail.Add(other);
        if (f.Rule is FindingRule.ValuationGap or FindingRule.Overvaluation && f.PartnerIso3 is null)
            detail.Add(texts[f.Key.EndsWith("|regional") ? "Input_regionalMedian" : "Input_productionValuation"]);
        // A name, the same in every language: it tells a Comtrade finding from its Kimberley Process twin.
        if (f.FromComtrade)
            detail.Add("UN Comtrade");
        return texts["Finding_Title", Rule(f.Rule), names.Name(f.CountryIso3), Period(f), string.Join(" · ", detail)];
    }

    /// <summary>A unit as the inputs write it (ct, USD, USD/ct), in the reader's writing.</summary>
    public string UnitOfInput(string unit) => unit switch { "ct" => Unit(Measures.Carats), "USD" => Unit(Measures.Usd), "USD/ct" => Unit(Measures.UsdPerCarat), _ => unit };

    /// <summary>The finding's year and period in the reader's words ("2024 janv.–sept.", "2023 1er semestre").</summary>
    public string Period(Finding f) => texts.YearAndPeriod(f.PeriodText);

    /// <summary>The plain sentence that states the finding with its numbers.</summary>
    public string Explain(Finding f) => Explain(f, Inputs(f));

    private string Explain(Finding f, IReadOnlyList<FindingInput> inputs)
    {
        string Publisher(string role) => inputs.FirstOrDefault(i => i.Role == role)?.Publisher ?? texts["Source_Unknown"];
        var country = names.Name(f.CountryIso3);
        // The sentences this class owns name a country with its article and preposition (decision 023).
        var whose = texts[$"Metric_{f.Metric}"].Value + " " + names.Of(f.CountryIso3);
        var measure = MeasureName(f.Measure);
        var gap = Formats.Percent(f.GapPercent);
        var tolerance = Formats.Number(f.TolerancePercent);
        var observed = Value(f.Observed, f.Measure);
        var expected = Value(f.Expected, f.Measure);
        var sentence = f.Rule switch
        {
            FindingRule.SourceConflict => texts["Explain_SourceConflict", whose, Period(f), measure, Publisher("other"), observed, Publisher("preferred"), expected, gap, tolerance],
            FindingRule.Balance => RuleSentences.Balance(texts, f, inputs, country, observed, expected, gap, tolerance),
            // "Exports to Belgium declared by …": no verb agrees with a country's name, which may be plural.
            FindingRule.MirrorGap when f.PartnerIso3 is { } p => texts["Explain_MirrorGap", names.To(p), names.By(f.CountryIso3), Period(f), measure,
                expected, names.From(f.CountryIso3), names.By(p), observed, gap, tolerance],
            FindingRule.ValuationGap or FindingRule.Overvaluation => RuleSentences.Valuation(texts, names, f, country, observed, expected, tolerance),
            FindingRule.SuddenChange => RuleSentences.SuddenChange(texts, f, inputs, country, observed, expected, Value),
            FindingRule.TradingHub => RuleSentences.TradingHub(texts, f, country, observed, expected, gap, tolerance),
            FindingRule.PartsAndTotal => texts["Explain_PartsAndTotal", whose, Period(f), measure, Publisher("total"), observed, expected, gap],
            _ => f.Rule.ToString(),
        };
        if (f.RevenueLost is { } lost && f.RatePct is { } rate)
            sentence += " " + texts["Explain_RevenueLost", Formats.Number(rate), Formats.Number(lost), Period(f), f.RateSource ?? ""];
        return sentence;
    }

    /// <summary>The sentence for a page: the publishers' names in it, kept as they publish them, are marked lang="en" (a screen reader says them in English).</summary>
    public IHtmlContent ExplainHtml(Finding f)
    {
        var inputs = Inputs(f);
        var html = HtmlEncoder.Default.Encode(Explain(f, inputs));
        var names = inputs.Select(i => i.Publisher).Append(f.RateSource).OfType<string>().Select(n => n.Trim())
            .Where(n => n.Length > 2 && n.Any(char.IsLetter)).Distinct().OrderByDescending(n => n.Length).ToList();
        if (names.Count == 0 || Formats.Language == "en")
            return new HtmlString(html);
        // One pass over every name at once: a shorter name inside a longer one is not wrapped twice.
        var pattern = string.Join('|', names.Select(n => Regex.Escape(HtmlEncoder.Default.Encode(n))));
        var title = HtmlEncoder.Default.Encode(texts["Wd_AsPublished"].Value);
        return new HtmlString(Regex.Replace(html, pattern, m => $"<span lang=\"en\" title=\"{title}\">{m.Value}</span>"));
    }
}
