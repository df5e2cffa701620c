using System.Collections.Concurrent;
using Kimberlite.BrowserTests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kimberlite.BrowserTests;

/// <summary>The country page must work on a network that reaches only the observatory: no CDN, no web font, no tracker.</summary>
public sealed class ChartPageTests(Browser browser, KimberliteServer server) : IClassFixture<KimberliteServer>
{
    [Fact]
    public async Task TheChartPageLoadsNothingFromAnotherHost()
    {
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await context.NewPageAsync();
        var requested = new ConcurrentQueue<string>();
        page.Request += (_, request) => requested.Enqueue(request.Url);

        var country = new CountryPage(page);
        await page.GotoAsync("/countries/COD", new() { WaitUntil = WaitUntilState.NetworkIdle });
        await Expect(country.ChartCanvases.First).ToBeVisibleAsync();
        await Expect(country.Chart("Carats — République démocratique du Congo, par année")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "country-cod-fr");

        var own = server.Address.AbsoluteUri;
        Assert.Contains(requested, url => url.EndsWith("/lib/uplot/uPlot.iife.min.js", StringComparison.Ordinal));
        Assert.Contains(requested, url => url.EndsWith("/js/charts.js", StringComparison.Ordinal));
        Assert.All(requested, url => Assert.StartsWith(own, url, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryChartOfDrCongoIsDrawn()
    {
        await using var context = await browser.NewReaderAsync(server, "en");
        var country = await new CountryPage(await context.NewPageAsync()).OpenAsync("COD");

        foreach (var measure in new[] { "Carats", "Value (US$)", "US$ per carat" })
        {
            var canvas = country.Chart($"{measure} — Democratic Republic of the Congo, by year").Locator("canvas");
            await Expect(canvas).ToBeVisibleAsync();
            Assert.True(await CountryPage.HasPaintAsync(canvas), $"the {measure} chart is empty");
        }
    }
}
