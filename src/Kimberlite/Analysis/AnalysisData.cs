using Kimberlite.Statistics;

namespace Kimberlite.Analysis;

/// <summary>Every figure, read once, with the views the rules share: each country's profile and the bilateral flows.</summary>
public sealed class AnalysisData
{
    public AnalysisData(IReadOnlyList<Figure> figures, IReadOnlyDictionary<(string Reporter, string Partner, string Flow, int Year), TradeTotal>? trade = null)
    {
        Trade = trade ?? new Dictionary<(string, string, string, int), TradeTotal>();
        Figures = figures;
        Profiles = figures.GroupBy(f => f.CountryIso3).ToDictionary(g => g.Key, g => CountryProfile.Build(g.Key, g.ToList()));
        Bilateral = figures
            .Where(f => f.PeriodKind == PeriodKind.Year && f.PartnerIso3 is { } p && !CountryCodes.IsAggregate(p) && f.FlowDetail is null
                        && f.Metric is Metric.Export or Metric.Import)
            .GroupBy(f => (f.CountryIso3, f.PartnerIso3!, f.Metric, f.Year!.Value))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Figure>)SourcePreference.Order(g).ToList());
    }

    public IReadOnlyList<Figure> Figures { get; }

    /// <summary>Yearly UN Comtrade totals of HS 7102 between two countries, by flow (X exports, M imports).</summary>
    public IReadOnlyDictionary<(string Reporter, string Partner, string Flow, int Year), TradeTotal> Trade { get; }
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
/// carats; the value in US$ (primary value, CIF for imports and FOB for exports as Comtrade reports them).
/// </summary>
public sealed record TradeTotal(decimal? Carats, decimal? Usd, int DatasetId)
{
}

/// <summary>
/// Totals the records of one reporter, partner, flow and year as they stream by: the six-digit
/// subheadings where the file has them, else the four-digit heading, so 7102 and its 7102.xx parts
/// are never counted twice; carats only when every record counted counts in carats. When several
/// Comtrade files hold the same flow, the latest imported one speaks for it: files are never added up.
/// </summary>
public sealed class TradeAccumulator
{
    private Part _leaves = new(), _headings = new();
    private int _datasetId;

    public void Add(string commodity, decimal? carats, decimal? usd, int datasetId)
    {
        if (datasetId < _datasetId)
            return;
        if (datasetId > _datasetId)
            (_leaves, _headings, _datasetId) = (new Part(), new Part(), datasetId);
        (commodity.Length > 4 ? _leaves : _headings).Add(carats, usd);
    }

    public TradeTotal Total()
    {
        var counted = _leaves.Count > 0 ? _leaves : _headings;
        return new TradeTotal(counted.CaratsComplete ? counted.Carats : null, counted.UsdComplete ? counted.Usd : null, _datasetId);
    }

    private sealed class Part
    {
        public decimal Carats, Usd;
        public bool CaratsComplete = true, UsdComplete = true;
        public int Count;

        public void Add(decimal? carats, decimal? usd)
        {
            Count++;
            if (carats is { } c) Carats += c; else CaratsComplete = false;
            if (usd is { } u) Usd += u; else UsdComplete = false;
        }
    }
}
