using System.Globalization;
using System.Net;
using Kimberlite.Accounts;
using Kimberlite.Analysis;
using Kimberlite.Analysis.Labels;
using Kimberlite.Infrastructure.Commands;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>Figures the analysis cannot use are listed with their reason; an analyst says once what a label means, and can undo it.</summary>
public sealed class LabelTests : EmptyAppTest
{
    private const string Reason = "USAID DPAM: the exports certified under the Kimberley Process are the country's recorded exports";

    /// <summary>CAF 2018: exports published under the source's own label, and a production well below them.</summary>
    private async Task<int> ImportLegalKp()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<StatisticsImporter>().ImportAsync(ImportFiles.Csv(ImportFiles.NationalHeader,
                "CAF,2018,FY,export,legal (KP),11526,,,https://www.land-links.org/x,USAID DPAM,\"les exportations légales étaient de 11.526 carats\",exact,",
                "CAF,2018,FY,production,total,5000,,,https://example.org/p,Ministère des Mines,5 000 carats,exact,"),
            "caf.csv", new Provenance(Publisher: "USAID DPAM"), cancellationToken: Cancel);
        Assert.Equal(ImportOutcome.Imported, result.Outcome);
        await Analyze();
        return result.DatasetId!.Value;
    }

    private async Task<AnalysisSummary> Analyze()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(Cancel);
    }

    private Task<Finding?> CafBalance() =>
        App.WithDb(db => db.Findings.AsNoTracking().FirstOrDefaultAsync(f => f.Rule == FindingRule.Balance && f.CountryIso3 == "CAF" && f.Year == 2018 && !f.Resolved, Cancel));

    private async Task<HttpClient> English(HttpClient client)
    {
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        return await Task.FromResult(client);
    }

    private static string LeftOutSection(string html) => WebUtility.HtmlDecode(html[html.IndexOf("id=\"left-out\"", StringComparison.Ordinal)..]);

    [Fact]
    public async Task AFigureWithTheSegmentLegalKpIsListedAsLeftOutWithItsReasonOnTheDatasetAndCountryPages()
    {
        var dataset = await ImportLegalKp();
        var client = await English(App.CreateClient());

        foreach (var page in new[] { $"/datasets/{dataset}", "/countries/CAF" })
        {
            var section = LeftOutSection(await client.GetStringAsync(page, Cancel));
            Assert.Contains("Figures the analysis cannot use", section);
            // The figure in the reader's words (issue 18): metric and period translated, the segment as the source wrote it.
            Assert.Matches(@"CAF · Exports · 2018 · (<span[^>]*>)?legal \(KP\)", section);
            Assert.Contains("les exportations légales étaient de 11.526 carats", section);
            Assert.Contains("segment whose meaning nobody has stated (the source's own label)", section);
            // The public reads why; only an analyst gets the form.
            Assert.DoesNotContain("Set this meaning", section);
        }
        Assert.Null(await CafBalance());
        Assert.Equal(1, (await Analyze()).LeftOut[LeftOutReason.SegmentNotUnderstood]);
    }

    [Fact]
    public async Task AnAnalystSaysLegalKpIsTheTotalThenTheFigureReachesTheRulesAndUndoingItLeavesItOutAgain()
    {
        var dataset = await ImportLegalKp();
        await People.CreateAsync(App, "analyst@example.org", MemberRole.Analyst);
        var analyst = await English(await People.SignInAsync(App, "analyst@example.org"));
        var figureId = await App.WithDb(db => db.Figures.Where(f => f.Segment == "legal (KP)").Select(f => f.Id).SingleAsync(Cancel));
        Assert.Contains("Set this meaning", LeftOutSection(await analyst.GetStringAsync($"/datasets/{dataset}", Cancel)));

        var set = await People.PostFormAsync(analyst, "/labels", new()
        {
            ["figureId"] = $"{figureId}", ["kind"] = "segment", ["value"] = "total", ["countryOnly"] = "true", ["reason"] = Reason, ["returnUrl"] = $"/datasets/{dataset}#left-out",
        }, tokenFrom: $"/datasets/{dataset}");

        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal($"/datasets/{dataset}#left-out", set.Headers.Location?.OriginalString);
        // The analysis ran again: exports of 11,526 ct beyond a production of 5,000 ct.
        var balance = await CafBalance();
        Assert.NotNull(balance);
        Assert.Contains($"\"figureId\":{figureId}", balance.Inputs);
        var section = LeftOutSection(await analyst.GetStringAsync($"/datasets/{dataset}", Cancel));
        Assert.Contains("The analysis uses every one of these figures.", section);
        Assert.Contains("segment \"legal (KP)\" of CAF read as the country's total — by analyst@example.org", section);
        Assert.Contains(Reason, section);
        Assert.Contains("segment \"legal (KP)\" of CAF read as the country's total", WebUtility.HtmlDecode(await (await English(App.CreateClient())).GetStringAsync("/labels", Cancel)));
        var meaning = await App.WithDb(db => db.Set<LabelMeaning>().AsNoTracking().SingleAsync(Cancel));
        Assert.Equal(("legal (KP)", "CAF", "total", Reason, null as DateTime?), (meaning.Label, meaning.CountryIso3, meaning.Value, meaning.Reason, meaning.UndoneAtUtc));
        Assert.StartsWith("analyst@example.org", meaning.SetBy);

        var undo = await People.PostFormAsync(analyst, "/labels", new() { ["undo"] = $"{meaning.Id}", ["returnUrl"] = $"/countries/CAF#left-out" }, tokenFrom: "/countries/CAF");

        Assert.Equal(HttpStatusCode.Redirect, undo.StatusCode);
        Assert.Null(await CafBalance());
        Assert.Contains("segment whose meaning nobody has stated", LeftOutSection(await analyst.GetStringAsync("/countries/CAF", Cancel)));
        var undone = await App.WithDb(db => db.Set<LabelMeaning>().AsNoTracking().SingleAsync(Cancel));
        Assert.NotNull(undone.UndoneAtUtc);
        // The text as published is never changed; the trail has both steps, each followed by its analysis.
        Assert.Equal("legal (KP)", await App.WithDb(db => db.Figures.Where(f => f.Id == figureId).Select(f => f.Segment).SingleAsync(Cancel)));
        var trail = await App.WithDb(db => db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).Select(e => new { e.Action, e.Actor, e.Summary }).ToListAsync(Cancel));
        var labelled = trail.SkipWhile(e => e.Action != AuditActions.LabelSet).Select(e => e.Action).ToList();
        Assert.Equal([AuditActions.LabelSet, AuditActions.Analysis, AuditActions.LabelUndone, AuditActions.Analysis], labelled);
        Assert.Contains("segment \"legal (KP)\" (CAF) read as total: " + Reason, trail.Single(e => e.Action == AuditActions.LabelSet).Summary);
    }

    [Fact]
    public async Task AViewerCannotSetAMeaningAndThePublicIsSentToSignIn()
    {
        await ImportLegalKp();
        await People.CreateAsync(App, "viewer@example.org", MemberRole.Viewer);
        var viewer = await People.SignInAsync(App, "viewer@example.org");
        var figureId = await App.WithDb(db => db.Figures.Where(f => f.Segment == "legal (KP)").Select(f => f.Id).SingleAsync(Cancel));
        var fields = new Dictionary<string, string> { ["figureId"] = $"{figureId}", ["kind"] = "segment", ["value"] = "total", ["countryOnly"] = "true", ["reason"] = Reason };

        var byViewer = await People.PostFormAsync(viewer, "/labels", fields, tokenFrom: "/account/signin");
        var byPublic = await People.PostFormAsync(People.Client(App), "/labels", fields, tokenFrom: "/account/signin");

        Assert.Equal(HttpStatusCode.Redirect, byViewer.StatusCode);
        Assert.Contains("/account/denied", byViewer.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, byPublic.StatusCode);
        Assert.Contains("/account/signin", byPublic.Headers.Location?.OriginalString);
        Assert.Equal(0, await App.WithDb(db => db.Set<LabelMeaning>().CountAsync(Cancel)));
        Assert.DoesNotContain("Set this meaning", await viewer.GetStringAsync("/countries/CAF", Cancel));
    }

    [Fact]
    public async Task TheSameMeaningTwiceAddsNothingAndAnotherValueForTheSameLabelReplacesTheOne()
    {
        await ImportLegalKp();
        await using var scope = App.Services.CreateAsyncScope();
        var labels = scope.ServiceProvider.GetRequiredService<LabelMeanings>();

        var first = await labels.SetAsync("segment", "legal (KP)", "total", "CAF", Reason, "tester", Cancel);
        var again = await labels.SetAsync("Segment", " LEGAL (kp) ", "Total", "caf", "said again", "tester", Cancel);
        var other = await labels.SetAsync("segment", "legal (KP)", "part", "CAF", "only the certified part", "tester", Cancel);

        Assert.Equal((LabelOutcome.Set, LabelOutcome.Unchanged, LabelOutcome.Set), (first.Outcome, again.Outcome, other.Outcome));
        var all = await labels.AllAsync(Cancel);
        Assert.Equal([(other.Meaning!.Id, "part", true), (first.Meaning!.Id, "total", false)], all.Select(m => (m.Id, m.Value, m.InForce)));
        Assert.Null(await CafBalance());
    }

    [Fact]
    public void ACountrysOwnMeaningBeatsAGeneralOneAndThePublishedTextStaysAsItWas()
    {
        Figure Figure(long id, string country) => new()
        {
            Id = id, DatasetId = 1, Line = (int)id + 1, CountryIso3 = country, Metric = Metric.Export, MetricText = "export", Segment = "total (Sodiam)",
            YearText = "2021", PeriodText = "annual", PeriodKind = PeriodKind.Year, Year = 2021, EndYear = 2021, StartMonth = 1, EndMonth = 12, Carats = 100,
            SourceKind = SourceKind.National, SourcePublisher = "SODIAM",
        };
        LabelMeaning Meaning(int id, string? country, string value) => new()
        {
            Id = id, Kind = LabelKind.Segment, Label = "TOTAL (SODIAM)", CountryIso3 = country, Value = value, Reason = "r", SetBy = "t",
        };
        var stored = new[] { Figure(1, "AGO"), Figure(2, "COD") };

        var uses = FigureUses.Prepare(stored, [Meaning(1, null, "part"), Meaning(2, "AGO", "total")]);

        Assert.Equal([("AGO", "total")], uses.Used.Select(f => (f.CountryIso3, f.Segment!)));
        Assert.Equal([(2L, LeftOutReason.PartAlone)], uses.LeftOut.Select(l => (l.Figure.Id, l.Reason)));
        Assert.All(stored, f => Assert.Equal("total (Sodiam)", f.Segment));
        Assert.Equal([2, 1], uses.Meant.Select(m => m.Meanings.Single().Id));
    }

    [Fact]
    public void APeriodMeaningGivesTheFigureItsMonthsAndAPublisherMeaningItsKindOfSource()
    {
        var stored = new Figure
        {
            Id = 1, DatasetId = 1, Line = 2, CountryIso3 = "CMR", Metric = Metric.Production, MetricText = "production", YearText = "2019", PeriodText = "premier semestre",
            PeriodKind = PeriodKind.Unknown, Carats = 800, SourceKind = SourceKind.National, SourcePublisher = "EITI 16th report (via EcoMatin)",
        };
        LabelMeaning Meaning(int id, LabelKind kind, string label, string value) => new() { Id = id, Kind = kind, Label = label, Value = value, Reason = "r", SetBy = "t" };

        var before = FigureUses.Prepare([stored], []);
        var after = FigureUses.Prepare([stored], [Meaning(1, LabelKind.Period, "Premier semestre", "H1"), Meaning(2, LabelKind.Publisher, "eiti 16th report (via ecomatin)", "eiti")]);

        Assert.Equal(LeftOutReason.PeriodNotUnderstood, Assert.Single(before.LeftOut).Reason);
        // A half alone: understood now, but nothing completes it, so it is still left out, for that reason.
        Assert.Equal(LeftOutReason.PartAlone, Assert.Single(after.LeftOut).Reason);
        var read = Assert.Single(after.Meant).Read;
        Assert.Equal((PeriodKind.Half, 2019, 1, 6, SourceKind.Eiti), (read.PeriodKind, read.Year, read.StartMonth, read.EndMonth, read.SourceKind));
        Assert.Equal((PeriodKind.Unknown, "premier semestre", SourceKind.National), (stored.PeriodKind, stored.PeriodText, stored.SourceKind));
    }

    [Fact]
    public void EachKindOfFigureTheRulesCannotReadIsLeftOutWithItsOwnReason()
    {
        Figure Figure(long id, Action<Figure> change)
        {
            var f = new Figure
            {
                Id = id, DatasetId = 1, Line = (int)id + 1, CountryIso3 = "CMR", Metric = Metric.Production, MetricText = "production", Segment = "total",
                YearText = "2019", PeriodText = "FY", PeriodKind = PeriodKind.Year, Year = 2019, EndYear = 2019, StartMonth = 1, EndMonth = 12, Carats = 5000,
                SourceKind = SourceKind.National, SourcePublisher = "SNPPK",
            };
            change(f);
            return f;
        }
        var stored = new[]
        {
            Figure(1, _ => { }),
            Figure(2, f => f.Carats = decimal.MaxValue),
            Figure(3, f => (f.Metric, f.MetricText) = (Metric.Fiscal, "diamond export taxes collected")),
            Figure(4, f => (f.PeriodText, f.PeriodKind, f.Year, f.EndYear) = ("per month", PeriodKind.Unknown, null, null)),
            Figure(5, f => (f.YearText, f.PeriodKind, f.EndYear) = ("2019-2020", PeriodKind.Span, 2020)),
            Figure(6, f => f.Segment = "traced (EITI)"),
            Figure(7, f => (f.Carats, f.Value, f.Currency) = (null, 432352126m, "XAF")),
            Figure(8, f => (f.Carats, f.SharePct) = (null, 60m)),
            Figure(9, f => (f.PeriodText, f.PeriodKind, f.StartMonth, f.EndMonth, f.SourcePublisher) = ("H1", PeriodKind.Half, 1, 6, "Another")),
        };

        var uses = FigureUses.Prepare(stored, []);

        Assert.Equal([1L], uses.Used.Select(f => f.Id));
        Assert.Equal(
            [LeftOutReason.BeyondBounds, LeftOutReason.MetricNotRead, LeftOutReason.PeriodNotUnderstood, LeftOutReason.SeveralYears, LeftOutReason.SegmentNotUnderstood,
             LeftOutReason.LocalCurrency, LeftOutReason.NothingToCompare, LeftOutReason.PartAlone],
            uses.LeftOut.Select(l => l.Reason));
    }
}

/// <summary>`kimberlite analyze` says what it left out; `kimberlite labels set|list|undo`, read as a user reads them.</summary>
public sealed class LabelCommandLineTests : IAsyncLifetime
{
    private readonly Dictionary<string, string> _settings;
    private readonly Func<Task> _drop;
    private const string SegmentLine = "segment whose meaning nobody has stated (the source's own label)";

    public LabelCommandLineTests()
    {
        (_settings, _drop) = TestDatabase.Create();
        _settings["Kimberlite:LoadBundledData"] = "false";
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

    private async Task ImportCaf()
    {
        var file = ImportFiles.Write(ImportFiles.Csv(ImportFiles.NationalHeader,
            "CAF,2018,FY,export,legal (KP),11526,,,https://www.land-links.org/x,USAID DPAM,11.526 carats,exact,",
            "CAF,2018,FY,production,total,5000,,,https://example.org/p,Ministère des Mines,5 000 carats,exact,"), "caf-2018.csv");
        Assert.Equal(0, (await Run("import", "statistics", file, "--publisher", "USAID DPAM")).Exit);
    }

    [Fact]
    public async Task AnalyzeCountsTheLegalKpFigureAsLeftOutUntilLabelsSetSaysItIsTheTotalAndUndoTakesItBack()
    {
        await ImportCaf();

        var before = await Run("analyze");
        var set = await Run("labels", "set", "segment", "legal (KP)", "total", "--country", "CAF", "--reason", "the KP-certified exports are the recorded exports");
        var setAgain = await Run("labels", "set", "segment", "Legal (KP)", "total", "--country", "CAF", "--reason", "again");
        var during = await Run("analyze");
        var undo = await Run("labels", "undo", "1");
        var after = await Run("analyze");
        var list = await Run("labels", "list");

        Assert.Equal(0, before.Exit);
        var lines = before.Output.Trim().Split(Environment.NewLine);
        Assert.Equal(["Figures the analysis could not use: 1", $"       1  {SegmentLine}"], lines[^2..]);
        Assert.Equal((0, ""), (set.Exit, set.Errors));
        Assert.StartsWith("Meaning 1 set: segment \"legal (KP)\" of CAF read as the country's total." + Environment.NewLine + "Analysis: ", set.Output);
        // The meaning re-runs the analysis, and the figure it lets in raises what it should.
        Assert.Matches(@"^Analysis: [1-9][0-9]* new findings?,", set.Output.Split(Environment.NewLine)[1]);
        Assert.Equal("This meaning is already in force (meaning 1: segment \"legal (KP)\" of CAF read as the country's total): nothing changed.", setAgain.Output.Trim());
        Assert.Contains("Balance", during.Output);
        Assert.EndsWith("Figures the analysis could not use: 0", during.Output.Trim());
        Assert.StartsWith("Meaning 1 undone: segment \"legal (KP)\" of CAF read as the country's total.", undo.Output);
        Assert.EndsWith($"       1  {SegmentLine}", after.Output.Trim());
        var listed = Assert.Single(list.Output.Trim().Split(Environment.NewLine));
        Assert.Matches("^ *1  segment \"legal \\(KP\\)\" of CAF read as the country's total — by command line \\(.+\\) on .+: the KP-certified exports are the recorded exports \\(undone by command line \\(.+\\) on .+\\)$", listed);
    }

    [Theory]
    [InlineData("colour|legal (KP)|total|CAF|r", "\"colour\" is not a kind of label: write one of segment, period, publisher.")]
    [InlineData("segment|legal (KP)|whole|CAF|r", "A segment cannot mean \"whole\": write one of total, artisanal, industrial, part.")]
    [InlineData("period|10-30 Jul|sometime||r", "The period \"sometime\" is not understood: write a period such as year, H1, Q3, Jan, Jan-Sep.")]
    [InlineData("segment|legal (KP)|total|XYZ|r", "\"XYZ\" is not a known country code: write an ISO3 code, for example CAF.")]
    [InlineData("publisher|SODIAM|state||r", "A publisher cannot mean \"state\": write one of kimberley-process, national, eiti, other.")]
    [InlineData("segment|legal (KP)|total|CAF|", "The option --reason is required")]
    public async Task BadLabelInputExitsTwoSayingWhatToWriteInstead(string line, string message)
    {
        var parts = line.Split('|');
        string[] args = ["labels", "set", parts[0], parts[1], parts[2], .. parts[3].Length > 0 ? new[] { "--country", parts[3] } : [], .. parts[4].Length > 0 ? new[] { "--reason", parts[4] } : []];

        var (exit, output, errors) = await Run(args);

        Assert.Equal((2, ""), (exit, output));
        Assert.Contains(message, errors);
    }

    [Fact]
    public async Task UndoingAMeaningThatDoesNotExistExitsTwo()
    {
        var (exit, _, errors) = await Run("labels", "undo", "99");

        Assert.Equal(2, exit);
        Assert.Equal("No meaning numbered \"99\": write a number that \"kimberlite labels list\" gives.", errors.Trim());
    }
}

/// <summary>The meanings shipped in data/labels.csv, as the first start loads them with the bundled datasets.</summary>
public sealed class BundledLabelTests(BundledApp app) : IClassFixture<BundledApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheBundledMeaningsAreSetByBundledDataAndTheirFiguresReachTheAnalysis()
    {
        var rows = File.ReadAllLines(ImportFiles.Bundled("labels.csv")).Length - 1;
        var meanings = await app.WithDb(db => db.Set<LabelMeaning>().AsNoTracking().ToListAsync(Cancel));
        await using var scope = app.Services.CreateAsyncScope();
        var uses = await scope.ServiceProvider.GetRequiredService<LabelMeanings>().UsesAsync(["CAF", "AGO"], Cancel);

        Assert.Equal(rows, meanings.Count);
        Assert.All(meanings, m => Assert.Equal((LabelMeanings.BundledActor, true), (m.SetBy, m.InForce)));
        // CAF 2018 exports "legal (KP)" and Angola 2021 exports "total (SODIAM)" are read as the country's total.
        Assert.Contains(uses.Used, f => f is { CountryIso3: "CAF", Year: 2018, Metric: Metric.Export, Segment: "total", Carats: 11526m });
        Assert.Contains(uses.Used, f => f is { CountryIso3: "AGO", Year: 2021, Metric: Metric.Export, Segment: "total" } && f.SourcePublisher!.Contains("SODIAM"));
        Assert.DoesNotContain(uses.LeftOut, l => l.Reason == LeftOutReason.SegmentNotUnderstood && l.Figure.Segment is "legal (KP)" or "total (SODIAM)");
    }
}
