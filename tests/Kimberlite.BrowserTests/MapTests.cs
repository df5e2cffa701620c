using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kimberlite.BrowserTests;

/// <summary>The map draws the region's outlines and the IPIS sites from Kimberlite alone: every request stays on the server.</summary>
public sealed class MapTests(Browser browser, KimberliteServer server) : IClassFixture<KimberliteServer>
{
    [Fact]
    public async Task TheMapDrawsTheRegionAndTheSitesWithoutAnyThirdPartyHost()
    {
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await context.NewPageAsync();
        var hosts = new List<string>();
        page.Request += (_, request) => hosts.Add(new Uri(request.Url).Host);

        await page.GotoAsync("/map");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Carte des incidents et des sites miniers");
        // Outlines: one path per country of the region; sites: circles, grouped at this zoom.
        await Expect(page.Locator(".leaflet-overlay-pane path.leaflet-interactive").First).ToBeVisibleAsync();
        Assert.True(await page.Locator(".leaflet-overlay-pane path").CountAsync() > 20);
        await Expect(page.Locator(".leaflet-tooltip.count").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "map-fr");

        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Sites miniers" }).UncheckAsync();
        await Expect(page.Locator(".leaflet-tooltip.count")).ToHaveCountAsync(0);
        // The downloads follow the filters, which the API applies.
        await page.GetByLabel("Type d'incident").SelectOptionAsync("violence");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "CSV", Exact = true })).ToHaveAttributeAsync("href", "/api/v1/incidents?category=violence&format=csv");
        Assert.All(hosts, host => Assert.Equal(server.Address.Host, host));
    }
}
