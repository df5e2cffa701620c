using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kimberlite.Accounts;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>
/// One import, whatever the door (issue 13, items 7 and 8): the /import page, driven as an analyst drives it, and the
/// command line run the same workflow, with the same choice of importer, audit entries and record of who imported.
/// </summary>
public sealed partial class ImportDoorTests : EmptyAppTest
{
    private const string Analyst = "analyste@example.org";

    /// <summary>A Comtrade Plus web download as it comes: every field quoted, a trailing comma, CRLF line ends.</summary>
    private static byte[] ComtradeDownload(params string[] rows) =>
        Encoding.Latin1.GetBytes(string.Concat(new[] { ComtradeTests.Header }.Concat(rows)
            .Select(line => string.Join(',', line.Split(',').Select(cell => $"\"{cell}\"")) + ",\r\n")));

    /// <summary>The Kimberley Process public table, which names no publisher: its layout only suggests one.</summary>
    private static byte[] KpTable() =>
        Encoding.UTF8.GetBytes("Country,Year,Production volume (ct),Production value (USD)\nGabon,2021,100,5000\nAngola,2021,8000000,1200000000\n");

    private static readonly string[] SourceConflict =
    [
        "COD,2022,9908997.66,64959638.25,,https://howafrica.com/x,HowAfrica (citing KP),\"9,908,997.66 | $64,959,638.25\",exact,",
        "COD,2022,10780000,77000000,,https://naturaldiamonds.com/x,Natural Diamond Council (Source: KPCS),\"10,780 thousand carats | $77m\",\"rounded (thousand ct, $ million)\",",
    ];

    private async Task<HttpClient> AnalystAsync()
    {
        await People.CreateAsync(App, Analyst, MemberRole.Analyst, "CRAGG", twoFactor: false);
        return await People.SignInAsync(App, Analyst);
    }

    private static async Task<string> CheckAsync(HttpClient client, byte[] file, string name, string? publisher = null)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent((await People.TokenAsync(client, "/import"))!), "__RequestVerificationToken" },
            { new ByteArrayContent(file), "file", name },
        };
        if (publisher is not null)
            form.Add(new StringContent(publisher), "publisher");
        var response = await client.PostAsync("/import?handler=Check", form, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel));
    }

    private static async Task<HttpResponseMessage> CommitAsync(HttpClient client, string checkedPage, string? publisher)
    {
        var fields = new Dictionary<string, string> { ["upload"] = UploadPattern().Match(checkedPage).Groups[1].Value };
        if (publisher is not null)
            fields["publisher"] = publisher;
        return await People.PostFormAsync(client, "/import?handler=Commit", fields, tokenFrom: "/import");
    }

    [GeneratedRegex("name=\"upload\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex UploadPattern();

    private Task<List<AuditEntry>> AuditAsync(string action) =>
        App.WithDb(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == action).OrderBy(e => e.Sequence).ToListAsync(Cancel));

    [Fact]
    public async Task ThePagePreviewsAComtradeDownloadSaysItChoseTheComtradeImporterAndImportsIt()
    {
        var analyst = await AnalystAsync();
        var file = ComtradeDownload(
            ComtradeTests.Row("AGO", "BEL", "X", "710210", "carat", "1000000", "150000000"),
            ComtradeTests.Row("BEL", "AGO", "M", "710210", "carat", "1000000", "151000000"));

        var preview = await CheckAsync(analyst, file, "TradeData_2020.csv");

        Assert.Contains("Importateur choisi : <strong>UN Comtrade", preview);
        Assert.Contains("son en-tête porte les colonnes de UN Comtrade", preview);
        Assert.Contains("Prêt à importer : 2 lignes lues", preview);
        Assert.Contains("<td>AGO</td>", preview);
        // Comtrade names no publisher in its files: the page offers UN Comtrade as a suggestion to confirm, not as a fact.
        Assert.Contains("value=\"United Nations Statistics Division (UN Comtrade)\"", preview);
        Assert.Contains("Suggestion tirée de la disposition du fichier", preview);
        Assert.Equal(0, await App.WithDb(db => db.TradeFlows.CountAsync(Cancel)));

        var committed = await CommitAsync(analyst, preview, "United Nations Statistics Division (UN Comtrade)");

        Assert.Equal(HttpStatusCode.Redirect, committed.StatusCode);
        var dataset = await App.WithDb(db => db.Datasets.AsNoTracking().SingleAsync(Cancel));
        Assert.Equal($"/datasets/{dataset.Id}", committed.Headers.Location?.OriginalString);
        Assert.Equal((StatisticsFormat.Comtrade, 2), (dataset.Format, await App.WithDb(db => db.TradeFlows.CountAsync(Cancel))));
        // The dataset is known by the name the analyst uploaded, not by the name its upload waited under.
        Assert.Equal(("TradeData_2020.csv", "TradeData_2020"), (dataset.FileName, dataset.Title));
        Assert.Equal("UTF-8", dataset.Encoding);
        Assert.Equal($"dataset {dataset.Id}", Assert.Single(await AuditAsync(AuditActions.Import)).Target);
        Assert.NotNull(dataset.AnalysedAtUtc);
    }

    [Fact]
    public async Task ThePageSaysItChoseTheStatisticsImporterForAStatisticsFile()
    {
        var analyst = await AnalystAsync();

        var preview = await CheckAsync(analyst, ImportFiles.Csv(ImportFiles.ProductionHeader, SourceConflict), "production.csv");

        Assert.Contains("Importateur choisi : <strong>statistiques (", preview);
        Assert.Contains("ni les colonnes de Comtrade ni fichier de correspondance", preview);
    }

    [Fact]
    public async Task TheSuggestedPublisherIsShownAsASuggestionAndNothingIsImportedUntilTheAnalystConfirmsIt()
    {
        var analyst = await AnalystAsync();

        var preview = await CheckAsync(analyst, KpTable(), "kp.csv");

        Assert.Contains("Éditeur (à confirmer)", preview);
        Assert.Contains("value=\"Kimberley Process\"", preview);
        Assert.Contains("Suggestion tirée de la disposition du fichier, pas une indication de votre part : « Kimberley Process »", preview);

        // Emptied, the suggestion is not applied anyway: the file waits for a publisher, and nothing is stored.
        var unstated = await CommitAsync(analyst, preview, "");
        var again = WebUtility.HtmlDecode(await unstated.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(HttpStatusCode.OK, unstated.StatusCode);
        Assert.Contains("Qui a publié ce fichier ?", again);
        Assert.Equal(0, await App.WithDb(db => db.Datasets.CountAsync(Cancel)));

        var confirmed = await CommitAsync(analyst, again, "Kimberley Process Certification Scheme");

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var dataset = await App.WithDb(db => db.Datasets.AsNoTracking().SingleAsync(Cancel));
        Assert.Equal("Kimberley Process Certification Scheme", dataset.Publisher);
        Assert.All(await App.WithDb(db => db.Figures.AsNoTracking().ToListAsync(Cancel)), f => Assert.Equal("Kimberley Process Certification Scheme", f.SourcePublisher));
    }

    [Fact]
    public async Task ARefusedImportIsAuditedFromThePageAndFromTheCommandLine()
    {
        var analyst = await AnalystAsync();
        var bad = ImportFiles.Csv(ImportFiles.ProductionHeader, "XXX,2024,3100,,,Bulletin,Ministère des Mines,3 100 carats,exact,");

        var page = await CheckAsync(analyst, bad, "page.csv");
        var (exit, _, errors) = await RunAsync("import", "statistics", ImportFiles.Write(bad, "cli.csv"));

        Assert.Contains("Fichier refusé, rien n'est enregistré. Problèmes à corriger : 1", page);
        Assert.Equal(1, exit);
        Assert.StartsWith("cli.csv refused", errors);
        var refused = await AuditAsync(AuditActions.ImportRefused);
        Assert.Equal(["page.csv", "cli.csv"], refused.Select(e => e.Target));
        Assert.StartsWith($"{Analyst} (#", refused[0].Actor);
        Assert.Equal($"command line ({Environment.UserName})", refused[1].Actor);
        Assert.All(refused, e => Assert.StartsWith("Statistics: 1 problems", e.Summary));
        Assert.Equal(0, await App.WithDb(db => db.Datasets.CountAsync(Cancel)));
    }

    [Fact]
    public async Task AnImportsAuditEntryIsCommittedWithItsDatasetOrNotAtAll()
    {
        var content = ImportFiles.Csv(ImportFiles.ProductionHeader, SourceConflict);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var importer = scope.ServiceProvider.GetRequiredService<StatisticsImporter>();
            var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
            // The entry is written inside the import's transaction; a failure after it, before the commit, takes both away.
            await Assert.ThrowsAsync<InvalidOperationException>(() => importer.ImportAsync(content, "a.csv", new Provenance(), cancellationToken: Cancel,
                beforeCommit: async (db, result, token) =>
                {
                    await audit.AppendInAsync(db, "test", AuditActions.Import, $"dataset {result.DatasetId}", "a.csv", token);
                    throw new InvalidOperationException("the process dies here");
                }));
        }
        Assert.Equal((0, 0, 0), (await App.WithDb(db => db.Datasets.CountAsync(Cancel)), await App.WithDb(db => db.Figures.CountAsync(Cancel)), (await AuditAsync(AuditActions.Import)).Count));

        var (exit, _, _) = await RunAsync("import", "statistics", ImportFiles.Write(content, "a.csv"));

        Assert.Equal(0, exit);
        var dataset = await App.WithDb(db => db.Datasets.AsNoTracking().SingleAsync(Cancel));
        var entry = Assert.Single(await AuditAsync(AuditActions.Import));
        Assert.Equal(($"dataset {dataset.Id}", "a.csv: 2 rows, 2 figures"), (entry.Target, entry.Summary));
        Assert.Null((await App.Services.GetRequiredService<AuditLog>().VerifyAsync(Cancel)).FirstBrokenSequence);
    }

    [Fact]
    public async Task ImportsAndOtherEntriesAppendedAtOnceEachKeepTheirEntryAndTheChainStaysIntact()
    {
        // Each import appends inside its own transaction; entries appended meanwhile race it for the next sequence number.
        async Task ImportAsync(int i)
        {
            await using var scope = App.Services.CreateAsyncScope();
            var path = ImportFiles.Write(ImportFiles.Csv(ImportFiles.ProductionHeader, $"GAB,{2000 + i},{100 + i},,,https://example.org,Somebody,,exact,"), $"gabon-{i}.csv");
            var run = await scope.ServiceProvider.GetRequiredService<Imports.ImportWorkflow>().ImportAsync(
                new Imports.ImportFile(path, Path.GetFileName(path)), new Provenance { ImportedBy = $"test {i}" }, cancellationToken: Cancel);
            Assert.True(run.Imported);
        }
        var audit = App.Services.GetRequiredService<AuditLog>();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(ImportAsync)
            .Concat(Enumerable.Range(0, 8).Select(i => audit.AppendAsync("test", AuditActions.SignIn, $"user {i}", "", Cancel))));

        var datasets = await App.WithDb(db => db.Datasets.Select(d => d.Id).ToListAsync(Cancel));
        Assert.Equal(datasets.Select(id => $"dataset {id}").Order(), (await AuditAsync(AuditActions.Import)).Select(e => e.Target).Order());
        Assert.Equal(8, (await AuditAsync(AuditActions.SignIn)).Count);
        Assert.Null((await audit.VerifyAsync(Cancel)).FirstBrokenSequence);
    }

    [Fact]
    public async Task EveryDatasetShowsWhoImportedItToMembersAndTheOrganisationToThePublic()
    {
        var analyst = await AnalystAsync();
        var preview = await CheckAsync(analyst, ImportFiles.Csv(ImportFiles.ProductionHeader, SourceConflict), "page.csv");
        var committed = await CommitAsync(analyst, preview, null);
        var byPage = committed.Headers.Location!.OriginalString;
        await RunAsync("import", "statistics", ImportFiles.Write(ImportFiles.Csv(ImportFiles.NationalHeader,
            "CMR,2020,FY,export,total,870.55,51510000,XAF,https://ecomatin.be/x,EcoMatin (EITI),\"870,55 carats\",exact,"), "cli.csv"));
        var byCommandLine = await App.WithDb(db => db.Datasets.Where(d => d.FileName == "cli.csv").Select(d => d.Id).SingleAsync(Cancel));
        var visitor = App.CreateClient();

        var member = WebUtility.HtmlDecode(await analyst.GetStringAsync(byPage, Cancel));
        var anonymous = WebUtility.HtmlDecode(await visitor.GetStringAsync(byPage, Cancel));
        var api = await visitor.GetFromJsonAsync<JsonElement>($"/api/v1/datasets/{byCommandLine}", Cancel);
        var list = await visitor.GetStringAsync("/api/v1/datasets?format=csv", Cancel);

        Assert.Contains($"<dt>Importé par</dt><dd>{Analyst} (#", member);
        Assert.Contains("(CRAGG)</dd>", member);
        Assert.DoesNotContain(Analyst, anonymous);
        Assert.Contains("<dt>Importé par</dt><dd>un membre de l'observatoire (CRAGG)</dd>", anonymous);
        Assert.Equal($"command line ({Environment.UserName})", api.GetProperty("dataset").GetProperty("importedBy").GetString());
        Assert.False(api.GetProperty("dataset").GetProperty("analysisPending").GetBoolean());
        Assert.Contains("imported_by,imported_by_organisation,analysis_pending", list);
        Assert.DoesNotContain(Analyst, list);
    }

    [Fact]
    public async Task TheCommandLineRequiresAPublisherWhereTheFileStatesNoneAndPrintsTheSuggestion()
    {
        var kp = ImportFiles.Write(KpTable(), "kp.csv");
        var comtrade = ImportFiles.Write(ComtradeDownload(ComtradeTests.Row("AGO", "BEL", "X", "710210", "carat", "1000000", "150000000")), "comtrade.csv");

        var kpUnstated = await RunAsync("import", "statistics", kp);
        var comtradeUnstated = await RunAsync("import", "comtrade", comtrade);
        var kpStated = await RunAsync("import", "statistics", kp, "--publisher", "Kimberley Process");

        Assert.Equal((2, "kp.csv does not say who published it: nothing was imported. Give --publisher (the layout suggests \"Kimberley Process\")."), (kpUnstated.Exit, kpUnstated.Errors.Trim()));
        Assert.Equal((2, "comtrade.csv does not say who published it: nothing was imported. Give --publisher (the layout suggests \"United Nations Statistics Division (UN Comtrade)\")."), (comtradeUnstated.Exit, comtradeUnstated.Errors.Trim()));
        Assert.Equal(0, kpStated.Exit);
        Assert.Equal(["Kimberley Process"], await App.WithDb(db => db.Datasets.Select(d => d.Publisher).ToListAsync(Cancel)));
    }

    [Fact]
    public async Task AFileThatNamesNoPublisherIsAskedForOneEvenWhenItsReportHoldsNotes()
    {
        // The Kimberley Process's own export, as its database gives it: columns Kimberlite keeps no use for
        // ("Trade Type", "Public") are noted as such, and a note is not a problem to fix.
        var export = ImportFiles.Write(System.Text.Encoding.UTF8.GetBytes(
            "Country Name,Year,Quarter,Trade Type,Production Type,Carat,US Value,Public,Created,Last Modified,Comment\n" +
            "Angola,2023,1,Production,Production,4500000,800000000,Public,,,checked\n"), "kp-export.csv");

        var unstated = await RunAsync("import", "statistics", export);

        Assert.Equal((2, "kp-export.csv does not say who published it: nothing was imported. Give --publisher (the layout suggests \"Kimberley Process\")."), (unstated.Exit, unstated.Errors.Trim()));
        Assert.Equal(0, await App.WithDb(db => db.Datasets.CountAsync(Cancel)));
    }

    /// <summary>The command line, in-process, on this test's database.</summary>
    private Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args) => CommandLine.RunAsync(App, args);
}
