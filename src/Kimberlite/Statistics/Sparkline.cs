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
    public static string? Svg(params IReadOnlyList<SeriesPoint>[] series)
    {
        var all = series.SelectMany(s => s).ToList();
        if (all.Count < 2)
            return null;
        int first = all.Min(p => p.Year), last = all.Max(p => p.Year);
        var max = all.Max(p => p.Value);
        var span = Math.Max(1, last - first);
        var svg = new StringBuilder($"<svg viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-hidden=\"true\" class=\"sparkline\">");
        var classes = new[] { "production", "export" };
        for (var i = 0; i < series.Length; i++)
        {
            if (series[i].Count == 0)
                continue;
            var points = string.Join(' ', series[i].Select(p => string.Create(CultureInfo.InvariantCulture,
                $"{Pad + (Width - 2 * Pad) * (p.Year - first) / (double)span:0.#},{Height - Pad - (Height - 2 * Pad) * (double)(max == 0 ? 0 : p.Value / max):0.#}")));
            svg.Append($"<polyline class=\"{classes[i % classes.Length]}\" points=\"{points}\"/>");
            if (series[i].Count == 1)
                svg.Append($"<circle class=\"{classes[i % classes.Length]}\" cx=\"{points.Split(',')[0]}\" cy=\"{points.Split(',')[1]}\" r=\"2\"/>");
        }
        return svg.Append("</svg>").ToString();
    }
}
