using Kimberlite.Accounts;
using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Kimberlite.Analysis;
using Kimberlite.Field;
using Kimberlite.Bench;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Comtrade;
using Kimberlite.Statistics.Import;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

// Measures, in one run and on the same synthetic Comtrade file (and the production beside it): Kimberlite's
// import into SQLite (and PostgreSQL when given), its full analysis, and DuckDB loading the files and
// computing the same mirror gaps and balances.
// Usage: dotnet run -c Release --project bench/Kimberlite.Bench -- library [--documents 10000] [--pages 10] [--runs 20] [--postgres …] (LibraryBench.cs)
//        dotnet run -c Release --project bench/Kimberlite.Bench -- pages --url http://localhost:5105 [--runs 3] (PagesBench.cs)
//        dotnet run -c Release --project bench/Kimberlite.Bench -- fuzz [--files 10000] [--seed 13] (see Fuzz.cs)
//        dotnet run -c Release --project bench/Kimberlite.Bench -- [--reporters 200] [--partners 100]
//        [--years 25] [--seed 7] [--planted 0.002] [--postgres "Host=127.0.0.1;Port=5432;Username=postgres"] [--keep] [--cold]
if (args.FirstOrDefault() == "library")
    return await LibraryBench.RunAsync(args[1..]);
if (args.FirstOrDefault() == "pages")
    return await PagesBench.RunAsync(args[1..]);
if (args.FirstOrDefault() == "fuzz")
    return await FuzzCommand.RunAsync(args[1..]);
var options = Args.Parse(args);
var work = Path.Combine(Path.GetTempPath(), $"kimberlite-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(work);
var file = Path.Combine(work, "comtrade-7102.csv");
var productionFile = Path.Combine(work, "kp-production.csv");
var culture = CultureInfo.InvariantCulture;
var results = new List<(string Step, double Seconds, string Detail)>();

try
{
    // Years before the bundled data's (2004–2023), so the bundled production never stands in for the synthetic one.
    var generator = new ComtradeGenerator(options.Reporters, options.Partners, 1975, options.Years, options.Seed, options.Planted);
    var countries = CountryCodes.All.ToList();
    var clock = Stopwatch.StartNew();
    var planted = (Mirror: generator.Write(file, countries).Count, Balance: generator.WriteProduction(productionFile, countries).Count);
    Report("generate files", clock.Elapsed.TotalSeconds,
        $"{generator.Rows:N0} rows, {new FileInfo(file).Length / 1e6:N0} MB, {planted.Mirror} mirror gaps and {planted.Balance} balances planted");

    var sqlite = await RunKimberlite("SQLite", new() { ["Kimberlite:DataDirectory"] = Path.Combine(work, "sqlite") }, generator.Rows);
    if (options.Postgres is { } server)
    {
        var database = $"kimberlite_bench_{Guid.NewGuid():N}";
        try
        {
            await RunKimberlite("PostgreSQL", new()
            {
                ["Kimberlite:Database:Provider"] = "Postgres",
                ["Kimberlite:Database:ConnectionString"] = $"{server};Database={database}",
            }, generator.Rows);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection($"{server};Database=postgres");
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin).ExecuteNonQueryAsync();
        }
    }

    var duck = await RunDuckDb(file, productionFile);
    Console.WriteLine();
    Console.WriteLine($"planted {planted}; Kimberlite (SQLite) {sqlite}; DuckDB {duck}");
    var agree = planted == sqlite && sqlite == duck;
    Console.WriteLine(agree ? "AGREE: every engine found exactly the planted anomalies" : "DISAGREE");
    var analysis = results.First(r => r.Step == "Kimberlite analysis, SQLite").Seconds;
    var query = results.First(r => r.Step == "DuckDB mirror gap and balance").Seconds;
    // On a shared machine the ratio means little without the load it was measured under.
    var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
    Console.WriteLine($"analysis ÷ DuckDB query: {analysis / query:N2}× (target 2×); analysis {analysis:N2} s (target 3 s); load average {load}");
    PrintTable();
    return agree ? 0 : 1;
}
finally
{
    if (!options.Keep)
        Directory.Delete(work, recursive: true);
}

async Task<(int Mirror, int Balance)> RunKimberlite(string engine, Dictionary<string, string?> settings, long rows)
{
    // What the engine before left behind is collected first, so it does not add to this engine's peak.
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    // As `dotnet run` starts the observatory: the bundled public data loaded and analysed first, so the
    // engine measured below runs warm, as it does behind the import page. --cold starts from nothing,
    // as a fresh `kimberlite import comtrade` process does (EF Core and the JIT then add a few tenths of a second).
    settings["Kimberlite:LoadBundledData"] = options.Cold ? "false" : "true";
    settings["Logging:LogLevel:Default"] = "Warning";
    // A new PostgreSQL database is probed before it is created; EF logs that expected miss as an error.
    settings["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Connection"] = "None";
    using var host = await BenchHost.StartAsync(settings);

    var clock = Stopwatch.StartNew();
    using (var scope = host.Services.CreateScope())
    {
        var result = await scope.ServiceProvider.GetRequiredService<ComtradeImporter>().ImportAsync(file, new Provenance("Synthetic HS 7102", Publisher: "Kimberlite bench (synthetic)"));
        if (result.Outcome != ImportOutcome.Imported)
            throw new InvalidOperationException($"The import was {result.Outcome}: {string.Join("; ", result.Problems.Take(5))}");
    }
    var seconds = clock.Elapsed.TotalSeconds;
    Report($"Kimberlite import, {engine}", seconds, $"{rows / seconds:N0} rows/s");

    clock.Restart();
    using (var scope = host.Services.CreateScope())
    {
        var result = await scope.ServiceProvider.GetRequiredService<StatisticsImporter>()
            .ImportAsync(await File.ReadAllBytesAsync(productionFile), Path.GetFileName(productionFile), new Provenance("Synthetic production"));
        if (result.Outcome != ImportOutcome.Imported)
            throw new InvalidOperationException($"The production import was {result.Outcome}: {string.Join("; ", result.Problems.Take(5))}");
    }
    Report($"Kimberlite production, {engine}", clock.Elapsed.TotalSeconds, $"{options.Reporters * options.Years:N0} rows");

    clock.Restart();
    var cpu = Cpu();
    AnalysisSummary summary;
    using (var scope = host.Services.CreateScope())
        summary = await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync();
    var found = (Mirror: Count(FindingRule.MirrorGap), Balance: Count(FindingRule.Balance));
    Report($"Kimberlite analysis, {engine}", clock.Elapsed.TotalSeconds, $"{summary.Active.Count} findings, {found.Mirror} mirror gaps, {found.Balance} balances; CPU {Cpu() - cpu:N2} s");
    return found;

    int Count(FindingRule rule) => summary.Active.Count(f => f.Rule == rule && f.FromComtrade);
}

async Task<(int Mirror, int Balance)> RunDuckDb(string path, string production)
{
    await using var connection = new DuckDBConnection("Data Source=:memory:");
    await connection.OpenAsync();
    var clock = Stopwatch.StartNew();
    await using (var load = connection.CreateCommand())
    {
        load.CommandText = $"""
            CREATE TABLE flows AS SELECT * FROM read_csv('{path.Replace("'", "''")}', header = true, auto_detect = true);
            CREATE TABLE production AS SELECT * FROM read_csv('{production.Replace("'", "''")}', header = true, auto_detect = true);
            """;
        await load.ExecuteNonQueryAsync();
    }
    Report("DuckDB load (in memory)", clock.Elapsed.TotalSeconds, "read_csv");

    clock.Restart();
    var cpu = Cpu();
    await using var query = connection.CreateCommand();
    // The same rules as Kimberlite's, on yearly totals over the six-digit subheadings. Mirror gap: exports
    // against mirror imports, 15 %. Balance: a reporter's exports against its production plus its imports, 10 %.
    query.CommandText = """
        WITH t AS (
            SELECT reporterISO AS r, partnerISO AS p, refYear AS y, flowCode AS f, sum(qty) AS ct, sum(primaryValue) AS usd
            FROM flows WHERE freqCode = 'A' AND isAggregate = false GROUP BY ALL),
        d AS (
            SELECT r, y, sum(ct) FILTER (WHERE f = 'X') AS x, coalesce(sum(ct) FILTER (WHERE f = 'M'), 0) AS m FROM t GROUP BY r, y)
        SELECT (SELECT count(*) FROM t x JOIN t m ON x.r = m.p AND x.p = m.r AND x.y = m.y
                 WHERE x.f = 'X' AND m.f = 'M' AND abs(m.ct - x.ct) > 0.15 * abs(x.ct))
             + (SELECT count(*) FROM t x JOIN t m ON x.r = m.p AND x.p = m.r AND x.y = m.y
                 WHERE x.f = 'X' AND m.f = 'M' AND abs(m.usd - x.usd) > 0.15 * abs(x.usd)),
               (SELECT count(*) FROM d JOIN production p ON p.country_iso3 = d.r AND p.year = d.y WHERE d.x > (p.carats + d.m) * 1.10)
        """;
    await using var reader = await query.ExecuteReaderAsync();
    await reader.ReadAsync();
    var found = (Mirror: Convert.ToInt32(reader.GetValue(0), culture), Balance: Convert.ToInt32(reader.GetValue(1), culture));
    Report("DuckDB mirror gap and balance", clock.Elapsed.TotalSeconds, $"{found.Mirror} mirror gaps, {found.Balance} balances; CPU {Cpu() - cpu:N2} s");
    return found;
}

// The process's processor time, every thread: on a machine shared with other work, wall-clock seconds also count the waits.
static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

void Report(string step, double seconds, string detail)
{
    var peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1e6;
    results.Add((step, seconds, $"{detail}; process peak {peak:N0} MB"));
    Console.WriteLine($"{step,-34} {seconds,8:N2} s   {detail}; process peak {peak:N0} MB");
}

void PrintTable()
{
    Console.WriteLine();
    Console.WriteLine("| step | seconds | detail |");
    Console.WriteLine("| --- | --- | --- |");
    foreach (var (step, seconds, detail) in results)
        Console.WriteLine($"| {step} | {seconds.ToString("N2", culture)} | {detail} |");
}

internal sealed record Args(int Reporters, int Partners, int Years, int Seed, double Planted, string? Postgres, bool Keep, bool Cold)
{
    public static Args Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new Args(Int("--reporters", 200), Int("--partners", 100), Int("--years", 25), Int("--seed", 7),
            Value("--planted") is { } p ? double.Parse(p, CultureInfo.InvariantCulture) : 0.002, Value("--postgres"), args.Contains("--keep"), args.Contains("--cold"));
    }
}
