using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kimberlite.Accounts;
using Kimberlite.Field;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>Field reports through the API: recorded once, the reporter protected, the public shown a coarse place only.</summary>
public sealed class FieldTests : EmptyAppTest
{
    // A canary: a name and a point that must never leave the server except to the reporter's coordinator.
    private const string Canary = "Zéphirin Canari-7c1e";
    private const double CanaryLatitude = 4.36712, CanaryLongitude = 18.58234;

    private static object Submission(Guid clientId, string description = "Des hommes armés ont pris le contrôle du chantier et taxé les creuseurs.") => new
    {
        clientId, kind = "incident", category = "violence", occurredOn = "2026-11-01", latitude = CanaryLatitude, longitude = CanaryLongitude,
        severity = "serious", description, countryIso3 = "CAF", injured = 2, perpetrator = "armed-group", reporterName = Canary, reporterContact = "+236 70 00 00 00",
    };

    private Task<HttpClient> ApiAsAsync(string email, MemberRole role, string organisation = "CRAGG") => People.ApiClientAsync(App, email, role, organisation);

    [Fact]
    public async Task TwoHundredConcurrentPostsOfTheSameSubmissionMakeOneRecord()
    {
        var monitor = await ApiAsAsync("monitor@example.org", MemberRole.Monitor);
        var clientId = Guid.NewGuid();

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => monitor.PostAsJsonAsync("/api/v1/field/submissions", Submission(clientId), Cancel)));

        // A token may burst 120 requests: the rest are asked to wait (429), which a device's retry handles; none fails or doubles.
        Assert.Equal([], responses.Select(r => r.StatusCode).Where(s => s is not (HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.TooManyRequests)).Distinct());
        Assert.True(responses.Count(r => r.StatusCode != HttpStatusCode.TooManyRequests) >= 100);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var ids = await Task.WhenAll(responses.Where(r => r.StatusCode != HttpStatusCode.TooManyRequests)
            .Select(async r => (await r.Content.ReadFromJsonAsync<SubmissionAnswer>(Cancel))!.Id));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await App.WithDb(db => db.Incidents.CountAsync(Cancel)));
        Assert.Equal(1, await App.WithDb(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.IncidentSubmitted, Cancel)));
    }

    [Fact]
    public async Task ADifferentBodyUnderAClientIdAlreadyUsedIsRefusedWith409AndBadInputIsExplained()
    {
        var monitor = await ApiAsAsync("monitor@example.org", MemberRole.Monitor);
        var clientId = Guid.NewGuid();
        await monitor.PostAsJsonAsync("/api/v1/field/submissions", Submission(clientId), Cancel);

        var conflict = await monitor.PostAsJsonAsync("/api/v1/field/submissions", Submission(clientId, "Autre chose."), Cancel);
        var bad = await monitor.PostAsJsonAsync("/api/v1/field/submissions", new { clientId = Guid.NewGuid(), kind = "incident", category = "theft", occurredOn = "2030-01-01", latitude = 95, longitude = 18, severity = "huge", countryIso3 = "XXX", description = "" }, Cancel);

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("new clientId", await conflict.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync(Cancel);
        foreach (var field in new[] { "category", "occurredOn", "latitude", "severity", "countryIso3", "description" })
            Assert.Contains($"\"{field}\"", problem);
        Assert.Equal(1, await App.WithDb(db => db.Incidents.CountAsync(Cancel)));
    }

    [Fact]
    public async Task TheReporterIsEncryptedAtRestAndOnlyTheCoordinatorsOfTheirOrganisationReadThemEachReadAudited()
    {
        var monitor = await ApiAsAsync("monitor@example.org", MemberRole.Monitor);
        var created = await (await monitor.PostAsJsonAsync("/api/v1/field/submissions", Submission(Guid.NewGuid()), Cancel)).Content.ReadFromJsonAsync<SubmissionAnswer>(Cancel);
        var coordinator = await ApiAsAsync("coord@example.org", MemberRole.Coordinator);
        var analyst = await ApiAsAsync("analyst@example.org", MemberRole.Analyst);
        var otherCoordinator = await ApiAsAsync("other@example.org", MemberRole.Coordinator, "RELUFA");

        var stored = await App.WithDb(db => db.Incidents.AsNoTracking().SingleAsync(Cancel));
        Assert.DoesNotContain("Zéphirin", stored.ReporterName);
        Assert.DoesNotContain("+236", stored.ReporterContact);

        var read = await coordinator.GetFromJsonAsync<ReporterDto>($"/api/v1/field/incidents/{created!.Id}/reporter", Cancel);
        Assert.Equal((Canary, "+236 70 00 00 00"), (read!.Name, read.Contact));
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync($"/api/v1/field/incidents/{created.Id}/reporter", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherCoordinator.GetAsync($"/api/v1/field/incidents/{created.Id}/reporter", Cancel)).StatusCode);
        Assert.Equal(1, await App.WithDb(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.ReporterRead, Cancel)));
        // The trail names the incident; it never carries the reporter.
        Assert.False(await App.WithDb(db => db.AuditEntries.AnyAsync(e => e.Summary.Contains("Zéphirin") || e.Target.Contains("Zéphirin"), Cancel)));
    }

    [Fact]
    public async Task APublishedIncidentIsShownAtACoarsePlaceAndTheCanaryNeverReachesThePublic()
    {
        var monitor = await ApiAsAsync("monitor@example.org", MemberRole.Monitor);
        var analyst = await ApiAsAsync("analyst@example.org", MemberRole.Analyst);
        var id = (await (await monitor.PostAsJsonAsync("/api/v1/field/submissions", Submission(Guid.NewGuid()), Cancel)).Content.ReadFromJsonAsync<SubmissionAnswer>(Cancel))!.Id;
        var publicClient = App.CreateClient();
        Assert.Equal("[]", await publicClient.GetStringAsync("/api/v1/incidents", Cancel));

        var skip = await analyst.PostAsJsonAsync($"/api/v1/field/incidents/{id}/status", new { status = "published" }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, skip.StatusCode);
        Assert.Contains("underReview", await skip.Content.ReadAsStringAsync(Cancel));
        foreach (var step in new[] { "underReview", "verified" })
            Assert.Equal(HttpStatusCode.OK, (await analyst.PostAsJsonAsync($"/api/v1/field/incidents/{id}/status", new { status = step, comment = "recoupé" }, Cancel)).StatusCode);
        var noSummary = await analyst.PostAsJsonAsync($"/api/v1/field/incidents/{id}/status", new { status = "published" }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, noSummary.StatusCode);
        var published = await analyst.PostAsJsonAsync($"/api/v1/field/incidents/{id}/status",
            new { status = "published", publicSummary = "Violences d'un groupe armé sur un chantier de la Lobaye ; deux blessés." }, Cancel);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);

        var body = await publicClient.GetStringAsync("/api/v1/incidents", Cancel);
        var incident = Assert.Single((await publicClient.GetFromJsonAsync<List<PublicIncidentDto>>("/api/v1/incidents", Cancel))!);
        Assert.Equal((4.35, 18.55, "violence", "armedGroup"), (incident.Latitude, incident.Longitude, incident.Category, incident.Perpetrator));
        Assert.Equal("Violences d'un groupe armé sur un chantier de la Lobaye ; deux blessés.", incident.Summary);
        var geoJson = await publicClient.GetStringAsync("/api/v1/incidents?format=geojson", Cancel);
        Assert.Contains("\"coordinates\":[18.55,4.35]", geoJson);
        var csv = await publicClient.GetStringAsync("/api/v1/incidents?format=csv", Cancel);
        Assert.StartsWith("id,category,occurred_on,country_iso3,latitude,longitude,grid_degrees", csv);
        Assert.Equal(HttpStatusCode.BadRequest, (await publicClient.GetAsync("/api/v1/incidents?format=kml", Cancel)).StatusCode);
        foreach (var secret in new[] { "Zéphirin", "+236", "4.36712", "18.58234", "Des hommes armés" })
        {
            Assert.DoesNotContain(secret, body);
            Assert.DoesNotContain(secret, geoJson);
            Assert.DoesNotContain(secret, csv);
            Assert.DoesNotContain(secret, await publicClient.GetStringAsync("/api/v1/sites", Cancel));
            Assert.DoesNotContain(secret, await publicClient.GetStringAsync("/api/v1/findings", Cancel));
            foreach (var page in new[] { "/map", "/sites", "/api/v1/incidents?category=violence&country=CAF&from=2026&format=csv" })
                Assert.DoesNotContain(secret, await publicClient.GetStringAsync(page, Cancel));
        }
    }

    [Fact]
    public async Task ASiteVisitIsRecordedOnceWithWhatIpisRecordsAndItsIdentifierCannotBeReusedForAnIncident()
    {
        var monitor = await ApiAsAsync("monitor@example.org", MemberRole.Monitor);
        var site = await App.WithDb(async db =>
        {
            var adouzekede = new MiningSite { Name = "Adouzekede", CountryIso3 = "CAF", Minerals = "diamond", Latitude = 4.794698, Longitude = 17.467914, Source = "test" };
            db.MiningSites.Add(adouzekede);
            await db.SaveChangesAsync(Cancel);
            return adouzekede.Id;
        });
        var clientId = Guid.NewGuid();
        var visit = new
        {
            clientId, kind = "visit", siteId = site, visitedOn = "2026-11-10", workers = 120, women = 30, childrenUnder15 = 8, children15To18 = 12,
            childrenWork = "transport du gravier", armedPresence = "nonState", armedGroup = "3R", interference = new[] { "illegalTaxation", "buying" }, mercury = false,
        };

        var first = await monitor.PostAsJsonAsync("/api/v1/field/submissions", visit, Cancel);
        var again = await monitor.PostAsJsonAsync("/api/v1/field/submissions", visit, Cancel);
        var asIncident = await monitor.PostAsJsonAsync("/api/v1/field/submissions", Submission(clientId), Cancel);
        var bad = await monitor.PostAsJsonAsync("/api/v1/field/submissions", new { clientId = Guid.NewGuid(), kind = "visit", visitedOn = "2026-11-10", interference = new[] { "magic" } }, Cancel);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.BadRequest), (first.StatusCode, again.StatusCode, asIncident.StatusCode, bad.StatusCode));
        var problem = await bad.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("\"siteId\"", problem);
        Assert.Contains("\"interference\"", problem);
        var stored = await App.WithDb(db => db.SiteVisits.AsNoTracking().SingleAsync(Cancel));
        Assert.Equal((120, 8, ArmedPresence.NonState, "3R", Interference.IllegalTaxation | Interference.Buying), (stored.Workers, stored.ChildrenUnder15, stored.ArmedPresence, stored.ArmedGroup, stored.Interference));
        Assert.Equal(0, await App.WithDb(db => db.Incidents.CountAsync(Cancel)));
    }

    [Fact]
    public async Task AJpegCarryingGpsTagsIsStoredWithoutAnyAndTheSameFileTwiceIsOneEvidence()
    {
        var monitor = await ApiAsAsync("monitor@example.org", MemberRole.Monitor);
        var id = (await (await monitor.PostAsJsonAsync("/api/v1/field/submissions", Submission(Guid.NewGuid()), Cancel)).Content.ReadFromJsonAsync<SubmissionAnswer>(Cancel))!.Id;
        var photo = TestImages.JpegWithGps();
        Assert.NotNull(SixLabors.ImageSharp.Image.Load(photo).Metadata.ExifProfile?.GetValue(SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifTag.GPSLatitude));
        MultipartFormDataContent Form(byte[] bytes, string name) => new() { { new ByteArrayContent(bytes), "file", name } };

        var first = await monitor.PostAsync($"/api/v1/field/incidents/{id}/evidence", Form(photo, "IMG_0042.jpg"), Cancel);
        var again = await monitor.PostAsync($"/api/v1/field/incidents/{id}/evidence", Form(photo, "IMG_0042.jpg"), Cancel);
        var pdf = await monitor.PostAsync($"/api/v1/field/incidents/{id}/evidence", Form("%PDF-1.4 rapport"u8.ToArray(), "rapport.pdf"), Cancel);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Created), (first.StatusCode, again.StatusCode, pdf.StatusCode));
        Assert.Contains("check it before sending", await pdf.Content.ReadAsStringAsync(Cancel));
        var stored = await App.WithDb(db => db.EvidenceFiles.AsNoTracking().OrderBy(e => e.Id).ToListAsync(Cancel));
        Assert.Equal(2, stored.Count);
        var files = await App.WithDb(db => db.StoredFiles.AsNoTracking().ToListAsync(Cancel));
        var bytes = files.Single(f => f.Name == EvidenceStore.FileStoreName(stored[0].StoredName)).Content;
        using var cleaned = SixLabors.ImageSharp.Image.Load(bytes);
        Assert.Equal((64, 48), (cleaned.Width, cleaned.Height));
        Assert.Null(cleaned.Metadata.ExifProfile);
        Assert.Null(cleaned.Metadata.XmpProfile);
        // The original bytes are nowhere in the store.
        Assert.Equal(2, files.Count);
        Assert.DoesNotContain(files, f => f.Content.AsSpan().SequenceEqual(photo));
    }

    [Fact]
    public async Task NoLogLineEverHoldsTheReporterTheDescriptionOrTheExactPoint()
    {
        await using var app = new KimberliteApp(false, ("Logging:LogLevel:Default", "Trace"));
        var user = await People.CreateAsync(app, "monitor@example.org", MemberRole.Monitor, "CRAGG", twoFactor: false);
        await using var scope = app.Services.CreateAsyncScope();
        var token = await scope.ServiceProvider.GetRequiredService<AccountService>().CreateTokenAsync(user, "t", TokenScope.Write, 30, "test", Cancel);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Secret);

        var created = await client.PostAsJsonAsync("/api/v1/field/submissions", Submission(Guid.NewGuid()), Cancel);
        var refused = await client.PostAsJsonAsync("/api/v1/field/submissions",
            new { clientId = Guid.NewGuid(), kind = "incident", reporterName = Canary, latitude = CanaryLatitude, longitude = 500, description = "Des hommes armés" }, Cancel);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.BadRequest), (created.StatusCode, refused.StatusCode));
        Assert.NotEmpty(app.Logged);
        foreach (var secret in new[] { "Zéphirin", "+236", "4.36712", "18.58234", "Des hommes armés" })
            Assert.DoesNotContain(app.Logged, line => line.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnTheIncidentsPageAnAnalystPublishesACoordinatorSeesTheReporterAndAViewerOnlyACoarsePlace()
    {
        var monitor = await ApiAsAsync("monitor@example.org", MemberRole.Monitor);
        var id = (await (await monitor.PostAsJsonAsync("/api/v1/field/submissions", Submission(Guid.NewGuid()), Cancel)).Content.ReadFromJsonAsync<SubmissionAnswer>(Cancel))!.Id;
        await People.CreateAsync(App, "analyst@example.org", MemberRole.Analyst, "CRAGG", twoFactor: false);
        await People.CreateAsync(App, "coord@example.org", MemberRole.Coordinator, "CRAGG");
        await People.CreateAsync(App, "viewer@example.org", MemberRole.Viewer, "CRAGG", twoFactor: false);
        var analyst = await People.SignInAsync(App, "analyst@example.org");

        foreach (var step in new[] { "UnderReview", "Verified" })
            Assert.Equal(HttpStatusCode.Redirect, (await People.PostFormAsync(analyst, "/field/incidents?handler=Step",
                new() { ["id"] = $"{id}", ["status"] = step, ["comment"] = "recoupé avec deux témoins" }, tokenFrom: "/field/incidents")).StatusCode);
        var withoutSummary = await People.PostFormAsync(analyst, "/field/incidents?handler=Step", new() { ["id"] = $"{id}", ["status"] = "Published" }, tokenFrom: "/field/incidents");
        Assert.Contains("Publier demande un résumé public.", await withoutSummary.Content.ReadAsStringAsync(Cancel));
        await People.PostFormAsync(analyst, "/field/incidents?handler=Step", new() { ["id"] = $"{id}", ["status"] = "Published", ["publicSummary"] = "Violences d'un groupe armé ; deux blessés." }, tokenFrom: "/field/incidents");
        Assert.Single((await App.CreateClient().GetFromJsonAsync<List<PublicIncidentDto>>("/api/v1/incidents", Cancel))!);

        var coordinator = await People.SignInAsync(App, "coord@example.org");
        var revealed = await People.PostFormAsync(coordinator, "/field/incidents?handler=Reveal", new() { ["id"] = $"{id}" }, tokenFrom: "/field/incidents");
        Assert.Contains(Canary, await revealed.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(1, await App.WithDb(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.ReporterRead, Cancel)));

        var viewer = await People.SignInAsync(App, "viewer@example.org");
        var page = await viewer.GetStringAsync("/field/incidents", Cancel);
        Assert.Contains("Vers 4.35, 18.55", page);
        Assert.DoesNotContain("4.36712", page);
        Assert.DoesNotContain("handler=Step", page);
        // The viewer's page has no form; a token from their account page makes the post a real one.
        var refused = await People.PostFormAsync(viewer, "/field/incidents?handler=Reveal", new() { ["id"] = $"{id}" }, tokenFrom: "/account");
        Assert.Contains("/account/denied", refused.Headers.Location?.OriginalString);
    }
}
