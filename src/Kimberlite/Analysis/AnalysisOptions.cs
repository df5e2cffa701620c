using System.ComponentModel.DataAnnotations;

namespace Kimberlite.Analysis;

/// <summary>The `Kimberlite:Analysis` section: every threshold of every rule. Defaults and reasons: docs/ANALYSIS.md.</summary>
public sealed class AnalysisOptions
{
    public const string Section = "Kimberlite:Analysis";

    [Range(0, 1000)] public decimal SourceConflictTolerancePercent { get; set; } = 5;
    [Range(0, 1000)] public decimal BalanceTolerancePercent { get; set; } = 10;
    [Range(0, 1000)] public decimal MirrorGapTolerancePercent { get; set; } = 15;
    [Range(0, 1000)] public decimal ValuationGapTolerancePercent { get; set; } = 25;
    [Range(0.1, 100)] public decimal SuddenChangeThreshold { get; set; } = 3.5m;
    [Range(2, 50)] public int SuddenChangeMinimumYears { get; set; } = 4;
    [Range(0, 1000)] public decimal PartsAndTotalTolerancePercent { get; set; } = 5;
    [Range(2, 50)] public int RegionalBenchmarkMinimumCountries { get; set; } = 3;

    /// <summary>Countries whose export US$/carat make the regional benchmark.</summary>
    public List<string> RegionalBenchmarkCountries { get; set; } = ["AGO", "CAF", "CMR", "COD", "COG", "GAB"];

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

    /// <summary>Legal royalty or export-tax rate per country (ISO3), with its source, for the revenue a valuation gap costs.</summary>
    /// <remarks>The defaults are the rates the bundled data/fiscal_revenue.csv cites; a deployment sets its own.</remarks>
    public Dictionary<string, RevenueRate> RevenueRates { get; set; } = new()
    {
        ["CAF"] = new() { RatePercent = 4, Source = "Export tax lowered from 10 % to 4 % (World Diamond Council via JewelBuzz, 2019): https://www.jewelbuzz.in/post/wdc-warns-against-smuggled-car-diamonds" },
        ["COD"] = new() { RatePercent = 3.75m, Source = "Tax rate on diamond exports 3.75 % (Reuters, 17 Feb 2010): https://af.reuters.com/article/investingNews/idAFJOE61G0BA20100217?sp=true" },
        ["CMR"] = new() { RatePercent = 12.5m, Source = "Export tax 2 %, ad valorem tax 8 % and Kimberley Process fee (AllAfrica, 2013): http://allafrica.com/stories/201301171209.html" },
    };
}

public sealed class RevenueRate
{
    [Range(0, 100)] public decimal RatePercent { get; set; }
    [Required] public string Source { get; set; } = "";
}
