using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Api;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kimberlite.Analysis;

/// <summary>Which findings a list shows, in which order. `State`: active (default), resolved or all.</summary>
public sealed record FindingFilter(
    string? Country = null, FindingRule? Rule = null, Severity? Severity = null, FindingStatus? Status = null, int? Year = null, string State = "active",
    FindingSort Sort = FindingSort.Focus);

/// <summary>
/// The orders a reader can choose. Focus (the default): the coalition's countries, then their partners and
/// transit routes, then severity, what is at stake (US$, then carats) and the gap in per cent.
/// </summary>
public enum FindingSort { Focus = 1, Stake = 2, Severity = 3, Gap = 4, Newest = 5 }

public sealed record FindingDto(
    int Id, FindingRule Rule, string Key, string Country, string? Partner, int? Year, string Period, Metric Metric, string Measure,
    decimal Observed, decimal Expected, decimal? ExpectedLow, decimal? ExpectedHigh, decimal Gap, decimal GapPercent, decimal TolerancePercent,
    decimal? RevenueLost, decimal? RatePct, string? RateSource, decimal? StakeUsd, decimal? StakeCarats, Severity Severity, FindingStatus Status, string? StatusNote, bool Resolved,
    string Explanation, IReadOnlyList<FindingInput> Inputs, DateTime RaisedAtUtc, DateTime UpdatedAtUtc)
{
    public static FindingDto From(Finding f, FindingTexts texts) => new(
        f.Id, f.Rule, f.Key, f.CountryIso3, f.PartnerIso3, f.Year, f.PeriodText, f.Metric, f.Measure, f.Observed, f.Expected, f.ExpectedLow,
        f.ExpectedHigh, f.Gap, f.GapPercent, f.TolerancePercent, f.RevenueLost, f.RatePct, f.RateSource, f.StakeUsd, f.StakeCarats, f.Severity, f.Status, f.StatusNote,
        f.Resolved, texts.Explain(f), FindingTexts.Inputs(f), f.RaisedAtUtc, f.UpdatedAtUtc);
}

public sealed record FindingEventDto(DateTime AtUtc, FindingEventKind Kind, string? Note, string? Actor, string? Before);

public sealed record FindingDetailDto(FindingDto Finding, IReadOnlyList<FindingEventDto> History);

public static class FindingsApi
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = true,
    };

    public static IEndpointRouteBuilder MapFindingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/findings").WithTags("Findings").AllowAnonymous();
        group.MapGet("/", List).WithName("ListFindings")
            .WithSummary("Findings of the analysis, the coalition's countries and the largest stakes first")
            .WithDescription("Each finding states the numbers it compared, with their sources, and a sentence in the reader's language (Accept-Language). "
                + "`observed` is the figure the finding is about; `expected` the figure it is compared with (the preferred source, the partner's declaration, "
                + "the supply, the benchmark or the series' median), never a correct value. `stakeUsd` and `stakeCarats` say what the gap is worth. "
                + "`?sort=` focus (default), stake, severity, gap or newest; `?format=csv` for CSV.");
        group.MapGet("/{id:int}", Get).WithName("GetFinding").WithSummary("One finding with its inputs and history");
        return app;
    }

    /// <summary>The findings the filter keeps, in its order, sorted by the database (the list may run to thousands).</summary>
    public static async Task<List<Finding>> QueryAsync(KimberliteDb db, FindingFilter filter, AnalysisOptions options, CancellationToken cancellationToken)
    {
        var query = db.Findings.AsNoTracking();
        if (filter.Country is { } country)
            query = query.Where(f => f.CountryIso3 == country || f.PartnerIso3 == country);
        if (filter.Rule is { } rule)
            query = query.Where(f => f.Rule == rule);
        if (filter.Severity is { } severity)
            query = query.Where(f => f.Severity == severity);
        if (filter.Status is { } status)
            query = query.Where(f => f.Status == status);
        if (filter.Year is { } year)
            query = query.Where(f => f.Year == year);
        query = filter.State switch { "resolved" => query.Where(f => f.Resolved), "all" => query, _ => query.Where(f => !f.Resolved) };
        return await Sorted(query, filter.Sort, options).ToListAsync(cancellationToken);
    }

    private static IQueryable<Finding> Sorted(IQueryable<Finding> query, FindingSort sort, AnalysisOptions options)
    {
        var focus = options.FocusCountries.Select(c => (string?)c).ToList();
        var routes = options.FocusPartners.Select(c => (string?)c).ToList();
        // Decimals sort as doubles: SQLite keeps them as text and orders no decimal; an order needs no more precision.
        var ordered = sort switch
        {
            // The country itself, then a finding about its trade with it, then a hub's or a route's own.
            FindingSort.Focus => query
                .OrderByDescending(f => focus.Contains(f.CountryIso3) ? 3 : focus.Contains(f.PartnerIso3) ? 2 : routes.Contains(f.CountryIso3) || routes.Contains(f.PartnerIso3) ? 1 : 0)
                .ThenByDescending(f => f.Severity).ThenByDescending(f => (double)(f.StakeUsd ?? 0)).ThenByDescending(f => (double)(f.StakeCarats ?? 0)),
            FindingSort.Stake => query.OrderByDescending(f => (double)(f.StakeUsd ?? 0)).ThenByDescending(f => (double)(f.StakeCarats ?? 0)).ThenByDescending(f => f.Severity),
            FindingSort.Severity => query.OrderByDescending(f => f.Severity).ThenByDescending(f => (double)(f.StakeUsd ?? 0)).ThenByDescending(f => (double)(f.StakeCarats ?? 0)),
            FindingSort.Newest => query.OrderByDescending(f => f.Year).ThenByDescending(f => f.RaisedAtUtc).ThenByDescending(f => f.Severity),
            _ => query.OrderByDescending(f => Math.Abs((double)f.GapPercent)),
        };
        return ordered.ThenByDescending(f => Math.Abs((double)f.GapPercent)).ThenByDescending(f => f.Year).ThenBy(f => f.Id);
    }

    /// <summary>Reads the filters of the query string, or says which one is wrong and how to write it.</summary>
    public static (FindingFilter Filter, Dictionary<string, string[]> Errors) ReadFilter(
        string? country, string? rule, string? severity, string? status, string? year, string? state, string? sort = null)
    {
        var errors = new Dictionary<string, string[]>();
        string? code = null;
        if (!string.IsNullOrEmpty(country))
        {
            code = country.ToUpperInvariant();
            if (!CountryCodes.IsKnown(code))
                errors["country"] = [$"'{country}' is not a country code: use ISO 3166-1 alpha-3, such as COD."];
        }
        var r = ApiCodes.Parse<FindingRule>(rule);
        if (!string.IsNullOrEmpty(rule) && r is null)
            errors["rule"] = [$"'{rule}' is not a rule: use sourceConflict, balance, mirrorGap, valuationGap, suddenChange, partsAndTotal, tradingHub or overvaluation."];
        var sv = ApiCodes.Parse<Severity>(severity);
        if (!string.IsNullOrEmpty(severity) && sv is null)
            errors["severity"] = [$"'{severity}' is not a severity: use info, warning or serious."];
        var st = ApiCodes.Parse<FindingStatus>(status);
        if (!string.IsNullOrEmpty(status) && st is null)
            errors["status"] = [$"'{status}' is not a status: use open, confirmed or dismissed."];
        int? y = null;
        if (!string.IsNullOrEmpty(year))
        {
            if (int.TryParse(year, out var parsed) && parsed is >= 1900 and <= 2100)
                y = parsed;
            else
                errors["year"] = [$"'{year}' is not a year: write it with four digits, such as 2022."];
        }
        var s = string.IsNullOrEmpty(state) ? "active" : state.ToLowerInvariant();
        if (s is not ("active" or "resolved" or "all"))
            errors["state"] = [$"'{state}' is not a state: use active, resolved or all."];
        var order = ApiCodes.Parse<FindingSort>(sort);
        if (!string.IsNullOrEmpty(sort) && order is null)
            errors["sort"] = [$"'{sort}' is not an order: use {ApiCodes.Names<FindingSort>()}."];
        return (new FindingFilter(code, r, sv, st, y, s, order ?? FindingSort.Focus), errors);
    }

    private static async Task<Results<Ok<List<FindingDto>>, FileContentHttpResult, ValidationProblem>> List(
        [Description("ISO3 code of the country (as reporter or partner)")] string? country,
        [Description("sourceConflict, balance, mirrorGap, valuationGap, suddenChange, partsAndTotal, tradingHub or overvaluation")] string? rule,
        [Description("info, warning or serious")] string? severity,
        [Description("open, confirmed or dismissed")] string? status,
        [Description("The year of the period the finding speaks of")] string? year,
        [Description("active (default), resolved or all")] string? state,
        [Description("focus (default: the coalition's countries, then their partners and routes, then severity, stake and gap), stake, severity, gap or newest")] string? sort,
        [Description("json (default) or csv")] string? format,
        KimberliteDb db, FindingTexts texts, IOptions<AnalysisOptions> options, CancellationToken cancellationToken)
    {
        var (filter, errors) = ReadFilter(country, rule, severity, status, year, state, sort);
        var listFormat = ListFormats.Parse(format);
        if (listFormat is null)
            errors["format"] = [ListFormats.Error(format)];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        var findings = await QueryAsync(db, filter, options.Value, cancellationToken);
        if (listFormat == ListFormat.Csv)
            return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(Csv(findings, texts)), "text/csv; charset=utf-8", "findings.csv");
        return TypedResults.Ok(findings.Select(f => FindingDto.From(f, texts)).ToList());
    }

    private static async Task<Results<Ok<FindingDetailDto>, ProblemHttpResult>> Get(int id, KimberliteDb db, FindingTexts texts, System.Security.Claims.ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var finding = await db.Findings.AsNoTracking().Include(f => f.Events).FirstOrDefaultAsync(f => f.Id == id, cancellationToken);
        if (finding is null)
            return TypedResults.Problem(statusCode: 404, title: $"No finding {id}", detail: "GET /api/v1/findings lists the findings and their ids.");
        // Who decided is for the coalition's members: the public never learns an analyst's name.
        var member = user.HasRole(MemberRole.Viewer);
        var history = finding.Events.OrderBy(e => e.AtUtc).ThenBy(e => e.Id).Select(e => new FindingEventDto(e.AtUtc, e.Kind, e.Note, member ? e.Actor : null, e.Before)).ToList();
        return TypedResults.Ok(new FindingDetailDto(FindingDto.From(finding, texts), history));
    }

    public static string Csv(IEnumerable<Finding> findings, FindingTexts texts) =>
        CsvOutput.Text(findings.Select(f => FindingDto.From(f, texts)),
            ("id", f => f.Id), ("rule", f => f.Rule), ("key", f => f.Key), ("country_iso3", f => f.Country), ("partner_iso3", f => f.Partner),
            ("year", f => f.Year), ("period", f => f.Period), ("metric", f => f.Metric), ("measure", f => f.Measure),
            // Names kept for the scripts that read them: `expected` is the figure compared with, not a correct value (docs/ANALYSIS.md).
            ("observed", f => f.Observed), ("expected", f => f.Expected), ("expected_low", f => f.ExpectedLow), ("expected_high", f => f.ExpectedHigh),
            ("gap", f => f.Gap), ("gap_percent", f => f.GapPercent), ("tolerance_percent", f => f.TolerancePercent),
            ("revenue_lost_usd", f => f.RevenueLost), ("stake_usd", f => f.StakeUsd), ("stake_carats", f => f.StakeCarats), ("rate_percent", f => f.RatePct), ("severity", f => f.Severity), ("status", f => f.Status),
            ("status_note", f => f.StatusNote), ("resolved", f => f.Resolved), ("explanation", f => f.Explanation),
            ("sources", f => string.Join(" | ", f.Inputs.Where(i => i.Publisher is not null).Select(i => $"{i.Role}: {i.Publisher} {i.Address}".Trim()))));
}
