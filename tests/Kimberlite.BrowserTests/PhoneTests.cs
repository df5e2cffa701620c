using Kimberlite.BrowserTests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kimberlite.BrowserTests;

/// <summary>Issue 18, phones first: on a 360 px screen no page scrolls sideways, and a monitor records a visit by typing part of a site's name.</summary>
public sealed class PhoneTests(Browser browser, KimberliteServer server) : IClassFixture<KimberliteServer>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly string[] PublicPages =
        ["/", "/countries", "/countries/COD", "/countries/AGO", "/datasets", "/findings", "/sites", "/sites?q=a&page=2", "/map", "/library", "/advocacy",
         "/advocacy/meetings", "/labels", "/account/signin"];
    private static readonly string[] MemberPages =
        ["/field/new", "/field/incidents", "/field/visits", "/import", "/account", "/account/mentions", "/organisations/RELUFA", "/library/upload", "/sites/edit"];

    private async Task<IPage> PhoneAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(360, 740);
        return page;
    }

    /// <summary>A new monitor of RELUFA on the field form, on a phone, once the form's script has put its handlers on.</summary>
    private async Task<IPage> FieldFormAsync(IBrowserContext context, List<string>? said = null)
    {
        var monitor = await server.CreateMemberAsync(Kimberlite.Accounts.MemberRole.Monitor);
        var page = await PhoneAsync(context);
        if (said is not null)
        {
            // What the page's script says goes wrong, so a failure says why.
            page.Console += (_, m) => said.Add($"{m.Type}: {m.Text}");
            page.PageError += (_, e) => said.Add($"error: {e}");
            page.FrameNavigated += (_, f) => said.Add($"navigated: {f.Url}");
        }
        await SignInPage.SignInAsync(page, server, monitor, KimberliteServer.Password);
        await page.GotoAsync("/field/new");
        // The form's script says the connection's state last, once its handlers are on: before that a click would post the page itself.
        await Expect(page.Locator("#connection")).Not.ToBeEmptyAsync();
        return page;
    }

    private static Task<int> WidthAsync(IPage page) => page.EvaluateAsync<int>("document.documentElement.scrollWidth");

    [Fact]
    public async Task NoPageScrollsSidewaysOnAScreen360PixelsWide()
    {
        var analyst = await server.CreateMemberAsync(Kimberlite.Accounts.MemberRole.Analyst);
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await PhoneAsync(context);
        var wide = new List<string>();
        async Task VisitAsync(string url)
        {
            // Whatever the page answers (a page, or why not) must fit the screen.
            await page.GotoAsync(url);
            if (await WidthAsync(page) is var width and > 360)
                wide.Add($"{url}: {width} px");
            await Screenshots.SaveAsync(page, "phone-360" + url.Replace('/', '-').Replace('?', '-'));
        }

        foreach (var url in PublicPages)
            await VisitAsync(url);
        // A finding's and a dataset's own pages, whichever the data gives first.
        await page.GotoAsync("/findings");
        await VisitAsync((await page.Locator("ol.findings a[href^='/findings/']").First.GetAttributeAsync("href"))!);
        await page.GotoAsync("/sites");
        await VisitAsync((await page.Locator("td a[href^='/sites/']").First.GetAttributeAsync("href"))!);
        await page.GotoAsync("/datasets");
        await VisitAsync((await page.Locator("main a[href^='/datasets/']").First.GetAttributeAsync("href"))!);
        await SignInPage.SignInAsync(page, server, analyst, KimberliteServer.Password);
        foreach (var url in MemberPages)
            await VisitAsync(url);

        Assert.Empty(wide);
    }

    [Fact]
    public async Task AFindingsComparedNumbersAreReadableOnA360PixelPhone()
    {
        // A long label ("Autre source : Rough & Polished (local report…)") once squeezed its value into a 16 px column.
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await PhoneAsync(context);
        await page.GotoAsync("/findings");
        var links = await page.Locator("ol.findings a[href^='/findings/']").EvaluateAllAsync<string[]>("a => a.slice(0, 5).map(x => x.getAttribute('href'))");
        Assert.NotEmpty(links);
        foreach (var link in links)
        {
            await page.GotoAsync(link);
            var narrow = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('dl.provenance dd')].filter(d => d.getBoundingClientRect().width < 200).map(d => d.textContent.trim())");
            Assert.True(narrow.Length == 0, $"{link}: values squeezed under 200 px: {string.Join(" | ", narrow)}");
        }
        await Screenshots.SaveAsync(page, "phone-360-finding-numbers");
    }

    [Fact]
    public async Task AMonitorOnA360PixelPhoneRecordsAVisitByTypingPartOfTheSitesName()
    {
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var said = new List<string>();
        var page = await FieldFormAsync(context, said);

        Assert.True(await WidthAsync(page) <= 360, $"the form is {await WidthAsync(page)} px wide");
        // RELUFA works in Cameroon: the form starts there.
        await Expect(page.GetByLabel("Pays")).ToHaveValueAsync("CMR");
        await page.GetByLabel("Une visite de site").CheckAsync();
        var picker = page.GetByLabel("Site visité");
        await picker.PressSequentiallyAsync("ad");
        // What the browser offers under the field: the page's sites whose name holds the letters typed.
        var offered = await page.EvaluateAsync<string[]>("t => [...document.querySelectorAll('#site-list option')].map(o => o.value).filter(v => v.toLowerCase().includes(t))", "ad");
        Assert.NotEmpty(offered);
        await picker.FillAsync(offered[0]);
        var siteId = int.Parse((await page.Locator($"#site-list option[value=\"{offered[0]}\"]").GetAttributeAsync("data-id"))!, System.Globalization.CultureInfo.InvariantCulture);
        await page.GetByLabel("Date de la visite").FillAsync("2026-11-12");
        await page.GetByLabel("Travailleurs").FillAsync("40");
        Assert.True(await WidthAsync(page) <= 360);
        var invalid = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#field-form :invalid')].filter(e => e.matches('input, select, textarea')).map(e => `${e.id || e.name}='${e.value}': ${e.validationMessage}`)");
        Assert.True(invalid.Length == 0, $"the form refuses {offered[0]}: {string.Join("; ", invalid)}");
        // The report goes to the server with the number of the site picked by its name.
        var sending = page.WaitForRequestAsync(r => r.Method == "POST" && r.Url.Contains("handler=Submit", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le signalement" }).ClickAsync();
        try
        {
            await Expect(page.Locator("#queue li")).ToHaveCountAsync(1);
        }
        catch (PlaywrightException e)
        {
            Assert.Fail($"nothing queued after picking {offered[0]}; the page said: {string.Join(" | ", said)}; {e.Message}");
        }
        Assert.Equal(siteId, (await sending).PostDataJSON()!.Value.GetProperty("siteId").GetInt32());
        await Expect(page.Locator("#queue li")).ToContainTextAsync("envoyé");

        // A name that is not in the list is refused by the form itself, before anything is kept.
        await picker.FillAsync("Chantier inconnu");
        await page.GetByLabel("Date de la visite").FillAsync("2026-11-13");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le signalement" }).ClickAsync();
        Assert.False(await picker.EvaluateAsync<bool>("e => e.checkValidity()"));
        await Expect(page.Locator("#queue li")).ToHaveCountAsync(1);
        // Last: not before a tap: a full-page screenshot resizes the viewport, and on a busy machine Chromium then
        // scrolls the date field back to the middle of the screen between the press and the release of the next tap.
        await Screenshots.SaveAsync(page, "phone-360-field-visit");
    }

    [Fact]
    public async Task AnIncidentAtAKnownSiteStartsAtTheSitesPlaceAndCountry()
    {
        // Coordinates are required, and the site list already holds them: the monitor no longer types them again.
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await FieldFormAsync(context);
        var site = page.Locator("#site-list option[data-country='CAF']").First;
        var (label, latitude) = (await site.GetAttributeAsync("value"), await site.GetAttributeAsync("data-lat"));

        await page.GetByLabel("Site concerné (s'il y en a un)").FillAsync(label!);

        await Expect(page.GetByLabel("Latitude", new() { Exact = true })).ToHaveValueAsync(latitude!);
        await Expect(page.GetByLabel("Longitude", new() { Exact = true })).Not.ToBeEmptyAsync();
        await Expect(page.GetByLabel("Pays")).ToHaveValueAsync("CAF");
        // Coordinates the monitor typed first are kept.
        await page.GetByLabel("Latitude", new() { Exact = true }).FillAsync("5.5");
        await page.GetByLabel("Site concerné (s'il y en a un)").FillAsync("");
        await page.GetByLabel("Site concerné (s'il y en a un)").FillAsync(label!);
        await Expect(page.GetByLabel("Latitude", new() { Exact = true })).ToHaveValueAsync("5.5");
    }

    [Fact]
    public async Task AMonitorRecordsAnIncidentWithTheKeyboardAlone()
    {
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await FieldFormAsync(context);

        // Tab from the top of the page to each field, as a person without a mouse or a touch screen would.
        async Task TabToAsync(string field)
        {
            for (var presses = 0; presses < 80; presses++)
            {
                if (await page.EvaluateAsync<bool>("f => document.activeElement?.matches(f) ?? false", field))
                    return;
                await page.Keyboard.PressAsync("Tab");
            }
            Assert.Fail($"{field} cannot be reached with the Tab key");
        }
        await TabToAsync("#category");
        await page.Keyboard.PressAsync("ArrowDown");
        await TabToAsync("#occurredOn");
        // Day and month alike: the date reads the same whichever order the browser shows its parts in.
        await page.Keyboard.TypeAsync("11112026");
        await TabToAsync("input[name=latitude]");
        await page.Keyboard.TypeAsync("4.5");
        await TabToAsync("input[name=longitude]");
        await page.Keyboard.TypeAsync("14.25");
        await TabToAsync("#description");
        await page.Keyboard.TypeAsync("Barrière illégale sur la piste, taxe demandée aux creuseurs.");
        await TabToAsync("#field-form button[type=submit]");
        var sending = page.WaitForRequestAsync(r => r.Method == "POST" && r.Url.Contains("handler=Submit", StringComparison.Ordinal));
        await page.Keyboard.PressAsync("Enter");

        var sent = (await sending).PostDataJSON()!.Value;
        Assert.Equal("2026-11-11", sent.GetProperty("occurredOn").GetString());
        Assert.Equal(4.5, sent.GetProperty("latitude").GetDouble());
        Assert.Equal("CMR", sent.GetProperty("countryIso3").GetString());
        Assert.Equal(await page.Locator("#category option").Nth(1).GetAttributeAsync("value"), sent.GetProperty("category").GetString());
        await Expect(page.Locator("#queue li")).ToContainTextAsync("envoyé");
        // Once sent, the line above the form no longer says the report is kept in the phone.
        await Expect(page.Locator("#connection")).ToHaveTextAsync("Connecté : les signalements partent tout de suite.");
        await Screenshots.SaveAsync(page, "phone-360-field-keyboard");
    }
}
