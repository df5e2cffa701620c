using System.Globalization;
using Kimberlite.Accounts;
using Kimberlite.Analysis;
using Kimberlite.Field;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Kimberlite.Statistics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kimberlite.Bench;

/// <summary>
/// `fuzz [--files 10000] [--seed 13] [--repository .]`: mutated copies of every layout through the real
/// importers on a new SQLite database; exits 1 when any file broke a rule (docs/BENCHMARKS.md).
/// </summary>
internal static class FuzzCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var files = int.Parse(Value("--files") ?? "10000", CultureInfo.InvariantCulture);
        var seed = int.Parse(Value("--seed") ?? "13", CultureInfo.InvariantCulture);
        var repository = Path.GetFullPath(Value("--repository") ?? FindRepository());
        var work = Path.Combine(Path.GetTempPath(), $"kimberlite-fuzz-db-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            using var host = await BenchHost.StartAsync(new Dictionary<string, string?>
            {
                ["Kimberlite:DataDirectory"] = work,
                ["Kimberlite:LoadBundledData"] = "false",
                ["Logging:LogLevel:Default"] = "None",
            });

            var seeds = Fuzzer.Seeds(repository);
            Console.WriteLine($"fuzz: {files:N0} files from {seeds.Count} seeds ({string.Join(", ", seeds.Select(s => s.Name))}), seed {seed}");
            var done = 0;
            var report = await new Fuzzer(host.Services, seed).RunAsync(seeds, files, Fuzzer.Mapping(repository), c =>
            {
                if (c.Failure is not null)
                    Console.WriteLine($"FAIL {c.Name} ({c.Mutation}): {c.Failure}");
                if (++done % 500 == 0)
                    Console.WriteLine($"  {done:N0} files");
            });
            Console.WriteLine(Fuzzer.Summary(report));
            foreach (var slow in report.Cases.OrderByDescending(c => c.Seconds).Take(5))
                Console.WriteLine($"slowest: {slow.Name} ({slow.Mutation}) {slow.Seconds:N2} s, {slow.AllocatedBytes / 1e6:N0} MB allocated, {slow.Outcome}");
            foreach (var big in report.Cases.OrderByDescending(c => c.AllocatedBytes).Take(5))
                Console.WriteLine($"most allocated: {big.Name} ({big.Mutation}) {big.AllocatedBytes / 1e6:N0} MB, {big.Seconds:N2} s, {big.Outcome}");
            return report.Failures.Any() ? 1 : 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static string FindRepository()
    {
        var folder = new DirectoryInfo(Directory.GetCurrentDirectory());
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Kimberlite.slnx")))
            folder = folder.Parent;
        return folder?.FullName ?? Directory.GetCurrentDirectory();
    }
}
