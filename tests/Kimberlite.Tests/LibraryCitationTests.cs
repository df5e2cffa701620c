using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kimberlite.Accounts;
using Kimberlite.Field;
using Kimberlite.Library;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Tests;

/// <summary>Findings, incidents and recommendations citing document pages, and what each reader sees of it.</summary>
public sealed class LibraryCitationTests(BundledApp app) : IClassFixture<BundledApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Email(string who) => $"{who}-{Guid.NewGuid():N}@example.org";

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Cancel)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }

    private Task<int> FindingAsync() => app.WithDb(db => db.Findings.MaxAsync(f => f.Id, Cancel));

    [Fact]
    public async Task AFindingCitesADocumentPageAndTheDocumentsCitationsListShowsIt()
    {
        var analyst = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst);
        var finding = await FindingAsync();
        var document = await LibraryDocuments.AddAsync(app, "Rapport d'examen du Processus de Kimberley", DocumentVisibility.Public, "RELUFA", "Résumé", "Les exportations de 2019.");

        var created = await analyst.PostAsJsonAsync($"/api/v1/findings/{finding}/citations", new { documentId = document, page = 2, note = "Le tableau 3" }, Cancel);
        var again = await analyst.PostAsJsonAsync($"/api/v1/findings/{finding}/citations", new { documentId = document, page = 2 }, Cancel);
        var beyond = await analyst.PostAsJsonAsync($"/api/v1/findings/{finding}/citations", new { documentId = document, page = 9 }, Cancel);
        var anonymous = await app.CreateClient().PostAsJsonAsync($"/api/v1/findings/{finding}/citations", new { documentId = document, page = 1 }, Cancel);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
        Assert.Contains("from 1 to 2", await beyond.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var citing = (await Ok(await app.CreateClient().GetAsync($"/api/v1/documents/{document}/citations", Cancel))).EnumerateArray().Single();
        Assert.Equal("finding", citing.GetProperty("kind").GetString());
        Assert.Equal(finding, citing.GetProperty("id").GetInt32());
        Assert.Equal(2, citing.GetProperty("page").GetInt32());
        Assert.Equal($"/findings/{finding}", citing.GetProperty("link").GetString());
        var page = await app.CreateClient().GetStringAsync($"/findings/{finding}", Cancel);
        Assert.Contains("Rapport d&#x27;examen du Processus de Kimberley", page);
        Assert.Contains($"/library/{document}?page=2#page-2", page);
        Assert.True(await app.WithDb(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.DocumentCited && a.Target == $"finding {finding}", Cancel)));
    }

    [Fact]
    public async Task APublicFindingCitingACoalitionOnlyDocumentNeverShowsItToThePublic()
    {
        var analyst = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst);
        var finding = await FindingAsync();
        var canary = $"CANARY {Guid.NewGuid():N}";
        var document = await LibraryDocuments.AddAsync(app, canary, DocumentVisibility.Coalition, "RELUFA", "Confidentiel.");

        await Ok(await analyst.PostAsJsonAsync($"/api/v1/findings/{finding}/citations", new { documentId = document, page = 1 }, Cancel));

        var publicClient = app.CreateClient();
        Assert.DoesNotContain(canary, await publicClient.GetStringAsync($"/findings/{finding}", Cancel));
        Assert.DoesNotContain(canary, await publicClient.GetStringAsync($"/api/v1/findings/{finding}", Cancel));
        Assert.Equal(HttpStatusCode.NotFound, (await publicClient.GetAsync($"/api/v1/documents/{document}/citations", Cancel)).StatusCode);
        var viewer = await People.SignInAsync(app, (await People.CreateAsync(app, Email("viewer"), MemberRole.Viewer, "CDHD")).Email!);
        Assert.Contains(canary, await viewer.GetStringAsync($"/findings/{finding}", Cancel));
    }

    [Fact]
    public async Task AnAnalystCitesADocumentFromTheFindingPageForm()
    {
        var email = Email("analyst");
        await People.CreateAsync(app, email, MemberRole.Analyst, "CENADEP");
        var client = await People.SignInAsync(app, email);
        var finding = await FindingAsync();
        var title = $"Code minier {Guid.NewGuid():N}";
        var document = await LibraryDocuments.AddAsync(app, title, DocumentVisibility.Organisation, "CENADEP", "Article 1", "Article 2", "Article 3");

        var form = await client.GetStringAsync($"/findings/{finding}", Cancel);
        Assert.Contains("name=\"documentId\"", form);
        Assert.Contains(title, form);
        var refused = await People.PostFormAsync(client, $"/findings/{finding}?handler=Cite",
            new() { ["documentId"] = document.ToString(System.Globalization.CultureInfo.InvariantCulture), ["page"] = "99" }, $"/findings/{finding}");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("donnez une page qu'il contient", System.Net.WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Cancel)));
        var posted = await People.PostFormAsync(client, $"/findings/{finding}?handler=Cite",
            new() { ["documentId"] = document.ToString(System.Globalization.CultureInfo.InvariantCulture), ["page"] = "3", ["note"] = "Article 3" }, $"/findings/{finding}");

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var after = await client.GetStringAsync($"/findings/{finding}", Cancel);
        Assert.Contains($"/library/{document}?page=3#page-3", after);
        Assert.DoesNotContain(title, await app.CreateClient().GetStringAsync($"/findings/{finding}", Cancel));
    }

    /// <summary>A verified incident of RELUFA.</summary>
    private Task<int> IncidentAsync() => app.WithDb(async db =>
    {
        var relufa = await db.Organisations.SingleAsync(o => o.Acronym == "RELUFA", Cancel);
        var row = new Incident
        {
            ClientId = Guid.NewGuid(), SubmissionHash = "x", OrganisationId = relufa.Id, Category = IncidentCategory.Smuggling, OccurredOn = new DateOnly(2026, 1, 5),
            CountryIso3 = "CMR", Latitude = 4.1, Longitude = 13.6, Severity = IncidentSeverity.Serious, Description = "Passage à Garoua-Boulaï", Status = IncidentStatus.Verified,
        };
        db.Incidents.Add(row);
        await db.SaveChangesAsync(Cancel);
        return row.Id;
    });

    [Fact]
    public async Task AnIncidentIsCitedOnlyByAnalystsOfItsOrganisation()
    {
        var incident = await IncidentAsync();
        var title = $"Procès-verbal {Guid.NewGuid():N}";
        var document = await LibraryDocuments.AddAsync(app, title, DocumentVisibility.Coalition, "RELUFA", "Saisie de 300 carats.");
        var stranger = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst, "CDHD");
        var email = Email("analyst");
        var analyst = await People.ApiClientAsync(app, email, MemberRole.Analyst, "RELUFA");

        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.PostAsJsonAsync($"/api/v1/incidents/{incident}/citations", new { documentId = document, page = 1 }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await analyst.PostAsJsonAsync($"/api/v1/incidents/{incident}/citations", new { documentId = document, page = 1, note = "Le PV" }, Cancel)).StatusCode);

        var page = await (await People.SignInAsync(app, email)).GetStringAsync("/field/incidents", Cancel);
        Assert.Contains(title, page);
        // An unpublished incident is no one's business outside its organisation.
        var other = await People.SignInAsync(app, (await People.CreateAsync(app, Email("viewer"), MemberRole.Viewer, "CDHD")).Email!);
        Assert.DoesNotContain(title, await other.GetStringAsync("/field/incidents", Cancel));
        Assert.Empty((await Ok(await stranger.GetAsync($"/api/v1/documents/{document}/citations", Cancel))).EnumerateArray());
    }

    [Fact]
    public async Task AnAnalystOfTheIncidentsOrganisationRemovesItsCitationFromThePageAndAnotherOrganisationsAnalystIsRefused()
    {
        var incident = await IncidentAsync();
        var title = $"Rapport de saisie {Guid.NewGuid():N}";
        var document = await LibraryDocuments.AddAsync(app, title, DocumentVisibility.Coalition, "RELUFA", "Saisie.", "Annexe.");
        var email = Email("analyst");
        await People.CreateAsync(app, email, MemberRole.Analyst, "RELUFA");
        var analyst = await People.SignInAsync(app, email);
        var cited = await People.PostFormAsync(analyst, "/field/incidents?handler=Cite",
            new() { ["citingId"] = $"{incident}", ["documentId"] = $"{document}", ["page"] = "2" }, "/field/incidents");
        Assert.Equal(HttpStatusCode.Redirect, cited.StatusCode);
        var citation = await app.WithDb(db => db.DocumentCitations.Where(c => c.CitingKind == CitingKind.Incident && c.CitingId == incident).Select(c => c.Id).SingleAsync(Cancel));
        var listed = await analyst.GetStringAsync("/field/incidents", Cancel);
        Assert.Contains("action=\"/field/incidents?handler=Uncite\"", listed);
        Assert.Contains($"name=\"citationId\" value=\"{citation}\"", listed);

        // An analyst of another organisation neither sees the button nor gets it done by posting.
        var otherEmail = Email("analyst");
        await People.CreateAsync(app, otherEmail, MemberRole.Analyst, "CDHD");
        var other = await People.SignInAsync(app, otherEmail);
        Assert.DoesNotContain($"name=\"citationId\" value=\"{citation}\"", await other.GetStringAsync("/field/incidents", Cancel));
        var refused = await People.PostFormAsync(other, "/field/incidents?handler=Uncite",
            new() { ["citingId"] = $"{incident}", ["citationId"] = $"{citation}" }, "/advocacy/recommendations/new");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/account/denied", refused.Headers.Location?.OriginalString);
        Assert.True(await app.WithDb(db => db.DocumentCitations.AnyAsync(c => c.Id == citation, Cancel)));

        var removed = await People.PostFormAsync(analyst, "/field/incidents?handler=Uncite",
            new() { ["citingId"] = $"{incident}", ["citationId"] = $"{citation}" }, "/field/incidents");
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        var after = System.Net.WebUtility.HtmlDecode(await analyst.GetStringAsync(removed.Headers.Location!.OriginalString, Cancel));
        Assert.Contains("La citation a été retirée.", after);
        Assert.DoesNotContain($"/library/{document}?page=2#page-2", after);
        Assert.False(await app.WithDb(db => db.DocumentCitations.AnyAsync(c => c.Id == citation, Cancel)));
        var audited = await app.WithDb(db => db.AuditEntries.Where(a => a.Action == AuditActions.DocumentCitationRemoved && a.Target == $"incident {incident}").ToListAsync(Cancel));
        Assert.StartsWith(email, Assert.Single(audited).Actor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAnalystRemovesAFindingsCitationFromItsPageWhereAViewerIsOfferedNoButton()
    {
        var finding = await FindingAsync();
        var title = $"Bulletin {Guid.NewGuid():N}";
        var document = await LibraryDocuments.AddAsync(app, title, DocumentVisibility.Public, "RELUFA", "Chiffres.");
        var email = Email("analyst");
        await People.CreateAsync(app, email, MemberRole.Analyst, "CENADEP");
        var analyst = await People.SignInAsync(app, email);
        await People.PostFormAsync(analyst, $"/findings/{finding}?handler=Cite", new() { ["documentId"] = $"{document}", ["page"] = "1" }, $"/findings/{finding}");
        var citation = await app.WithDb(db => db.DocumentCitations.Where(c => c.CitingKind == CitingKind.Finding && c.CitingId == finding && c.DocumentId == document).Select(c => c.Id).SingleAsync(Cancel));
        var viewer = await People.SignInAsync(app, (await People.CreateAsync(app, Email("viewer"), MemberRole.Viewer, "CDHD")).Email!);
        var seen = await viewer.GetStringAsync($"/findings/{finding}", Cancel);
        Assert.Contains(title, seen);
        Assert.DoesNotContain("handler=Uncite", seen);
        // Nor does the English reader miss the button's name.
        var english = await People.SignInAsync(app, email);
        english.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        Assert.Contains($"aria-label=\"Remove the citation of “{title}”\"", System.Net.WebUtility.HtmlDecode(await english.GetStringAsync($"/findings/{finding}", Cancel)));

        var listed = (await Ok(await app.CreateClient().GetAsync($"/api/v1/documents/{document}/citations", Cancel))).EnumerateArray().Single();
        Assert.Equal(citation, listed.GetProperty("citationId").GetInt64());

        var removed = await People.PostFormAsync(analyst, $"/findings/{finding}?handler=Uncite", new() { ["citationId"] = $"{citation}" }, $"/findings/{finding}");

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal($"/findings/{finding}?uncited=1#cited-finding", removed.Headers.Location?.OriginalString);
        var after = System.Net.WebUtility.HtmlDecode(await analyst.GetStringAsync($"/findings/{finding}?uncited=1", Cancel));
        Assert.Contains("La citation a été retirée.", after);
        Assert.DoesNotContain($"/library/{document}?page=1#page-1", after);
        var actors = await app.WithDb(db => db.AuditEntries.Where(a => a.Action == AuditActions.DocumentCitationRemoved && a.Target == $"finding {finding}").Select(a => a.Actor).ToListAsync(Cancel));
        Assert.Contains(actors, a => a.StartsWith(email, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheDocumentsPageOffersTheIncidentsAnalystToRemoveItsCitationAndRefusesAnotherOrganisationsAnalyst()
    {
        var incident = await IncidentAsync();
        var document = await LibraryDocuments.AddAsync(app, $"Témoignage {Guid.NewGuid():N}", DocumentVisibility.Coalition, "RELUFA", "Récit.");
        var email = Email("analyst");
        await People.CreateAsync(app, email, MemberRole.Analyst, "RELUFA");
        var analyst = await People.SignInAsync(app, email);
        await People.PostFormAsync(analyst, "/field/incidents?handler=Cite", new() { ["citingId"] = $"{incident}", ["documentId"] = $"{document}", ["page"] = "1" }, "/field/incidents");
        var citation = await app.WithDb(db => db.DocumentCitations.Where(c => c.DocumentId == document).Select(c => c.Id).SingleAsync(Cancel));
        var page = await analyst.GetStringAsync($"/library/{document}", Cancel);
        Assert.Contains($"action=\"/library/{document}?handler=Uncite\"", page);
        Assert.Contains($"name=\"citationId\" value=\"{citation}\"", page);

        var otherEmail = Email("analyst");
        await People.CreateAsync(app, otherEmail, MemberRole.Analyst, "CDHD");
        var other = await People.SignInAsync(app, otherEmail);
        Assert.DoesNotContain("handler=Uncite", await other.GetStringAsync($"/library/{document}", Cancel));
        var refused = await People.PostFormAsync(other, $"/library/{document}?handler=Uncite", new() { ["citationId"] = $"{citation}" }, "/advocacy/recommendations/new");
        Assert.Contains("/account/denied", refused.Headers.Location?.OriginalString);
        Assert.True(await app.WithDb(db => db.DocumentCitations.AnyAsync(c => c.Id == citation, Cancel)));

        var removed = await People.PostFormAsync(analyst, $"/library/{document}?handler=Uncite", new() { ["citationId"] = $"{citation}" }, $"/library/{document}");
        Assert.Equal($"/library/{document}?uncited=1#citations-title", removed.Headers.Location?.OriginalString);
        var after = System.Net.WebUtility.HtmlDecode(await analyst.GetStringAsync($"/library/{document}?uncited=1", Cancel));
        Assert.Contains("La citation a été retirée.", after);
        Assert.DoesNotContain($"/field/incidents#incident-{incident}", after);
        Assert.True(await app.WithDb(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.DocumentCitationRemoved && a.Target == $"incident {incident}", Cancel)));
    }

    [Fact]
    public async Task ARecommendationsDocumentEvidenceIsAcceptedAndShownOnlyWhenPublic()
    {
        var analyst = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst);
        var coordinator = await People.ApiClientAsync(app, Email("coordinator"), MemberRole.Coordinator);
        var shown = $"Rapport ITIE {Guid.NewGuid():N}";
        var canary = $"CANARY {Guid.NewGuid():N}";
        var publicDocument = await LibraryDocuments.AddAsync(app, shown, DocumentVisibility.Public, "RELUFA", "p1", "p2", "p3");
        var coalitionDocument = await LibraryDocuments.AddAsync(app, canary, DocumentVisibility.Coalition, "RELUFA", "p1");
        object Item(params object[] evidence) => new
        {
            clientId = Guid.NewGuid(), text = "Publier les contrats miniers.", language = "fr", addressee = "Ministère des Mines", addresseeKind = "ministry",
            countries = new[] { "CMR" }, theme = "traceability", evidence,
        };

        var refused = await analyst.PostAsJsonAsync("/api/v1/recommendations", Item(new { kind = "document", id = publicDocument, page = 7 }), Cancel);
        var missing = await analyst.PostAsJsonAsync("/api/v1/recommendations", Item(new { kind = "document", id = 987654 }), Cancel);
        var created = await Ok(await analyst.PostAsJsonAsync("/api/v1/recommendations",
            Item(new { kind = "document", id = publicDocument, page = 3, note = "Tableau des paiements" }, new { kind = "document", id = coalitionDocument, page = 1 }), Cancel));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("from 1 to 3", await refused.Content.ReadAsStringAsync(Cancel));
        Assert.Contains("no document 987654", await missing.Content.ReadAsStringAsync(Cancel));
        var id = created.GetProperty("id").GetInt32();
        Assert.Equal(2, created.GetProperty("evidence").GetArrayLength());
        Assert.Equal(3, created.GetProperty("evidence")[0].GetProperty("page").GetInt32());
        Assert.Equal(shown, created.GetProperty("evidence")[0].GetProperty("title").GetString());
        Assert.Equal(3, await app.WithDb(db => db.Set<Advocacy.ItemEvidence>().Where(e => e.ItemId == id && e.TargetId == publicDocument).Select(e => e.Page!.Value).SingleAsync(Cancel)));

        await Ok(await coordinator.PostAsJsonAsync($"/api/v1/recommendations/{id}/publish", new { published = true }, Cancel));
        var publicClient = app.CreateClient();
        var detail = await Ok(await publicClient.GetAsync($"/api/v1/recommendations/{id}", Cancel));
        var evidence = detail.GetProperty("evidence").EnumerateArray().ToList();
        Assert.Equal([publicDocument], evidence.Select(e => e.GetProperty("id").GetInt32()));
        var page = await publicClient.GetStringAsync($"/advocacy/recommendations/{id}", Cancel);
        Assert.Contains(shown, page);
        Assert.Contains($"/library/{publicDocument}?page=3#page-3", page);
        foreach (var text in new[] { detail.GetRawText(), page, await publicClient.GetStringAsync("/api/v1/recommendations?format=csv", Cancel),
                     await publicClient.GetStringAsync("/api/v1/recommendations", Cancel), await publicClient.GetStringAsync("/feeds/recommendations.atom", Cancel) })
        {
            Assert.DoesNotContain(canary, text);
            Assert.DoesNotContain($"document:{coalitionDocument};", text + ";");
        }
        var citing = (await Ok(await publicClient.GetAsync($"/api/v1/documents/{publicDocument}/citations", Cancel))).EnumerateArray().Single();
        Assert.Equal("recommendation", citing.GetProperty("kind").GetString());
        Assert.Equal(3, citing.GetProperty("page").GetInt32());
    }
}
