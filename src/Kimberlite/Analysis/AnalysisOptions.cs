using System.ComponentModel.DataAnnotations;

namespace Kimberlite.Analysis;

/// <summary>The `Kimberlite:Analysis` section: every threshold of every rule. Defaults and reasons: docs/ANALYSIS.md.</summary>
public sealed class AnalysisOptions
{
    public const string Section = "Kimberlite:Analysis";

    /// <summary>How far two exact figures of the same thing may differ (source conflict): a typing error shows.</summary>
    [Range(0, 1000)] public decimal ExactTolerancePercent { get; set; } = 0.1m;
    /// <summary>The band around a figure its source calls approximate or an estimate (source conflict).</summary>
    [Range(0, 1000)] public decimal ApproximateTolerancePercent { get; set; } = 10;
    [Range(0, 1000)] public decimal BalanceTolerancePercent { get; set; } = 10;
    [Range(0, 1000)] public decimal MirrorGapTolerancePercent { get; set; } = 15;
    [Range(0, 1000)] public decimal ValuationGapTolerancePercent { get; set; } = 25;
    [Range(0.1, 100)] public decimal SuddenChangeThreshold { get; set; } = 3.5m;
    [Range(2, 50)] public int SuddenChangeMinimumYears { get; set; } = 4;
    [Range(0, 1000)] public decimal PartsAndTotalTolerancePercent { get; set; } = 5;
    [Range(2, 50)] public int RegionalBenchmarkMinimumCountries { get; set; } = 3;

    /// <summary>
    /// Comparable producers: artisanal alluvial producers of Central Africa. Only a member is compared with the
    /// median export US$/carat of the others (Angola's and Botswana's kimberlite mines are other goods).
    /// </summary>
    public List<string> RegionalBenchmarkCountries { get; set; } = ["CAF", "CMR", "COD", "COG", "GAB"];

    /// <summary>A gap (in per cent of the figure it is compared with) from which a finding of a middling stake is a warning, then serious.</summary>
    [Range(0, 100000)] public decimal WarningFromPercent { get; set; } = 25;
    [Range(0, 100000)] public decimal SeriousFromPercent { get; set; } = 50;

    /// <summary>A large stake, US$ or carats: a finding worth this is serious from <see cref="LargeStakeSeriousFromPercent"/>, else a warning.</summary>
    [Range(0, 1e15)] public decimal LargeStakeUsd { get; set; } = 1_000_000;
    [Range(0, 1e15)] public decimal LargeStakeCarats { get; set; } = 100_000;
    [Range(0, 100000)] public decimal LargeStakeSeriousFromPercent { get; set; } = 10;

    /// <summary>A small stake: below both, a finding is for information whatever its per cent (a large share of a tiny amount).</summary>
    [Range(0, 1e15)] public decimal SmallStakeUsd { get; set; } = 100_000;
    [Range(0, 1e15)] public decimal SmallStakeCarats { get; set; } = 10_000;

    /// <summary>The coalition's countries (ISO3): their findings come first.</summary>
    public List<string> FocusCountries { get; set; } = ["CMR", "CAF", "COD", "COG", "GAB", "AGO"];

    /// <summary>The hubs and transit routes the focus countries' diamonds go through: their findings come after the focus countries' own.</summary>
    public List<string> FocusPartners { get; set; } = ["BEL", "ARE", "ISR", "IND", "CHN", "HKG", "USA", "ZAF", "LBN", "TCD", "SDN", "ZMB", "RWA", "UGA"];

    // Rules of issue 14 item 6 (docs/decisions/022-rules-that-say-what-they-find.md).
    /// <summary>A fall from the last complete year, across years with no complete figure, from which it is a collapse.</summary>
    [Range(1, 100)] public decimal CollapseFallPercent { get; set; } = 80;

    /// <summary>The least change from the median, in per cent, that a sudden change must also show (a steady producer's 9 % is no break).</summary>
    [Range(0, 1000)] public decimal SuddenChangeMinimumPercent { get; set; } = 25;

    /// <summary>Countries that produce little and trade much: their re-exports are compared with their imports.</summary>
    public List<string> TradingHubs { get; set; } = ["ARE", "BEL", "CHE", "GBR", "HKG", "IND", "ISR", "USA"];

    /// <summary>Exports a hub may send beyond its imports (and production) in a year: stocks carried over.</summary>
    [Range(0, 1000)] public decimal TradingHubTolerancePercent { get; set; } = 10;

    /// <summary>The rise of US$/carat between a hub's imports and its exports of the same year beyond which it is a finding.</summary>
    [Range(0, 10000)] public decimal TradingHubMarkupPercent { get; set; } = 50;
}
