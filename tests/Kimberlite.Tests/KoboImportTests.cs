using System.IO.Compression;
using System.Net;
using System.Text;
using Kimberlite.Accounts;
using Kimberlite.Field;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>KoboToolbox and ODK Central exports in every shape they are downloaded, read through one mapping or refused with the reason.</summary>
public sealed class KoboImportTests : EmptyAppTest
{
    private static string Docs => Path.Combine(Repository.Root, "docs", "field");
    private static string Fixtures => Path.Combine(Repository.Root, "tests", "Kimberlite.Tests", "Fixtures", "Field");

    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(Fixtures, name));
    private static string FixtureText(string name) => File.ReadAllText(Path.Combine(Fixtures, name));

    private async Task<KoboResult> ImportAsync(byte[] export, string name, string mapping, bool checkOnly = false)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<KoboImporter>()
            .ImportAsync(export, name, KoboMapping.Read(Encoding.UTF8.GetBytes(mapping)), "test", Cancel, checkOnly);
    }

    private Task<List<Incident>> IncidentsAsync() => App.WithDb(db => db.Incidents.AsNoTracking().OrderBy(i => i.OccurredOn).ToListAsync(Cancel));

    private static void Imported(KoboResult result, int created, int repeated, int revised = 0)
    {
        Assert.Equal([], result.Problems.Where(p => p.Kind == Kimberlite.Statistics.ImportIssueKind.Refused).Select(p => $"{p.Line} {p.Column} {p.Value} {p.Reason}"));
        Assert.Equal((true, created, repeated, revised), (result.Imported, result.Created, result.Repeated, result.Revised));
    }

    private static void RefusedFor(KoboResult result, string column, string reason)
    {
        Assert.False(result.Imported);
        Assert.Contains(result.Problems, p => p.Column == column && p.Reason == reason);
    }

    private async Task<HttpClient> AnalystAsync()
    {
        await People.CreateAsync(App, "analyst@example.org", MemberRole.Analyst, "CRAGG", twoFactor: false);
        return await People.SignInAsync(App, "analyst@example.org");
    }

    private async Task<HttpResponseMessage> CheckOnPageAsync(HttpClient analyst, byte[] export, string exportName, string mapping)
    {
        var token = await People.TokenAsync(analyst, "/import");
        var form = new MultipartFormDataContent
        {
            { new StringContent(token!), "__RequestVerificationToken" },
            { new ByteArrayContent(export), "file", exportName },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(mapping)), "mapping", "mapping.json" },
        };
        return await analyst.PostAsync("/import?handler=Check", form, Cancel);
    }

    [Fact]
    public async Task AMappingThatPointsTwoFieldsAtOneColumnIsRefusedOnTheImportPageWithTheColumnNamed()
    {
        var analyst = await AnalystAsync();
        var export = await File.ReadAllBytesAsync(Path.Combine(Docs, "kobo-incident-export-sample.csv"), Cancel);
        var mapping = (await File.ReadAllTextAsync(Path.Combine(Docs, "kobo-incident-mapping.json"), Cancel))
            .Replace("\"perpetrator\": \"auteurs\"", "\"perpetrator\": \"recit\"");

        var response = await CheckOnPageAsync(analyst, export, "kobo.csv", mapping);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel));
        Assert.Contains("recit", page);
        Assert.Contains("description, perpetrator", page);
        Assert.Equal(0, await App.WithDb(db => db.Incidents.CountAsync(Cancel)));
    }

    [Fact]
    public async Task AKoboApiJsonExportOfAFormWithoutACountryQuestionLoadsWithTheMappingsConstants()
    {
        var mapping = FixtureText("kobo-incident-mapping-api.json");
        var withoutConstant = mapping.Replace("\"constants\": { \"countryIso3\": \"CAF\" },", "");

        var refused = await ImportAsync(Fixture("kobo-api.json"), "kobo-api.json", withoutConstant);
        var result = await ImportAsync(Fixture("kobo-api.json"), "kobo-api.json", mapping);

        Assert.Contains(refused.Problems, p => p.Line == 1 && p.Reason == "SubmissionError_countryIso3");
        Imported(result, created: 2, repeated: 0);
        Assert.Equal("KoboToolbox API JSON", result.Shape);
        var incidents = await IncidentsAsync();
        Assert.Equal([("CAF", 4.36712, 18.58234, (int?)12, IncidentCategory.Violence, (int?)2, PerpetratorType.ArmedGroup), ("CAF", 4.80001, 17.46502, 25, IncidentCategory.ChildLabour, null, PerpetratorType.Unknown)],
            incidents.Select(i => (i.CountryIso3, i.Latitude, i.Longitude, i.PrecisionMetres, i.Category, i.Injured, i.Perpetrator)));
        Assert.Equal(Guid.Parse("2f9a8c1e-6d0b-4a35-9a51-3d2b6c7e8f01"), incidents[0].ClientId);
        Assert.DoesNotContain("Exemple", incidents[0].ReporterName);
        Assert.NotNull(incidents[0].ReporterName);
    }

    [Fact]
    public async Task AnEditedKoboSubmissionUpdatesTheReportItReplacesAndKeepsItsHistoryWithoutTheReporter()
    {
        var mapping = FixtureText("kobo-incident-mapping-api.json");
        Imported(await ImportAsync(Fixture("kobo-api.json"), "kobo-api.json", mapping), created: 2, repeated: 0);
        var before = (await IncidentsAsync())[0];

        var edited = await ImportAsync(Fixture("kobo-api-edited.json"), "kobo-api-edited.json", mapping);
        var again = await ImportAsync(Fixture("kobo-api-edited.json"), "kobo-api-edited.json", mapping);
        var older = await ImportAsync(Fixture("kobo-api.json"), "kobo-api.json", mapping);

        Imported(edited, created: 0, repeated: 1, revised: 1);
        Imported(again, created: 0, repeated: 2);
        Imported(older, created: 0, repeated: 2);
        var incidents = await IncidentsAsync();
        Assert.Equal(2, incidents.Count);
        var after = incidents[0];
        Assert.Equal((before.Id, before.ClientId, (int?)3), (after.Id, after.ClientId, after.Injured));
        Assert.StartsWith("Des hommes armés ont pris le chantier, taxé les creuseurs et blessé trois personnes.", after.Description);
        Assert.NotEqual(before.SubmissionHash, after.SubmissionHash);
        var history = await App.WithDb(db => db.FieldRevisions.AsNoTracking().ToListAsync(Cancel));
        var revision = Assert.Single(history);
        Assert.Equal((after.Id, before.ClientId, Guid.Parse("c41f0e7a-3b2d-4c8e-9f1a-6e5d4c3b2a19"), before.SubmissionHash),
            (revision.IncidentId!.Value, revision.ClientId, revision.ReplacedBy, revision.SubmissionHash));
        Assert.Contains("\"injured\":2", revision.Content);
        Assert.Contains("taxé les creuseurs.", revision.Content);
        Assert.DoesNotContain("Exemple", revision.Content);
        Assert.DoesNotContain("+236", revision.Content);
        Assert.DoesNotContain(before.ReporterName!, revision.Content);
        // The reporter stays readable by the coordinator: still encrypted under the record's own identifier.
        await using var scope = App.Services.CreateAsyncScope();
        Assert.Equal("Exemple Informateur", scope.ServiceProvider.GetRequiredService<ReporterProtector>().Reveal(after.ReporterName, after.ClientId));
    }

    [Fact]
    public async Task AnOdkCentralCsvAndItsODataJsonLoadTheSameReportsOnceWithTheEditedOneUnderItsOriginalKey()
    {
        var mapping = FixtureText("odk-central-mapping.json");

        var csv = await ImportAsync(Fixture("odk-central.csv"), "incident_diamant.csv", mapping);
        var odata = await ImportAsync(Fixture("odk-central-odata.json"), "Submissions.json", mapping);
        var zip = await ImportAsync(CentralZip(), "incident_diamant.csv.zip", mapping);

        Imported(csv, created: 2, repeated: 0);
        Assert.Equal("ODK Central CSV", csv.Shape);
        Imported(odata, created: 0, repeated: 2);
        Assert.Equal("ODK Central OData JSON", odata.Shape);
        Imported(zip, created: 0, repeated: 2);
        var incidents = await IncidentsAsync();
        Assert.Equal([(4.36712, 18.58234, (int?)12, (int?)2, (int?)null), (4.80001, 17.46502, 25, null, 14)],
            incidents.Select(i => (i.Latitude, i.Longitude, i.PrecisionMetres, i.Injured, i.Affected)));
        // The edited submission is recorded under its current instanceID; its KEY, the first version's, is kept to find it.
        Assert.Equal(Guid.Parse("e5d4c3b2-a190-4f8e-b7d6-c5b4a3928170"), incidents[1].ClientId);
        var placeholder = Assert.Single(await App.WithDb(db => db.FieldRevisions.AsNoTracking().ToListAsync(Cancel)));
        Assert.Equal((Guid.Parse("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"), (string?)null), (placeholder.ClientId, placeholder.Content));
    }

    /// <summary>ODK Central's "download all" zip: the submissions' CSV beside a repeat group's CSV with PARENT_KEY.</summary>
    private static byte[] CentralZip()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in new[]
            {
                ("incident_diamant-temoins.csv", "temoin_nom,temoin_age,PARENT_KEY,KEY\nTémoin Un,34,uuid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d,uuid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/temoins[1]\n"),
                ("incident_diamant.csv", FixtureText("odk-central.csv")),
            })
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(Encoding.UTF8.GetBytes(content));
            }
        }
        return stream.ToArray();
    }

    [Fact]
    public async Task AnODataExportWithWellKnownTextPointsReadsLongitudeThenLatitude()
    {
        var wkt = FixtureText("odk-central-odata.json")
            .Replace("{ \"type\": \"Point\", \"coordinates\": [18.58234, 4.36712, 402], \"properties\": { \"accuracy\": 12 } }", "\"POINT (18.58234 4.36712 402)\"")
            .Replace("{ \"type\": \"Point\", \"coordinates\": [17.46502, 4.80001, 380], \"properties\": { \"accuracy\": 25 } }", "\"POINT (17.46502 4.80001 380)\"");
        Assert.Contains("POINT (17.46502", wkt);

        Imported(await ImportAsync(Encoding.UTF8.GetBytes(wkt), "Submissions.json", FixtureText("odk-central-mapping.json")), created: 2, repeated: 0);

        Assert.Equal([(4.36712, 18.58234, (int?)null), (4.80001, 17.46502, null)], (await IncidentsAsync()).Select(i => (i.Latitude, i.Longitude, i.PrecisionMetres)));
    }

    [Fact]
    public async Task AKoboCsvWithCommasAndGroupPathsAndAKoboXlsxWithDateNumbersLoadTheSameReportsAsTheSemicolonSample()
    {
        var sample = await File.ReadAllTextAsync(Path.Combine(Docs, "kobo-incident-export-sample.csv"), Cancel);
        var mapping = await File.ReadAllTextAsync(Path.Combine(Docs, "kobo-incident-mapping.json"), Cancel);
        var lines = sample.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r').Split(';')).ToArray();
        // Kobo's CSV with "," and the group written before each question, as a form with groups exports it.
        var grouped = lines.Select((cells, row) => cells.Select(c => row == 0 && c is "informateur_nom" or "informateur_contact" ? "informateur/" + c : c).ToArray()).ToArray();
        var commas = string.Join("\r\n", grouped.Select(cells => string.Join(',', cells.Select(c => c.Contains(',') ? $"\"{c}\"" : c))));
        var groupedMapping = mapping.Replace("\"informateur_nom\"", "\"informateur/informateur_nom\"").Replace("\"informateur_contact\"", "\"informateur/informateur_contact\"");
        // Kobo's XLSX, with dates stored as the spreadsheet's day numbers.
        var dateColumn = Array.IndexOf(lines[0], "date_incident");
        var xlsx = Xlsx.Build(lines.Select((cells, row) => cells.Select((c, i) => (object?)(row > 0 && i == dateColumn
            ? new Xlsx.Raw(DateOnly.Parse(c, System.Globalization.CultureInfo.InvariantCulture).ToDateTime(TimeOnly.MinValue).ToOADate().ToString(System.Globalization.CultureInfo.InvariantCulture))
            : c.Length == 0 ? null : c)).ToArray()).ToArray());

        var semicolons = await ImportAsync(Encoding.UTF8.GetBytes(sample), "sample.csv", mapping);
        var withCommas = await ImportAsync(Encoding.UTF8.GetBytes(commas), "export.csv", groupedMapping);
        var workbook = await ImportAsync(xlsx, "export.xlsx", mapping);

        Imported(semicolons, created: 2, repeated: 0);
        Assert.Equal("KoboToolbox CSV", semicolons.Shape);
        Imported(withCommas, created: 0, repeated: 2);
        Imported(workbook, created: 0, repeated: 2);
        Assert.Equal("KoboToolbox XLSX", workbook.Shape);
    }

    [Fact]
    public async Task ASelectMultipleAnswerIsMappedChoiceByChoice()
    {
        var site = await App.WithDb(async db =>
        {
            var s = new MiningSite { Name = "Kpawa", CountryIso3 = "CAF", Minerals = "diamond", Latitude = 4.2, Longitude = 15.8, Source = "test", SourceId = "kpawa" };
            db.MiningSites.Add(s);
            await db.SaveChangesAsync(Cancel);
            return s.Id;
        });
        var visits = $$"""
            {"count": 1, "next": null, "previous": null, "results": [
              {"_id": 1, "_uuid": "6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "date_visite": "2026-10-20", "site": "{{site}}", "ingerences": "3 4", "mercure": "non",
               "meta/instanceID": "uuid:6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "_submission_time": "2026-10-21T08:00:00", "_geolocation": [null, null]}]}
            """;
        var mapping = """
            {"kind": "visit", "organisation": "CRAGG",
             "fields": {"clientId": "_uuid", "visitedOn": "date_visite", "siteId": "site", "interference": "ingerences", "mercury": "mercure"},
             "values": {"interference": {"1": "illegalTaxation", "2": "forcedLabour", "3": "buying", "4": "digging"}}}
            """;
        var incidentMapping = FixtureText("kobo-incident-mapping-api.json");
        var twoPerpetrators = FixtureText("kobo-api.json").Replace("\"auteurs\": \"groupe_arme\"", "\"auteurs\": \"groupe_arme forces_etat\"");
        var sameChoiceTwice = FixtureText("kobo-api.json").Replace("\"auteurs\": \"groupe_arme\"", "\"auteurs\": \"autre creuseurs\"")
            .Replace("\"autre\": \"other\" }", "\"autre\": \"miners\" }");

        Imported(await ImportAsync(Encoding.UTF8.GetBytes(visits), "visites.json", mapping), created: 1, repeated: 0);
        var refused = await ImportAsync(Encoding.UTF8.GetBytes(twoPerpetrators), "kobo.json", incidentMapping);
        var oneChoice = await ImportAsync(Encoding.UTF8.GetBytes(sameChoiceTwice), "kobo.json", incidentMapping.Replace("\"autre\": \"other\" }", "\"autre\": \"miners\" }"));

        var visit = await App.WithDb(db => db.SiteVisits.SingleAsync(Cancel));
        Assert.Equal((Interference.Buying | Interference.Digging, (bool?)false), (visit.Interference, visit.Mercury));
        var problem = Assert.Single(refused.Problems, p => p.Kind == Kimberlite.Statistics.ImportIssueKind.Refused);
        Assert.Equal((1, "auteurs", "groupe_arme forces_etat", "Kobo_SeveralChoices"), (problem.Line, problem.Column, problem.Value, problem.Reason));
        Imported(oneChoice, created: 2, repeated: 0);
        Assert.Equal(PerpetratorType.Miners, (await IncidentsAsync())[0].Perpetrator);
    }

    [Fact]
    public async Task EncryptedSubmissionsAreRefusedWithTheReasonInEveryShape()
    {
        var odkMapping = FixtureText("odk-central-mapping.json");
        var csvLines = FixtureText("odk-central.csv").Split('\n');
        // ODK Central writes only the metadata of a submission it could not decrypt, and says so in Status.
        var notDecrypted = csvLines[0] + "\n" + "2026-11-07T10:00:00.000Z,,,,,,,,,,,,,,,,uuid:1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a,27,Moniteur Bangui,0,1,not decrypted,,,0,2026110101\n";
        var odata = """
            {"@odata.context": "https://central.example.org/v1/projects/4/forms/incident_diamant.svc/$metadata#Submissions", "value": [
              {"__id": "uuid:1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a", "__system": {"submissionDate": "2026-11-07T10:00:00.000Z", "submitterId": "27", "status": "notDecrypted", "reviewState": null, "edits": 0}}]}
            """;
        var kobo = """
            {"count": 1, "next": null, "previous": null, "results": [
              {"_id": 7, "_uuid": "1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a", "meta/instanceID": "uuid:1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a",
               "base64EncryptedKey": "dGhpcyBpcyBub3QgYSByZWFsIGtleQ==", "encryptedXmlFile": "submission.xml.enc", "_submission_time": "2026-11-07T10:00:00"}]}
            """;

        RefusedFor(await ImportAsync(Encoding.UTF8.GetBytes(notDecrypted), "incident_diamant.csv", odkMapping), "Status", "Kobo_Encrypted");
        RefusedFor(await ImportAsync(Encoding.UTF8.GetBytes(odata), "Submissions.json", odkMapping), "__system/status", "Kobo_Encrypted");
        RefusedFor(await ImportAsync(Encoding.UTF8.GetBytes(kobo), "data.json", FixtureText("kobo-incident-mapping-api.json")), "base64EncryptedKey", "Kobo_Encrypted");
        Assert.Equal(0, await App.WithDb(db => db.Incidents.CountAsync(Cancel)));
    }

    [Fact]
    public async Task AMappingIntoARepeatGroupOrToAColumnTheExportLacksIsRefusedAtTheCheckWithTheReason()
    {
        var kobo = FixtureText("kobo-incident-mapping-api.json");
        var odk = FixtureText("odk-central-mapping.json");

        var intoRepeat = await ImportAsync(Fixture("kobo-api.json"), "kobo.json", kobo.Replace("\"recit\"", "\"temoins/temoin_nom\""), checkOnly: true);
        var intoODataRepeat = await ImportAsync(Fixture("odk-central-odata.json"), "Submissions.json", odk.Replace("\"recit\"", "\"temoins/temoin_nom\""), checkOnly: true);
        var oneAnswer = await ImportAsync(Fixture("kobo-api.json"), "kobo.json", kobo.Replace("\"informateur/nom\"", "\"temoins[0]/temoin_nom\""), checkOnly: true);
        var missing = await ImportAsync(Fixture("odk-central.csv"), "incident_diamant.csv", odk.Replace("\"recit\"", "\"recit_complet\""), checkOnly: true);
        var repeatFile = await ImportAsync(Encoding.UTF8.GetBytes("temoin_nom,temoin_age,PARENT_KEY,KEY\nTémoin Un,34,uuid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d,uuid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/temoins[1]\n"),
            "incident_diamant-temoins.csv", odk, checkOnly: true);
        var unknownField = await ImportAsync(Fixture("odk-central.csv"), "incident_diamant.csv", odk.Replace("\"countryIso3\"", "\"countryISO3\""), checkOnly: true);
        var constantAndQuestion = await ImportAsync(Fixture("odk-central.csv"), "incident_diamant.csv", odk.Replace("\"countryIso3\": \"CAF\"", "\"countryIso3\": \"CAF\", \"category\": \"other\""), checkOnly: true);

        RefusedFor(intoRepeat, "temoins/temoin_nom", "Kobo_InRepeat");
        RefusedFor(intoODataRepeat, "temoins/temoin_nom", "Kobo_InRepeat");
        Assert.True(oneAnswer.Checked, string.Join("; ", oneAnswer.Problems.Select(p => p.Reason)));
        RefusedFor(missing, "recit_complet", "Kobo_MissingColumn");
        Assert.Equal(1, Assert.Single(missing.Problems).Line);
        RefusedFor(repeatFile, "PARENT_KEY", "Kobo_RepeatTable");
        RefusedFor(unknownField, "constants", "Kobo_UnknownField");
        RefusedFor(constantAndQuestion, "constants", "Kobo_TwoSources");
        Assert.Equal(0, await App.WithDb(db => db.Incidents.CountAsync(Cancel)));
    }
}
