using System.Net.Http.Json;
using Kimberlite.Statistics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Tests;

/// <summary>A new observatory starts with the public collection of data/ already loaded.</summary>
public sealed class BundledDataTests(BundledApp app) : IClassFixture<BundledApp>
{
    [Fact]
    public async Task AllFiveStatisticsFilesLoadOnFirstStartWithTheirRowCounts()
    {
        var datasets = await app.WithDb(db => db.Datasets.AsNoTracking().OrderBy(d => d.Id)
            .Select(d => new { d.FileName, d.RowsRead, d.RowsLoaded, d.RowsRefused, d.Bundled }).ToListAsync());

        Assert.Equal(
            [("kp_production.csv", 217, 217), ("kp_trade.csv", 115, 115), ("national_stats.csv", 101, 101), ("fiscal_revenue.csv", 15, 14),
             ("kp_production_halfyear_2003-2024.xlsx", 1529, 1529)],
            datasets.Select(d => (d.FileName, d.RowsRead, d.RowsLoaded)));
        Assert.All(datasets, d => Assert.True(d.Bundled));
    }

    [Fact]
    public async Task TheRowThatCannotBeStoredExactlyIsInItsDatasetsReport()
    {
        // data/fiscal_revenue.csv line 12: COG,"2004 (annual, pre-expulsion)",diamond taxes collected (range),200000000-400000000,XAF,...
        var refused = await app.WithDb(db => db.ImportIssues.AsNoTracking().Where(i => i.Kind == ImportIssueKind.Refused).ToListAsync());

        var issue = Assert.Single(refused);
        Assert.Equal((12, "amount", "200000000-400000000", "Import_Number_NotANumber"), (issue.Line, issue.Column, issue.Value, issue.Reason));
        // A refused row is not loaded, so the report does not also call it "loaded, with a note".
        Assert.Equal(0, await app.WithDb(db => db.ImportIssues.CountAsync(i => i.DatasetId == issue.DatasetId && i.Line == 12 && i.Kind == ImportIssueKind.Note)));
    }

    [Fact]
    public async Task PeriodsNotUnderstoodAreReportedAsNotesAndTheirFiguresKept()
    {
        var notes = await app.WithDb(db => db.ImportIssues.AsNoTracking()
            .Where(i => i.Reason == "Import_PeriodNotUnderstood").Select(i => i.Value).ToListAsync());
        var unknown = await app.WithDb(db => db.Figures.CountAsync(f => f.PeriodKind == PeriodKind.Unknown));

        Assert.Contains("10-30 Jul", notes);
        Assert.Contains("14 Aug 2012 - ~Dec 2013", notes);
        Assert.Equal(notes.Count, unknown);
    }

    [Fact]
    public async Task RestartingOnTheSameDatabaseLoadsNothingTwice()
    {
        var before = await app.WithDb(db => db.Figures.CountAsync());
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Kimberlite.Infrastructure.Data.DatabaseInitializer>().InitializeAsync(TestContext.Current.CancellationToken);

        Assert.Equal(before, await app.WithDb(db => db.Figures.CountAsync()));
        Assert.Equal(5, await app.WithDb(db => db.Datasets.CountAsync()));
    }

    [Fact]
    public async Task TheIpisSitesOfWesternCentralAfricanRepublicLoadOnFirstStartCreditingIpis()
    {
        var sites = await app.CreateClient().GetFromJsonAsync<List<Kimberlite.Field.SiteDto>>("/api/v1/sites", TestContext.Current.CancellationToken);

        Assert.Equal(272, sites!.Count);
        Assert.Equal((113, 159), (sites.Count(s => s.Minerals == "diamond"), sites.Count(s => s.Minerals == "gold")));
        Assert.All(sites, s => Assert.Contains("IPIS", s.Source));
        // Row 2 of the file: Adouzekede, a diamond site at 4.794698 N, 17.467914 E.
        Assert.Contains(sites, s => s.Name == "Adouzekede" && s.Minerals == "diamond" && s.Latitude == 4.794698 && s.Longitude == 17.467914);
    }
}

/// <summary>One observatory with the bundled data, shared by the tests of a class that only read.</summary>
public sealed class BundledApp : KimberliteApp;
