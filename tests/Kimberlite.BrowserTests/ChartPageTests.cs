using System.Collections.Concurrent;
using Kimberlite.BrowserTests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kimberlite.BrowserTests;

/// <summary>The country page's charts: drawn by the server, readable without a mouse, nothing from another host.</summary>
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
        await Expect(country.Chart("Carats — République démocratique du Congo, par année")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "country-cod-fr");

        var own = server.Address.AbsoluteUri;
        Assert.All(requested, url => Assert.StartsWith(own, url, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("COD", "Democratic Republic of the Congo", 1280)]
    [InlineData("CAF", "Central African Republic", 360)]
    [InlineData("COG", "Republic of the Congo", 360)]
    public async Task EveryChartShowsItsYearsAndValuesWithoutHovering(string iso3, string name, int width)
    {
        await using var context = await browser.NewReaderAsync(server, "en");
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(width, 800);
        var country = await new CountryPage(page).OpenAsync(iso3);

        foreach (var measure in new[] { "Carats", "Value (US$)", "US$ per carat" })
        {
            var chart = country.Chart($"{measure} — {name}, by year");
            if (await chart.CountAsync() == 0)
                continue;
            await chart.ScrollIntoViewIfNeededAsync();
            // Nothing hovered: the years and the values are already written on the chart.
            var years = CountryPage.AxisLabels(chart).Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^(19|20)\\d\\d$") });
            Assert.True(await years.CountAsync() >= 1, $"the {measure} chart of {iso3} names no year");
            await Expect(years.First).ToBeVisibleAsync();
            await Expect(chart.Locator("text.value").First).ToBeVisibleAsync();
        }
        await Expect(country.Chart($"Carats — {name}, by year")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, $"country-{iso3.ToLowerInvariant()}-charts-{width}");
    }

    [Theory]
    [InlineData("AGO", 360)]
    [InlineData("AGO", 1280)]
    [InlineData("COD", 360)]
    public async Task NoValueWrittenOnAChartCoversAnother(string iso3, int width)
    {
        // Angola's publishers end in the same years with close values: their labels once sat on top of each other.
        await using var context = await browser.NewReaderAsync(server, "pt-PT,pt");
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(width, 800);
        await page.GotoAsync($"/countries/{iso3}");
        var overlaps = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('svg.trend-chart')].flatMap(svg => {
            const boxes = [...svg.querySelectorAll('text.value')].map(t => ({ text: t.textContent, box: t.getBoundingClientRect() }));
            return boxes.flatMap((a, i) => boxes.slice(i + 1)
                .filter(b => a.box.left < b.box.right && b.box.left < a.box.right && a.box.top < b.box.bottom && b.box.top < a.box.bottom)
                .map(b => `${svg.getAttribute('aria-label')}: ${a.text} / ${b.text}`));
        })");
        Assert.Empty(overlaps);
        Assert.True(await page.Locator("svg.trend-chart text.value").CountAsync() > 0);
    }
}
