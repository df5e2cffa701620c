using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Library;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Kimberlite.Bench;

/// <summary>
/// The library's search on a generated corpus (docs/BENCHMARKS.md, "Library search"): pages made of sentences of
/// public-domain books in French, English and Portuguese (bench/corpus) and, one in forty, public sentences from the Kimberley Process and
/// EITI; indexing throughput, database size per 1,000 pages, and each query's p95 beside FTS5's own ranked MATCH.
/// Usage: library [--documents 10000] [--pages 10] [--runs 20] [--postgres "Host=…;Port=…;Username=postgres" [--postgres-only] [--keep]]
/// </summary>
internal static class LibraryBench
{
    private static readonly string[] Queries =
    [
        "Berberati", "diamants", "exportações", "mining", "Tshikapa certificat", "\"Processus de Kimberley\"", "diamant -Angola",
        "Lunda Norte", "receitas", "revenue", "artisanal mines", "exportação diamantes brutos", "bureaux d'achat", "Kasai", "Sodiam",
    ];

    /// <summary>Public sentences (KP review missions, EITI reports) that hold the words the queries look for.</summary>
    private static readonly string[] Planted =
    [
        "La mission d'examen s'est rendue à Berbérati, dans la préfecture de la Mambéré-Kadéï, où les bureaux d'achat ont repris leurs activités.",
        "Les diamants bruts exportés de la zone conforme doivent être accompagnés d'un certificat du Processus de Kimberley.",
        "Les creuseurs de Tshikapa vendent leurs diamants à des négociants venus de Kinshasa.",
        "A exportação de diamantes brutos de Angola é controlada pela Sodiam, que comercializa a produção das minas da Lunda Norte.",
        "As receitas do sector mineiro representam uma parte crescente das receitas do Estado.",
        "Artisanal mines in the Kasai provinces produce most of the country's diamonds, exported through Kinshasa.",
        "The government publishes the contracts of the extractive sector and the revenues from mining.",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var documents = int.Parse(Option("--documents") ?? "10000", CultureInfo.InvariantCulture);
        var pagesPerDocument = int.Parse(Option("--pages") ?? "10", CultureInfo.InvariantCulture);
        var runs = int.Parse(Option("--runs") ?? "20", CultureInfo.InvariantCulture);
        var postgres = Option("--postgres");
        var pools = Pools();
        Console.WriteLine($"corpus: {documents:N0} documents × {pagesPerDocument} pages; sentences fr {pools["fr"].Length}, en {pools["en"].Length}, pt {pools["pt"].Length}");

        var work = Path.Combine(Path.GetTempPath(), $"kimberlite-library-bench-{Guid.NewGuid():N}");
        try
        {
            if (!args.Contains("--postgres-only"))
                await RunAsync("SQLite", new() { ["Kimberlite:DataDirectory"] = Path.Combine(work, "sqlite"), ["Kimberlite:LoadBundledData"] = "false", ["Logging:LogLevel:Default"] = "Warning" },
                documents, pagesPerDocument, runs, pools, Path.Combine(work, "sqlite", "kimberlite.db"));
            if (postgres is not null)
            {
                var database = $"kimberlite_library_bench_{Guid.NewGuid():N}";
                try
                {
                    await RunAsync("PostgreSQL", new()
                    {
                        ["Kimberlite:DataDirectory"] = Path.Combine(work, "postgres"), ["Kimberlite:LoadBundledData"] = "false", ["Logging:LogLevel:Default"] = "Warning",
                        ["Kimberlite:Database:Provider"] = "Postgres", ["Kimberlite:Database:ConnectionString"] = $"{postgres};Database={database}",
                    }, documents, pagesPerDocument, runs, pools, null);
                }
                finally
                {
                    NpgsqlConnection.ClearAllPools();
                    await using var admin = new NpgsqlConnection($"{postgres};Database=postgres");
                    await admin.OpenAsync();
                    if (args.Contains("--keep"))
                        Console.WriteLine($"kept database {database}");
                    else
                        await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin).ExecuteNonQueryAsync();
                }
            }
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (args.Contains("--keep"))
                Console.WriteLine($"kept folder {work}");
            else if (Directory.Exists(work))
                Directory.Delete(work, recursive: true);
        }
    }

    private static async Task RunAsync(string engine, Dictionary<string, string?> settings, int documents, int pagesPerDocument, int runs,
        Dictionary<string, string[]> pools, string? sqliteFile)
    {
        using var host = await BenchHost.StartAsync(settings);
        var clock = Stopwatch.StartNew();
        var random = new Random(17);
        var languages = new[] { "fr", "en", "pt" };
        var countries = new[] { "CAF", "CMR", "COD", "COG", "GAB", "AGO" };
        var publishers = new[] { "Processus de Kimberley", "EITI", "RELUFA", "CENADEP", "UN Group of Experts", "IPIS" };
        var analyse = TimeSpan.Zero;
        for (var first = 0; first < documents; first += 100)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KimberliteDb>();
            var index = scope.ServiceProvider.GetRequiredService<IEnumerable<IPagesExtracted>>().OrderBy(h => h.Order).ToList();
            for (var n = first; n < Math.Min(documents, first + 100); n++)
            {
                var language = languages[n % 3];
                var sha = n.ToString("x64", CultureInfo.InvariantCulture);
                var document = new LibraryDocument
                {
                    Sha256 = sha, StoredName = sha, FileName = $"doc-{n}.pdf", Format = "pdf", Title = $"Document {n} ({language})", Type = (DocumentType)(1 + n % 7),
                    Countries = countries[n % 6], PublishedOn = new DateOnly(2000 + n % 26, 1 + n % 12, 1), Language = language, Publisher = publishers[n % publishers.Length],
                    Visibility = n % 10 == 9 ? DocumentVisibility.Coalition : DocumentVisibility.Public, UploadedBy = "bench", UploadedAtUtc = DateTime.UnixEpoch,
                    UpdatedAtUtc = DateTime.UnixEpoch, Extraction = ExtractionState.Done, PageCount = pagesPerDocument, PagesDone = pagesPerDocument,
                };
                for (var p = 1; p <= pagesPerDocument; p++)
                    document.Pages.Add(new DocumentPage { Number = p, Text = Page(random, pools[language]), Source = PageSource.Text });
                var before = clock.Elapsed;
                foreach (var hook in index)
                    await hook.OnExtractedAsync(db, document, document.Pages, CancellationToken.None);
                analyse += clock.Elapsed - before;
                db.Documents.Add(document);
            }
            await db.SaveChangesAsync();
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var pages = documents * pagesPerDocument;

        long bytes;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KimberliteDb>();
            if (sqliteFile is not null)
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)");
                bytes = new FileInfo(sqliteFile).Length;
            }
            else
            {
                // What autovacuum does within a minute of a bulk load; without it the planner takes the tables for empty.
                await db.Database.ExecuteSqlRawAsync("ANALYZE");
                bytes = await db.Database.SqlQueryRaw<long>("SELECT pg_database_size(current_database()) AS \"Value\"").SingleAsync();
            }
        }
        Console.WriteLine($"{engine}: indexed {pages:N0} pages in {seconds:N1} s: {pages / seconds:N0} pages/s (analysis alone {pages / analyse.TotalSeconds:N0} pages/s); "
            + $"database {bytes / 1e6:N0} MB, {bytes / 1e6 / pages * 1000:N1} MB per 1,000 pages");

        var anonymous = new ClaimsPrincipal(new ClaimsIdentity());
        Console.WriteLine($"| query | {engine} results | {engine} p50 ms | {engine} p95 ms |{(sqliteFile is null ? "" : " FTS5 MATCH rows | FTS5 p95 ms |")}");
        var all = new List<double>();
        foreach (var q in Queries)
        {
            var query = SearchQuery.Parse(q);
            var times = new List<double>();
            var total = 0;
            for (var r = 0; r < runs + 2; r++)
            {
                await using var scope = host.Services.CreateAsyncScope();
                var search = scope.ServiceProvider.GetRequiredService<LibrarySearch>();
                var watch = Stopwatch.StartNew();
                var results = await search.SearchAsync(anonymous, query, new DocumentFilter(), 1, 20, CancellationToken.None);
                if (r >= 2)
                    times.Add(watch.Elapsed.TotalMilliseconds);
                total = results.Total;
            }
            all.AddRange(times);
            var line = $"| `{q}` | {total:N0} | {Percentile(times, 50):N1} | {Percentile(times, 95):N1} |";
            if (sqliteFile is not null && query.Required.Count > 0)
            {
                // FTS5's own query on the same terms, ranked by its bm25 and cut to a page of 20, with no visibility, phrase or facet.
                var match = SqliteFullTextIndex.Query(query.Required.Select(w => w.Stems).ToList());
                await using var connection = new SqliteConnection($"Data Source={sqliteFile}");
                await connection.OpenAsync();
                var raw = new List<double>();
                var rows = 0;
                for (var r = 0; r < runs + 2; r++)
                {
                    var watch = Stopwatch.StartNew();
                    await using var command = new SqliteCommand("""SELECT rowid FROM "DocumentPagesFts" WHERE "DocumentPagesFts" MATCH $q ORDER BY rank LIMIT 20""", connection);
                    command.Parameters.AddWithValue("$q", match);
                    await using var reader = await command.ExecuteReaderAsync();
                    rows = 0;
                    while (await reader.ReadAsync())
                        rows++;
                    if (r >= 2)
                        raw.Add(watch.Elapsed.TotalMilliseconds);
                }
                await using var count = new SqliteCommand("""SELECT count(*) FROM "DocumentPagesFts" WHERE "DocumentPagesFts" MATCH $q""", connection);
                count.Parameters.AddWithValue("$q", match);
                line += $" {Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture):N0} pages | {Percentile(raw, 95):N2} |";
            }
            Console.WriteLine(line);
        }
        Console.WriteLine($"{engine}: p95 over every query {Percentile(all, 95):N1} ms, p50 {Percentile(all, 50):N1} ms");
    }

    private static double Percentile(List<double> values, int percent)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>About 300 words: sentences of the page's language, and now and then a public sentence of the corpus.</summary>
    private static string Page(Random random, string[] pool)
    {
        var text = new System.Text.StringBuilder();
        while (text.Length < 1_800)
        {
            var sentence = random.Next(40) == 0 ? Planted[random.Next(Planted.Length)] : pool[random.Next(pool.Length)];
            text.Append(sentence).Append(' ');
        }
        return text.ToString();
    }

    /// <summary>The sentences of public-domain books in each language (bench/corpus, sources in its README.md): real prose, not the project's own text.</summary>
    private static Dictionary<string, string[]> Pools()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Kimberlite.slnx")))
            root = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar)) ?? throw new InvalidOperationException("Run from within the repository.");
        return new() { ["fr"] = CorpusSentences.Read(root, "fr"), ["en"] = CorpusSentences.Read(root, "en"), ["pt"] = CorpusSentences.Read(root, "pt") };
    }
}
