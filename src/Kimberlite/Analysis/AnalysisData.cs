using Kimberlite.Statistics;
using Kimberlite.Statistics.Comtrade;

namespace Kimberlite.Analysis;

/// <summary>Every figure, read once, with the views the rules share: each country's profile and the bilateral flows.</summary>
public sealed class AnalysisData
{
    public AnalysisData(IReadOnlyList<Figure> figures, IReadOnlyDictionary<TradeKey, TradeTotal>? trade = null)
    {
        Trade = trade ?? new Dictionary<TradeKey, TradeTotal>();
        Figures = figures;
        Profiles = figures.GroupBy(f => f.CountryIso3).ToDictionary(g => g.Key, g => CountryProfile.Build(g.Key, g.ToList()));
        Bilateral = figures
            .Where(f => f.PeriodKind == PeriodKind.Year && f.PartnerIso3 is { } p && !CountryCodes.IsAggregate(p) && f.FlowDetail is null
                        && f.Metric is Metric.Export or Metric.Import)
            .GroupBy(f => (f.CountryIso3, f.PartnerIso3!, f.Metric, f.Year!.Value))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Figure>)SourcePreference.Order(g).ToList());
    }

    public IReadOnlyList<Figure> Figures { get; }

    /// <summary>The legal rates on diamonds, with the years each is in force (data, never a setting).</summary>
    public IReadOnlyList<Rates.LegalRate> LegalRates { get; init; } = [];

    /// <summary>
    /// Yearly UN Comtrade totals of HS 7102 between two countries, by flow (X exports, M imports), and each
    /// reporter's total with the world (partner WLD) where its file gives one.
    /// </summary>
    public IReadOnlyDictionary<TradeKey, TradeTotal> Trade { get; }
    public IReadOnlyDictionary<string, CountryProfile> Profiles { get; }

    /// <summary>Yearly figures of one reporter's trade with one partner, preferred source first.</summary>
    public IReadOnlyDictionary<(string Reporter, string Partner, Metric Metric, int Year), IReadOnlyList<Figure>> Bilateral { get; }
}

/// <summary>One rule of analysis: it reads the figures and says what it finds, deterministically.</summary>
public interface IFindingRule
{
    FindingRule Rule { get; }
    IEnumerable<FindingCandidate> Find(AnalysisData data, AnalysisOptions options);
}

/// <summary>
/// What a reporter declared for a year with one partner: carats only when every record counted in
/// carats; the value in US$ (primary value, CIF for imports and FOB for exports as Comtrade reports them);
/// from the six-digit subheadings, or else the four-digit heading.
/// </summary>
public readonly record struct TradeTotal(decimal? Carats, decimal? Usd, int DatasetId, bool Subheadings);
