using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kimberlite.Accounts;
using Kimberlite.Library;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>
/// A small library in French, English and Portuguese, written through the DbContext and indexed by the extraction's hook,
/// as the search tests read it: public reports, a coalition-only canary, one organisation's note and a withdrawn article.
/// </summary>
public sealed class LibraryApp() : KimberliteApp(loadBundledData: false), IAsyncLifetime
{
    public const string Canary = "Canari de la coalition";

    /// <summary>Sentences from the Kimberley Process, EITI and the seed workshop, in the language they were written in.</summary>
    public static readonly (string Title, DocumentType Type, string Countries, int Year, string Language, string Publisher, DocumentVisibility Visibility, string? Organisation, bool Withdrawn, string[] Pages)[] Documents =
    [
        ("Mission d'examen du Processus de Kimberley en Centrafrique", DocumentType.Report, "CAF", 2019, "fr", "Processus de Kimberley", DocumentVisibility.Public, null, false,
        [
            "La mission d'examen s'est rendue à Berbérati, dans la préfecture de la Mambéré-Kadéï, où les bureaux d'achat ont repris leurs activités.",
            "Les diamants bruts exportés de la zone conforme doivent être accompagnés d'un certificat du Processus de Kimberley.",
        ]),
        ("Note sur la traçabilité du diamant", DocumentType.Other, "CAF,CMR", 2020, "fr", "RELUFA", DocumentVisibility.Public, null, false,
        [
            "Le diamant brut passe la frontière entre le Cameroun et la Centrafrique sans certificat.",
        ]),
        ("Relatório EITI Angola 2021", DocumentType.Report, "AGO", 2021, "pt", "EITI", DocumentVisibility.Public, null, false,
        [
            "A exportação de diamantes brutos de Angola é controlada pela Sodiam, que comercializa a produção das minas.",
            "As receitas do sector mineiro representam uma parte crescente das receitas do Estado.",
        ]),
        ("EITI Democratic Republic of the Congo report", DocumentType.Report, "COD", 2020, "en", "EITI", DocumentVisibility.Public, null, false,
        [
            "The government publishes the contracts of the extractive sector.",
            "Artisanal mines in the Kasai provinces produce most of the country's diamonds, exported through Kinshasa.",
        ]),
        (Canary, DocumentType.Press, "CAF", 2022, "fr", "Canari Presse", DocumentVisibility.Coalition, null, false,
        [
            "Des diamants de Berbérati quittent le pays sans certificat du Processus de Kimberley, selon nos sources.",
        ]),
        ("Note interne du CENADEP", DocumentType.Minutes, "COD", 2023, "fr", "CENADEP", DocumentVisibility.Organisation, "CENADEP", false,
        [
            "Les creuseurs de Tshikapa vendent leurs diamants à des négociants venus de Kinshasa.",
        ]),
        ("Article retiré", DocumentType.Press, "CAF", 2018, "fr", "Journal retiré", DocumentVisibility.Public, null, true,
        [
            "Berbérati : les diamants saisis à la frontière.",
        ]),
    ];

    public Dictionary<string, int> Ids { get; } = [];

    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        foreach (var (d, i) in Documents.Select((d, i) => (d, i)))
            Ids[d.Title] = await AddAsync(this, d, i);
    }

    /// <summary>Records a document as an upload does, then hands its pages to the extraction's hooks (index, mentions) and saves them.</summary>
    public static async Task<int> AddAsync(KimberliteApp app, (string Title, DocumentType Type, string Countries, int Year, string Language, string Publisher,
        DocumentVisibility Visibility, string? Organisation, bool Withdrawn, string[] Pages) d, int i)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Infrastructure.Data.KimberliteDb>();
        var organisations = await db.Organisations.ToDictionaryAsync(o => o.Acronym, o => o.Id);
        var now = new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(d.Title)));
        var document = new LibraryDocument
        {
            Sha256 = sha, StoredName = sha, FileName = $"document-{i}.txt", Format = "txt", Title = d.Title, Type = d.Type, Countries = d.Countries,
            PublishedOn = new DateOnly(d.Year, 6, 1), Language = d.Language, Publisher = d.Publisher, Visibility = d.Visibility,
            OrganisationId = d.Organisation is { } o ? organisations[o] : organisations["RELUFA"], UploadedBy = "test", UploadedAtUtc = now, UpdatedAtUtc = now,
            Extraction = ExtractionState.Done, PageCount = d.Pages.Length, PagesDone = d.Pages.Length,
            WithdrawnAtUtc = d.Withdrawn ? now : null, WithdrawnReason = d.Withdrawn ? "Published by mistake." : null,
        };
        // Recorded first, as an upload records it, then extracted: the hooks write rows that name the document.
        db.Documents.Add(document);
        await db.SaveChangesAsync();
        document.Pages = d.Pages.Select((text, n) => new DocumentPage { Number = n + 1, Text = text, Source = PageSource.Text }).ToList();
        foreach (var hook in scope.ServiceProvider.GetServices<IPagesExtracted>().OrderBy(h => h.Order))
            await hook.OnExtractedAsync(db, document, document.Pages, CancellationToken.None);
        await db.SaveChangesAsync();
        return document.Id;
    }
}

/// <summary>The library's search, through /library and /api/v1/documents, on the database under test: the same answers on both.</summary>
public sealed class LibrarySearchTests(LibraryApp app) : IClassFixture<LibraryApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Email(string who) => $"{who}-{Guid.NewGuid():N}@example.org";

    private static async Task<JsonElement> SearchAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/v1/documents?" + query, Cancel);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Cancel)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }

    private static List<string> Titles(JsonElement results) =>
        results.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("title").GetString()!).ToList();

    private static Dictionary<string, int> Counts(JsonElement results, string facet) =>
        results.GetProperty("facets").GetProperty(facet).EnumerateArray().ToDictionary(f => f.GetProperty("value").GetString()!, f => f.GetProperty("count").GetInt32());

    private async Task<List<string>> TitlesAsync(HttpClient client, string q) => Titles(await SearchAsync(client, "q=" + Uri.EscapeDataString(q)));

    [Theory]
    [InlineData("Berberati", "Mission d'examen du Processus de Kimberley en Centrafrique")]
    [InlineData("diamants", "Note sur la traçabilité du diamant")]
    [InlineData("exportações", "Relatório EITI Angola 2021")]
    [InlineData("mining", "EITI Democratic Republic of the Congo report")]
    [InlineData("MAMBERE kadei", "Mission d'examen du Processus de Kimberley en Centrafrique")]
    public async Task AWordFindsItsFormsWhateverTheirAccentsAndEndingsInTheThreeLanguages(string q, string title)
    {
        Assert.Contains(title, await TitlesAsync(app.CreateClient(), q));

        var page = WebUtility.HtmlDecode(await app.CreateClient().GetStringAsync("/library?q=" + Uri.EscapeDataString(q), Cancel));
        Assert.Contains(title, page);
    }

    [Fact]
    public async Task AResultShowsItsBestPageWithTheMatchedWordsMarkedAndOpensTheDocumentThere()
    {
        var results = await SearchAsync(app.CreateClient(), "q=diamants+bruts");
        var mission = results.GetProperty("documents").EnumerateArray().Single(d => d.GetProperty("title").GetString()!.StartsWith("Mission", StringComparison.Ordinal));

        Assert.Equal(2, mission.GetProperty("page").GetInt32());
        Assert.Equal($"/library/{app.Ids[LibraryApp.Documents[0].Title]}?page=2#page-2", mission.GetProperty("url").GetString());
        Assert.StartsWith("Les <mark>diamants</mark> <mark>bruts</mark> exportés de la zone conforme", mission.GetProperty("passageHtml").GetString());

        var page = await app.CreateClient().GetStringAsync("/library?q=Berberati", Cancel);
        Assert.Contains("La mission d'examen s'est rendue à <mark>Berbérati</mark>, dans", WebUtility.HtmlDecode(page));
        Assert.Contains($"href=\"/library/{app.Ids[LibraryApp.Documents[0].Title]}?page=1#page-1\"", page);
    }

    [Fact]
    public async Task AQueryGivesTheSameDocumentsInTheSameOrderOnEitherDatabase()
    {
        // The same list is asserted on SQLite and on PostgreSQL: ranked by BM25 in C#, ties by document.
        Assert.Equal(["Note sur la traçabilité du diamant", "Mission d'examen du Processus de Kimberley en Centrafrique", "Relatório EITI Angola 2021"],
            await TitlesAsync(app.CreateClient(), "diamant"));
        Assert.Equal(["Note sur la traçabilité du diamant", "Mission d'examen du Processus de Kimberley en Centrafrique"],
            await TitlesAsync(app.CreateClient(), "certificat"));
    }

    [Fact]
    public async Task APhraseFindsItsWordsInTheirOrderOnly()
    {
        Assert.Equal(["Mission d'examen du Processus de Kimberley en Centrafrique"], await TitlesAsync(app.CreateClient(), "\"bureaux d'achat\""));
        Assert.Empty(await TitlesAsync(app.CreateClient(), "\"achat bureaux\""));
        Assert.Equal(["Note sur la traçabilité du diamant"], await TitlesAsync(app.CreateClient(), "\"diamant brut passe\" Cameroun"));
    }

    [Fact]
    public async Task AWordAfterAMinusLeavesOutTheDocumentsThatHoldIt()
    {
        Assert.Equal(["Note sur la traçabilité du diamant", "Relatório EITI Angola 2021"], await TitlesAsync(app.CreateClient(), "diamants -Kimberley"));
        Assert.Equal(["Note sur la traçabilité du diamant"], await TitlesAsync(app.CreateClient(), "diamants -Kimberley -Angola"));
        // Without a word to rank by, the newest first as the list is.
        Assert.Equal(["EITI Democratic Republic of the Congo report", "Note sur la traçabilité du diamant"], await TitlesAsync(app.CreateClient(), "-Kimberley -Angola"));
    }

    [Fact]
    public async Task FiltersNarrowTheResultsAndCountEachValueForTheQuery()
    {
        var all = await SearchAsync(app.CreateClient(), "q=diamants");
        Assert.Equal(new Dictionary<string, int> { ["CAF"] = 2, ["AGO"] = 1, ["CMR"] = 1 }, Counts(all, "country"));
        Assert.Equal(new Dictionary<string, int> { ["report"] = 2, ["other"] = 1 }, Counts(all, "type"));
        Assert.Equal(new Dictionary<string, int> { ["fr"] = 2, ["pt"] = 1 }, Counts(all, "language"));
        Assert.Equal(new Dictionary<string, int> { ["2019"] = 1, ["2020"] = 1, ["2021"] = 1 }, Counts(all, "year"));
        Assert.Equal(new Dictionary<string, int> { ["EITI"] = 1, ["Processus de Kimberley"] = 1, ["RELUFA"] = 1 }, Counts(all, "publisher"));

        Assert.Equal(["Relatório EITI Angola 2021"], Titles(await SearchAsync(app.CreateClient(), "q=diamants&country=ago")));
        Assert.Equal(["Note sur la traçabilité du diamant"], Titles(await SearchAsync(app.CreateClient(), "q=diamants&type=other")));
        Assert.Equal(["Relatório EITI Angola 2021"], Titles(await SearchAsync(app.CreateClient(), "q=diamants&language=pt")));
        Assert.Equal(["Relatório EITI Angola 2021"], Titles(await SearchAsync(app.CreateClient(), "q=diamants&publisher=eiti")));
        Assert.Equal(["EITI Democratic Republic of the Congo report"], Titles(await SearchAsync(app.CreateClient(), "q=diamonds&year=2020")));
        var year = await SearchAsync(app.CreateClient(), "q=diamants&year=2020");
        Assert.Equal(["Note sur la traçabilité du diamant"], Titles(year));
        Assert.Equal(1, year.GetProperty("total").GetInt32());
        // A filter's own counts still show its other values, so that the reader can switch.
        Assert.Equal(new Dictionary<string, int> { ["2019"] = 1, ["2020"] = 1, ["2021"] = 1 }, Counts(year, "year"));
        Assert.Equal(new Dictionary<string, int> { ["CAF"] = 1, ["CMR"] = 1 }, Counts(year, "country"));

        var page = await app.CreateClient().GetStringAsync("/library?q=diamants&country=CAF", Cancel);
        Assert.Contains("data-facet=\"country\" data-value=\"AGO\">1<", page);
        Assert.Contains("href=\"/library?q=diamants&amp;country=AGO\"", page);
    }

    [Fact]
    public async Task WithoutWordsTheLibraryListsTheVisibleDocumentsNewestFirstPageByPage()
    {
        var first = await SearchAsync(app.CreateClient(), "pageSize=2");
        Assert.Equal(4, first.GetProperty("total").GetInt32());
        Assert.Equal(["Relatório EITI Angola 2021", "EITI Democratic Republic of the Congo report"], Titles(first));
        Assert.Equal(["Note sur la traçabilité du diamant", "Mission d'examen du Processus de Kimberley en Centrafrique"],
            Titles(await SearchAsync(app.CreateClient(), "pageSize=2&page=2")));

        var page = await app.CreateClient().GetStringAsync("/library?pageSize=2", Cancel);
        Assert.Contains("href=\"/library?pageSize=2&amp;page=2\" rel=\"next\"", page);
        Assert.DoesNotContain("/library/upload", page);
    }

    [Fact]
    public async Task TheCoalitionCanaryNeverSurfacesAnonymouslyNotEvenAsACount()
    {
        var anonymous = app.CreateClient();
        foreach (var q in new[] { "Berberati", "canari", "diamants", "sources", "" })
        {
            var results = await SearchAsync(anonymous, "q=" + q);
            Assert.DoesNotContain(LibraryApp.Canary, Titles(results));
            Assert.DoesNotContain("Canari Presse", Counts(results, "publisher").Keys);
            Assert.DoesNotContain("2022", Counts(results, "year").Keys);
            Assert.DoesNotContain("press", Counts(results, "type").Keys);
            var csv = await anonymous.GetStringAsync("/api/v1/documents?format=csv&q=" + q, Cancel);
            Assert.DoesNotContain("Canari", csv);
            var page = WebUtility.HtmlDecode(await anonymous.GetStringAsync("/library?q=" + q, Cancel));
            Assert.DoesNotContain("Canari", page);
            Assert.DoesNotContain("Article retiré", page);
            Assert.DoesNotContain("Journal retiré", page);
        }
        Assert.Equal(1, (await SearchAsync(anonymous, "q=Berberati")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await SearchAsync(anonymous, "q=sources")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task EachRoleFindsWhatItMaySeeAndNobodyFindsAWithdrawnDocument()
    {
        var relufaViewer = await People.ApiClientAsync(app, Email("viewer"), MemberRole.Viewer);
        var cenadepViewer = await People.ApiClientAsync(app, Email("viewer"), MemberRole.Viewer, "CENADEP");
        var analyst = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst);

        Assert.Equal(["Canari de la coalition", "Mission d'examen du Processus de Kimberley en Centrafrique"], await TitlesAsync(relufaViewer, "Berberati"));
        Assert.Equal(["Canari de la coalition", "Mission d'examen du Processus de Kimberley en Centrafrique"], await TitlesAsync(analyst, "Berberati"));
        Assert.Equal(["Mission d'examen du Processus de Kimberley en Centrafrique"], await TitlesAsync(app.CreateClient(), "Berberati"));
        Assert.Empty(await TitlesAsync(relufaViewer, "Tshikapa"));
        Assert.Equal(["Note interne du CENADEP"], await TitlesAsync(cenadepViewer, "Tshikapa"));
        Assert.Empty(await TitlesAsync(app.CreateClient(), "Tshikapa"));
        foreach (var client in new[] { relufaViewer, cenadepViewer, analyst, app.CreateClient() })
            Assert.Empty(await TitlesAsync(client, "saisis"));

        var signedIn = await People.SignInAsync(app, (await People.CreateAsync(app, Email("viewer"), MemberRole.Viewer)).Email!);
        var page = WebUtility.HtmlDecode(await signedIn.GetStringAsync("/library?q=Berberati", Cancel));
        Assert.Contains(LibraryApp.Canary, page);
        var analystPage = await (await People.SignInAsync(app, (await People.CreateAsync(app, Email("analyst"), MemberRole.Analyst)).Email!)).GetStringAsync("/library", Cancel);
        Assert.Contains("href=\"/library/upload\"", analystPage);
    }

    [Fact]
    public async Task TheResultsComeAsCsvWithTheirPageAndPassage()
    {
        var response = await app.CreateClient().GetAsync("/api/v1/documents?q=exporta%C3%A7%C3%B5es&format=csv", Cancel);
        var csv = await response.Content.ReadAsStringAsync(Cancel);
        var id = app.Ids["Relatório EITI Angola 2021"];

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("id,title,type,countries,published_on,language,publisher,page,passage,score,url", csv.Split("\r\n")[0]);
        Assert.StartsWith($"{id},Relatório EITI Angola 2021,report,AGO,2021-06-01,pt,EITI,1,\"A exportação de diamantes brutos de Angola", csv.Split("\r\n")[1]);
        Assert.EndsWith($",/library/{id}?page=1#page-1", csv.Split("\r\n")[1]);
        Assert.Equal(3, csv.Split("\r\n").Length);
    }

    [Theory]
    [InlineData("country=XYZ", "country")]
    [InlineData("type=novel", "type")]
    [InlineData("language=de", "language")]
    [InlineData("year=twenty", "year")]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=1000", "pageSize")]
    [InlineData("format=xml", "format")]
    public async Task AWrongParameterIsRefusedWithWhatToWrite(string query, string field)
    {
        var response = await app.CreateClient().GetAsync("/api/v1/documents?" + query, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await app.CreateClient().GetAsync("/library?" + query.Replace("format=xml", "year=1"), Cancel)).StatusCode);
    }

    [Fact]
    public async Task ReindexingAnalysesThePagesAgainAndFindsTheSameDocuments()
    {
        var before = await TitlesAsync(app.CreateClient(), "diamant");
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.Equal(LibraryApp.Documents.Sum(d => d.Pages.Length), await scope.ServiceProvider.GetRequiredService<LibrarySearch>().ReindexAsync(Cancel));

        Assert.Equal(before, await TitlesAsync(app.CreateClient(), "diamant"));
    }
}
