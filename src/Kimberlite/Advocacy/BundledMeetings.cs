using System.Text.Json;
using Kimberlite.Infrastructure.Api;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics.Import;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Advocacy;

/// <summary>
/// The meetings bundled in `data/meetings.json`, loaded once each by their key: the first is the workshop of the
/// seed document, in the seed's own words, with its seven organisations and its stated aims.
/// </summary>
public sealed class BundledMeetings(KimberliteDb db, TimeProvider clock, ILogger<BundledMeetings> logger)
{
    public const string File = "meetings.json";
    public const string SeedWorkshop = "seed-workshop";

    private sealed record Entry(string Key, string Kind, string Title, string Language, string[] Countries, string[] Organisations,
        DateOnly? StartsOn, DateOnly? EndsOn, string? Place, string Description, string[] Aims, string Source, bool Published);

    private sealed record Manifest(Entry[] Meetings);

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(BundledData.Folder, File);
        if (!System.IO.File.Exists(path))
            return;
        var manifest = JsonSerializer.Deserialize<Manifest>(await System.IO.File.ReadAllBytesAsync(path, cancellationToken), JsonSerializerOptions.Web)!;
        var known = await db.Meetings.AsNoTracking().Where(m => m.Key != null).Select(m => m.Key!).ToListAsync(cancellationToken);
        var organisations = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Acronym, o => o.Id, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var added = 0;
        foreach (var e in manifest.Meetings.Where(e => !known.Contains(e.Key)))
        {
            db.Meetings.Add(new Meeting
            {
                ClientId = Guid.NewGuid(), Key = e.Key, Kind = ApiCodes.Parse<MeetingKind>(e.Kind) ?? MeetingKind.Other, Title = e.Title, Language = e.Language,
                Countries = Countries.Join(e.Countries), StartsOn = e.StartsOn, EndsOn = e.EndsOn, Place = e.Place, Description = e.Description,
                Aims = string.Join('\n', e.Aims), Source = e.Source, IsPublished = e.Published, PublishedAtUtc = e.Published ? now : null,
                CreatedAtUtc = now, UpdatedAtUtc = now,
                Organisations = [.. e.Organisations.Where(organisations.ContainsKey).Select(a => new MeetingOrganisation { OrganisationId = organisations[a] })],
            });
            added++;
        }
        if (added == 0)
            return;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Bundled {File}: {Count} meetings loaded", File, added);
        }
        catch (DbUpdateException)
        {
            // Another server loaded them at the same moment.
        }
        db.ChangeTracker.Clear();
    }
}
