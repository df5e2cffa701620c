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

    /// <summary>Countries whose export US$/carat make the regional benchmark.</summary>
    public List<string> RegionalBenchmarkCountries { get; set; } = ["AGO", "CAF", "CMR", "COD", "COG", "GAB"];

    /// <summary>A gap (in per cent of the expected value) from which a finding is a warning, then serious.</summary>
    [Range(0, 100000)] public decimal WarningFromPercent { get; set; } = 25;
    [Range(0, 100000)] public decimal SeriousFromPercent { get; set; } = 50;

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
