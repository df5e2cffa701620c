using System.Globalization;
using System.Net;
using System.Text;
using Kimberlite.Infrastructure.Localization;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Statistics;

/// <summary>One line of a chart: a metric's points that one publisher gave (docs/decisions/035).</summary>
public sealed record ChartLine(string Metric, string Publisher, string Css, int Style, IReadOnlyList<SeriesPoint> Points)
{
    /// <summary>Drawn even with one point and beyond the most per metric: a finding's input must be on its chart.</summary>
    public bool Kept { get; init; }

    /// <summary>Years without a point between the line's first and last: drawn as gaps.</summary>
    public IReadOnlyList<int> MissingYears => Points.Count == 0 ? []
        : Enumerable.Range(Points.Min(p => p.Year), Points.Max(p => p.Year) - Points.Min(p => p.Year) + 1).Except(Points.Select(p => p.Year)).ToList();
}

/// <summary>
/// A yearly chart drawn on the server as SVG (docs/decisions/035): years on the horizontal axis, the unit's values on
/// the vertical one, one line per metric and publisher, each point dotted and the few that need it labelled.
/// No script: the page's text summary and table say the same to a reader who cannot see it.
/// </summary>
public sealed class TrendChart
{
    private const int Width = 320, Height = 180, Left = 46, Right = 14, Top = 16, Bottom = 22;

    /// <summary>Publishers drawn per metric: beyond three, dashes can no longer be told apart.</summary>
    public const int MostPerMetric = 3;

    /// <summary>The lines drawn, each with its own dash within its metric.</summary>
    public IReadOnlyList<ChartLine> Lines { get; }

    /// <summary>Publishers not drawn (one year only, or beyond the most per metric): said beside the chart and in its table.</summary>
    public IReadOnlyList<ChartLine> LeftOut { get; }

    public bool IsEmpty => Lines.Count == 0 && LeftOut.Count == 0;

    /// <summary>Every year of the chart's table, drawn or left out.</summary>
    public IReadOnlyList<int> Years { get; }

    public TrendChart(IEnumerable<ChartLine> lines)
    {
        var all = lines.Where(l => l.Points.Count > 0).ToList();
        var drawn = new List<ChartLine>();
        foreach (var metric in all.GroupBy(l => l.Metric))
        {
            // A publisher of one year is a lone dot whose dash no key can show: it is said, not drawn.
            var kept = metric.Where(l => l.Kept).ToList();
            var shown = kept.Concat(metric.Where(l => !l.Kept && l.Points.Count > 1).Take(Math.Max(0, MostPerMetric - kept.Count)))
                .OrderByDescending(l => l.Points.Count).ThenBy(l => l.Publisher, StringComparer.Ordinal);
            drawn.AddRange(shown.Select((l, i) => l with { Style = i }));
        }
        Lines = drawn;
        var drawnKeys = drawn.Select(d => (d.Metric, d.Publisher)).ToHashSet();
        LeftOut = all.Where(l => !drawnKeys.Contains((l.Metric, l.Publisher))).ToList();
        Years = all.SelectMany(l => l.Points).Select(p => p.Year).Distinct().Order().ToList();
    }

    /// <summary>A metric's colour on every chart: production its own, exports (and imports) the other.</summary>
    public static string Css(Metric metric) => metric == Metric.Production ? "production" : "export";

    /// <summary>A metric's name on a chart, in the reader's language.</summary>
    public static string Name(IStringLocalizer texts, Metric metric) => texts[$"Metric_{metric}"];

    /// <summary>A metric's points cut into one line per publisher, the most drawn publisher first, named in the reader's language.</summary>
    public static IEnumerable<ChartLine> ByPublisher(IStringLocalizer texts, Metric metric, IReadOnlyList<SeriesPoint> points) =>
        points.GroupBy(p => p.Source.SourcePublisher?.Trim() ?? texts["Source_Unknown"])
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select((g, i) => new ChartLine(Name(texts, metric), g.Key, Css(metric), i, g.OrderBy(p => p.Year).ToList()));

    /// <summary>The chart, or null when nothing is drawn. <paramref name="marked"/> rings a year (the one a finding speaks of).</summary>
    public string? Svg(string label, int? marked = null)
    {
        if (Lines.Count == 0)
            return null;
        var years = Lines.SelectMany(l => l.Points).Select(p => p.Year).ToList();
        int first = years.Min(), last = years.Max();
        var top = NiceCeiling(Lines.SelectMany(l => l.Points).Max(p => p.Value));
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double X(int year) => first == last ? Left + plotW / 2 : Left + plotW * (year - first) / (last - first);
        double Y(decimal value) => Top + plotH - plotH * (double)(top == 0 ? 0 : value / top);
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg viewBox=\"0 0 {Width} {Height}\" class=\"trend-chart\" role=\"img\" aria-label=\"{WebUtility.HtmlEncode(label)}\">"));
        // Vertical axis: zero, half and the top, in the unit the caption names.
        foreach (var tick in new[] { 0m, top / 2, top })
        {
            var y = Y(tick);
            svg.Append(Invariant($"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\"/>"));
            svg.Append(Invariant($"<text class=\"axis\" x=\"{Left - 4}\" y=\"{y + 3:0.#}\" text-anchor=\"end\">{Amounts.Compact(tick)}</text>"));
        }
        // Horizontal axis: years, at most six labels, the first and last always.
        var step = YearStep(last - first);
        var labelled = Enumerable.Range(first, last - first + 1).Where(y => (y - first) % step == 0).ToList();
        if (labelled[^1] != last)
        {
            // The last year is always named; a labelled year too close to it gives way.
            if (last - labelled[^1] < step / 2.0 + 0.5 && labelled.Count > 1)
                labelled.RemoveAt(labelled.Count - 1);
            labelled.Add(last);
        }
        foreach (var year in labelled)
        {
            var x = X(year);
            svg.Append(Invariant($"<line class=\"tick\" x1=\"{x:0.#}\" x2=\"{x:0.#}\" y1=\"{Height - Bottom:0.#}\" y2=\"{Height - Bottom + 3:0.#}\"/>"));
            svg.Append(Invariant($"<text class=\"axis\" x=\"{x:0.#}\" y=\"{Height - 6}\" text-anchor=\"middle\">{year}</text>"));
        }
        var wanted = new List<(int Rank, double X, double Y, string Css, string Text)>();
        foreach (var line in Lines)
        {
            var css = $"{line.Css} style{line.Style % 5}";
            // A year without a figure breaks the line: nothing is drawn where nothing was published.
            foreach (var run in Runs(line.Points))
                if (run.Count > 1)
                    svg.Append($"<polyline class=\"{css}\" points=\"{string.Join(' ', run.Select(p => Invariant($"{X(p.Year):0.#},{Y(p.Value):0.#}")))}\"/>");
            foreach (var point in line.Points)
                svg.Append(Invariant($"<circle class=\"{css}\" cx=\"{X(point.Year):0.#}\" cy=\"{Y(point.Value):0.#}\" r=\"2.5\"/>"));
            // Values readable without a mouse: every point of a short line, else its last point and any point standing alone.
            var lone = Runs(line.Points).Where(r => r.Count == 1).SelectMany(r => r).ToHashSet();
            foreach (var point in line.Points.Where(p => line.Points.Count <= 4 || lone.Contains(p) || p == line.Points[^1] || p.Year == marked))
                wanted.Add((point.Year == marked ? 0 : point == line.Points[^1] ? 1 : lone.Contains(point) ? 2 : 3, X(point.Year), Y(point.Value), line.Css, Amounts.Compact(point.Value)));
        }
        // Every value of the year a finding speaks of is ringed: the disputed ones sit side by side, their labels clear of the rings.
        var rings = Lines.SelectMany(l => l.Points).Where(p => p.Year == marked).Select(p => (X: X(p.Year), Y: Y(p.Value))).ToList();
        svg.Append(PlaceValues(wanted, rings));
        foreach (var (x, y) in rings)
            svg.Append(Invariant($"<circle class=\"marked\" cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"6\"/>"));
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// Value labels that never cover one another (Angola's publishers end in the same years): the values of the year a
    /// finding speaks of first, then each latest value, then lone points, then the rest; a label goes above its point, else below,
    /// else beside it, else it is left to the chart's table.
    /// </summary>
    private static string PlaceValues(List<(int Rank, double X, double Y, string Css, string Text)> wanted, List<(double X, double Y)> rings)
    {
        const double glyph = 6.6, height = 10, gap = 3;
        var placed = rings.Select(r => (Left: r.X - 6, Top: r.Y - 6, Right: r.X + 6, Bottom: r.Y + 6)).ToList();
        var svg = new StringBuilder();
        foreach (var (_, x, y, css, text) in wanted.OrderBy(w => w.Rank).ThenByDescending(w => w.X))
        {
            var width = text.Length * glyph;
            var anchor = x > Width - Right - width / 2 ? "end" : x < Left + width / 2 ? "start" : "middle";
            var middle = anchor == "end" ? x - width : anchor == "start" ? x : x - width / 2;
            // Above the point, else below, else beside it (right, then left): a ringed year's values sit close together.
            // A ringed point's label stands clear of its ring.
            var pad = rings.Any(r => Math.Abs(r.X - x) < 0.01 && Math.Abs(r.Y - y) < 0.01) ? 4 : 0;
            foreach (var (at, left, baseline, side) in new[] { (x, middle, y - 5 - pad, anchor), (x, middle, y + 13 + pad, anchor), (x + 9 + pad / 4.0, x + 9 + pad / 4.0, y + 3.5, "start"), (x - 9 - pad / 4.0, x - 9 - pad / 4.0 - width, y + 3.5, "end") })
            {
                var box = (Left: left - gap, Top: baseline - height, Right: left + width + gap, Bottom: baseline + 3);
                if (box.Top < 0 || box.Bottom > Height - Bottom || box.Left < 0 || box.Right > Width
                    || placed.Any(b => b.Left < box.Right && box.Left < b.Right && b.Top < box.Bottom && box.Top < b.Bottom))
                    continue;
                placed.Add(box);
                svg.Append(Invariant($"<text class=\"value {css}\" x=\"{at:0.#}\" y=\"{baseline:0.#}\" text-anchor=\"{side}\">{text}</text>"));
                break;
            }
        }
        return svg.ToString();
    }

    /// <summary>The smallest 1, 2, 2.5 or 5 times a power of ten at or above the value: round axis labels.</summary>
    public static decimal NiceCeiling(decimal value)
    {
        if (value <= 0)
            return 1;
        var power = 1m;
        while (power * 10 <= value)
            power *= 10;
        while (power > value)
            power /= 10;
        foreach (var factor in new[] { 1m, 2m, 2.5m, 5m, 10m })
            if (power * factor >= value)
                return power * factor;
        return power * 10;
    }

    private static int YearStep(int span) => span <= 6 ? 1 : span <= 12 ? 2 : span <= 30 ? 5 : 10;

    /// <summary>The points cut into runs of consecutive years.</summary>
    public static IEnumerable<List<SeriesPoint>> Runs(IReadOnlyList<SeriesPoint> points)
    {
        var run = new List<SeriesPoint>();
        foreach (var point in points.OrderBy(p => p.Year))
        {
            if (run.Count > 0 && point.Year != run[^1].Year + 1)
            {
                yield return run;
                run = [];
            }
            run.Add(point);
        }
        if (run.Count > 0)
            yield return run;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What the chart partial draws: the chart, its title and unit, its measure (one of <see cref="Kimberlite.Analysis.Measures"/>) and a year to ring.</summary>
// Compact: a dashboard card keys each metric once and folds the key per source with the sentences and the table (docs/decisions/040).
public sealed record TrendChartView(string Id, string Title, string Unit, string Measure, TrendChart Chart, int? Marked = null, string? Label = null, bool Compact = false);

/// <summary>Whether a country's latest production and exports compare like with like: same year, same family of source.</summary>
public sealed record LatestComparison(int? ProductionYear, int? ExportYear, SourceKind? ProductionKind, SourceKind? ExportKind)
{
    public static LatestComparison Of(CountryProfile profile)
    {
        var (production, exports) = (profile.Production.Latest(), profile.Exports.Latest());
        return new(production?.Year, exports?.Year, Kind(production), Kind(exports));

        static SourceKind? Kind((int Year, SeriesPoint? Carats, SeriesPoint? Usd, SeriesPoint? UsdPerCarat)? latest) =>
            latest is { } l ? (l.Carats ?? l.Usd ?? l.UsdPerCarat)?.Source.SourceKind : null;
    }

    public bool BothPublished => ProductionYear is not null && ExportYear is not null;
    public bool YearsDiffer => BothPublished && ProductionYear != ExportYear;
    public bool FamiliesDiffer => BothPublished && ProductionKind != ExportKind;
}
