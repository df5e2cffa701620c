using Kimberlite.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Statistics;

/// <summary>
/// The order in which figures of one thing are preferred (docs/decisions/004 and 021): an earlier release of
/// the same publisher never, since the latest release supersedes it; then the kind of source (the Kimberley
/// Process, national statistics, EITI, others); then the latest release, where the source dates it; then the
/// precision; then the earlier import and line.
/// </summary>
public static class SourcePreference
{
    public static IOrderedEnumerable<Figure> Order(IEnumerable<Figure> figures) => Order(figures, f => f);

    /// <summary>Things that each stand on a figure (a year made of parts stands on its first part), in the figures' order.</summary>
    public static IOrderedEnumerable<T> Order<T>(IEnumerable<T> items, Func<T, Figure> figure)
    {
        var list = items.ToList();
        // Most groups hold one figure per publisher: the revisions are looked for only where one publisher speaks twice.
        var superseded = HasRepeatedPublisher(list, figure) ? Superseded(list.Select(figure)) : null;
        return list.OrderBy(i => superseded?.Contains(figure(i)) == true ? 1 : 0)
            .ThenBy(i => figure(i).SourceKind)
            .ThenByDescending(i => figure(i).ReleasedAt ?? DateTime.MinValue)
            .ThenBy(i => PrecisionRank(figure(i).Precision))
            .ThenBy(i => figure(i).DatasetId)
            .ThenBy(i => figure(i).Line);
    }

    private static bool HasRepeatedPublisher<T>(List<T> items, Func<T, Figure> figure)
    {
        for (var i = 1; i < items.Count; i++)
            for (var j = 0; j < i; j++)
                if (Publisher(figure(items[i])) == Publisher(figure(items[j])))
                    return true;
        return false;
    }

    /// <summary>
    /// Who published a figure: the kind of source and its publisher's name, case and spacing aside. The Kimberley
    /// Process's own table and a press article citing it are two publishers of the same kind.
    /// </summary>
    public static (SourceKind Kind, string Name) Publisher(Figure f) =>
        (f.SourceKind, f.PublisherNameOnce(static f => string.Join(' ', (f.SourcePublisher ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant()));

    /// <summary>
    /// Which of a publisher's releases of one figure is the latest: the later date the source gives the row, else
    /// the later import (a later retrieval of the publisher's file), else the later line (the Kimberley Process
    /// database lists a participant's entries in the order they were made).
    /// </summary>
    public static IOrderedEnumerable<Figure> LatestFirst(IEnumerable<Figure> releases) =>
        releases.OrderByDescending(f => f.ReleasedAt ?? DateTime.MinValue).ThenByDescending(f => f.DatasetId).ThenByDescending(f => f.Line);

    /// <summary>Figures that a later release of the same publisher replaced: a revision of the same thing (<see cref="CountryProfile.GroupKey"/>).</summary>
    public static HashSet<Figure> Superseded(IEnumerable<Figure> figures) =>
        figures.GroupBy(f => (CountryProfile.GroupKey(f), Publisher(f))).SelectMany(p => LatestFirst(p).Skip(1)).ToHashSet();

    public static int PrecisionRank(string? precision) => precision?.Trim().ToLowerInvariant() switch
    {
        null or "" => 2,
        var p when p.StartsWith("exact") || p == "as published" => 0,
        var p when p.StartsWith("rounded") => 1,
        var p when p.StartsWith("approx") => 2,
        _ => 3,
    };
}

/// <summary>
/// One point of a chart: the value drawn for a year and the figure it was taken from; for a year made of parts
/// (halves, quarters, months, artisanal and industrial), <see cref="Source"/> is its first part and <see cref="Parts"/> lists them all.
/// </summary>
public sealed record SeriesPoint(int Year, decimal Value, Figure Source, IReadOnlyList<Figure> Parts, SeriesBasis Basis)
{
    public SeriesPoint(int year, decimal value, Figure source) : this(year, value, source, [], SeriesBasis.Published) { }

    public bool Built => Basis != SeriesBasis.Published;

    /// <summary>When the source released the year, where it dates it: a year made of parts is released with its last part.</summary>
    public DateTime? Release => Built ? Parts.Max(p => p.ReleasedAt) : Source.ReleasedAt;

    /// <summary>The parts of a year made of parts, in the source's words: "H1 + H2", "artisanal H1 + artisanal H2 + industrial H1 + industrial H2".</summary>
    public string PartsText => string.Join(" + ", Parts.Select(p => string.Join(' ', new[] { p.IsTotal ? null : p.Segment?.Trim(), p.PeriodText }.OfType<string>())));
}

/// <summary>The yearly series of one metric for a country, each point from the preferred source.</summary>
public sealed record MetricSeries(Metric Metric, IReadOnlyList<SeriesPoint> Carats, IReadOnlyList<SeriesPoint> Usd, IReadOnlyList<SeriesPoint> UsdPerCarat)
{
    /// <summary>Every year of carats and of US$ with all its candidates, as the series chose among them (the source-conflict rule reads them).</summary>
    public IReadOnlyList<AnnualYear> CaratYears { get; init; } = [];
    public IReadOnlyList<AnnualYear> UsdYears { get; init; } = [];

    /// <summary>The latest year with any figure, and that year's preferred figure for each measure.</summary>
    public (int Year, SeriesPoint? Carats, SeriesPoint? Usd, SeriesPoint? UsdPerCarat)? Latest()
    {
        var years = Carats.Concat(Usd).Concat(UsdPerCarat).Select(p => p.Year).ToList();
        if (years.Count == 0)
            return null;
        var year = years.Max();
        return (year, Carats.FirstOrDefault(p => p.Year == year), Usd.FirstOrDefault(p => p.Year == year), UsdPerCarat.FirstOrDefault(p => p.Year == year));
    }

    public IEnumerable<Figure> Sources => Carats.Concat(Usd).Concat(UsdPerCarat).Select(p => p.Source).DistinctBy(f => f.Id);

    /// <summary>The years drawn that were added up from parts, one per year and way of adding up.</summary>
    public IEnumerable<SeriesPoint> BuiltYears => Carats.Concat(Usd).Where(p => p.Built).DistinctBy(p => (p.Year, p.PartsText, p.Source.SourcePublisher));
}

/// <summary>Figures that speak of the same thing (country, partner, metric, segment, period) from one or more sources.</summary>
public sealed record FigureGroup(string Key, IReadOnlyList<Figure> Figures)
{
    private readonly HashSet<Figure> _superseded = SourcePreference.Superseded(Figures);

    public Figure Preferred => Figures[0];

    /// <summary>Each publisher's latest release, preferred first: what the rules compare.</summary>
    public IReadOnlyList<Figure> Current => Figures.Where(f => !_superseded.Contains(f)).ToList();

    /// <summary>The release of the same publisher that replaced <paramref name="figure"/>, or null when it is the latest.</summary>
    public Figure? RevisedBy(Figure figure) =>
        _superseded.Contains(figure) ? Figures.First(f => !_superseded.Contains(f) && SourcePreference.Publisher(f) == SourcePreference.Publisher(figure)) : null;

    public bool HasRevisions => _superseded.Count > 0;

    /// <summary>Difference of a figure from the preferred one, in per cent, for carats and for value (same currency only).</summary>
    public (decimal? Carats, decimal? Value) DifferenceFromPreferred(Figure figure) =>
        (Percent(figure.Carats, Preferred.Carats),
         figure.Currency == Preferred.Currency && !figure.ValueNotReported && !Preferred.ValueNotReported ? Percent(figure.Value, Preferred.Value) : null);

    /// <summary>Whether publishers disagree; a publisher's revision of its own figure is no disagreement.</summary>
    public bool SourcesDiffer => Current.Skip(1).Any(f => DifferenceFromPreferred(f) is var (c, v) && (c is not null and not 0 || v is not null and not 0));

    private static decimal? Percent(decimal? value, decimal? reference) =>
        value is null || reference is null or 0 ? null : Math.Round((value.Value - reference.Value) / reference.Value * 100m, 1);
}

public sealed record CountryProfile(string Iso3, MetricSeries Production, MetricSeries Exports, MetricSeries Imports, IReadOnlyList<FigureGroup> Groups)
{
    public int FigureCount => Groups.Sum(g => g.Figures.Count);

    /// <summary>Whether any figure of the metric exists, charted or not (a month, a segment, a period not understood).</summary>
    public bool HasAny(Metric metric) => Groups.Any(g => g.Figures.Any(f => f.Metric == metric));

    public static CountryProfile Build(string iso3, IReadOnlyList<Figure> figures)
    {
        var groups = figures
            .GroupBy(GroupKey)
            .Select(g => new FigureGroup(g.Key, SourcePreference.Order(g).ToList()))
            .OrderByDescending(g => g.Preferred.Year ?? 0)
            .ThenBy(g => g.Preferred.Metric)
            .ThenBy(g => g.Preferred.PartnerIso3 ?? "")
            .ThenBy(g => g.Preferred.Segment ?? "")
            .ToList();
        return new CountryProfile(iso3, Series(Metric.Production, figures), Series(Metric.Export, figures), Series(Metric.Import, figures), groups);
    }

    private static MetricSeries Series(Metric metric, IReadOnlyList<Figure> figures)
    {
        var (carats, usd) = (AnnualSeries.Years(figures, metric, AnnualSeries.Carats), AnnualSeries.Years(figures, metric, AnnualSeries.Usd));
        return new(metric, Points(carats), Points(usd), AnnualSeries.Build(figures, metric, AnnualSeries.UsdPerCarat))
        {
            CaratYears = carats, UsdYears = usd,
        };

        static List<SeriesPoint> Points(IReadOnlyList<AnnualYear> years) => years.Where(y => y.Point is not null).Select(y => y.Point!).ToList();
    }

    /// <summary>What makes two figures speak of the same thing; also the stable part of a finding's key.</summary>
    public static string GroupKey(Figure f) => f.GroupKeyOnce(MakeGroupKey);

    private static string MakeGroupKey(Figure f)
    {
        var segment = f.IsTotal ? "total" : f.Segment!.Trim().ToLowerInvariant();
        var metric = f.Metric is Metric.Other or Metric.Fiscal ? $"{f.Metric}:{f.MetricText.ToLowerInvariant()}" : f.Metric.ToString();
        var period = f.PeriodKind == PeriodKind.Unknown ? $"?{f.YearText}|{f.PeriodText}" : f.Period.Key;
        var partner = f.PartnerIso3 is null or "WLD" ? "" : f.PartnerIso3;
        return $"{f.CountryIso3}|{partner}|{metric}|{segment}|{f.FlowDetail}|{period}";
    }
}

/// <summary>Reads figures for the pages and the API.</summary>
public sealed class StatisticsReader(KimberliteDb db)
{
    public async Task<CountryProfile> ProfileAsync(string iso3, CancellationToken cancellationToken = default)
    {
        var figures = await db.Figures.AsNoTracking().Where(f => f.CountryIso3 == iso3).ToListAsync(cancellationToken);
        return CountryProfile.Build(iso3, figures);
    }

    public async Task<IReadOnlyList<CountryProfile>> CoalitionAsync(CancellationToken cancellationToken = default)
    {
        var figures = await db.Figures.AsNoTracking().Where(f => CountryCodes.Coalition.Contains(f.CountryIso3)).ToListAsync(cancellationToken);
        var byCountry = figures.ToLookup(f => f.CountryIso3);
        return CountryCodes.Coalition.Select(c => CountryProfile.Build(c, byCountry[c].ToList())).ToList();
    }

    /// <summary>Every country or aggregate with at least one figure, as reporter, with its number of figures and years.</summary>
    public async Task<IReadOnlyList<CountryCoverage>> CoverageAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.Figures.AsNoTracking()
            .GroupBy(f => f.CountryIso3)
            .Select(g => new CountryCoverage(g.Key, g.Count(), g.Min(f => f.Year), g.Max(f => f.Year)))
            .ToListAsync(cancellationToken);
        return rows.OrderBy(r => CountryCodes.Coalition.Contains(r.Iso3) ? 0 : 1).ThenBy(r => r.Iso3).ToList();
    }
}

public sealed record CountryCoverage(string Iso3, int Figures, int? FirstYear, int? LastYear);
