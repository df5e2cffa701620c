using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Kimberlite.Accounts;
using Kimberlite.Field;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>The advocacy API and feed, driven as a member's script and a public reader would drive them.</summary>
public sealed class AdvocacyApiTests(BundledApp app) : IClassFixture<BundledApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private static string Email(string who) => $"{who}-{Guid.NewGuid():N}@example.org";

    private Task<HttpClient> Analyst(string organisation = "RELUFA") => People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst, organisation);

    private Task<HttpClient> Coordinator(string organisation = "RELUFA") => People.ApiClientAsync(app, Email("coordinator"), MemberRole.Coordinator, organisation);

    private static object Item(string text, Guid? clientId = null, string? dueOn = null, string[]? countries = null, string theme = "traceability",
        string addressee = "Ministère des Mines et de la Géologie", object[]? evidence = null, string? kind = null) => new
    {
        clientId = clientId ?? Guid.NewGuid(), kind, text, language = "fr", translations = new Dictionary<string, string> { ["en"] = "In English: " + text },
        addressee, addresseeKind = "ministry", countries = countries ?? ["CAF"], theme, dueOn, evidence,
    };

    private static async Task<JsonElement> Body(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Cancel)}");
        return await Body(response);
    }

    private static async Task<int> RecordAsync(HttpClient client, object item) =>
        (await Ok(await client.PostAsJsonAsync("/api/v1/recommendations", item, Cancel))).GetProperty("id").GetInt32();

    private static Task<HttpResponseMessage> StepAsync(HttpClient client, int id, object step) =>
        client.PostAsJsonAsync($"/api/v1/recommendations/{id}/status", step, Cancel);

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        return await Body(response);
    }

    private static string Error(JsonElement problem, string field) =>
        string.Join(" ", problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()));

    [Fact]
    public async Task AnItemMovesForwardKeepingEachStepWithItsDateActorNoteAndEvidence()
    {
        var analyst = await Analyst();
        var finding = await app.WithDb(db => db.Findings.MinAsync(f => f.Id, Cancel));
        var created = await analyst.PostAsJsonAsync("/api/v1/recommendations", Item("Publier les chiffres de production par site.",
            evidence: [new { kind = "finding", id = finding, note = "L'écart des exportations" }]), Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var item = await Body(created);
        var id = item.GetProperty("id").GetInt32();
        Assert.Equal($"/api/v1/recommendations/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal("proposed", item.GetProperty("status").GetString());
        Assert.Equal("finding", item.GetProperty("evidence")[0].GetProperty("kind").GetString());
        Assert.False(string.IsNullOrEmpty(item.GetProperty("evidence")[0].GetProperty("title").GetString()));

        await Ok(await StepAsync(analyst, id, new { status = "presented", note = "Remise au ministre le 3 mars" }));
        var noAnswer = await ProblemAsync(await StepAsync(analyst, id, new { status = "acknowledged" }), HttpStatusCode.BadRequest);
        Assert.Contains("accepted or noted", Error(noAnswer, "acknowledgement"));
        await Ok(await StepAsync(analyst, id, new { status = "acknowledged", acknowledgement = "accepted", note = "Le ministre l'accepte" }));
        await Ok(await StepAsync(analyst, id, new
        {
            status = "inProgress", note = "Un premier tableau par site est paru",
            evidence = new object[] { new { kind = "link", url = "https://mines.gouv.cf/production-2026.pdf", note = "Le tableau" } },
        }));
        var backwards = await ProblemAsync(await StepAsync(analyst, id, new { status = "presented" }), HttpStatusCode.BadRequest);
        Assert.Equal("From inProgress an item moves to implemented, partlyImplemented, notImplemented, abandoned, withdrawn.", Error(backwards, "status"));
        var unexplained = await ProblemAsync(await StepAsync(analyst, id, new { status = "implemented" }), HttpStatusCode.BadRequest);
        Assert.Contains("what shows this outcome", Error(unexplained, "note"));

        var read = await Ok(await analyst.GetAsync($"/api/v1/recommendations/{id}", Cancel));
        Assert.Equal("inProgress", read.GetProperty("status").GetString());
        Assert.Equal("accepted", read.GetProperty("acknowledgement").GetString());
        var history = read.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal([null, "proposed", "presented", "acknowledged"], history.Select(h => h.GetProperty("from").GetString()));
        Assert.Equal(["proposed", "presented", "acknowledged", "inProgress"], history.Select(h => h.GetProperty("to").GetString()));
        Assert.All(history, h => Assert.Contains("@example.org", h.GetProperty("actor").GetString()));
        Assert.All(history, h => Assert.Equal("RELUFA", h.GetProperty("organisation").GetString()));
        Assert.Equal("Remise au ministre le 3 mars", history[1].GetProperty("note").GetString());
        var stepEvidence = history[3].GetProperty("evidence").EnumerateArray().Single();
        Assert.Equal("https://mines.gouv.cf/production-2026.pdf", stepEvidence.GetProperty("url").GetString());
        // The step's evidence stays on the step, apart from what motivated the item.
        Assert.Single(read.GetProperty("evidence").EnumerateArray());
    }

    [Fact]
    public async Task AWithdrawnItemStaysListedWithItsReasonAndCannotMoveAgain()
    {
        var analyst = await Analyst();
        var id = await RecordAsync(analyst, Item("Créer un registre des comptoirs d'achat."));
        var noReason = await ProblemAsync(await StepAsync(analyst, id, new { status = "withdrawn" }), HttpStatusCode.BadRequest);
        Assert.Contains("reason", Error(noReason, "note"));
        await Ok(await StepAsync(analyst, id, new { status = "withdrawn", note = "Remplacée par la recommandation sur la traçabilité" }));

        var again = await ProblemAsync(await StepAsync(analyst, id, new { status = "inProgress" }), HttpStatusCode.BadRequest);
        Assert.Equal("A withdrawn item stays withdrawn.", Error(again, "status"));
        var listed = (await Ok(await analyst.GetAsync("/api/v1/recommendations?status=withdrawn", Cancel))).EnumerateArray().Single(i => i.GetProperty("id").GetInt32() == id);
        Assert.Equal("withdrawn", listed.GetProperty("status").GetString());
        Assert.Equal("Remplacée par la recommandation sur la traçabilité", listed.GetProperty("withdrawnReason").GetString());
        var edit = await ProblemAsync(await analyst.PutAsJsonAsync($"/api/v1/recommendations/{id}", new { text = "Autre chose" }, Cancel), HttpStatusCode.Conflict);
        Assert.Contains("withdrawn", edit.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnItemPastItsDueDateIsOverdueUntilItIsImplemented()
    {
        var analyst = await Analyst();
        var late = await RecordAsync(analyst, Item("Ratifier le protocole régional sur les diamants.", dueOn: "2020-06-30", theme: "regionalCooperation"));
        var onTime = await RecordAsync(analyst, Item("Ouvrir un bureau du Processus de Kimberley à Berbérati.", dueOn: "2099-01-01"));

        Assert.True((await Ok(await analyst.GetAsync($"/api/v1/recommendations/{late}", Cancel))).GetProperty("overdue").GetBoolean());
        Assert.False((await Ok(await analyst.GetAsync($"/api/v1/recommendations/{onTime}", Cancel))).GetProperty("overdue").GetBoolean());
        var overdue = (await Ok(await analyst.GetAsync("/api/v1/recommendations?status=overdue", Cancel))).EnumerateArray().Select(i => i.GetProperty("id").GetInt32()).ToList();
        Assert.Contains(late, overdue);
        Assert.DoesNotContain(onTime, overdue);

        await Ok(await StepAsync(analyst, late, new { status = "implemented", note = "Ratifié par la loi 2026-14" }));
        Assert.False((await Ok(await analyst.GetAsync($"/api/v1/recommendations/{late}", Cancel))).GetProperty("overdue").GetBoolean());
        Assert.DoesNotContain(late, (await Ok(await analyst.GetAsync("/api/v1/recommendations?status=overdue", Cancel))).EnumerateArray().Select(i => i.GetProperty("id").GetInt32()));
    }

    [Fact]
    public async Task ARequestSentAgainWithTheSameClientIdRecordsOnce()
    {
        var analyst = await Analyst();
        var clientId = Guid.NewGuid();
        var text = $"Auditer les recettes minières {clientId:N}.";
        var first = await analyst.PostAsJsonAsync("/api/v1/recommendations", Item(text, clientId), Cancel);
        var second = await analyst.PostAsJsonAsync("/api/v1/recommendations", Item(text, clientId), Cancel);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal((await Body(first)).GetProperty("id").GetInt32(), (await Body(second)).GetProperty("id").GetInt32());
        Assert.Equal(1, await app.WithDb(db => db.AdvocacyItems.CountAsync(i => i.Text == text, Cancel)));
    }

    [Fact]
    public async Task AnAnalystOfAnotherOrganisationCannotChangeOrStepTheItem()
    {
        var id = await RecordAsync(await Analyst("RELUFA"), Item("Former les agents des douanes au certificat du Processus."));
        var stranger = await Analyst("CENADEP");

        var edit = await ProblemAsync(await stranger.PutAsJsonAsync($"/api/v1/recommendations/{id}", new { text = "Changé" }, Cancel), HttpStatusCode.Forbidden);
        Assert.Contains("organisation", edit.GetProperty("detail").GetString());
        await ProblemAsync(await StepAsync(stranger, id, new { status = "presented" }), HttpStatusCode.Forbidden);
        await ProblemAsync(await stranger.PostAsJsonAsync($"/api/v1/recommendations/{id}/publish", new { published = true }, Cancel), HttpStatusCode.Forbidden);
        var coordinatorElsewhere = await Coordinator("CENADEP");
        await ProblemAsync(await coordinatorElsewhere.PostAsJsonAsync($"/api/v1/recommendations/{id}/publish", new { published = true }, Cancel), HttpStatusCode.Forbidden);
        Assert.Equal("proposed", (await Ok(await stranger.GetAsync($"/api/v1/recommendations/{id}", Cancel))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AReadTokenCannotRecordAnItem()
    {
        var user = await People.CreateAsync(app, Email("reader"), MemberRole.Analyst, twoFactor: false);
        await using var scope = app.Services.CreateAsyncScope();
        var token = await scope.ServiceProvider.GetRequiredService<AccountService>().CreateTokenAsync(user, "t", TokenScope.Read, 30, "test", Cancel);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Secret);

        var response = await client.PostAsJsonAsync("/api/v1/recommendations", Item("Jamais enregistrée"), Cancel);

        await ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.False(await app.WithDb(db => db.AdvocacyItems.AnyAsync(i => i.Text == "Jamais enregistrée", Cancel)));
    }

    [Fact]
    public async Task FiltersKeepWhatTheySayAndTheListComesAsCsv()
    {
        var analyst = await Analyst();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var meeting = await app.WithDb(db => db.Meetings.Where(m => m.Key == "seed-workshop").Select(m => m.Id).SingleAsync(Cancel));
        var gabon = await RecordAsync(analyst, new
        {
            clientId = Guid.NewGuid(), text = $"Protéger les droits des communautés {tag}", language = "fr", addressee = $"Assemblée nationale {tag}",
            addresseeKind = "parliament", countries = new[] { "GAB" }, theme = "communityRights", meeting,
        });
        var regional = await RecordAsync(analyst, Item($"Harmoniser les taxes {tag}", countries: ["regional"], theme: "revenue", addressee: $"Kimberley Process {tag}", kind: "commitment"));

        async Task<List<int>> Ids(string query) =>
            (await Ok(await analyst.GetAsync("/api/v1/recommendations?" + query, Cancel))).EnumerateArray().Select(i => i.GetProperty("id").GetInt32()).ToList();
        Assert.Contains(gabon, await Ids("country=gab"));
        Assert.DoesNotContain(regional, await Ids("country=GAB"));
        Assert.Equal([regional], (await Ids("country=regional")).Intersect([gabon, regional]));
        Assert.Contains(gabon, await Ids("theme=communityRights"));
        Assert.DoesNotContain(gabon, await Ids("theme=revenue"));
        Assert.Equal([gabon], await Ids($"addressee=ASSEMBLÉE NATIONALE {tag}"));
        Assert.Contains(gabon, await Ids("addressee=parliament"));
        Assert.Contains(gabon, await Ids($"meeting={meeting}"));
        Assert.DoesNotContain(regional, await Ids($"meeting={meeting}"));
        Assert.Equal([regional], (await Ids("kind=commitment")).Intersect([gabon, regional]));
        var regionalItem = await Ok(await analyst.GetAsync($"/api/v1/recommendations/{regional}", Cancel));
        Assert.True(regionalItem.GetProperty("regional").GetBoolean());
        Assert.Equal("acknowledged", regionalItem.GetProperty("status").GetString());
        Assert.Equal("Central African civil society workshop on diamond governance",
            (await Ok(await analyst.GetAsync($"/api/v1/recommendations/{gabon}", Cancel))).GetProperty("meetingTitle").GetString());

        var bad = await ProblemAsync(await analyst.GetAsync("/api/v1/recommendations?status=finished&country=XYZ&theme=gold", Cancel), HttpStatusCode.BadRequest);
        Assert.Contains("overdue", Error(bad, "status"));
        Assert.Contains("regional", Error(bad, "country"));
        Assert.Contains("traceability", Error(bad, "theme"));

        var csv = await analyst.GetAsync($"/api/v1/recommendations?format=csv&addressee={tag}", Cancel);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync(Cancel)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,kind,status,acknowledgement,overdue,due_on,", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith($"{gabon},recommendation,proposed,", StringComparison.Ordinal) && l.Contains(",GAB,") && l.Contains(",communityRights,"));
    }

    [Fact]
    public async Task ThePublicNeverSeesAnUnpublishedItemAnUnpublishedIncidentOrAPersonsAddress()
    {
        var analystEmail = Email("analyst");
        var analyst = await People.ApiClientAsync(app, analystEmail, MemberRole.Analyst);
        var coordinator = await Coordinator();
        var canary = $"CANARY-{Guid.NewGuid():N}";
        var incident = await app.WithDb(async db =>
        {
            var relufa = await db.Organisations.SingleAsync(o => o.Acronym == "RELUFA", Cancel);
            var row = new Incident
            {
                ClientId = Guid.NewGuid(), SubmissionHash = "x", OrganisationId = relufa.Id, Category = IncidentCategory.Violence, OccurredOn = new DateOnly(2026, 2, 1),
                CountryIso3 = "CAF", Latitude = 4.2, Longitude = 15.8, Severity = IncidentSeverity.Serious, Description = canary + " témoin nommé", Status = IncidentStatus.Verified,
            };
            db.Incidents.Add(row);
            await db.SaveChangesAsync(Cancel);
            return row.Id;
        });
        var hidden = await RecordAsync(analyst, Item($"{canary} jamais publiée"));
        await Ok(await StepAsync(analyst, hidden, new { status = "presented", note = $"{canary} note" }));
        var shown = await RecordAsync(analyst, Item("Publier les contrats miniers.", evidence: [new { kind = "incident", id = incident, note = $"{canary} dans la note" }]));
        await Ok(await StepAsync(analyst, shown, new { status = "presented", note = "Remise en atelier" }));
        var publicClient = app.CreateClient();
        // Read before publishing, so that the cached answer must be forgotten.
        Assert.Equal(HttpStatusCode.NotFound, (await publicClient.GetAsync($"/api/v1/recommendations/{shown}", Cancel)).StatusCode);
        Assert.DoesNotContain((await Ok(await publicClient.GetAsync("/api/v1/recommendations", Cancel))).EnumerateArray(), i => i.GetProperty("id").GetInt32() == shown);
        await Ok(await coordinator.PostAsJsonAsync($"/api/v1/recommendations/{shown}/publish", new { published = true }, Cancel));

        var list = await publicClient.GetStringAsync("/api/v1/recommendations", Cancel);
        var one = await publicClient.GetAsync($"/api/v1/recommendations/{shown}", Cancel);
        var detail = await Ok(one);
        var csv = await publicClient.GetStringAsync("/api/v1/recommendations?format=csv", Cancel);
        var feed = await publicClient.GetStringAsync("/feeds/recommendations.atom", Cancel);
        var missing = await ProblemAsync(await publicClient.GetAsync($"/api/v1/recommendations/{hidden}", Cancel), HttpStatusCode.NotFound);

        Assert.Contains(JsonDocument.Parse(list).RootElement.EnumerateArray(), i => i.GetProperty("id").GetInt32() == shown);
        Assert.DoesNotContain(JsonDocument.Parse(list).RootElement.EnumerateArray(), i => i.GetProperty("id").GetInt32() == hidden);
        Assert.Empty(detail.GetProperty("evidence").EnumerateArray());
        Assert.All(detail.GetProperty("history").EnumerateArray(), h =>
        {
            Assert.Equal(JsonValueKind.Null, h.GetProperty("actor").ValueKind);
            Assert.Equal("RELUFA", h.GetProperty("organisation").GetString());
        });
        foreach (var text in new[] { list, detail.GetRawText(), csv, feed, missing.GetRawText() })
        {
            Assert.DoesNotContain(canary, text);
            Assert.DoesNotContain(analystEmail, text);
            Assert.DoesNotContain("@example.org", text);
        }
        // A member sees the incident's number, not what the field report says.
        var member = await Ok(await analyst.GetAsync($"/api/v1/recommendations/{shown}", Cancel));
        Assert.Equal(incident, member.GetProperty("evidence")[0].GetProperty("id").GetInt32());
        Assert.DoesNotContain("témoin", member.GetRawText());
    }

    [Fact]
    public async Task TheFeedIsAtomAndShowsANewStepOfAPublishedItemInTheReadersLanguage()
    {
        var analyst = await Analyst();
        var coordinator = await Coordinator();
        var id = await RecordAsync(analyst, Item("Rendre publics les certificats du Processus de Kimberley."));
        await Ok(await coordinator.PostAsJsonAsync($"/api/v1/recommendations/{id}/publish", new { published = true }, Cancel));
        var reader = app.CreateClient();
        var before = await reader.GetAsync(AdvocacyFeedPath, Cancel);
        Assert.Equal("application/atom+xml", before.Content.Headers.ContentType!.MediaType);
        Assert.Contains(Entries(XDocument.Parse(await before.Content.ReadAsStringAsync(Cancel))), e => e.Id.StartsWith($"http://localhost/advocacy/recommendations/{id}#change-", StringComparison.Ordinal));

        await Ok(await StepAsync(analyst, id, new { status = "presented", note = "Présentée au comité national" }));
        await Ok(await StepAsync(analyst, id, new { status = "inProgress", note = "Le ministère publie la liste des certificats" }));

        var french = XDocument.Parse(await reader.GetStringAsync(AdvocacyFeedPath, Cancel));
        Assert.Equal(Atom + "feed", french.Root!.Name);
        Assert.NotEmpty(french.Root.Element(Atom + "id")!.Value);
        Assert.True(DateTimeOffset.TryParse(french.Root.Element(Atom + "updated")!.Value, out _));
        var newest = Entries(french).First(e => e.Link.EndsWith($"/advocacy/recommendations/{id}"));
        Assert.Equal($"Recommandation {id} : en cours", newest.Title);
        Assert.StartsWith("http://localhost/advocacy/recommendations/", newest.Link);
        Assert.Contains("Le ministère publie la liste des certificats", newest.Summary);
        Assert.Contains("Rendre publics les certificats", newest.Summary);
        Assert.Equal("RELUFA", newest.Author);
        Assert.Equal(3, Entries(french).Count(e => e.Link.EndsWith($"/advocacy/recommendations/{id}")));
        var updated = Entries(french).Select(e => e.Updated).ToList();
        Assert.Equal(updated.OrderDescending(), updated);

        using var request = new HttpRequestMessage(HttpMethod.Get, AdvocacyFeedPath);
        request.Headers.AcceptLanguage.ParseAdd("en");
        var english = XDocument.Parse(await (await reader.SendAsync(request, Cancel)).Content.ReadAsStringAsync(Cancel));
        var entry = Entries(english).First(e => e.Link.EndsWith($"/advocacy/recommendations/{id}"));
        Assert.Equal($"Recommendation {id}: in progress", entry.Title);
        Assert.Contains("In English: Rendre publics", entry.Summary);
    }

    private const string AdvocacyFeedPath = "/feeds/recommendations.atom";

    private sealed record Entry(string Id, string Title, string Link, string Summary, string Author, DateTimeOffset Updated);

    private static List<Entry> Entries(XDocument feed) => feed.Root!.Elements(Atom + "entry").Select(e => new Entry(
        e.Element(Atom + "id")!.Value, e.Element(Atom + "title")!.Value, e.Element(Atom + "link")!.Attribute("href")!.Value, e.Element(Atom + "summary")!.Value,
        e.Element(Atom + "author")!.Element(Atom + "name")!.Value, DateTimeOffset.Parse(e.Element(Atom + "updated")!.Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();

    [Fact]
    public async Task MeetingsAreRecordedOnceAndTheSeedWorkshopComesFirstWithItsSevenOrganisations()
    {
        var anonymous = app.CreateClient();
        var meetings = (await Ok(await anonymous.GetAsync("/api/v1/meetings", Cancel))).EnumerateArray().ToList();
        Assert.Equal("seed-workshop", meetings[0].GetProperty("key").GetString());
        Assert.Equal(["CDHD", "CENADEP", "CRAGG", "GAERN", "Muyissi", "OSCJ", "RELUFA"],
            meetings[0].GetProperty("organisations").EnumerateArray().Select(o => o.GetString()));
        var seed = await Ok(await anonymous.GetAsync($"/api/v1/meetings/{meetings[0].GetProperty("id").GetInt32()}", Cancel));
        Assert.NotEmpty(seed.GetProperty("aims").EnumerateArray());
        Assert.False(string.IsNullOrEmpty(seed.GetProperty("description").GetString()));

        var coordinator = await Coordinator();
        var clientId = Guid.NewGuid();
        var input = new
        {
            clientId, kind = "governmentDialogue", title = "Dialogue avec le ministère des Mines de Centrafrique", startsOn = "2026-03-02", endsOn = "2026-03-03",
            place = "Bangui", countries = new[] { "CAF" }, organisations = new[] { "RELUFA", "CRAGG" }, language = "fr", minutes = "Le ministère s'engage à publier les chiffres.",
        };
        var created = await coordinator.PostAsJsonAsync("/api/v1/meetings", input, Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await Body(created)).GetProperty("id").GetInt32();
        Assert.Equal($"/api/v1/meetings/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsJsonAsync("/api/v1/meetings", input, Cancel)).StatusCode);
        Assert.Equal(1, await app.WithDb(db => db.Meetings.CountAsync(m => m.ClientId == clientId, Cancel)));
        var analyst = await Analyst();
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsJsonAsync("/api/v1/meetings", input, Cancel)).StatusCode);
        var bad = await ProblemAsync(await coordinator.PostAsJsonAsync("/api/v1/meetings", new { clientId = Guid.NewGuid(), title = "", language = "de" }, Cancel), HttpStatusCode.BadRequest);
        Assert.Contains("fr, en or pt", Error(bad, "language"));

        var item = await RecordAsync(analyst, new { clientId = Guid.NewGuid(), text = "Publier les chiffres trimestriels.", language = "fr", addressee = "Ministère des Mines", theme = "transparencyOfFigures", meeting = id });
        await ProblemAsync(await anonymous.GetAsync($"/api/v1/meetings/{id}", Cancel), HttpStatusCode.NotFound);
        await Ok(await coordinator.PostAsJsonAsync($"/api/v1/meetings/{id}/publish", new { published = true }, Cancel));
        var published = await Ok(await anonymous.GetAsync($"/api/v1/meetings/{id}", Cancel));
        Assert.Equal("Le ministère s'engage à publier les chiffres.", published.GetProperty("minutes").GetString());
        Assert.Equal(["CRAGG", "RELUFA"], published.GetProperty("organisations").EnumerateArray().Select(o => o.GetString()));
        // The item is not published: the public does not learn it exists; a member does.
        Assert.Empty(published.GetProperty("items").EnumerateArray());
        Assert.Equal([item], (await Ok(await analyst.GetAsync($"/api/v1/meetings/{id}", Cancel))).GetProperty("items").EnumerateArray().Select(i => i.GetInt32()));
        Assert.Contains((await Ok(await anonymous.GetAsync("/api/v1/meetings?country=CAF", Cancel))).EnumerateArray(), m => m.GetProperty("id").GetInt32() == id);
        Assert.DoesNotContain((await Ok(await anonymous.GetAsync("/api/v1/meetings?country=GAB", Cancel))).EnumerateArray(), m => m.GetProperty("id").GetInt32() == id);
        var changed = await Ok(await coordinator.PutAsJsonAsync($"/api/v1/meetings/{id}", new { outcomes = "Un calendrier de publication." }, Cancel));
        Assert.Equal("Un calendrier de publication.", changed.GetProperty("outcomes").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await (await Coordinator("CENADEP")).PutAsJsonAsync($"/api/v1/meetings/{id}", new { outcomes = "x" }, Cancel)).StatusCode);
        var csv = await anonymous.GetStringAsync("/api/v1/meetings?format=csv", Cancel);
        Assert.StartsWith("id,kind,title,", csv);
        Assert.Contains("Dialogue avec le ministère des Mines de Centrafrique", csv);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesEachAdvocacyEndpoint()
    {
        var paths = (await Ok(await app.CreateClient().GetAsync("/openapi/v1.json", Cancel))).GetProperty("paths");

        foreach (var (path, method) in new[] { ("/api/v1/recommendations", "get"), ("/api/v1/recommendations", "post"), ("/api/v1/recommendations/{id}", "put"),
                     ("/api/v1/recommendations/{id}/status", "post"), ("/api/v1/recommendations/{id}/publish", "post"), ("/api/v1/meetings", "post"),
                     ("/api/v1/meetings/{id}", "get"), ("/feeds/recommendations.atom", "get") })
            Assert.False(string.IsNullOrEmpty(paths.GetProperty(path).GetProperty(method).GetProperty("summary").GetString()), $"{method} {path}");
        Assert.True(paths.GetProperty("/api/v1/recommendations/{id}/status").GetProperty("post").GetProperty("responses").TryGetProperty("403", out _));
    }
}
