using System.Globalization;
using Kimberlite.Statistics;

namespace Kimberlite.Analysis;

/// <summary>What a rule found, before the engine compares it with what is already stored.</summary>
public sealed record FindingCandidate(
    FindingRule Rule, string Key, string Country, string? Partner, int? Year, string PeriodText, Metric Metric, string Measure,
    decimal Observed, decimal Expected, decimal? ExpectedLow, decimal? ExpectedHigh, decimal TolerancePercent,
    IReadOnlyList<FindingInput> Inputs, decimal? RevenueLost = null, decimal? RatePct = null, string? RateSource = null)
{
    public decimal Gap => Observed - Expected;

    public decimal GapPercent => Expected == 0 ? 0 : Math.Round(Gap / Expected * 100m, 1);
}

public static class Measures
{
    public const string Carats = "carats", Usd = "usd", UsdPerCarat = "usdPerCarat";

    /// <summary>The measures a figure can be compared on: carats, and its value when it is in US$ and was reported.</summary>
    public static readonly (string Measure, Func<Figure, decimal?> Read)[] OfFigure =
        [(Carats, f => f.Carats), (Usd, f => f.Usd)];

    public static string UnitOf(string measure) => measure switch { Carats => "ct", Usd => "USD", _ => "USD/ct" };

    public static FindingInput Input(string role, decimal value, string measure, Figure? figure) =>
        new(role, value, UnitOf(measure), figure?.Id, figure?.DatasetId, figure?.SourcePublisher, figure?.SourceAddress,
            figure is null ? null : PeriodOf(figure));

    /// <summary>A year of a series as an input: a year made of parts says how, with its parts.</summary>
    public static FindingInput Input(string role, SeriesPoint point, string measure) =>
        point.Built
            ? Input(role, point.Value, measure, point.Source) with
            {
                Period = Year(point.Year), Basis = point.Basis.ToString().ToLowerInvariant(), PartIds = point.Parts.Select(p => p.Id).ToList(),
            }
            : Input(role, point.Value, measure, point.Source);

    /// <summary>A UN Comtrade total as an input: its dataset, no single figure.</summary>
    public static FindingInput Comtrade(string role, decimal value, string measure, int datasetId, int year) =>
        new(role, value, UnitOf(measure), null, datasetId, "UN Comtrade", null, Year(year));

    public static string PeriodOf(Figure f) =>
        f.PeriodText is { } p && p != "FY" ? $"{f.YearText} {p}" : f.YearText;

    public static string Year(int year) => year.ToString(CultureInfo.InvariantCulture);
}
