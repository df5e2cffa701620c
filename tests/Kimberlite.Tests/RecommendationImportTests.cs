using System.Net;
using System.Text;
using Kimberlite.Accounts;
using Kimberlite.Advocacy;
using Kimberlite.Analysis;
using Kimberlite.Infrastructure.Commands;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>
/// A workshop's outcomes as a list (issue 16, point 8): `kimberlite import recommendations FILE` and the /import page
/// record a CSV or XLSX of recommendations all or nothing, with the usual report, and a second import records nothing twice.
/// </summary>
public sealed class RecommendationImportTests : EmptyAppTest
{
    private const string Analyst = "analyste@example.org";
    private static string Sample => Path.Combine(Repository.Root, "docs", "advocacy", "recommendations-sample.csv");

    private const string Header = "kind,text,language,made_by,organisation,meeting,addressee,addressee_kind,countries,theme,due,evidence";

    private static byte[] Csv(params string[] rows) => Encoding.UTF8.GetBytes(string.Join("\n", new[] { Header }.Concat(rows)) + "\n");

    /// <summary>The seed's workshop, loaded as the app loads it with its bundled data.</summary>
    private async Task<int> WorkshopAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BundledMeetings>().LoadAsync(Cancel);
        return await App.WithDb(db => db.Meetings.Where(m => m.Key == "seed-workshop").Select(m => m.Id).SingleAsync(Cancel));
    }

    private async Task<int> FindingAsync()
    {
        var at = new DateTime(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc);
        var finding = new Finding
        {
            Rule = FindingRule.ValuationGap, Key = "recommendation-import", CountryIso3 = "CAF", PartnerIso3 = "ARE", Year = 2024, PeriodText = "2024",
            Metric = Statistics.Metric.Export, Measure = "usdPerCarat", Observed = 80m, Expected = 160m, Gap = -80m, GapPercent = -50m, TolerancePercent = 25m,
            Severity = Severity.Serious, Status = FindingStatus.Open, Inputs = "[]", InputsHash = new string('b', 64), RaisedAtUtc = at, UpdatedAtUtc = at,
        };
        return await App.WithDb(async db =>
        {
            db.Findings.Add(finding);
            await db.SaveChangesAsync(Cancel);
            return finding.Id;
        });
    }

    private Task<int> OrganisationAsync(string acronym) => App.WithDb(db => db.Organisations.Where(o => o.Acronym == acronym).Select(o => o.Id).SingleAsync(Cancel));

    private Task<List<AdvocacyItem>> ItemsAsync() => App.WithDb(db => db.AdvocacyItems.AsNoTracking()
        .Include(i => i.MadeBy).Include(i => i.Translations).Include(i => i.Evidence).Include(i => i.History).AsSplitQuery().OrderBy(i => i.Id).ToListAsync(Cancel));

    private Task<List<AuditEntry>> AuditAsync(string action) =>
        App.WithDb(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == action).OrderBy(e => e.Sequence).ToListAsync(Cancel));

    [Fact]
    public async Task TheSampleListIsRecordedFromTheCommandLineWithItsFirstStatusAndOneAuditEntryAndNothingTwiceOnReimport()
    {
        var workshop = await WorkshopAsync();
        var cragg = await OrganisationAsync("CRAGG");

        var first = await RunAsync("import", "recommendations", Sample, "--organisation", "cragg");
        var again = await RunAsync("import", "recommendations", Sample, "--organisation", "CRAGG");

        Assert.Equal((0, "recommendations-sample.csv: 6 recommendations or commitments recorded, 0 already there.", ""), (first.Exit, first.Output.Trim(), first.Errors));
        Assert.Equal((0, "recommendations-sample.csv: 0 recommendations or commitments recorded, 6 already there."), (again.Exit, again.Output.Trim()));
        var items = await ItemsAsync();
        Assert.Equal(6, items.Count);
        Assert.All(items, i => Assert.Equal((cragg, workshop), (i.OrganisationId, i.MeetingId)));
        var car = items[0];
        Assert.Equal((ItemKind.Recommendation, ItemStatus.Proposed, "fr", Theme.TransparencyOfFigures, new DateOnly(2027, 6, 30), AddresseeKind.Ministry, "CAF"),
            (car.Kind, car.Status, car.Language, car.Theme, car.DueOn, car.AddresseeKind, car.Countries));
        Assert.StartsWith("Publier chaque trimestre les volumes et les valeurs des exportations de diamants bruts", car.Text);
        Assert.Equal("Ministère des Mines et de la Géologie (République centrafricaine)", car.Addressee);
        Assert.Equal([("en", "Publish every quarter the volumes and values of rough diamond exports by mining area, with the number of Kimberley Process certificates issued.")],
            car.Translations.Select(t => (t.Language, t.Text)));
        Assert.Equal(new[] { cragg, await OrganisationAsync("RELUFA") }.Order(), car.MadeBy.Select(m => m.OrganisationId).Order());
        Assert.Equal([(EvidenceKind.Link, "https://www.kimberleyprocess.com/")], car.Evidence.Select(e => (e.Kind, e.Url)));
        Assert.Equal("", items[1].Countries); // regional
        Assert.Equal("AGO,CAF,CMR,COD,COG,GAB", items[4].Countries);
        var commitment = items[5];
        Assert.Equal((ItemKind.Commitment, ItemStatus.Acknowledged, (Acknowledgement?)Acknowledgement.Accepted, "Ministère des Mines et de la Géologie", "Communiqué final de l'atelier"),
            (commitment.Kind, commitment.Status, commitment.Acknowledgement, commitment.CommittedBy, commitment.RecordedIn));
        // Each item starts its history as one recorded through the API does, by the command line's account.
        Assert.All(items, i =>
        {
            var recorded = Assert.Single(i.History);
            Assert.Equal(((ItemStatus?)null, i.Status, (int?)null, (int?)cragg, CommandContext.Actor), (recorded.From, recorded.To, recorded.ActorId, recorded.ActorOrganisationId, recorded.Actor));
        });
        var audit = Assert.Single(await AuditAsync(AuditActions.AdvocacyRecorded));
        Assert.Equal((CommandContext.Actor, "6 items of CRAGG"), (audit.Actor, audit.Target));
        Assert.Equal($"recommendations-sample.csv: 6 new (ids {items[0].Id}–{items[5].Id}), 0 already recorded", audit.Summary);
    }

    [Fact]
    public async Task AListWithOneMoreRowRecordsThatRowOnly()
    {
        await WorkshopAsync();
        await RunAsync("import", "recommendations", Sample, "--organisation", "CRAGG");
        var longer = ImportFiles.Write([.. File.ReadAllBytes(Sample), .. Encoding.UTF8.GetBytes(
            "recommendation,\"Publier les contrats miniers et les titres des sociétés d'exportation de diamants.\",fr,,,CRAGG,seed-workshop,Ministère des Mines et de la Géologie (République centrafricaine),ministry,CAF,revenue,2027-12-31,,,\n")],
            "recommendations-sample.csv");

        var (exit, output, errors) = await RunAsync("import", "recommendations", longer, "--organisation", "CRAGG");

        Assert.Equal((0, "recommendations-sample.csv: 1 recommendations or commitments recorded, 6 already there.", ""), (exit, output.Trim(), errors));
        Assert.Equal(7, (await ItemsAsync()).Count);
        Assert.Equal(2, (await AuditAsync(AuditActions.AdvocacyRecorded)).Count);
    }

    [Fact]
    public async Task AWorkbookIsRecordedFromTheCommandLineWithItsEvidenceItsThemeInWordsAndItsDateCell()
    {
        var workshop = await WorkshopAsync();
        var finding = await FindingAsync();
        var file = ImportFiles.Write(Xlsx.Build(
            ["Text", "Language", "Made by", "Meeting", "Addressee", "Addressee kind", "Countries", "Theme", "Due", "Evidence", "Text_PT"],
            ["Publier les volumes d'exportation vers les Émirats arabes unis et leur valeur déclarée.", "fr", "CRAGG; RELUFA",
                "Central African civil society workshop on diamond governance", "Ministère des Mines et de la Géologie", "ministry", "CAF; CMR",
                "Transparency of figures", 46_568, $"finding:{finding}; https://www.kimberleyprocess.com/", "Publicar os volumes de exportação para os Emirados."]),
            "atelier.xlsx");

        var (exit, output, errors) = await RunAsync("import", "recommendations", file, "--organisation", "RELUFA");

        Assert.Equal((0, "atelier.xlsx: 1 recommendations or commitments recorded, 0 already there.", ""), (exit, output.Trim(), errors));
        var item = Assert.Single(await ItemsAsync());
        Assert.Equal((workshop, Theme.TransparencyOfFigures, new DateOnly(2027, 6, 30), "CAF,CMR"), (item.MeetingId, item.Theme, item.DueOn, item.Countries));
        Assert.Equal([(EvidenceKind.Finding, (int?)finding, (string?)null), (EvidenceKind.Link, null, "https://www.kimberleyprocess.com/")],
            item.Evidence.OrderBy(e => e.Kind).Select(e => (e.Kind, e.TargetId, e.Url)));
        Assert.Equal("Publicar os volumes de exportação para os Emirados.", Assert.Single(item.Translations).Text);
    }

    [Fact]
    public async Task ABadListIsRefusedWholeWithEveryBadCellListedByLineColumnValueAndReason()
    {
        await WorkshopAsync();
        var file = ImportFiles.Write(Csv(
            "recommendation,Publier les chiffres de production.,fr,CRAGG,,seed-workshop,Ministère des Mines,ministry,CAF,transparencyOfFigures,2027-06-30,",
            "recommendation,Publier les redevances.,fr,,,,Ministère des Finances,ministry,CAF,gouvernance,2027-06-30,",
            "recommendation,Consulter les communautés.,fr,,,,Ministère des Mines,ministry,CAF,communityRights,2027-13-45,",
            "recommendation,Tracer les diamants.,fr,,,,Ministère des Mines,ministry,CAF;XYZ,traceability,,",
            "recommendation,,fr,,,,Ministère des Mines,ministry,CAF,security,,",
            "recommendation,Expliquer l'écart.,fr,,,,Ministère des Mines,ministry,CAF,revenue,,finding:987654",
            "recommendation,Protéger les creuseurs.,fr,,ACME,,Ministère des Mines,ministry,CAF,artisanalMiners,,"), "bad.csv");

        var (exit, output, errors) = await RunAsync("import", "recommendations", file, "--organisation", "CRAGG");

        Assert.Equal((1, ""), (exit, output.Trim()));
        Assert.Equal(
            [
                "bad.csv refused: nothing was imported. Problems to fix: 6",
                "  line 3, column theme, value \"gouvernance\": theme required, one of transparencyOfFigures, revenue, communityRights, traceability, environment, security, artisanalMiners, regionalCooperation",
                "  line 4, column due, value \"2027-13-45\": unreadable date: YYYY-MM-DD, for example 2027-06-30, or nothing",
                "  line 5, column countries, value \"XYZ\": unknown country: an ISO 3166 three-letter code such as CAF, or regional",
                "  line 6, column text, value \"\": text required: the recommendation as it was made (5,000 characters at most)",
                "  line 7, column evidence, value \"finding:987654\": Kimberlite holds no such finding, incident or dataset",
                "  line 8, column organisation, value \"ACME\": no organisation of the coalition has this acronym",
            ],
            errors.Trim().Split(Environment.NewLine));
        Assert.Empty(await ItemsAsync());
        Assert.Empty(await AuditAsync(AuditActions.AdvocacyRecorded));
        Assert.Equal(("bad.csv", "Recommendations: 6 problems"), (await AuditAsync(AuditActions.ImportRefused)).Select(e => (e.Target, e.Summary)).Single());
    }

    [Fact]
    public async Task TheCommandLineAsksWhichOrganisationRecordsTheRowsThatNameNone()
    {
        var file = ImportFiles.Write(Csv(
            "recommendation,Publier les chiffres de production.,fr,,RELUFA,,Ministère des Mines,ministry,CMR,transparencyOfFigures,,",
            "recommendation,Publier les redevances.,fr,,,,Ministère des Finances,ministry,CMR,revenue,,"), "list.csv");

        var unnamed = await RunAsync("import", "recommendations", file);
        var unknown = await RunAsync("import", "recommendations", file, "--organisation", "ACME");

        Assert.Equal((1, "  line 3, column organisation, value \"\": say which organisation records this row: the organisation column, or --organisation on the command line"),
            (unnamed.Exit, unnamed.Errors.Trim().Split(Environment.NewLine)[1]));
        Assert.Equal(2, unknown.Exit);
        Assert.StartsWith("No organisation \"ACME\": give the acronym of one of these: CDHD, CENADEP, CRAGG", unknown.Errors.Trim());
        Assert.Empty(await ItemsAsync());
    }

    [Fact]
    public async Task AFrenchExcelFileWithABomAndSemicolonsKeepsItsAccentsAndNamesItsThemeInFrench()
    {
        var text = "Améliorer la traçabilité des diamants saisis à la frontière et publier les procès-verbaux.";
        var portuguese = "Garantir a participação das comunidades na gestão das receitas e a publicação dos relatórios.";
        var csv = "kind;text;language;text_pt;organisation;addressee;countries;theme\r\n"
            + $"recommendation;\"{text}\";fr;\"{portuguese}\";CENADEP;Ministère des Mines (RDC);COD,COG;TRACABILITE\r\n";
        var file = ImportFiles.Write([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)], "excel.csv");

        var (exit, output, errors) = await RunAsync("import", "recommendations", file);

        Assert.Equal((0, "excel.csv: 1 recommendations or commitments recorded, 0 already there.", ""), (exit, output.Trim(), errors));
        var item = Assert.Single(await ItemsAsync());
        Assert.Equal((text, "Ministère des Mines (RDC)", "COD,COG", portuguese, Theme.Traceability),
            (item.Text, item.Addressee, item.Countries, Assert.Single(item.Translations).Text, item.Theme));
    }

    [Fact]
    public async Task AnAnalystRecordsTheListOnTheImportPageForTheirOrganisationAndTheCommandLineThenFindsItRecorded()
    {
        var workshop = await WorkshopAsync();
        var user = await People.CreateAsync(App, Analyst, MemberRole.Analyst, "CRAGG", twoFactor: false);
        var analyst = await People.SignInAsync(App, Analyst);

        var (upload, preview) = await Uploads.CheckAsync(analyst, File.ReadAllBytes(Sample), "recommendations-sample.csv");

        Assert.Contains("Importateur choisi : <strong>liste de recommandations</strong> — son en-tête porte les colonnes d'une liste de recommandations", preview);
        Assert.Contains("6 lignes lues, toutes valables : 6 nouvelles, 0 déjà enregistrées.", preview);
        Assert.Contains("<td>seed-workshop</td>", preview);
        Assert.DoesNotContain("name=\"publisher\"", preview);
        Assert.Empty(await ItemsAsync());

        var committed = await Uploads.CommitAsync(analyst, upload!);
        var page = WebUtility.HtmlDecode(await committed.Content.ReadAsStringAsync(Cancel));

        Assert.Equal(HttpStatusCode.OK, committed.StatusCode);
        Assert.Contains("6 recommandations ou engagements enregistrés, 0 déjà présents.", page);
        var items = await ItemsAsync();
        var cragg = await OrganisationAsync("CRAGG");
        Assert.All(items, i => Assert.Equal((cragg, workshop, (int?)user.Id), (i.OrganisationId, i.MeetingId, Assert.Single(i.History).ActorId)));
        var audit = Assert.Single(await AuditAsync(AuditActions.AdvocacyRecorded));
        Assert.StartsWith(Analyst, audit.Actor);
        // The same rows are the same recommendations whichever door they came through.
        var again = await RunAsync("import", "recommendations", Sample, "--organisation", "CRAGG");
        Assert.Equal("recommendations-sample.csv: 0 recommendations or commitments recorded, 6 already there.", again.Output.Trim());
        Assert.Equal(6, (await ItemsAsync()).Count);
    }

    [Fact]
    public async Task ThePageRecordsAWorkbookAndRefusesABadOneWithItsReportInTheReadersLanguage()
    {
        await People.CreateAsync(App, Analyst, MemberRole.Analyst, "CRAGG", twoFactor: false);
        var analyst = await People.SignInAsync(App, Analyst);
        string[] header = ["kind", "text", "language", "organisation", "addressee", "countries", "theme", "due"];
        var good = Xlsx.Build(header,
            ["commitment", "O ministério publicará as estatísticas de exportação de diamantes em 2027.", "pt", "", "Ministério dos Recursos Minerais (Angola)", "AGO", "transparency-of-figures", "2027-12-31"]);
        var bad = Xlsx.Build(header,
            ["recommendation", "Publier les chiffres.", "fr", "RELUFA", "Ministère des Mines", "CMR", "revenue", "2027-12-31"],
            ["recommendation", "Publier les redevances.", "fr", "", "Ministère des Finances", "CMR", "gouvernance", "31/12/2027"]);

        var (upload, _) = await Uploads.CheckAsync(analyst, good, "engagements.xlsx");
        var committed = WebUtility.HtmlDecode(await (await Uploads.CommitAsync(analyst, upload!)).Content.ReadAsStringAsync(Cancel));
        var (refusedUpload, refused) = await Uploads.CheckAsync(analyst, bad, "mauvais.xlsx");

        Assert.Contains("1 recommandations ou engagements enregistrés, 0 déjà présents.", committed);
        var item = Assert.Single(await ItemsAsync());
        Assert.Equal((ItemKind.Commitment, ItemStatus.Acknowledged, Theme.TransparencyOfFigures), (item.Kind, item.Status, item.Theme));
        Assert.Null(refusedUpload);
        Assert.Contains("Fichier refusé", refused);
        // The analyst of CRAGG records for CRAGG only; each refused cell is listed with its line, column and value.
        Assert.Contains("<td class=\"num\">2</td><td><code>organisation</code></td><td>RELUFA</td><td>refusée</td><td>vous n'êtes pas analyste de cette organisation", refused);
        Assert.Contains("<td class=\"num\">3</td><td><code>theme</code></td><td>gouvernance</td><td>refusée</td><td>thème obligatoire", refused);
        Assert.Contains("<td class=\"num\">3</td><td><code>due</code></td><td>31/12/2027</td><td>refusée</td><td>date illisible", refused);
        Assert.Single(await ItemsAsync());
    }

    [Fact]
    public async Task AListCitesTheDocumentsItsImporterMayReadAsTheFormDoesAndTheCommandLinePublicOnesOnly()
    {
        var shown = await LibraryDocuments.AddAsync(App, "Rapport ITIE 2024", Library.DocumentVisibility.Public, "RELUFA", "p1", "p2", "p3");
        var coalition = await LibraryDocuments.AddAsync(App, "Note de la coalition", Library.DocumentVisibility.Coalition, "RELUFA", "p1");
        var relufas = await LibraryDocuments.AddAsync(App, "Procès-verbal de RELUFA", Library.DocumentVisibility.Organisation, "RELUFA", "p1");
        await People.CreateAsync(App, Analyst, MemberRole.Analyst, "CRAGG", twoFactor: false);
        var analyst = await People.SignInAsync(App, Analyst);
        string Row(string text, string evidence) => $"recommendation,{text},fr,,,,Ministère des Mines,ministry,CAF,revenue,,{evidence}";

        var (refusedUpload, refused) = await Uploads.CheckAsync(analyst, Csv(
            Row("Publier les paiements.", $"document:{relufas}"), Row("Publier les contrats.", $"document:{shown}:9"), Row("Publier les permis.", $"finding:{shown}:2")), "documents.csv");
        Assert.Null(refusedUpload);
        Assert.Contains($"<td class=\"num\">2</td><td><code>evidence</code></td><td>document:{relufas}</td><td>refusée</td><td>aucun document de la bibliothèque que vous pouvez lire", refused);
        Assert.Contains($"<td class=\"num\">3</td><td><code>evidence</code></td><td>document:{shown}:9</td><td>refusée</td><td>aucun document", refused);
        Assert.Contains($"<td class=\"num\">4</td><td><code>evidence</code></td><td>finding:{shown}:2</td><td>refusée</td><td>preuve illisible", refused);

        var (upload, preview) = await Uploads.CheckAsync(analyst, Csv(Row("Publier les paiements.", $"document:{coalition}:1; document:{shown}:2")), "documents.csv");
        Assert.NotNull(upload);
        Assert.Contains("toutes valables", preview);
        await Uploads.CommitAsync(analyst, upload!);
        var item = Assert.Single(await ItemsAsync());
        Assert.Equal([(shown, 2), (coalition, 1)], item.Evidence.Where(e => e.Kind == EvidenceKind.Document).OrderBy(e => e.TargetId).Select(e => (e.TargetId!.Value, e.Page!.Value)));
        Assert.False(item.IsPublished);

        // The command line acts for no reader: it cites public documents only.
        var file = ImportFiles.Write(Csv(Row("Publier les redevances.", $"document:{coalition}"), Row("Publier les volumes.", $"document:{shown}:3")), "cli.csv");
        var (exit, _, errors) = await RunAsync("import", "recommendations", file, "--organisation", "CRAGG");
        Assert.Equal(1, exit);
        Assert.Contains($"line 2, column evidence, value \"document:{coalition}\": no library document you may read has this number, or it has no such page", errors);
        Assert.DoesNotContain("line 3", errors);
    }

    /// <summary>The command line, in-process, on this test's database.</summary>
    private Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args) => CommandLine.RunAsync(App, args);
}
