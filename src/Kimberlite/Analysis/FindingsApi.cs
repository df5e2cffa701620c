using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Api;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Analysis;

/// <summary>Which findings a list shows. `State`: active (default), resolved or all.</summary>
public sealed record FindingFilter(
    string? Country = null, FindingRule? Rule = null, Severity? Severity = null, FindingStatus? Status = null, int? Year = null, string State = "active");

public sealed record FindingDto(
    int Id, FindingRule Rule, string Key, string Country, string? Partner, int? Year, string Period, Metric Metric, string Measure,
    decimal Observed, decimal Expected, decimal? ExpectedLow, decimal? ExpectedHigh, decimal Gap, decimal GapPercent, decimal TolerancePercent,
    decimal? RevenueLost, decimal? RatePct, string? RateSource, Severity Severity, FindingStatus Status, string? StatusNote, bool Resolved,
    string Explanation, IReadOnlyList<FindingInput> Inputs, DateTime RaisedAtUtc, DateTime UpdatedAtUtc)
{
    public static FindingDto From(Finding f, FindingTexts texts) => new(
        f.Id, f.Rule, f.Key, f.CountryIso3, f.PartnerIso3, f.Year, f.PeriodText, f.Metric, f.Measure, f.Observed, f.Expected, f.ExpectedLow,
        f.ExpectedHigh, f.Gap, f.GapPercent, f.TolerancePercent, f.RevenueLost, f.RatePct, f.RateSource, f.Severity, f.Status, f.StatusNote,
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
            .WithSummary("Findings of the analysis, most severe first")
            .WithDescription("Each finding states the numbers it compared, with their sources, and a sentence in the reader's language (Accept-Language). `?format=csv` for CSV.");
        group.MapGet("/{id:int}", Get).WithName("GetFinding").WithSummary("One finding with its inputs and history");
        return app;
    }

    /// <summary>Most severe first, then the largest gap, then the newest year.</summary>
    public static async Task<List<Finding>> QueryAsync(KimberliteDb db, FindingFilter filter, CancellationToken cancellationToken)
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
        var rows = await query.ToListAsync(cancellationToken);
        return rows.OrderByDescending(f => f.Severity).ThenByDescending(f => Math.Abs(f.GapPercent)).ThenByDescending(f => f.Year).ThenBy(f => f.Id).ToList();
    }

    /// <summary>Reads the filters of the query string, or says which one is wrong and how to write it.</summary>
    public static (FindingFilter Filter, Dictionary<string, string[]> Errors) ReadFilter(
        string? country, string? rule, string? severity, string? status, string? year, string? state)
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
        return (new FindingFilter(code, r, sv, st, y, s), errors);
    }

    private static async Task<Results<Ok<List<FindingDto>>, FileContentHttpResult, ValidationProblem>> List(
        [Description("ISO3 code of the country (as reporter or partner)")] string? country,
        [Description("sourceConflict, balance, mirrorGap, valuationGap, suddenChange, partsAndTotal, tradingHub or overvaluation")] string? rule,
        [Description("info, warning or serious")] string? severity,
        [Description("open, confirmed or dismissed")] string? status,
        [Description("The year of the period the finding speaks of")] string? year,
        [Description("active (default), resolved or all")] string? state,
        [Description("json (default) or csv")] string? format,
        KimberliteDb db, FindingTexts texts, CancellationToken cancellationToken)
    {
        var (filter, errors) = ReadFilter(country, rule, severity, status, year, state);
        var listFormat = ListFormats.Parse(format);
        if (listFormat is null)
            errors["format"] = [ListFormats.Error(format)];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        var findings = await QueryAsync(db, filter, cancellationToken);
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
            ("observed", f => f.Observed), ("expected", f => f.Expected), ("expected_low", f => f.ExpectedLow), ("expected_high", f => f.ExpectedHigh),
            ("gap", f => f.Gap), ("gap_percent", f => f.GapPercent), ("tolerance_percent", f => f.TolerancePercent),
            ("revenue_lost_usd", f => f.RevenueLost), ("rate_percent", f => f.RatePct), ("severity", f => f.Severity), ("status", f => f.Status),
            ("status_note", f => f.StatusNote), ("resolved", f => f.Resolved), ("explanation", f => f.Explanation),
            ("sources", f => string.Join(" | ", f.Inputs.Where(i => i.Publisher is not null).Select(i => $"{i.Role}: {i.Publisher} {i.Address}".Trim()))));
}
