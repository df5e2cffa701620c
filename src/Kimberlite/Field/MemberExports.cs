using System.Security.Claims;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Api;
using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Field;

/// <summary>
/// The organisations' own field records for their members, for the API (tokens) and the pages (cookie)
/// alike: the exact point only where the person is an analyst of the incident's organisation.
/// </summary>
public static class MemberExports
{
    private const int Limit = 5000;

    public static async Task<List<IncidentDto>> IncidentsAsync(KimberliteDb db, ClaimsPrincipal user, IncidentFilter filter, IncidentStatus? status, double grid, CancellationToken cancellationToken)
    {
        var mine = user.OrganisationsWith(MemberRole.Viewer);
        var query = filter.Apply(db.Incidents.AsNoTracking().Where(i => mine.Contains(i.OrganisationId)));
        if (status is { } only)
            query = query.Where(i => i.Status == only);
        var incidents = await query.OrderByDescending(i => i.Id).Take(Limit).ToListAsync(cancellationToken);
        var names = await db.Organisations.AsNoTracking().Where(o => mine.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Acronym, cancellationToken);
        return incidents.Select(i =>
        {
            var exact = user.HasRoleIn(i.OrganisationId, MemberRole.Analyst);
            var (lat, lon) = exact ? (i.Latitude, i.Longitude) : Coarse.Point(i.Latitude, i.Longitude, grid);
            return new IncidentDto(i.Id, i.ClientId, names[i.OrganisationId], ApiCodes.Code(i.Status), ApiCodes.Code(i.Category), i.OccurredOn, i.CountryIso3, lat, lon, exact,
                // A site's place is public: naming it would give the point to those who are to see the cell only.
                i.PrecisionMetres, exact ? i.SiteId : null, ApiCodes.Code(i.Severity), i.Killed, i.Injured, i.Affected, ApiCodes.Code(i.Perpetrator), i.Description, i.PublicSummary,
                i.ReporterName is not null || i.ReporterContact is not null);
        }).ToList();
    }

    public static FileContentHttpResult IncidentsCsv(List<IncidentDto> rows) =>
        CsvOutput.File(rows, "incidents-internal.csv", ("id", r => r.Id), ("client_id", r => r.ClientId), ("organisation", r => r.Organisation),
            ("status", r => r.Status), ("category", r => r.Category), ("occurred_on", r => r.OccurredOn), ("country_iso3", r => r.CountryIso3),
            ("latitude", r => r.Latitude), ("longitude", r => r.Longitude), ("exact", r => r.Exact), ("precision_metres", r => r.PrecisionMetres),
            ("site_id", r => r.SiteId), ("severity", r => r.Severity), ("killed", r => r.Killed), ("injured", r => r.Injured), ("affected", r => r.Affected),
            ("perpetrator", r => r.Perpetrator), ("description", r => r.Description), ("public_summary", r => r.PublicSummary), ("has_reporter", r => r.HasReporter));

    public static FileContentHttpResult IncidentsGeoJson(List<IncidentDto> rows) => GeoJsonOutput.File(rows, "incidents-internal.geojson", r => (r.Latitude, r.Longitude));

    public static async Task<List<VisitDto>> VisitsAsync(KimberliteDb db, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var mine = user.OrganisationsWith(MemberRole.Viewer);
        var rows = await (from v in db.SiteVisits.AsNoTracking().Where(v => mine.Contains(v.OrganisationId))
                          join s in db.MiningSites.AsNoTracking() on v.SiteId equals s.Id
                          join o in db.Organisations.AsNoTracking() on v.OrganisationId equals o.Id
                          orderby v.VisitedOn descending, v.Id descending
                          select new { Visit = v, SiteName = s.Name, o.Acronym }).Take(Limit).ToListAsync(cancellationToken);
        return rows.Select(r => VisitDto.Of(r.Visit, r.SiteName, r.Acronym)).ToList();
    }

    public static FileContentHttpResult VisitsCsv(List<VisitDto> visits) =>
        CsvOutput.File(visits, "visits.csv", ("id", r => r.Id), ("organisation", r => r.Organisation), ("site_id", r => r.SiteId), ("site", r => r.Site),
            ("visited_on", r => r.VisitedOn), ("workers", r => r.Workers), ("women", r => r.Women), ("children_under_15", r => r.ChildrenUnder15),
            ("children_15_to_18", r => r.Children15To18), ("children_work", r => r.ChildrenWork), ("armed_presence", r => r.ArmedPresence),
            ("armed_group", r => r.ArmedGroup), ("interference", r => string.Join(' ', r.Interference)), ("mercury", r => r.Mercury),
            ("state_services", r => r.StateServices), ("traceability", r => r.Traceability), ("notes", r => r.Notes));
}
