using Kimberlite.Library;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Tests;

/// <summary>`kimberlite library reindex`, run as an operator runs it after the analyzer changed, on the search tests' documents.</summary>
public sealed class LibraryReindexCommandTests(LibraryApp app) : IClassFixture<LibraryApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheReindexCommandAnalysesEveryPageAgainAndSaysHowManyPagesItReindexed()
    {
        // Terms as an older analyzer left them: nothing a search of today's stems finds.
        await app.WithDb(db => db.DocumentPages.ExecuteUpdateAsync(s => s.SetProperty(p => p.Terms, "stale"), Cancel));

        var (exit, output, errors) = await CommandLine.RunAsync(app, "library", "reindex");

        Assert.Equal((0, ""), (exit, errors));
        var pages = LibraryApp.Documents.Sum(d => d.Pages.Length);
        Assert.Equal($"{pages} page(s) re-indexed", output.Trim());
        var stored = await app.WithDb(db => db.DocumentPages.AsNoTracking().Select(p => new { p.Text, p.Terms }).ToListAsync(Cancel));
        Assert.Equal(pages, stored.Count);
        Assert.All(stored, p => Assert.Equal(TextAnalyzer.Terms(p.Text), p.Terms));
        var found = await (await app.CreateClient().GetAsync("/api/v1/documents?q=Berberati", Cancel)).Content.ReadAsStringAsync(Cancel);
        Assert.Contains("Mission d'examen du Processus de Kimberley en Centrafrique", System.Text.Json.JsonDocument.Parse(found).RootElement.GetProperty("documents")[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task TheReindexCommandIsListedInTheHelp()
    {
        var (exit, output, _) = await CommandLine.RunAsync(app, "library", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("reindex", output);
        Assert.Contains("rebuilds the search index", output);
    }
}
