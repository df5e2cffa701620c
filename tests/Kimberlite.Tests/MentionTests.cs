using System.Net;
using Kimberlite.Accounts;
using Kimberlite.Library;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>What the mention finder recognises in real sentences of the three languages, and the pages that list it.</summary>
public sealed class MentionTests(BundledApp app) : IClassFixture<BundledApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static bool Has(IEnumerable<DocumentMention> mentions, MentionKind kind, string key, int page) =>
        mentions.Any(m => m.Kind == kind && m.Key == key && m.Page == page);

    [Fact]
    public async Task AFrenchPageNamesTheCountryItsTownTheSitesAndTheSumsInCaratsAndDollars()
    {
        var site = await app.WithDb(db => db.MiningSites.Where(s => s.Name == "Gbabé").Select(s => s.Id).FirstAsync(Cancel));
        var id = await LibraryDocuments.AddAsync(app, "Rapport RCA", DocumentVisibility.Public, "RELUFA",
            "En République centrafricaine, les comptoirs de Berberati ont exporté 1 234 567 carats, soit US$ 12,5 millions, selon le Processus de Kimberley.",
            "Le chantier de Gbabé, près de la préfecture de Mambéré-Kadéï, livre 45.000 quilates par an à la RCA et à SODIAM.");

        var mentions = await LibraryDocuments.MentionsAsync(app, id);

        Assert.True(Has(mentions, MentionKind.Country, "CAF", 1));
        Assert.True(Has(mentions, MentionKind.Province, "CAF:Berbérati", 1));
        Assert.True(Has(mentions, MentionKind.Carats, "1234567", 1));
        Assert.True(Has(mentions, MentionKind.Usd, "12500000", 1));
        Assert.True(Has(mentions, MentionKind.Organisation, "KP", 1));
        Assert.True(Has(mentions, MentionKind.Site, site.ToString(System.Globalization.CultureInfo.InvariantCulture), 2));
        Assert.True(Has(mentions, MentionKind.Province, "CAF:Mambéré-Kadéï", 2));
        Assert.True(Has(mentions, MentionKind.Carats, "45000", 2));
        Assert.True(Has(mentions, MentionKind.Country, "CAF", 2));
        Assert.Equal("Berberati", mentions.Single(m => m.Key == "CAF:Berbérati").Text);
    }

    [Fact]
    public async Task PortugueseAndEnglishPagesNameAngolanAndCongolesePlacesAndSums()
    {
        var id = await LibraryDocuments.AddAsync(app, "Relatório", DocumentVisibility.Public, "OSCJ",
            "Na província da Lunda Norte, Angola, a Endiama declarou exportações de 4,5 milhões de dólares e 1,2 milhões de quilates.",
            "In Kasaï, Democratic Republic of the Congo, artisanal diggers sold $1.2 million worth of rough diamonds, about 300,000 carats, the UN Group of Experts found; the EITI report for the DRC agrees.",
            "Le Congo et l'Oubangui se rejoignent ; 12 millions de dollars ont transité par Congo-Brazzaville et 3 000 ct par le Cameroun.");

        var mentions = await LibraryDocuments.MentionsAsync(app, id);

        Assert.True(Has(mentions, MentionKind.Province, "AGO:Lunda-Norte", 1));
        Assert.True(Has(mentions, MentionKind.Country, "AGO", 1));
        Assert.True(Has(mentions, MentionKind.Organisation, "Endiama", 1));
        Assert.True(Has(mentions, MentionKind.Usd, "4500000", 1));
        Assert.True(Has(mentions, MentionKind.Carats, "1200000", 1));
        Assert.True(Has(mentions, MentionKind.Province, "COD:Kasaï", 2));
        Assert.True(Has(mentions, MentionKind.Country, "COD", 2));
        // The longest name wins: the DRC is not also the Republic of the Congo.
        Assert.False(Has(mentions, MentionKind.Country, "COG", 2));
        Assert.True(Has(mentions, MentionKind.Usd, "1200000", 2));
        Assert.True(Has(mentions, MentionKind.Carats, "300000", 2));
        Assert.True(Has(mentions, MentionKind.Organisation, "UNGOE", 2));
        Assert.True(Has(mentions, MentionKind.Organisation, "EITI", 2));
        // "Congo" alone is the river or either country: it names neither; Congo-Brazzaville does.
        Assert.Equal(["CMR", "COG"], mentions.Where(m => m.Page == 3 && m.Kind == MentionKind.Country).Select(m => m.Key).Order().ToArray());
        Assert.True(Has(mentions, MentionKind.Usd, "12000000", 3));
        Assert.True(Has(mentions, MentionKind.Carats, "3000", 3));
    }

    [Fact]
    public async Task TheCountryPageListsAPublicDocumentThatMentionsItAndACoalitionOneOnlyToMembers()
    {
        var shown = $"Public report {Guid.NewGuid():N}";
        var canary = $"CANARY coalition {Guid.NewGuid():N}";
        var publicId = await LibraryDocuments.AddAsync(app, shown, DocumentVisibility.Public, "CDHD", "Intro", "Les diamants du Gabon passent par Libreville.");
        var coalitionId = await LibraryDocuments.AddAsync(app, canary, DocumentVisibility.Coalition, "CDHD", "Le Gabon et le Haut-Ogooué.");

        var anonymous = await app.CreateClient().GetStringAsync("/countries/GAB", Cancel);
        Assert.Contains(shown, anonymous);
        Assert.Contains($"/library/{publicId}?page=2#page-2", anonymous);
        Assert.DoesNotContain(canary, anonymous);
        Assert.DoesNotContain($"/library/{coalitionId}", anonymous);

        var viewer = await People.SignInAsync(app, (await People.CreateAsync(app, $"viewer-{Guid.NewGuid():N}@example.org", MemberRole.Viewer, "RELUFA")).Email!);
        var member = await viewer.GetStringAsync("/countries/GAB", Cancel);
        Assert.Contains(canary, member);
    }

    [Fact]
    public async Task ASitePageListsTheDocumentsNamingTheSite()
    {
        var site = await app.WithDb(db => db.MiningSites.Where(s => s.Name == "Danabondo").Select(s => s.Id).FirstAsync(Cancel));
        var title = $"Field notes {Guid.NewGuid():N}";
        var id = await LibraryDocuments.AddAsync(app, title, DocumentVisibility.Public, "CRAGG", "Nothing here.", "We visited Danabondo in March.");

        var page = await app.CreateClient().GetAsync($"/sites/{site}", Cancel);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("Danabondo", html);
        Assert.Contains(title, html);
        Assert.Contains($"/library/{id}?page=2#page-2", html);
        Assert.Contains($"href=\"/sites/{site}\"", await app.CreateClient().GetStringAsync("/sites?country=CAF", Cancel));
    }

    [Fact]
    public async Task ARetriedExtractionListsTheMentionsOnce()
    {
        var id = await LibraryDocuments.AddAsync(app, "Retried", DocumentVisibility.Public, "GAERN", "La RDC et le Nord-Kivu.");
        var before = (await LibraryDocuments.MentionsAsync(app, id)).Select(m => (m.Page, m.Kind, m.Key)).ToList();

        await LibraryDocuments.ExtractAgainAsync(app, id);

        Assert.Equal(before, (await LibraryDocuments.MentionsAsync(app, id)).Select(m => (m.Page, m.Kind, m.Key)).ToList());
        Assert.Contains((1, MentionKind.Province, "COD:Nord-Kivu"), before);
    }

    [Fact]
    public async Task TheDocumentsMentionsPartialGroupsThemByKindWithTheirPages()
    {
        var id = await LibraryDocuments.AddAsync(app, "Grouped", DocumentVisibility.Public, "RELUFA", "Le Cameroun.", "Le Cameroun et l'Adamaoua.");
        await using var scope = app.Services.CreateAsyncScope();
        var mentions = scope.ServiceProvider.GetRequiredService<DocumentMentions>();

        var found = await mentions.OfAsync(new System.Security.Claims.ClaimsPrincipal(), id, Cancel);

        Assert.Equal([1, 2], found.Single(m => m.Kind == MentionKind.Country && m.Key == "CMR").Pages);
        Assert.Equal([2], found.Single(m => m.Kind == MentionKind.Province).Pages);
    }
}

/// <summary>Sums as the three languages write them, each read into the one number it means.</summary>
public sealed class MentionSumTests(BundledApp app) : IClassFixture<BundledApp>
{
    [Theory]
    [InlineData("La production a atteint 1 234 567 carats en 2019.", MentionKind.Carats, "1234567")]
    [InlineData("Soit 1,2 million de carats, contre 980 000 l'an passé.", MentionKind.Carats, "1200000")]
    [InlineData("A Endiama vendeu 45.000 quilates no primeiro semestre.", MentionKind.Carats, "45000")]
    [InlineData("About 8.5m carats were exported.", MentionKind.Carats, "8500000")]
    [InlineData("Un lot de 350 ct a été saisi à la frontière.", MentionKind.Carats, "350")]
    [InlineData("Les exportations valent US$ 12,5 millions.", MentionKind.Usd, "12500000")]
    [InlineData("Exports were worth $1.2 million in 2020.", MentionKind.Usd, "1200000")]
    [InlineData("Le ministère annonce 12 millions de dollars de recettes.", MentionKind.Usd, "12000000")]
    [InlineData("O valor foi de USD 3 400 000 em 2021.", MentionKind.Usd, "3400000")]
    [InlineData("Receitas de 2,3 mil milhões de dólares.", MentionKind.Usd, "2300000000")]
    [InlineData("Total value: 1,234,567.89 USD.", MentionKind.Usd, "1234567.89")]
    public async Task ASumIsReadIntoTheNumberItMeans(string sentence, MentionKind kind, string number)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var finder = scope.ServiceProvider.GetRequiredService<MentionFinder>();
        await finder.LoadAsync(TestContext.Current.CancellationToken);

        var found = finder.Find(sentence);

        Assert.Contains(found, m => m.Kind == kind && m.Key == number);
        Assert.Single(found, m => m.Kind == kind);
    }

    [Theory]
    [InlineData("Le fleuve Congo traverse la région.")]
    [InlineData("The car was stopped at the border; the centre of the town was calm.")]
    [InlineData("Le pays a signé ; le camp était vide.")]
    public async Task AmbiguousWordsNameNothing(string sentence)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var finder = scope.ServiceProvider.GetRequiredService<MentionFinder>();
        await finder.LoadAsync(TestContext.Current.CancellationToken);

        Assert.Empty(finder.Find(sentence));
    }
}
