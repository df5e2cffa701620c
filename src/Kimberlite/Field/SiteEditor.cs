using System.Security.Claims;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Api;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Field;

/// <summary>A site as a member writes it (API JSON, camelCase, or the site form).</summary>
public sealed record SiteInput(string? Name, string? CountryIso3, string? Locality, double? Latitude, double? Longitude, string? Kind,
    string? Minerals, string? Status, bool? InCompliantZone, string? Organisation);

public enum SiteOutcome { Done, Repeated, NotFound, Forbidden, Invalid }

/// <summary>
/// Sites that members add and keep: an organisation's analysts add a site under their organisation's name
/// and alone change it later. Sites a publisher gave (IPIS) stay as published, credited to it (decision 010).
/// </summary>
public sealed class SiteEditor(KimberliteDb db, AuditLog audit)
{
    /// <summary>Only the analysts of the organisation that recorded a site change it; IPIS sites belong to no organisation and stay as published.</summary>
    public static bool CanChange(ClaimsPrincipal user, MiningSite site) =>
        site.OrganisationId is { } owner && user.HasRoleIn(owner, MemberRole.Analyst);

    public async Task<(SiteOutcome Outcome, MiningSite? Site, Dictionary<string, string[]> Errors)> SaveAsync(
        ClaimsPrincipal user, int? id, SiteInput input, CancellationToken cancellationToken)
    {
        MiningSite? site = null;
        if (id is { } existing)
        {
            site = await db.MiningSites.FirstOrDefaultAsync(s => s.Id == existing, cancellationToken);
            if (site is null)
                return (SiteOutcome.NotFound, null, []);
            if (!CanChange(user, site))
                return (SiteOutcome.Forbidden, site, []);
        }
        var errors = Check(input);
        var organisation = site?.OrganisationId;
        if (site is null)
        {
            var mine = user.OrganisationsWith(MemberRole.Analyst);
            var acronym = input.Organisation?.Trim().ToUpperInvariant();
            var candidates = await db.Organisations.AsNoTracking().Where(o => mine.Contains(o.Id)).Select(o => new { o.Id, o.Acronym }).ToListAsync(cancellationToken);
            organisation = acronym is { Length: > 0 }
                ? candidates.FirstOrDefault(o => o.Acronym.ToUpperInvariant() == acronym)?.Id
                : candidates.Count == 1 ? candidates[0].Id : null;
            if (organisation is null)
                errors["organisation"] = [candidates.Count > 1 && acronym is not { Length: > 0 }
                    ? "You are an analyst in several organisations: say which one records this site (its acronym)."
                    : "Give the acronym of an organisation where you are an analyst."];
        }
        if (errors.Count > 0)
            return (SiteOutcome.Invalid, site, errors);

        var (name, country, latitude, longitude) = (input.Name!.Trim(), input.CountryIso3!.Trim().ToUpperInvariant(), Math.Round(input.Latitude!.Value, 6), Math.Round(input.Longitude!.Value, 6));
        // The same site sent again (a retry, a second click) is the site already recorded, not a second one.
        if (site is null && await db.MiningSites.AsNoTracking().FirstOrDefaultAsync(s => s.OrganisationId == organisation && s.Name == name
                && s.CountryIso3 == country && s.Latitude == latitude && s.Longitude == longitude, cancellationToken) is { } same)
            return (SiteOutcome.Repeated, same, []);
        var acronymOf = await db.Organisations.AsNoTracking().Where(o => o.Id == organisation).Select(o => o.Acronym).SingleAsync(cancellationToken);
        site ??= db.MiningSites.Add(new MiningSite { Name = "", CountryIso3 = "", Minerals = "", Source = "", OrganisationId = organisation }).Entity;
        (site.Name, site.CountryIso3, site.Latitude, site.Longitude) = (name, country, latitude, longitude);
        site.Locality = Clean(input.Locality);
        site.Kind = ApiCodes.Parse<SiteKind>(input.Kind)!.Value;
        site.Minerals = string.Join(", ", input.Minerals!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(m => m.ToLowerInvariant()));
        site.Status = Clean(input.Status);
        site.InCompliantZone = input.InCompliantZone;
        site.Source = acronymOf;
        var created = site.Id == 0;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same site arrived twice at once (the other request recorded it), or a change made it another of the organisation's sites.
            db.ChangeTracker.Clear();
            var other = await db.MiningSites.AsNoTracking().FirstOrDefaultAsync(s => s.OrganisationId == organisation && s.Name == name
                && s.CountryIso3 == country && s.Latitude == latitude && s.Longitude == longitude, cancellationToken);
            if (other is null)
                throw;
            return created ? (SiteOutcome.Repeated, other, [])
                : (SiteOutcome.Invalid, site, new() { ["duplicate"] = [$"Your organisation already records this site as site {other.Id}: change that one."] });
        }
        db.ChangeTracker.Clear();
        await audit.AppendAsync(user.Actor(), created ? AuditActions.SiteCreated : AuditActions.SiteChanged, $"site {site.Id}",
            $"{site.Name}, {site.CountryIso3} ({acronymOf})", cancellationToken);
        return (SiteOutcome.Done, site, []);
    }

    /// <summary>What is wrong with a site, field by field, before any database is asked.</summary>
    public static Dictionary<string, string[]> Check(SiteInput s)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(s.Name) || s.Name.Trim().Length > 200)
            errors["name"] = ["Give the site's name as people there say it (up to 200 characters)."];
        if (s.CountryIso3?.Trim().ToUpperInvariant() is not { Length: 3 } country || !CountryCodes.IsKnown(country) || CountryCodes.IsAggregate(country))
            errors["countryIso3"] = ["Give the country's ISO 3166 three-letter code, such as CAF."];
        if (s.Latitude is not (>= -90 and <= 90))
            errors["latitude"] = ["Give the latitude in WGS84 degrees, -90 to 90."];
        if (s.Longitude is not (>= -180 and <= 180))
            errors["longitude"] = ["Give the longitude in WGS84 degrees, -180 to 180."];
        if (ApiCodes.Parse<SiteKind>(s.Kind) is null)
            errors["kind"] = ["Use artisanal, semiIndustrial or industrial."];
        if (s.Minerals is null || s.Minerals.Length > 200 || !s.Minerals.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any())
            errors["minerals"] = ["Name what is dug there, separated by commas (diamond, gold)."];
        if (s.Locality?.Length > 200 || s.Status?.Length > 100)
            errors[s.Locality?.Length > 200 ? "locality" : "status"] = ["A locality of up to 200 characters and a status of up to 100."];
        return errors;
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
