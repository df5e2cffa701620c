using System.Globalization;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics.Import;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Analysis.Rates;

/// <summary>The outcome of a file of rates: the rates added or replaced, or the rows refused (none stored then).</summary>
public sealed record RatesImport(int Added, int Replaced, IReadOnlyList<string> Refused);

/// <summary>
/// Legal rates from a CSV file (data/legal_rates.csv's columns): the bundled ones into a database that has
/// none, a deployment's own with `kimberlite rates import FILE`, all rows or none, in the audit trail.
/// </summary>
public sealed class LegalRateStore(KimberliteDb db, AuditLog audit, TimeProvider clock, ILogger<LegalRateStore> logger)
{
    public const string File = "legal_rates.csv", Bundled = "bundled", AuditAction = "legal-rates-imported";

    public static readonly string[] Columns =
        ["country_iso3", "instrument", "rate_pct", "in_force_from", "in_force_to", "source", "source_publisher", "as_published", "notes"];

    /// <summary>The rates of data/legal_rates.csv, into a database that has no rate yet (a new one, or one from before rates were data).</summary>
    public async Task LoadBundledAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(BundledData.Folder, File);
        if (!System.IO.File.Exists(path) || await db.LegalRates.AnyAsync(cancellationToken))
            return;
        var result = await ImportAsync(await System.IO.File.ReadAllBytesAsync(path, cancellationToken), File, Bundled, cancellationToken);
        logger.LogInformation("Bundled {File}: {Count} legal rates loaded", File, result.Added);
    }

    public async Task<RatesImport> ImportAsync(byte[] content, string fileName, string actor, CancellationToken cancellationToken)
    {
        var (rates, refused) = Read(content, fileName, actor == Bundled ? Bundled : $"{actor}: {Path.GetFileName(fileName)}");
        if (refused.Count > 0)
            return new RatesImport(0, 0, refused);
        var now = clock.GetUtcNow().UtcDateTime;
        var known = await db.LegalRates.ToListAsync(cancellationToken);
        int added = 0, replaced = 0;
        foreach (var rate in rates)
        {
            rate.AddedAtUtc = now;
            var old = known.FirstOrDefault(r => r.CountryIso3 == rate.CountryIso3 && r.InForceFrom == rate.InForceFrom
                                                && string.Equals(r.Instrument, rate.Instrument, StringComparison.OrdinalIgnoreCase));
            if (old is not null)
            {
                db.LegalRates.Remove(old);
                replaced++;
            }
            else
                added++;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken); // removals first: the unique index holds a replaced rate's place
        db.LegalRates.AddRange(rates);
        await db.SaveChangesAsync(cancellationToken);
        if (actor != Bundled)
            await audit.AppendInAsync(db, actor, AuditAction, Path.GetFileName(fileName), $"{added} added, {replaced} replaced", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new RatesImport(added, replaced, []);
    }

    /// <summary>Every row as a rate, or the reasons rows are refused (line: column value).</summary>
    public static (List<LegalRate> Rates, List<string> Refused) Read(byte[] content, string fileName, string addedBy)
    {
        Table table;
        try
        {
            table = Table.Read(content, fileName);
        }
        catch (TableException e)
        {
            return ([], [$"{e.Line}: {e.Reason} {e.Value}"]);
        }
        var headers = table.Headers.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var missing = Columns.Take(7).Where(c => !headers.Contains(c)).ToList();
        if (missing.Count > 0)
            return ([], [$"1: {string.Join(", ", missing)}"]);
        var rates = new List<LegalRate>();
        var refused = new List<string>();
        foreach (var row in table.Rows)
        {
            string Cell(string column) => headers.IndexOf(column) is var i and >= 0 && i < row.Cells.Length ? row.Cells[i].Trim() : "";
            var problems = new List<string>();
            var country = Cell("country_iso3").ToUpperInvariant();
            if (country.Length != 3 || !country.All(char.IsAsciiLetterUpper))
                problems.Add($"country_iso3 '{country}'");
            if (!decimal.TryParse(Cell("rate_pct"), NumberStyles.Number, CultureInfo.InvariantCulture, out var rate) || rate is < 0 or > 100)
                problems.Add($"rate_pct '{Cell("rate_pct")}'");
            var from = Year(Cell("in_force_from"));
            if (from is null)
                problems.Add($"in_force_from '{Cell("in_force_from")}'");
            var to = Cell("in_force_to") is "" ? null : Year(Cell("in_force_to"));
            if (Cell("in_force_to") is not "" && (to is null || to < from))
                problems.Add($"in_force_to '{Cell("in_force_to")}'");
            foreach (var required in new[] { "instrument", "source", "source_publisher" }.Where(c => Cell(c) is ""))
                problems.Add($"{required} ''");
            if (problems.Count > 0)
            {
                refused.Add($"{row.Line}: {string.Join(", ", problems)}");
                continue;
            }
            rates.Add(new LegalRate
            {
                CountryIso3 = country, Instrument = Cell("instrument"), RatePercent = rate, InForceFrom = from!.Value, InForceTo = to,
                Source = Cell("source"), Publisher = Cell("source_publisher"), AsPublished = Empty(Cell("as_published")), Notes = Empty(Cell("notes")), AddedBy = addedBy,
            });
        }
        // Two rows of one instrument from one year in one file: which to keep is the file's author's call, not ours.
        foreach (var twin in rates.GroupBy(r => (r.CountryIso3, Instrument: r.Instrument.ToLowerInvariant(), r.InForceFrom)).Where(g => g.Count() > 1))
            refused.Add($"{twin.Key.CountryIso3} {twin.Key.Instrument} {twin.Key.InForceFrom}: twice");
        return (rates, refused);
    }

    private static int? Year(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1900 and <= 2100 ? year : null;

    private static string? Empty(string text) => text.Length == 0 ? null : text;
}
