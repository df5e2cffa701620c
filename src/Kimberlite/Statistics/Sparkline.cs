using System.Globalization;
using System.Text;

namespace Kimberlite.Statistics;

/// <summary>A small trend drawn on the server as inline SVG: no script, a few hundred bytes.</summary>
public static class Sparkline
{
    private const int Width = 240, Height = 48, Pad = 3;

    public static int? FirstYear(params IReadOnlyList<SeriesPoint>[] series) => series.SelectMany(s => s).Select(p => (int?)p.Year).Min();
    public static int? LastYear(params IReadOnlyList<SeriesPoint>[] series) => series.SelectMany(s => s).Select(p => (int?)p.Year).Max();

    /// <summary>One polyline per series on a shared scale; null when there is nothing to draw.</summary>
    public static string? Svg(params IReadOnlyList<SeriesPoint>[] series) => Svg(null, series);

    /// <summary>The same, with the point of one year ringed: the year a finding speaks of.</summary>
    public static string? Svg(int? marked, params IReadOnlyList<SeriesPoint>[] series)
    {
        var all = series.SelectMany(s => s).ToList();
        if (all.Count < 2)
            return null;
        int first = all.Min(p => p.Year), last = all.Max(p => p.Year);
        var max = all.Max(p => p.Value);
        var span = Math.Max(1, last - first);
        var svg = new StringBuilder($"<svg viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-hidden=\"true\" class=\"sparkline\">");
        var classes = new[] { "production", "export" };
        (double X, double Y) Place(SeriesPoint p) =>
            (Pad + (Width - 2 * Pad) * (p.Year - first) / (double)span,
             Height - Pad - (Height - 2 * Pad) * (double)(max == 0 ? 0 : p.Value / max));
        for (var i = 0; i < series.Length; i++)
        {
            // A year without a figure breaks the line: nothing is drawn where nothing was published.
            foreach (var run in Runs(series[i]))
            {
                var points = run.Select(Place).ToList();
                if (points.Count == 1)
                    svg.Append(string.Create(CultureInfo.InvariantCulture, $"<circle class=\"{classes[i % classes.Length]}\" cx=\"{points[0].X:0.#}\" cy=\"{points[0].Y:0.#}\" r=\"2\"/>"));
                else
                    svg.Append($"<polyline class=\"{classes[i % classes.Length]}\" points=\"{string.Join(' ', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.X:0.#},{p.Y:0.#}")))}\"/>");
            }
        }
        foreach (var point in series.SelectMany(x => x).Where(p => p.Year == marked).Take(1))
        {
            var (x, y) = Place(point);
            svg.Append(string.Create(CultureInfo.InvariantCulture, $"<circle class=\"marked\" cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"5\"/>"));
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>The series cut into runs of consecutive years.</summary>
    private static IEnumerable<List<SeriesPoint>> Runs(IReadOnlyList<SeriesPoint> points)
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
}
