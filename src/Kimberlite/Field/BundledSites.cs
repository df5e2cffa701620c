using System.Globalization;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics.Import;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Field;

/// <summary>
/// The artisanal mining sites of western Central African Republic that IPIS publishes (bundled in
/// `data/`), loaded into a database that has no site yet. IPIS open data is ODC-BY: the source of
/// every site credits IPIS.
/// </summary>
public sealed class BundledSites(KimberliteDb db, ILogger<BundledSites> logger)
{
    public const string File = "ipis_car_site_destinations.csv";
    public const string Source = "IPIS — International Peace Information Service, open data (ODC-BY), github.com/IPISResearch/webmap_CAF";

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(BundledData.Folder, File);
        if (!System.IO.File.Exists(path) || await db.MiningSites.AnyAsync(cancellationToken))
            return;
        var table = Table.Read(await System.IO.File.ReadAllBytesAsync(path, cancellationToken), File);
        int Column(string name) => table.Headers.ToList().IndexOf(name);
        var (id, name, mineral, lon, lat) = (Column("id"), Column("site_name"), Column("mineral_en"), Column("site_lon"), Column("site_lat"));
        foreach (var row in table.Rows)
        {
            db.MiningSites.Add(new MiningSite
            {
                Name = row.Cells[name].Trim(), CountryIso3 = "CAF", Kind = SiteKind.Artisanal, Minerals = row.Cells[mineral].Trim(),
                Latitude = double.Parse(row.Cells[lat], CultureInfo.InvariantCulture), Longitude = double.Parse(row.Cells[lon], CultureInfo.InvariantCulture),
                Source = Source, SourceId = $"webmap_CAF:{row.Cells[id]}",
            });
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another server loaded them at the same moment.
            db.ChangeTracker.Clear();
            return;
        }
        db.ChangeTracker.Clear();
        logger.LogInformation("Bundled {File}: {Count} mining sites loaded (IPIS)", File, table.Rows.Count);
    }
}
