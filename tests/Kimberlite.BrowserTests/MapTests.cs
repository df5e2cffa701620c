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
        // Outlines: one path per country of the region; sites: marks, grouped at this zoom.
        await Expect(page.Locator(".leaflet-overlay-pane path.leaflet-interactive").First).ToBeVisibleAsync();
        Assert.True(await page.Locator(".leaflet-overlay-pane path").CountAsync() > 20);
        await Expect(page.Locator(".leaflet-marker-icon.cluster.group").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "map-fr");

        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Sites miniers" }).UncheckAsync();
        await Expect(page.Locator(".leaflet-marker-icon.cluster.group")).ToHaveCountAsync(0);
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
        await Expect(page.Locator(".leaflet-marker-icon.cluster.group").First).ToBeVisibleAsync();
        // The largest group, opened with a click: ten items, then the next ten with the keyboard.
        var counts = await page.Locator(".leaflet-marker-icon.cluster.group").AllInnerTextsAsync();
        var largest = counts.Select((c, i) => (Count: int.Parse(c, System.Globalization.CultureInfo.InvariantCulture), Index: i)).MaxBy(c => c.Count);
        Assert.True(largest.Count > 20, $"the largest group holds {largest.Count} points");
        await page.Locator(".leaflet-marker-icon.cluster.group").Nth(largest.Index).ClickAsync(new() { Force = true });
        var popup = page.Locator(".leaflet-popup .map-popup");
        await Expect(popup.Locator("li")).ToHaveCountAsync(10);
        // Groups never overlap: the click opens the group clicked, whose size the popup's heading says.
        var total = largest.Count;
        await Expect(popup.Locator("strong").First).ToHaveTextAsync($"{total} points proches");
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

        // A group of hundreds is read closer: "Voir de plus près" zooms to its points, and its groups split.
        await popup.GetByRole(AriaRole.Button, new() { Name = "Voir de plus près" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".leaflet-popup")).ToHaveCountAsync(0);
        await page.WaitForFunctionAsync("n => document.querySelectorAll('.leaflet-marker-icon.cluster').length > n", counts.Count);
        var closer = await page.Locator(".leaflet-marker-icon.cluster.group").AllInnerTextsAsync();
        Assert.True(closer.Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).Max() < total, $"still a group of {total}");
    }

    [Fact]
    public async Task OnA360PixelPhoneAGroupsPopupLiesWithinTheScreenBelowTheZoomButtonsWithItsCloseButtonVisible()
    {
        await using var context = await browser.NewReaderAsync(server, "pt-PT,pt");
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(360, 740);

        await page.GotoAsync("/map");
        var largest = await LargestGroupAsync(page);
        await largest.ScrollIntoViewIfNeededAsync();
        await largest.ClickAsync();
        var popup = page.Locator(".leaflet-popup");
        await Expect(popup.Locator(".map-popup li")).ToHaveCountAsync(10);
        // Leaflet pans the map so the popup fits; measure once it stands still.
        var box = (await popup.BoundingBoxAsync())!;
        for (LocatorBoundingBoxResult? before = null; before is null || before.X != box.X || before.Y != box.Y;)
        {
            before = box;
            await page.WaitForTimeoutAsync(300);
            box = (await popup.BoundingBoxAsync())!;
        }
        var map = (await page.Locator("#map").BoundingBoxAsync())!;
        var zoom = (await page.Locator(".leaflet-control-zoom").BoundingBoxAsync())!;
        Assert.True(box.X >= 0 && box.X + box.Width <= 360, $"the popup spans {box.X}–{box.X + box.Width} px on a 360 px screen");
        Assert.True(box.X >= map.X && box.X + box.Width <= map.X + map.Width && box.Y >= map.Y && box.Y + box.Height <= map.Y + map.Height, "the popup lies within the map");
        Assert.True(box.Y >= zoom.Y + zoom.Height || box.X >= zoom.X + zoom.Width, "the popup is clear of the zoom buttons");
        var close = popup.GetByRole(AriaRole.Button, new() { Name = "Fechar" });
        await Expect(close).ToBeVisibleAsync();
        var closeBox = (await close.BoundingBoxAsync())!;
        Assert.True(closeBox.X + closeBox.Width <= 360, $"the close button ends at {closeBox.X + closeBox.Width} px");
        // The source is said once under the items, not after each.
        await Expect(popup.Locator(".credit")).ToHaveCountAsync(1);
        await Expect(popup.Locator("li", new() { HasText = "IPIS" })).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "map-popup-360-pt");
        await close.ClickAsync();
        await Expect(popup).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AtTheStartingZoomNoTwoMarksNorTwoCountryNamesOverlap()
    {
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await context.NewPageAsync();

        await page.GotoAsync("/map");
        await Expect(page.Locator(".leaflet-marker-icon.cluster.group").First).ToBeVisibleAsync();
        await Expect(page.Locator(".leaflet-tooltip.country", new() { HasText = "Gabon" })).ToBeVisibleAsync();
        await Expect(page.Locator(".leaflet-tooltip.country", new() { HasText = "République du Congo" })).ToBeVisibleAsync();
        await Overlaps(page.Locator(".leaflet-marker-icon.cluster"), "mark");
        await Overlaps(page.Locator(".leaflet-tooltip.country:visible"), "country name");
    }

    [Fact]
    public async Task TheZoomButtonsAreTitledInTheReadersLanguage()
    {
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await context.NewPageAsync();

        await page.GotoAsync("/map");
        await Expect(page.Locator(".leaflet-control-zoom-in")).ToHaveAttributeAsync("title", "Zoom avant");
        await Expect(page.Locator(".leaflet-control-zoom-out")).ToHaveAttributeAsync("title", "Zoom arrière");
    }

    [Fact]
    public async Task TheTabKeyReachesAGroupAndEnterOpensItsPopup()
    {
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await context.NewPageAsync();

        await page.GotoAsync("/map");
        await Expect(page.Locator(".leaflet-marker-icon.cluster.group").First).ToBeVisibleAsync();
        // From the last filter, the next stops are the marks, each named for a screen reader.
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Sites miniers" }).FocusAsync();
        for (var i = 0; i < 40 && !await page.EvaluateAsync<bool>("() => document.activeElement.matches('.cluster.group')"); i++)
            await page.Keyboard.PressAsync("Tab");
        var focused = page.Locator(".leaflet-marker-icon.cluster.group:focus");
        await Expect(focused).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex(@"^\d+ points proches$"));
        var count = await focused.InnerTextAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".leaflet-popup .map-popup strong").First).ToHaveTextAsync($"{count} points proches");
    }

    private static async Task<ILocator> LargestGroupAsync(IPage page)
    {
        var groups = page.Locator(".leaflet-marker-icon.cluster.group");
        await Expect(groups.First).ToBeVisibleAsync();
        var counts = await groups.AllInnerTextsAsync();
        return groups.Nth(counts.Select((c, i) => (Count: int.Parse(c, System.Globalization.CultureInfo.InvariantCulture), Index: i)).MaxBy(c => c.Count).Index);
    }

    private static async Task Overlaps(ILocator items, string what)
    {
        var boxes = new List<(string Text, LocatorBoundingBoxResult Box)>();
        foreach (var item in await items.AllAsync())
            boxes.Add((await item.InnerTextAsync(), (await item.BoundingBoxAsync())!));
        Assert.True(boxes.Count > 1, $"{boxes.Count} {what}s drawn");
        for (var i = 0; i < boxes.Count; i++)
            for (var j = i + 1; j < boxes.Count; j++)
            {
                var (a, b) = (boxes[i].Box, boxes[j].Box);
                var overlap = a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height;
                Assert.False(overlap, $"the {what}s '{boxes[i].Text}' and '{boxes[j].Text}' overlap");
            }
    }
}
