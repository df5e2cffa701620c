using Kimberlite.Analysis;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Statistics.Pages;

[AllowAnonymous]
public sealed class CountryModel(StatisticsReader reader, CountryNamer names, IStringLocalizer<Texts> texts, KimberliteDb db, Analysis.Labels.LabelMeanings labels, IAuthorizationService authorization, Microsoft.Extensions.Options.IOptions<AnalysisOptions> analysis, Advocacy.AdvocacyBook advocacy) : PageModel
{
    public string Iso3 { get; private set; } = "";
    public string Name { get; private set; } = "";
    public CountryProfile Profile { get; private set; } = null!;
    public CountryNamer Names => names;
    public IReadOnlyList<TrendChartView> Charts { get; private set; } = [];
    public IReadOnlyList<(string Publisher, string Years)> ChartSources { get; private set; } = [];
    public int ConflictCount => Profile.Groups.Count(g => g.SourcesDiffer);
    public IReadOnlyList<Finding> Findings { get; private set; } = [];
    /// <summary>The findings a busy reader sees on the country page, the most serious first; the others are on /findings.</summary>
    public const int FindingsShown = 5;
    public Analysis.Labels.LeftOutSection LeftOut { get; private set; } = null!;
    /// <summary>The recommendations and commitments concerning the country that the reader may see.</summary>
    public Advocacy.Pages.ItemList Recommendations { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string iso3, CancellationToken cancellationToken)
    {
        Iso3 = iso3.ToUpperInvariant();
        if (!CountryCodes.IsKnown(Iso3))
            return NotFound();
        if (Iso3 != iso3)
            return RedirectPermanent($"/countries/{Iso3}");
        Name = names.Name(Iso3);
        Profile = await reader.ProfileAsync(Iso3, cancellationToken);
        Charts = BuildCharts();
        Findings = await FindingsApi.QueryAsync(db, new FindingFilter(Country: Iso3), analysis.Value, cancellationToken);
        // Three-letter codes joined by commas: a code found in the list is that country, never part of another.
        Recommendations = new(await advocacy.Visible(User).Include(i => i.Translations).Where(i => i.Countries.Contains(Iso3))
            .OrderByDescending(i => i.StatusChangedAtUtc).Take(50).ToListAsync(cancellationToken), advocacy.Today);
        LeftOut = await Analysis.Labels.LeftOutSection.BuildAsync(labels, authorization, User, [Iso3], _ => true, $"/countries/{Iso3}#left-out", cancellationToken);
        ChartSources = Profile.Production.Sources.Concat(Profile.Exports.Sources)
            .GroupBy(f => f.SourcePublisher ?? texts["Source_Unknown"])
            .Select(g => (g.Key, YearRange(g.Select(f => f.Year!.Value))))
            .ToList();
        return Page();
    }

    public Microsoft.AspNetCore.Html.IHtmlContent MetricLabel(Figure f) => f.Metric is Metric.Other or Metric.Fiscal
        ? texts.Word(DataWords.Vocabulary.Metric, f.MetricText) : new Microsoft.AspNetCore.Html.HtmlString(System.Net.WebUtility.HtmlEncode(texts[$"Metric_{f.Metric}"]));

    /// <summary>Carats, US$ and US$ per carat: one chart each, one line per metric and publisher, drawn on the server.</summary>
    private List<TrendChartView> BuildCharts()
    {
        var series = new[] { Profile.Production, Profile.Exports };
        var charts = new (string Measure, string Title, string Unit, Func<MetricSeries, IReadOnlyList<SeriesPoint>> Points)[]
        {
            (Measures.Carats, texts["Measure_Carats"], "ct", s => s.Carats),
            (Measures.Usd, texts["Measure_Usd"], "US$", s => s.Usd),
            (Measures.UsdPerCarat, texts["Measure_UsdPerCarat"], "US$/ct", s => s.UsdPerCarat),
        };
        return charts.Select(c => new TrendChartView($"chart-{c.Measure}", c.Title, c.Unit, c.Measure,
                new TrendChart(series.SelectMany(s => TrendChart.ByPublisher(texts, s.Metric, c.Points(s)))), Label: texts["Chart_AriaLabel", c.Title, Name]))
            .Where(v => !v.Chart.IsEmpty).ToList();
    }

    private static string YearRange(IEnumerable<int> years)
    {
        var list = years.Distinct().Order().ToList();
        return list.Count == 1 ? $"{list[0]}" : $"{list[0]}–{list[^1]}";
    }
}
