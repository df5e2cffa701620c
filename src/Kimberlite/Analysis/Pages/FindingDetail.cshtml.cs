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

    /// <summary>The yearly series the finding speaks of, one line per publisher; the page rings the year in question.</summary>
    private async Task<TrendChart?> ChartAsync(Finding finding, CancellationToken cancellationToken)
    {
        var profile = await reader.ProfileAsync(finding.CountryIso3, cancellationToken);
        var series = finding.Metric switch { Metric.Production => profile.Production, Metric.Import => profile.Imports, _ => profile.Exports };
        IReadOnlyList<SeriesPoint> Points(MetricSeries s) => finding.Measure switch { Measures.Carats => s.Carats, Measures.Usd => s.Usd, _ => s.UsdPerCarat };
        IEnumerable<ChartLine> Lines(MetricSeries s) =>
            TrendChart.ByPublisher(localizer[$"Metric_{s.Metric}"], s.Metric == Metric.Production ? "production" : "export", Points(s), localizer["Source_Unknown"]);
        // A balance sets exports against production: both are drawn.
        var chart = new TrendChart(finding.Rule == FindingRule.Balance && finding.Measure == Measures.Carats
            ? Lines(profile.Production).Concat(Lines(profile.Exports)) : Lines(series));
        return chart.IsEmpty ? null : chart;
    }
}
