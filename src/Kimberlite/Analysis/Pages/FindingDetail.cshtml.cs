using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Kimberlite.Statistics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Analysis.Pages;

public sealed class FindingDetailModel(KimberliteDb db, FindingsEngine engine, FindingTexts texts, StatisticsReader reader, CountryNamer names, IStringLocalizer<Texts> localizer) : PageModel
{
    public Finding Finding { get; private set; } = null!;
    public IReadOnlyList<FindingInput> Inputs { get; private set; } = [];
    public IReadOnlyList<FindingEvent> History { get; private set; } = [];
    public string? Chart { get; private set; }
    public FindingTexts Texts => texts;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        var finding = await db.Findings.AsNoTracking().Include(f => f.Events).FirstOrDefaultAsync(f => f.Id == id, cancellationToken);
        if (finding is null)
            return NotFound();
        Finding = finding;
        Inputs = FindingTexts.Inputs(finding);
        History = finding.Events.OrderBy(e => e.AtUtc).ThenBy(e => e.Id).ToList();
        Chart = await ChartAsync(finding, cancellationToken);
        return Page();
    }

    /// <summary>Open to all for now; the accounts issue restricts the decision to analysts (docs/decisions/006).</summary>
    public async Task<IActionResult> OnPostAsync(int id, FindingStatus status, string? note, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(status))
            return BadRequest();
        var decided = await engine.DecideAsync(id, status, note?.Length > 4000 ? note[..4000] : note, actor: null, cancellationToken);
        return decided is null ? NotFound() : RedirectToPage(new { id });
    }

    public string RoleLabel(string role)
    {
        var (kind, detail) = role.IndexOf(':') is var i and >= 0 ? (role[..i], role[(i + 1)..]) : (role, "");
        return kind switch
        {
            "history" => localizer["Input_history", detail],
            "peer" => localizer["Input_peer", names.Name(detail)],
            "part" => localizer["Input_part", detail],
            _ => localizer[$"Input_{kind}"],
        };
    }

    /// <summary>The yearly series the finding speaks of, the year in question marked.</summary>
    private async Task<string?> ChartAsync(Finding finding, CancellationToken cancellationToken)
    {
        var profile = await reader.ProfileAsync(finding.CountryIso3, cancellationToken);
        var series = finding.Metric switch { Metric.Production => profile.Production, Metric.Import => profile.Imports, _ => profile.Exports };
        var points = finding.Measure switch { Measures.Carats => series.Carats, Measures.Usd => series.Usd, _ => series.UsdPerCarat };
        // The trend's colours go by position: production first, exports second.
        return finding.Metric == Metric.Production ? Sparkline.Svg(finding.Year, points) : Sparkline.Svg(finding.Year, [], points);
    }
}
