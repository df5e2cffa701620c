using System.ComponentModel;
using System.Globalization;
using Kimberlite.Infrastructure.Api;
using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Statistics;

public sealed record CountryDto(string Iso3, string Name, bool Coalition, int Figures, int? FirstYear, int? LastYear);

public sealed record FigureDto(
    long Id, int DatasetId, int Line, string Country, string? Partner, Metric Metric, string MetricText, string? Segment,
    string? FlowDetail, string YearText, string? PeriodText, PeriodKind PeriodKind, int? Year, int? EndYear, int? StartMonth, int? EndMonth,
    decimal? Carats, decimal? Value, string? Currency, decimal? UsdPerCarat, bool UsdPerCaratDerived, decimal? SharePct, decimal? RatePct,
    int? Certificates, string? Precision, SourceKind SourceKind, string? DataOrigin, string? SourcePublisher, string? SourceAddress,
    string? AsPublished, string? Notes)
{
    public static FigureDto From(Figure f) => new(
        f.Id, f.DatasetId, f.Line, f.CountryIso3, f.PartnerIso3, f.Metric, f.MetricText, f.Segment, f.FlowDetail, f.YearText, f.PeriodText,
        f.PeriodKind, f.Year, f.EndYear, f.StartMonth, f.EndMonth, f.Carats, f.Value, f.Currency, f.UsdPerCarat,
        f.UsdPerCaratPublished is null && f.UsdPerCarat is not null, f.SharePct, f.RatePct, f.Certificates, f.Precision, f.SourceKind,
        f.DataOrigin, f.SourcePublisher, f.SourceAddress, f.AsPublished, f.Notes);
}

public static class StatisticsApi
{
    public static IEndpointRouteBuilder MapStatisticsApi(this IEndpointRouteBuilder app)
    {
        var countries = app.MapGroup("/api/v1/countries").WithTags("Countries").AllowAnonymous();
        countries.MapGet("/", ListCountries).WithName("ListCountries")
            .WithSummary("Countries with figures").WithDescription("Every country (or aggregate such as WLD) that reports at least one figure. `?format=csv` for CSV.");
        countries.MapGet("/{iso3}/statistics", ListStatistics).WithName("ListCountryStatistics")
            .WithSummary("Figures of a country, each with its source")
            .WithDescription("Filters: `metric` (production, export, import, sales, fiscal, other), `years` (2019 or 2015-2020, figures whose period starts in those years), `source` (kp, national, eiti, other), `dataset` (id). `?format=csv` for CSV.");
        return app;
    }

    private static async Task<Results<Ok<List<CountryDto>>, FileContentHttpResult, ValidationProblem>> ListCountries(
        StatisticsReader reader, CountryNamer names, [Description("json (default) or csv")] string? format, CancellationToken cancellationToken)
    {
        if (ListFormats.Parse(format) is not { } listFormat)
            return ListFormats.Invalid(format);
        var rows = (await reader.CoverageAsync(cancellationToken))
            .Select(c => new CountryDto(c.Iso3, names.Name(c.Iso3), CountryCodes.Coalition.Contains(c.Iso3), c.Figures, c.FirstYear, c.LastYear))
            .ToList();
        if (listFormat == ListFormat.Csv)
            return CsvOutput.File(rows, "countries.csv",
                ("iso3", r => r.Iso3), ("name", r => r.Name), ("coalition", r => r.Coalition), ("figures", r => r.Figures),
                ("first_year", r => r.FirstYear), ("last_year", r => r.LastYear));
        return TypedResults.Ok(rows);
    }

    private static async Task<Results<Ok<List<FigureDto>>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> ListStatistics(
        string iso3,
        [Description("production, export, import, sales, fiscal or other")] string? metric,
        [Description("A year (2019) or a span of years (2015-2020): figures whose period starts in those years")] string? years,
        [Description("Kind of source: kp (or kimberleyProcess), national, eiti or other")] string? source,
        [Description("Only the figures of this dataset (its id, from /api/v1/datasets)")] string? dataset,
        [Description("json (default) or csv")] string? format,
        KimberliteDb db, CancellationToken cancellationToken)
    {
        var code = iso3.ToUpperInvariant();
        if (!CountryCodes.IsKnown(code))
            return TypedResults.Problem(statusCode: 404, title: $"No country with code '{iso3}'",
                detail: "Use an ISO 3166-1 alpha-3 code such as COD, CAF or AGO (or WLD for the world); GET /api/v1/countries lists those with figures.");

        var errors = new Dictionary<string, string[]>();
        Metric? metricFilter = null;
        if (metric is not null)
        {
            if (Enum.TryParse<Metric>(metric, ignoreCase: true, out var m) && Enum.IsDefined(m) && !int.TryParse(metric, out _))
                metricFilter = m;
            else
                errors["metric"] = [$"'{metric}' is not a metric: use production, export, import, sales, fiscal or other."];
        }
        (int From, int To)? yearFilter = null;
        if (years is not null)
        {
            var bounds = years.Split('-', 2, StringSplitOptions.TrimEntries);
            if (bounds.All(b => b.Length == 4 && int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                var (from, to) = (int.Parse(bounds[0], CultureInfo.InvariantCulture), int.Parse(bounds[^1], CultureInfo.InvariantCulture));
                if (to >= from)
                    yearFilter = (from, to);
                else
                    errors["years"] = [$"'{years}' ends before it starts: write the earlier year first, as in {to}-{from}."];
            }
            else
            {
                errors["years"] = [$"'{years}' is not a year or a span of years: write 2019 or 2015-2020."];
            }
        }
        SourceKind? sourceFilter = null;
        if (source is not null)
        {
            sourceFilter = source.ToLowerInvariant() switch
            {
                "kp" or "kimberleyprocess" => SourceKind.KimberleyProcess, "national" => SourceKind.National,
                "eiti" => SourceKind.Eiti, "other" => SourceKind.Other, _ => null,
            };
            if (sourceFilter is null)
                errors["source"] = [$"'{source}' is not a kind of source: use kp, national, eiti or other."];
        }
        int? datasetFilter = null;
        if (dataset is not null)
        {
            if (int.TryParse(dataset, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                datasetFilter = id;
            else
                errors["dataset"] = [$"'{dataset}' is not a dataset id: use the number that /api/v1/datasets gives."];
        }
        var listFormat = ListFormats.Parse(format);
        if (listFormat is null)
            errors["format"] = [ListFormats.Error(format)];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var query = db.Figures.AsNoTracking().Where(f => f.CountryIso3 == code);
        if (metricFilter is { } mf)
            query = query.Where(f => f.Metric == mf);
        if (yearFilter is var (yf, yt))
            query = query.Where(f => f.Year >= yf && f.Year <= yt);
        if (sourceFilter is { } sf)
            query = query.Where(f => f.SourceKind == sf);
        if (datasetFilter is { } d)
            query = query.Where(f => f.DatasetId == d);
        var figures = (await query.OrderBy(f => f.Year).ThenBy(f => f.Metric).ThenBy(f => f.Id).ToListAsync(cancellationToken))
            .Select(FigureDto.From).ToList();

        if (listFormat == ListFormat.Csv)
            return CsvOutput.File(figures, $"{code}-statistics.csv",
                ("id", f => f.Id), ("dataset_id", f => f.DatasetId), ("line", f => f.Line), ("country_iso3", f => f.Country),
                ("partner_iso3", f => f.Partner), ("metric", f => f.Metric), ("metric_text", f => f.MetricText),
                ("segment", f => f.Segment), ("flow_detail", f => f.FlowDetail), ("year", f => f.YearText), ("period", f => f.PeriodText),
                ("period_kind", f => f.PeriodKind), ("carats", f => f.Carats), ("value", f => f.Value),
                ("currency", f => f.Currency), ("usd_per_carat", f => f.UsdPerCarat), ("usd_per_carat_derived", f => f.UsdPerCaratDerived),
                ("share_pct", f => f.SharePct), ("rate_pct", f => f.RatePct), ("certificates", f => f.Certificates), ("precision", f => f.Precision),
                ("source_kind", f => f.SourceKind), ("data_origin", f => f.DataOrigin), ("source_publisher", f => f.SourcePublisher),
                ("source", f => f.SourceAddress), ("as_published", f => f.AsPublished), ("notes", f => f.Notes));
        return TypedResults.Ok(figures);
    }
}
