using System.Globalization;
using Kimberlite.Infrastructure.Commands;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Tests;

/// <summary>`kimberlite ...` commands, run in-process on a database of their own, read as a user reads them.</summary>
public sealed class CommandLineTests : IAsyncLifetime
{
    private readonly Dictionary<string, string> _settings;
    private readonly Func<Task> _drop;

    public CommandLineTests()
    {
        (_settings, _drop) = TestDatabase.Create();
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public async ValueTask DisposeAsync() => await _drop();

    private async Task<(int Exit, string Output, string Errors)> Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await KimberliteCommands.RunAsync([.. args, .. _settings.Select(s => $"--{s.Key}={s.Value}")], output, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task DbMigrateCreatesTheDatabaseLoadsTheBundledDataAndThenHasNothingToDo()
    {
        var first = await Run("db", "migrate");
        var second = await Run("db", "migrate");
        var bundledAgain = await Run("import", "statistics", ImportFiles.Bundled("kp_production.csv"));

        Assert.Equal(0, first.Exit);
        Assert.Contains("Migrations applied: ", first.Output);
        Assert.Contains("no migration to apply", second.Output);
        Assert.Equal((0, "This file was already imported (dataset 1): nothing changed."), (bundledAgain.Exit, bundledAgain.Output.Trim()));
    }

    [Fact]
    public async Task ImportStatisticsRefusesABadFileAndListsEveryProblem()
    {
        var file = ImportFiles.Write(ImportFiles.Csv(ImportFiles.ProductionHeader,
            "COD,2021,-14,,,https://example.org,Somebody,,exact,",
            "CAF,2021,\"1,234\",\"$4,11,65,99,277.57\",,https://example.org,Somebody,,exact,"), "bad.csv");

        var (exit, output, errors) = await Run("import", "statistics", file);

        Assert.Equal(1, exit);
        Assert.Equal("", output.Trim());
        Assert.Equal(
            [
                "bad.csv refused: nothing was imported. Problems to fix: 3",
                "  line 2, column carats, value \"-14\": negative quantity refused",
                "  line 3, column carats, value \"1,234\": ambiguous number: a single comma followed by three digits may separate thousands or decimals; write 1234 or 1.234",
                "  line 3, column usd, value \"$4,11,65,99,277.57\": not a number: write digits only, for example 8305796.60 (a range or words are not accepted)",
            ],
            errors.Trim().Split(Environment.NewLine));
    }

    [Fact]
    public async Task ImportStatisticsLoadsAGoodFileThenSaysNothingChangedOnReimport()
    {
        await Run("db", "migrate");
        var file = ImportFiles.Write(ImportFiles.Csv(ImportFiles.NationalHeader,
            "CMR,2020,FY,export,total,870.55,51510000,XAF,https://ecomatin.be/x,EcoMatin (EITI),\"870,55 carats\",exact,",
            "GAB,2020,per month,production,artisanal,300,,,https://www.rough-polished.com/en/exclusive/117060.html,Rough & Polished,300 carats per month,approx,"), "national-2020.csv");

        var first = await Run("import", "statistics", file, "--title", "National figures 2020", "--publisher", "EcoMatin", "--retrieved", "2026-11-02");
        var again = await Run("import", "statistics", file);

        Assert.Equal(0, first.Exit);
        var lines = first.Output.Trim().Split(Environment.NewLine);
        Assert.Equal(
            [
                "Dataset 6 imported from national-2020.csv (national statistics) — rows read: 2, loaded: 2; figures: 2.",
                "Read as text in UTF-8.",
                "  note, line 3, column period, value \"per month\": period not understood: the text is kept as given and the figure stays out of the charts; forms understood: 2023, 2012-2013, H1, Q3, Jan, Jan-Sep",
            ],
            lines[..3]);
        // Every import is followed by an analysis of all the figures.
        Assert.Matches(@"^Analysis: \d+ new findings?, \d+ changed, \d+ resolved; \d+ active findings?\.$", lines[3]);
        Assert.Equal((0, "This file was already imported (dataset 6): nothing changed."), (again.Exit, again.Output.Trim()));
    }

    [Fact]
    public async Task ImportStatisticsReadsAnXlsxFile()
    {
        var file = ImportFiles.Write(Xlsx.Build(
            ["Country", "Period", "Production volume (ct)", "Production value (USD)"],
            ["Gabon", "2021", 100, 5000]), "kp.xlsx");

        // The layout only suggests the Kimberley Process as publisher: the user states it.
        var (exit, output, _) = await Run("import", "statistics", file, "--publisher", "Kimberley Process");

        Assert.Equal(0, exit);
        Assert.Contains("(Kimberley Process public table) — rows read: 1, loaded: 1; figures: 1.", output);
    }

    [Fact]
    public async Task AWorkbookWhoseFiguresAreOnItsSecondSheetIsReadFromThatSheetOrFromTheSheetNamed()
    {
        static string Cell(string reference, string text) => $"<c r=\"{reference}\" t=\"inlineStr\"><is><t>{text}</t></is></c>";
        static string Number(string reference, decimal value) => $"<c r=\"{reference}\"><v>{value}</v></c>";
        const string Header = "<row r=\"1\">" + "{0}" + "</row>";
        var notes = $"<row r=\"1\">{Cell("A1", "Read me: figures of the Kimberley Process, by country")}</row>";
        var figures = string.Format(Header, Cell("A1", "Country") + Cell("B1", "Period") + Cell("C1", "Production volume (ct)") + Cell("D1", "Production value (USD)"))
            + $"<row r=\"2\">{Cell("A2", "Gabon")}{Cell("B2", "2021")}{Number("C2", 100)}{Number("D2", 5000)}</row>";
        var copy = string.Format(Header, Cell("A1", "Country") + Cell("B1", "Period") + Cell("C1", "Production volume (ct)") + Cell("D1", "Production value (USD)"))
            + $"<row r=\"2\">{Cell("A2", "Gabon")}{Cell("B2", "2022")}{Number("C2", 200)}{Number("D2", 7000)}</row>";
        var file = ImportFiles.Write(RawXlsx.Build([("Notes", notes), ("Production", figures), ("Copy 2022", copy)]), "kp-sheets.xlsx");

        var first = await Run("import", "statistics", file, "--publisher", "Kimberley Process");
        // Another copy of the workbook (one more note): the same bytes would be the same file, imported already.
        var notesAgain = notes + $"<row r=\"2\">{Cell("A2", "Copied on 2 December")}</row>";
        var named = await Run("import", "statistics", ImportFiles.Write(RawXlsx.Build([("Notes", notesAgain), ("Production", figures), ("Copy 2022", copy)]), "kp-sheets-named.xlsx"),
            "--sheet", "Copy 2022", "--publisher", "Kimberley Process");
        var missing = await Run("import", "statistics", ImportFiles.Write(RawXlsx.Build([("Notes", notes), ("Production", copy), ("Copy 2022", figures)]), "kp-sheets-missing.xlsx"),
            "--sheet", "2023", "--publisher", "Kimberley Process");

        Assert.Equal(0, first.Exit);
        Assert.Contains("Sheet read: Production.", first.Output);
        Assert.Equal(0, named.Exit);
        Assert.Contains("Sheet read: Copy 2022.", named.Output);
        Assert.Equal(1, missing.Exit);
        Assert.Contains("Notes, Production, Copy 2022", missing.Errors);
        await using var app = new KimberliteApp(_settings);
        var stored = await app.WithDb(db => (from f in db.Figures.AsNoTracking()
                                               join d in db.Datasets on f.DatasetId equals d.Id
                                               where d.FileName.StartsWith("kp-sheets")
                                               orderby f.Year
                                               select new { f.Year, f.Carats, d.Sheet }).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal([(2021, 100m, "Production"), (2022, 200m, "Copy 2022")], stored.Select(f => (f.Year!.Value, f.Carats!.Value, f.Sheet)));
    }

    [Fact]
    public async Task AMissingFileOrAnUnknownOptionSaysWhatIsWrong()
    {
        var missing = await Run("import", "statistics", "/nowhere/kp.csv");
        var option = await Run("import", "statistics", ImportFiles.Bundled("kp_trade.csv"), "--colour", "blue");
        var date = await Run("import", "statistics", ImportFiles.Bundled("kp_trade.csv"), "--retrieved", "29/11/2026");

        Assert.Equal((2, "File not found: /nowhere/kp.csv"), (missing.Exit, missing.Errors.Trim()));
        Assert.Equal(2, option.Exit);
        Assert.StartsWith("Unknown option: --colour", option.Errors);
        Assert.Contains("kimberlite import statistics FILE", option.Errors);
        Assert.Equal((2, "Date not understood: 29/11/2026 (write YYYY-MM-DD)"), (date.Exit, date.Errors.Trim()));
    }

    [Fact]
    public async Task SettingsMayComeBeforeTheCommand()
    {
        var output = new StringWriter();
        var exit = await KimberliteCommands.RunAsync([.. _settings.Select(s => $"--{s.Key}={s.Value}"), "db", "migrate"], output, new StringWriter());

        Assert.True(KimberliteCommands.IsCommand([.. _settings.Select(s => $"--{s.Key}={s.Value}"), "db", "migrate"]));
        Assert.Equal(0, exit);
        Assert.Contains("Migrations applied: ", output.ToString());
    }

    [Fact]
    public async Task ARelativePathIsReadFromTheFolderWhereTheCommandWasTyped()
    {
        // `dotnet run --project src/Kimberlite` starts in the project's folder; the shell's folder is in $PWD.
        var file = ImportFiles.Write(ImportFiles.Csv(ImportFiles.ProductionHeader, "GAB,2021,100,,,https://example.org,Somebody,,exact,"), "gabon.csv");
        var shell = Environment.GetEnvironmentVariable("PWD");
        Environment.SetEnvironmentVariable("PWD", Path.GetDirectoryName(file));
        try
        {
            var (exit, output, _) = await Run("import", "statistics", "gabon.csv");

            Assert.Equal(0, exit);
            Assert.Contains("imported from gabon.csv", output);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PWD", shell);
        }
    }

    [Fact]
    public async Task AnOptionWithoutItsValueOrAnUnknownCommandIsNamed()
    {
        var noTitle = await Run("import", "statistics", ImportFiles.Bundled("kp_trade.csv"), "--title");
        var unknown = await Run("import", "sites", "x.csv");

        Assert.Equal((2, "The option --title needs a value"), (noTitle.Exit, noTitle.Errors.Trim()));
        Assert.Equal(2, unknown.Exit);
        Assert.StartsWith("Unknown command: import sites x.csv", unknown.Errors);
    }

    [Fact]
    public async Task AnalyzePrintsTheFindingsByRuleAndCountryAndFindingsPrintsThemAsJsonOrCsv()
    {
        var analyze = await Run("analyze");
        var json = await Run("findings", "--format", "json");
        var csv = await Run("findings", "--format", "csv");

        Assert.Equal(0, analyze.Exit);
        var lines = analyze.Output.Trim().Split(Environment.NewLine);
        Assert.Matches(@"^Analysis: \d+ new findings?, \d+ changed, \d+ resolved; \d+ active findings?\.$", lines[0]);
        Assert.Matches(@"^Rule\s+.*COD.*Total$", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("Source conflict", StringComparison.Ordinal));
        // The table ends with its total, then what the analysis could not use, by reason.
        var total = Array.FindIndex(lines, l => l.StartsWith("Total", StringComparison.Ordinal));
        Assert.Matches(@"^Figures the analysis could not use: \d+$", lines[total + 1]);
        var findings = System.Text.Json.JsonDocument.Parse(json.Output).RootElement;
        Assert.True(findings.GetArrayLength() > 0);
        Assert.False(string.IsNullOrEmpty(findings[0].GetProperty("explanation").GetString()));
        Assert.StartsWith("id,rule,key,country_iso3,", csv.Output);
        Assert.Equal(findings.GetArrayLength() + 1, csv.Output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task UsersAddPrintsAOneTimeSetupLinkAndTokensCreatePrintsOnlyTheToken()
    {
        var admin = await Run("users", "add", "chief@example.org", "--role", "admin");
        var analyst = await Run("users", "add", "ana@example.org", "--org", "relufa", "--role", "analyst");
        var unknown = await Run("users", "add", "x@example.org", "--org", "NOPE", "--role", "analyst");
        var token = await Run("tokens", "create", "--user", "ana@example.org", "--scope", "write", "--expires", "30d");
        var noUser = await Run("tokens", "create", "--user", "nobody@example.org", "--scope", "read", "--expires", "30d");

        Assert.Equal(0, admin.Exit);
        Assert.Contains("chief@example.org: platform administrator.", admin.Output);
        Assert.Matches(@"http://localhost:5080/account/setup\?user=\d+&code=\S+", admin.Output);
        Assert.Contains("ana@example.org: analyst of RELUFA.", analyst.Output);
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("No organisation has this acronym", unknown.Errors);
        Assert.Equal(0, token.Exit);
        Assert.Matches(@"^kmb_[0-9a-f]{48}\s*$", token.Output);
        Assert.Equal(1, noUser.Exit);
        var audit = await Run("audit", "verify");
        Assert.Equal(0, audit.Exit);
        // Created, administrator granted, created, membership, token: five entries, chained.
        Assert.Contains("Audit trail intact: 5 entries verified.", audit.Output);
    }

    [Fact]
    public async Task AuditVerifyNamesTheFirstEntryChangedInTheDatabaseAndExitsOne()
    {
        await Run("users", "add", "a@example.org", "--role", "admin");
        await Run("users", "add", "b@example.org", "--org", "CENADEP", "--role", "viewer");
        Assert.Equal(0, (await Run("audit", "verify")).Exit);

        // Someone with access to the database rewrites the second entry's summary.
        await using (var app = new KimberliteApp(_settings))
            await app.WithDb(db => Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database,
                "UPDATE \"AuditEntries\" SET \"Summary\" = 'nothing happened' WHERE \"Sequence\" = 2"));
        var verify = await Run("audit", "verify");

        Assert.Equal(1, verify.Exit);
        Assert.Contains("Audit trail broken at entry 2: it was changed after it was written (its content no longer matches its seal).", verify.Errors);
    }

    [Fact]
    public async Task ImportKoboReadsTheDocumentedSampleExportOnceAndRefusesABadOneWhole()
    {
        var sample = Path.Combine(Repository.Root, "docs", "field", "kobo-incident-export-sample.csv");
        var mapping = Path.Combine(Repository.Root, "docs", "field", "kobo-incident-mapping.json");

        var first = await Run("import", "kobo", sample, "--mapping", mapping);
        var again = await Run("import", "kobo", sample, "--mapping", mapping);
        var bad = Path.Combine(Path.GetTempPath(), $"kobo-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(bad, (await File.ReadAllTextAsync(sample, TestContext.Current.CancellationToken))
            .Replace(";grave;", ";enorme;").Replace("2026-11-04", "2099-01-01"), TestContext.Current.CancellationToken);
        var refused = await Run("import", "kobo", bad, "--mapping", mapping);

        Assert.Equal((0, 0, 1), (first.Exit, again.Exit, refused.Exit));
        Assert.Contains("2 reports recorded, 0 already there", first.Output);
        Assert.Contains("0 reports recorded, 2 already there", again.Output);
        Assert.Contains("line 2, column gravite, value \"enorme\": Use one of: minor, serious, critical.", refused.Errors);
        Assert.Contains("line 3, column date_incident", refused.Errors);
        await using var app = new KimberliteApp(_settings);
        var incidents = await app.WithDb(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.Incidents.OrderBy(i => i.OccurredOn), TestContext.Current.CancellationToken));
        Assert.Equal([(Kimberlite.Field.IncidentCategory.Violence, 2, (int?)null), (Kimberlite.Field.IncidentCategory.ChildLabour, (int?)null ?? 0, (int?)14)],
            incidents.Select(i => (i.Category, i.Injured ?? 0, i.Affected)));
        Assert.DoesNotContain("Exemple", incidents[0].ReporterName);
        File.Delete(bad);
    }

    /// <summary>Every command there is, as the help writes its first line.</summary>
    private static readonly string[] EveryCommand =
    [
        "kimberlite import statistics FILE [--sheet S] [--title T] [--publisher P] [--url U] [--retrieved YYYY-MM-DD]",
        "kimberlite import comtrade FILE [--title T] [--publisher P] [--url U] [--retrieved YYYY-MM-DD]",
        "kimberlite import kobo FILE --mapping MAPPING",
        "kimberlite import recommendations FILE [--organisation ACRONYM]",
        "kimberlite import documents PATH [--title T] [--type report|law|decree|contract|minutes|press|other] [--country ISO3] [--language fr|en|pt] [--publisher P] [--licence L] [--source URL] [--visibility public|coalition|organisation] [--organisation ACRONYM] [--strip-metadata]",
        "kimberlite library reindex",
        "kimberlite analyze",
        "kimberlite findings [--format json|csv] [--sort focus|stake|severity|gap|newest]",
        "kimberlite labels set KIND LABEL VALUE --reason TEXT [--country ISO3]",
        "kimberlite labels list",
        "kimberlite labels undo ID",
        "kimberlite rates import FILE",
        "kimberlite rates list",
        "kimberlite db migrate",
        "kimberlite backup FOLDER",
        "kimberlite restore FOLDER",
        "kimberlite users add EMAIL --role admin|coordinator|analyst|monitor|viewer [--org ACRONYM]",
        "kimberlite tokens create --user EMAIL [--scope read|write] [--expires 30d] [--name NAME]",
        "kimberlite audit verify [--expect SEQ:MAC]",
    ];

    private static string[] Lines(string text) => text.Split(Environment.NewLine).Select(l => l.Trim()).ToArray();

    [Fact]
    public async Task KimberliteHelpListsEveryCommand()
    {
        var help = await Run("--help");
        var word = await Run("help");

        Assert.Equal((0, ""), (help.Exit, help.Errors));
        Assert.Equal(help.Output, word.Output);
        var lines = Lines(help.Output);
        Assert.All(EveryCommand, command => Assert.Contains(command, lines));
        // The web server is the line without a command, and the help says so.
        Assert.Contains("kimberlite", lines);
        Assert.Contains(lines, l => l.StartsWith("-h, --help", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Settings such as --Kimberlite:DataDirectory=/srv/k may stand anywhere on the line.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImportHelpListsEveryOption()
    {
        var (exit, output, _) = await Run("import", "--help");

        Assert.Equal(0, exit);
        var lines = Lines(output);
        Assert.Equal(EveryCommand.Where(c => c.StartsWith("kimberlite import ", StringComparison.Ordinal)), lines.Where(l => l.StartsWith("kimberlite ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("FILE", StringComparison.Ordinal) && l.EndsWith("the file; a relative path starts from the folder where the command is typed", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("--sheet S", StringComparison.Ordinal) && l.EndsWith("the workbook sheet to read (else the first whose header is recognised)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("--title T", StringComparison.Ordinal) && l.EndsWith("the dataset's title", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("--publisher P", StringComparison.Ordinal) && l.EndsWith("who publishes these figures, where the file does not say", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("--url U", StringComparison.Ordinal) && l.EndsWith("the address the file came from", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("--retrieved YYYY-MM-DD", StringComparison.Ordinal) && l.EndsWith("the day the file was retrieved", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("--mapping MAPPING", StringComparison.Ordinal) && l.EndsWith("the JSON file that maps the form's fields to Kimberlite's", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("kimberlite analyze", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUnknownCommandPrintsTheCommandsAndExitsTwo()
    {
        var (exit, output, errors) = await Run("tags", "list");

        // Any word is a command: an unknown one no longer starts the web server.
        Assert.True(KimberliteCommands.IsCommand(["tags", "list"]));
        Assert.True(KimberliteCommands.IsCommand(["--Kimberlite:DataDirectory=/srv/k", "--urls", "http://localhost:5080", "tags"]));
        Assert.False(KimberliteCommands.IsCommand(["--Kimberlite:DataDirectory=/srv/k", "--urls", "http://localhost:5080"]));
        Assert.False(KimberliteCommands.IsCommand(["--environment=Development"]));
        Assert.False(KimberliteCommands.IsCommand([]));
        Assert.Equal((2, ""), (exit, output));
        var lines = Lines(errors);
        Assert.Equal("Unknown command: tags list", lines[0]);
        Assert.All(EveryCommand, command => Assert.Contains(command, lines));
    }

    [Fact]
    public async Task AWrongOptionExitsTwoWithTheReason()
    {
        var format = await Run("findings", "--format", "xml");
        var mapping = await Run("import", "kobo", "export.csv");
        var file = await Run("import", "statistics");
        var command = await Run("import");
        var stray = await Run("import", "statistics", "--colour");
        var extra = await Run("import", "statistics", "a.csv", "b.csv");

        Assert.Equal((2, "The option --format does not take \"xml\": write one of json, csv"), (format.Exit, format.Errors.Trim()));
        Assert.Equal((2, "The option --mapping is required"), (mapping.Exit, mapping.Errors.Trim()));
        Assert.Equal((2, "kimberlite import statistics needs FILE"), (file.Exit, file.Errors.Trim()));
        Assert.Equal(2, command.Exit);
        Assert.StartsWith("kimberlite import needs a command:", command.Errors);
        Assert.Contains("kimberlite import kobo FILE --mapping MAPPING", command.Errors);
        Assert.Equal(2, stray.Exit);
        Assert.StartsWith("Unknown option: --colour", stray.Errors);
        Assert.Equal(2, extra.Exit);
        Assert.StartsWith("Unexpected argument: b.csv", extra.Errors);
        Assert.All([format, mapping, file, command, stray, extra], run => Assert.Equal("", run.Output));
    }

    [Fact]
    public async Task TheHelpSpeaksTheLanguageLangNamesFrenchFirst()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("fr");
        var french = await Run("import", "statistics", "--help");
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("pt");
        var portuguese = await Run("import", "statistics", "--help");
        var refused = await Run("findings", "--format", "xml");

        var lines = Lines(french.Output);
        Assert.Equal("Usage :", lines[0]);
        Assert.Equal("kimberlite import statistics FICHIER [--sheet S] [--title T] [--publisher P] [--url U] [--retrieved AAAA-MM-JJ]", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("--publisher P", StringComparison.Ordinal) && l.EndsWith("qui publie ces chiffres, si le fichier ne le dit pas", StringComparison.Ordinal));
        Assert.Contains("kimberlite import statistics FICHEIRO [--sheet S] [--title T] [--publisher P] [--url U] [--retrieved AAAA-MM-DD]", Lines(portuguese.Output));
        Assert.Equal("A opção --format não aceita «xml»: escreva um destes valores: json, csv", refused.Errors.Trim());
    }

    [Fact]
    public async Task AnalyzeFromTheCommandLineIsAuditedAsTheWebAuditsAnAnalysis()
    {
        var analyze = await Run("analyze");

        Assert.Equal(0, analyze.Exit);
        await using var app = new KimberliteApp(_settings);
        var entries = await app.WithDb(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.AuditEntries, TestContext.Current.CancellationToken));
        var entry = Assert.Single(entries);
        Assert.Equal((Kimberlite.Accounts.AuditActions.Analysis, "findings"), (entry.Action, entry.Target));
        Assert.StartsWith("command line (", entry.Actor);
        Assert.Matches(@"^\d+ raised, \d+ changed, \d+ resolved$", entry.Summary);
        Assert.Contains("Audit trail intact: 1 entries verified.", (await Run("audit", "verify")).Output);
    }
}
