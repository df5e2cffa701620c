using System.Text.RegularExpressions;
using Kimberlite.BrowserTests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kimberlite.BrowserTests;

/// <summary>Issue 18, long pages (docs/decisions/040): on a 360 px phone the long pages stay short, and what they fold stays one tap away.</summary>
public sealed class ShortPhonePagesTests(Browser browser, KimberliteServer server) : IClassFixture<KimberliteServer>
{
    private static async Task<IPage> PhoneAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(360, 740);
        return page;
    }

    [Fact]
    public async Task OnA360PixelPhoneTheDashboardTheCountryPagesTheFindingsAndTheSitesStayShort()
    {
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await PhoneAsync(context);
        // Measured with the bundled data before decision 040: 8,374, 32,547, 16,362, 13,735, 9,443 and 13,492 px.
        var budgets = new (string Url, int Pixels)[]
        {
            ("/", 4600), ("/countries/COD", 7000), ("/countries/AGO", 7000), ("/countries/CAF", 7000), ("/findings", 7000), ("/sites", 7000),
        };
        var tall = new List<string>();
        foreach (var (url, pixels) in budgets)
        {
            await page.GotoAsync(url);
            var height = await page.EvaluateAsync<int>("document.documentElement.scrollHeight");
            if (height > pixels)
                tall.Add($"{url}: {height} px, more than {pixels}");
            await Screenshots.SaveAsync(page, "short-360" + url.Replace('/', '-'));
        }

        Assert.Empty(tall);
    }

    [Fact]
    public async Task WhatTheDrCongoPageFoldsOnAPhoneIsOneTapAway()
    {
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var country = await new CountryPage(await PhoneAsync(context)).OpenAsync("COD");
        var page = country.Page;

        // The five most serious findings, then a link to all of them on the paged list, which holds one not shown here.
        await Expect(country.FindingLinks("Constats")).ToHaveCountAsync(5);
        var shown = await country.FindingLinks("Constats").AllInnerTextsAsync();
        var link = country.AllFindingsLink("Constats", new Regex(@"^Voir les \d+ constats$"));
        var count = int.Parse(Regex.Match(await link.InnerTextAsync(), @"\d+").Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(count > 5, $"DR Congo has {count} findings");
        var list = await country.SeeAllFindingsAsync("Constats", new Regex(@"^Voir les \d+ constats$"));
        await Expect(list.Page).ToHaveURLAsync(new Regex(@"/findings\?country=COD$"));
        var listed = await list.Items.GetByRole(AriaRole.Link).AllInnerTextsAsync();
        Assert.Equal(Math.Min(count, 25), listed.Count);
        Assert.Equal(shown, listed.Take(5));
        Assert.NotEmpty(listed.Except(shown));
        await page.GoBackAsync();

        // The left-out figures fold under a summary that counts them; a tap shows their table with its source lines.
        var leftOut = page.Locator("#left-out details").First;
        await Expect(leftOut.Locator("summary")).ToHaveTextAsync(new Regex(@"^\d+ chiffres hors de l'analyse : les constats n'en tiennent pas compte"));
        var table = leftOut.Locator("table.left-out");
        await Expect(table).ToBeHiddenAsync();
        await leftOut.Locator("summary").ClickAsync();
        await Expect(table).ToBeVisibleAsync();
        await Expect(table.GetByRole(AriaRole.Link, new() { NameRegex = new Regex(@"ligne \d+$") }).First).ToBeVisibleAsync();

        // A chart shows its key; its sentences and table are one tap away.
        var chart = page.Locator("#chart-carats");
        await Expect(chart.Locator(".chart-keys")).ToBeVisibleAsync();
        await Expect(chart.Locator("table.chart-table")).ToBeHiddenAsync();
        await chart.Locator("details.chart-data > summary").ClickAsync();
        await Expect(chart.Locator("table.chart-table")).ToBeVisibleAsync();
        await Expect(chart.Locator(".chart-summary")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "short-360-cod-unfolded");
    }

    [Fact]
    public async Task ADashboardCardOnAPhoneKeysEachMetricOnceAndKeepsEachSourceOneTapAway()
    {
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await PhoneAsync(context);
        await page.GotoAsync("/");
        var card = page.Locator("section.card").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "République démocratique du Congo" }) });

        // Values written on the chart, one key per metric; the key per source, the sentences and the table in the fold.
        await Expect(card.Locator("text.value").First).ToBeVisibleAsync();
        await Expect(card.Locator("figure > .chart-keys .key")).ToHaveTextAsync(["Production", "Exportations"]);
        var fold = card.Locator("details.chart-data");
        await Expect(fold.Locator(".chart-keys")).ToBeHiddenAsync();
        await fold.Locator("summary").ClickAsync();
        await Expect(fold.Locator(".chart-keys .key").Filter(new() { HasText = "Production — Kimberley Process" })).ToBeVisibleAsync();
        await Expect(fold.Locator("table.chart-table")).ToBeVisibleAsync();
    }
}
