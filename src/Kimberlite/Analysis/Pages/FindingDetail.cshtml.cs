using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Kimberlite.Statistics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kimberlite.Analysis.Pages;

[AllowAnonymous]
public sealed class FindingDetailModel(KimberliteDb db, FindingsEngine engine, FindingTexts texts, StatisticsReader reader, CountryNamer names, IStringLocalizer<Texts> localizer,
    IAuthorizationService authorization, AuditLog audit, IOptions<AnalysisOptions> options, Library.Citations citations) : PageModel
{
    public (string Observed, string Expected) Compared { get; private set; }

    /// <summary>How the severity was decided, with the thresholds in force.</summary>
    public string SeverityRule
    {
        get
        {
            var o = options.Value;
            return localizer["Stake_SeverityRule", texts.Value(o.LargeStakeUsd, Measures.Usd), texts.Value(o.LargeStakeCarats, Measures.Carats),
                texts.Value(o.SmallStakeUsd, Measures.Usd), texts.Value(o.SmallStakeCarats, Measures.Carats), Formats.Number(o.WarningFromPercent), Formats.Number(o.SeriousFromPercent),
                Formats.Number(o.LargeStakeSeriousFromPercent)];
        }
    }

    public Finding Finding { get; private set; } = null!;
    public IReadOnlyList<FindingInput> Inputs { get; private set; } = [];
    public IReadOnlyList<FindingEvent> History { get; private set; } = [];
    public TrendChart? Chart { get; private set; }
    public FindingTexts Texts => texts;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        var finding = await db.Findings.AsNoTracking().Include(f => f.Events).FirstOrDefaultAsync(f => f.Id == id, cancellationToken);
        if (finding is null)
            return NotFound();
        Finding = finding;
        Inputs = FindingTexts.Inputs(finding);
        Compared = texts.Compared(finding);
        History = finding.Events.OrderBy(e => e.AtUtc).ThenBy(e => e.Id).ToList();
        Chart = await ChartAsync(finding, cancellationToken);
        CanDecide = (await authorization.AuthorizeAsync(User, Policies.Analyst)).Succeeded;
        var mayCite = await citations.MayCiteAsync(User, Library.CitingKind.Finding, id, cancellationToken);
        Cited = new("finding", id, await citations.CitedByAsync(User, Library.CitingKind.Finding, id, cancellationToken), mayCite, $"/findings/{id}?handler=Cite",
            mayCite ? await citations.RecentAsync(User, cancellationToken) : [], _citeError, Request.Query.ContainsKey("uncited"));
        return Page();
    }

    /// <summary>The documents the finding cites that this reader may see; the public, public documents only.</summary>
    public Library.CitedDocumentsView Cited { get; private set; } = null!;

    private string? _citeError;

    public async Task<IActionResult> OnPostCiteAsync(int id, int? documentId, int? page, string? note, CancellationToken cancellationToken)
    {
        if (User.UserId() is null)
            return Challenge();
        var result = await citations.AddAsync(User, Library.CitingKind.Finding, id, new(documentId, page, note), cancellationToken);
        return result.Outcome switch
        {
            Advocacy.BookOutcome.NotFound => NotFound(),
            Advocacy.BookOutcome.Forbidden => Forbid(),
            Advocacy.BookOutcome.Invalid => await RefusedAsync(id, result.Errors, cancellationToken),
            _ => Redirect($"/findings/{id}#cited-finding"),
        };
    }

    /// <summary>Removes a citation as DELETE /api/v1/citations/{id} does, same rule and audit entry; the page then says it was removed.</summary>
    public Task<IActionResult> OnPostUnciteAsync(int id, long citationId, CancellationToken cancellationToken) =>
        Library.CitationRemoval.RemoveAsync(this, citations, citationId, $"/findings/{id}?uncited=1#cited-finding", cancellationToken);

    private async Task<IActionResult> RefusedAsync(int id, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        _citeError = Library.CitedDocumentsView.ErrorKey(errors);
        var page = await OnGetAsync(id, cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return page;
    }

    /// <summary>Anyone reads a finding; only an analyst decides on it, and the history and audit trail name them (docs/ACCESS.md).</summary>
    public async Task<IActionResult> OnPostAsync(int id, FindingStatus status, string? note, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, Policies.Analyst)).Succeeded)
            return User.UserId() is null ? Challenge() : Forbid();
        if (!Enum.IsDefined(status))
            return BadRequest();
        var before = await db.Findings.AsNoTracking().Where(f => f.Id == id).Select(f => (FindingStatus?)f.Status).FirstOrDefaultAsync(cancellationToken);
        var decided = await engine.DecideAsync(id, status, note?.Length > 4000 ? note[..4000] : note, actor: User.Actor(), cancellationToken);
        if (decided is null)
            return NotFound();
        await audit.AppendAsync(User.Actor(), AuditActions.FindingDecided, $"finding {id} ({decided.Rule}, {decided.CountryIso3})", $"{before} → {status}", cancellationToken);
        return RedirectToPage(new { id });
    }

    public bool CanDecide { get; private set; }

    public string RoleLabel(string role)
    {
        var (kind, detail) = role.IndexOf(':') is var i and >= 0 ? (role[..i], role[(i + 1)..]) : (role, "");
        return kind switch
        {
            "history" => localizer["Input_history", detail],
            "peer" => localizer["Input_peer", names.Name(detail)],
            "part" => localizer["Input_part", detail],
            "legalRate" => localizer["Rules_Input_legalRate", detail],
            "importValuation" => localizer["Rules_Input_importValuation"],
            _ => localizer[$"Input_{kind}"],
        };
    }

    /// <summary>
    /// The yearly series the finding speaks of, one line per publisher, and every input of the finding at its year,
    /// kept on the chart even when its publisher gave that year alone (a disputed value is never left off); the page rings the year.
    /// </summary>
    private async Task<TrendChart?> ChartAsync(Finding finding, CancellationToken cancellationToken)
    {
        var profile = await reader.ProfileAsync(finding.CountryIso3, cancellationToken);
        IReadOnlyList<SeriesPoint> Points(MetricSeries s) => finding.Measure switch { Measures.Carats => s.Carats, Measures.Usd => s.Usd, _ => s.UsdPerCarat };
        MetricSeries Series(Metric metric) => metric switch { Metric.Production => profile.Production, Metric.Import => profile.Imports, _ => profile.Exports };
        // A balance sets exports against production: both are drawn.
        var metrics = finding.Rule == FindingRule.Balance && finding.Measure == Measures.Carats ? new[] { Metric.Production, Metric.Export } : [finding.Metric is Metric.Production or Metric.Import ? finding.Metric : Metric.Export];
        var lines = metrics.SelectMany(m => TrendChart.ByPublisher(localizer, m, Points(Series(m)))).ToList();
        foreach (var input in Inputs.Where(i => i.Unit == Measures.UnitOf(finding.Measure) && !i.Role.StartsWith("peer", StringComparison.Ordinal)))
        {
            var metric = input.Role switch { "production" => Metric.Production, "exports" => Metric.Export, "imports" => Metric.Import, _ => metrics[0] };
            if ((input.Period is { Length: >= 4 } p && int.TryParse(p[..4], out var y) ? y : finding.Year) is not { } year)
                continue;
            var publisher = input.Publisher?.Trim() ?? localizer["Source_Unknown"];
            var at = lines.FindIndex(l => l.Metric == TrendChart.Name(localizer, metric) && l.Publisher == publisher);
            if (at < 0)
                lines.Add(new ChartLine(TrendChart.Name(localizer, metric), publisher, TrendChart.Css(metric), 0, [Point(year, input.Value, publisher)]) { Kept = true });
            else if (lines[at].Points.Any(p => p.Year == year))
                lines[at] = lines[at] with { Kept = true };
            else
                lines[at] = lines[at] with { Kept = true, Points = lines[at].Points.Append(Point(year, input.Value, publisher)).OrderBy(p => p.Year).ToList() };
        }
        var chart = new TrendChart(lines);
        return chart.IsEmpty ? null : chart;

        SeriesPoint Point(int year, decimal value, string publisher) =>
            new(year, value, new Figure { CountryIso3 = finding.CountryIso3, MetricText = "", YearText = $"{year}", SourcePublisher = publisher });
    }
}
