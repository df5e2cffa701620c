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

    [Fact]
    public async Task TheMapHasALegendCountryNamesAndAGroupPopupPagedTenAtATimeByKeyboard()
    {
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await context.NewPageAsync();

        await page.GotoAsync("/map");
        var legend = page.GetByRole(AriaRole.List, new() { Name = "Légende de la carte" });
        await Expect(legend).ToContainTextAsync("incident publié");
        await Expect(legend).ToContainTextAsync("site minier");
        await Expect(page.Locator(".leaflet-tooltip.country", new() { HasText = "Angola" })).ToBeVisibleAsync();
        await Expect(page.Locator(".leaflet-tooltip.count").First).ToBeVisibleAsync();
        // The largest group, opened with a click: ten items, then the next ten with the keyboard.
        var counts = await page.Locator(".leaflet-tooltip.count").AllInnerTextsAsync();
        var largest = counts.Select((c, i) => (Count: int.Parse(c, System.Globalization.CultureInfo.InvariantCulture), Index: i)).MaxBy(c => c.Count);
        Assert.True(largest.Count > 20, $"the largest group holds {largest.Count} points");
        await page.Locator(".leaflet-tooltip.count").Nth(largest.Index).ClickAsync(new() { Force = true });
        var popup = page.Locator(".leaflet-popup .map-popup");
        await Expect(popup.Locator("li")).ToHaveCountAsync(10);
        // Groups overlap at this zoom: the click opens the one on top, whose size the popup's heading says.
        var total = int.Parse(System.Text.RegularExpressions.Regex.Match(await popup.Locator("strong").First.InnerTextAsync(), @"\d+").Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(total > 20, $"the group opened holds {total} points");
        await Expect(popup.GetByRole(AriaRole.Status)).ToHaveTextAsync($"1–10 sur {total}");
        await Expect(popup.GetByRole(AriaRole.Button, new() { Name = "Précédents" })).ToBeDisabledAsync();
        await Screenshots.SaveAsync(page, "map-popup-fr");

        await popup.GetByRole(AriaRole.Button, new() { Name = "Suivants" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(popup.GetByRole(AriaRole.Status)).ToHaveTextAsync($"11–20 sur {total}");
        await page.Keyboard.PressAsync("Enter");
        await Expect(popup.GetByRole(AriaRole.Status)).ToHaveTextAsync($"21–30 sur {total}");
        await Expect(popup.Locator("ol")).ToHaveAttributeAsync("start", "21");
        await popup.GetByRole(AriaRole.Button, new() { Name = "Précédents" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(popup.GetByRole(AriaRole.Status)).ToHaveTextAsync($"11–20 sur {total}");
    }
}
