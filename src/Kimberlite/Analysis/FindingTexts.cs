using System.Text.Json;
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

    /// <summary>Rule, country, period, and what tells it from its neighbours: the measure, the partner, the other source.</summary>
    public string Title(Finding f)
    {
        var detail = new List<string> { texts[$"MeasureName_{f.Measure}"] };
        if (f.PartnerIso3 is { } partner)
            detail.Add(names.Name(partner));
        if (f.Rule == FindingRule.SourceConflict && Inputs(f).FirstOrDefault(i => i.Role == "other")?.Publisher is { } other)
            detail.Add(other);
        if (f.Rule is FindingRule.ValuationGap or FindingRule.Overvaluation && f.PartnerIso3 is null)
            detail.Add(texts[f.Key.EndsWith("|regional") ? "Input_regionalMedian" : "Input_productionValuation"]);
        // A name, the same in every language: it tells a Comtrade finding from its Kimberley Process twin.
        if (f.FromComtrade)
            detail.Add("UN Comtrade");
        return texts["Finding_Title", Rule(f.Rule), names.Name(f.CountryIso3), f.PeriodText, string.Join(" · ", detail)];
    }

    /// <summary>A unit as the inputs write it (ct, USD, USD/ct), in the reader's writing.</summary>
    public string UnitOfInput(string unit) => unit switch { "ct" => Unit(Measures.Carats), "USD" => Unit(Measures.Usd), "USD/ct" => Unit(Measures.UsdPerCarat), _ => unit };

    /// <summary>The plain sentence that states the finding with its numbers.</summary>
    public string Explain(Finding f)
    {
        var inputs = Inputs(f);
        string Publisher(string role) => inputs.FirstOrDefault(i => i.Role == role)?.Publisher ?? texts["Source_Unknown"];
        var country = names.Name(f.CountryIso3);
        var partner = f.PartnerIso3 is null ? "" : names.Name(f.PartnerIso3);
        var metric = texts[$"Metric_{f.Metric}"].Value.ToLowerInvariant();
        var gap = Formats.Percent(f.GapPercent);
        var tolerance = Formats.Number(f.TolerancePercent);
        var observed = Value(f.Observed, f.Measure);
        var expected = Value(f.Expected, f.Measure);
        var sentence = f.Rule switch
        {
            FindingRule.SourceConflict => texts["Explain_SourceConflict", country, f.PeriodText, metric, Publisher("other"), observed, Publisher("preferred"), expected, gap, tolerance],
            FindingRule.Balance => RuleSentences.Balance(texts, f, inputs, country, observed, expected, gap, tolerance),
            FindingRule.MirrorGap => texts["Explain_MirrorGap", country, partner, f.PeriodText, expected, observed, gap, tolerance],
            FindingRule.ValuationGap or FindingRule.Overvaluation => RuleSentences.Valuation(texts, f, country, partner, observed, expected, tolerance),
            FindingRule.SuddenChange => RuleSentences.SuddenChange(texts, f, inputs, country, observed, expected, Value),
            FindingRule.TradingHub => RuleSentences.TradingHub(texts, f, country, observed, expected, gap, tolerance),
            FindingRule.PartsAndTotal => texts["Explain_PartsAndTotal", country, f.PeriodText, metric, Publisher("total"), observed, expected, gap],
            _ => f.Rule.ToString(),
        };
        if (f.RevenueLost is { } lost && f.RatePct is { } rate)
            sentence += " " + texts["Explain_RevenueLost", Formats.Number(rate), Formats.Number(lost), f.PeriodText, f.RateSource ?? ""];
        return sentence;
    }
}
