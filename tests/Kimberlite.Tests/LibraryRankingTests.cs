using System.Net.Http.Json;
using System.Text.Json;
using Kimberlite.Library;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>How the library ranks what it finds (docs/decisions/033-search.md), each test on a library of its own.</summary>
public sealed class LibraryRankingTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static (string, DocumentType, string, int, string, string, DocumentVisibility, string?, bool, string[]) Document(string title, DocumentVisibility visibility, params string[] pages) =>
        (title, DocumentType.Report, "CAF", 2024, "fr", "RELUFA", visibility, null, false, pages);

    private static async Task<List<(string Title, double Score)>> SearchAsync(HttpClient client, string q)
    {
        var results = await client.GetFromJsonAsync<JsonElement>("/api/v1/documents?q=" + Uri.EscapeDataString(q), Cancel);
        return results.GetProperty("documents").EnumerateArray().Select(d => (d.GetProperty("title").GetString()!, d.GetProperty("score").GetDouble())).ToList();
    }

    [Fact]
    public async Task APageThatRepeatsTheWordRanksAboveOneThatSaysItOnceAndStopWordsAreNotCounted()
    {
        await using var app = new KimberliteApp(loadBundledData: false);
        await LibraryApp.AddAsync(app, Document("Une mention", DocumentVisibility.Public, "Le rapport cite Berbérati une fois, parmi les villes de la préfecture de la Mambéré-Kadéï."), 1);
        await LibraryApp.AddAsync(app, Document("Trois mentions", DocumentVisibility.Public, "À Berbérati, les bureaux d'achat de Berbérati exportent le diamant de Berbérati vers Bangui par la route nationale."), 2);

        Assert.Equal(["Trois mentions", "Une mention"], (await SearchAsync(app.CreateClient(), "Berberati")).Select(r => r.Title));
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Infrastructure.Data.KimberliteDb>();
        var repeated = await db.PageTerms.Select(t => t.Term).ToListAsync(Cancel);
        Assert.Contains("berberati", repeated);
        Assert.DoesNotContain("de", repeated);
        Assert.DoesNotContain("la", repeated);
    }

    [Fact]
    public async Task ACoalitionDocumentChangesNothingOfTheScoresAnAnonymousReaderSeesAndAMemberScoresPublicDocumentsAlike()
    {
        await using var app = new KimberliteApp(loadBundledData: false);
        await LibraryApp.AddAsync(app, Document("Rapport public", DocumentVisibility.Public, "Les diamants de Carnot partent vers Berbérati.", "Le certificat manque à Carnot."), 1);
        await LibraryApp.AddAsync(app, Document("Autre rapport public", DocumentVisibility.Public, "Les creuseurs de Nola vendent leurs diamants."), 2);
        var before = await SearchAsync(app.CreateClient(), "diamants Carnot");

        // Ten pages that hold both words, visible to members only: were they counted, both words would weigh less.
        await LibraryApp.AddAsync(app, Document("Note de la coalition", DocumentVisibility.Coalition,
            [.. Enumerable.Range(1, 10).Select(n => $"Page {n} : les diamants de Carnot, encore les diamants de Carnot.")]), 3);

        Assert.Equal(before, await SearchAsync(app.CreateClient(), "diamants Carnot"));
        Assert.Single(before);
        var member = await SearchAsync(await People.ApiClientAsync(app, $"viewer-{Guid.NewGuid():N}@example.org", Accounts.MemberRole.Viewer), "diamants Carnot");
        Assert.Equal(["Note de la coalition", "Rapport public"], member.Select(r => r.Title).Order());
        Assert.Equal(before[0], member.Single(r => r.Title == "Rapport public"));
    }

    [Fact]
    public async Task PagesIndexedBeforeWordsWereCountedAreAnalysedAgainAndTheirPhrasesFound()
    {
        await using var app = new KimberliteApp(loadBundledData: false);
        var id = await LibraryApp.AddAsync(app, Document("Ancien index", DocumentVisibility.Public, "Le Processus de Kimberley exige un certificat pour chaque lot de diamants."), 1);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // As a page indexed before migration I17Rank stands: one space between every term, no word count, no repeated terms.
            var db = scope.ServiceProvider.GetRequiredService<Infrastructure.Data.KimberliteDb>();
            var page = await db.DocumentPages.SingleAsync(p => p.DocumentId == id, Cancel);
            await db.PageTerms.Where(t => t.PageId == page.Id).ExecuteDeleteAsync(Cancel);
            page.Terms = string.Join(' ', page.Terms.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            page.WordCount = 0;
            await db.SaveChangesAsync(Cancel);
        }
        Assert.Empty(await SearchAsync(app.CreateClient(), "\"Processus de Kimberley\""));

        await using (var scope = app.Services.CreateAsyncScope())
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<LibrarySearch>().ReindexAsync(Cancel, staleOnly: true));

        Assert.Equal(["Ancien index"], (await SearchAsync(app.CreateClient(), "\"Processus de Kimberley\"")).Select(r => r.Title));
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<LibrarySearch>().ReindexAsync(Cancel, staleOnly: true));
    }
}
