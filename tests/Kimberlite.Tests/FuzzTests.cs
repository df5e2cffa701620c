using Kimberlite.Bench;

namespace Kimberlite.Tests;

/// <summary>The benchmark's fuzzer, smaller: a few hundred mutated files of every layout through the real importers.</summary>
public sealed class FuzzTests : EmptyAppTest
{
    [Fact]
    public async Task MutatedFilesOfEveryLayoutNeverCrashNeverLeaveARefusedFileBehindAndNeverBreakTheAnalysis()
    {
        var seeds = Fuzzer.Seeds(Repository.Root);
        Assert.Contains(seeds, s => s.Name.EndsWith(".xlsx"));

        var report = await new Fuzzer(App.Services, seed: 2026).RunAsync(seeds, files: 250, Fuzzer.Mapping(Repository.Root), cancellationToken: Cancel);

        Assert.True(!report.Failures.Any(), Fuzzer.Summary(report));
        Assert.Contains(report.Cases, c => c.Outcome == "Imported");
        Assert.Contains(report.Cases, c => c.Outcome == "Refused");
    }
}
