using Kimberlite.BrowserTests.Pages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kimberlite.BrowserTests;

/// <summary>
/// A French monitor opens the form, loses the connection, records two incidents (the page even reloads
/// offline), gets the connection back, and each report reaches the server exactly once.
/// </summary>
public sealed class OfflineFieldTests(Browser browser, KimberliteServer server) : IClassFixture<KimberliteServer>
{
    [Fact]
    public async Task AMonitorRecordsTwoIncidentsOfflineAndEachIsSyncedOnceWhenTheConnectionReturns()
    {
        var monitor = await server.CreateMemberAsync(Kimberlite.Accounts.MemberRole.Monitor);
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await context.NewPageAsync();
        await SignInPage.SignInAsync(page, server, monitor, KimberliteServer.Password);

        await page.GetByRole(AriaRole.Link, new() { Name = "Signaler", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Signaler depuis le terrain");
        // The service worker takes the page in hand; from the next load on, the page opens without a connection.
        await page.EvaluateAsync("navigator.serviceWorker.ready.then(() => true)");
        await page.ReloadAsync();

        await context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Hors connexion : les signalements attendent dans ce téléphone.");
        await RecordAsync(page, "violence", "2026-11-01", "Des hommes armés ont pris le chantier de Bania.");
        await RecordAsync(page, "childLabour", "2026-11-03", "Une dizaine d'enfants lavent le gravier à la rivière.");
        await Expect(page.Locator("#queue li.waiting")).ToHaveCountAsync(2);
        await Screenshots.SaveAsync(page, "field-offline-fr");

        await context.SetOfflineAsync(false);
        await page.EvaluateAsync("window.dispatchEvent(new Event('online'))");
        await Expect(page.Locator("#queue li.sent")).ToHaveCountAsync(2);
        await Expect(page.Locator("#queue li")).ToHaveCountAsync(2);
        await Screenshots.SaveAsync(page, "field-synced-fr");

        // Going online again sends nothing twice.
        await page.EvaluateAsync("window.dispatchEvent(new Event('online'))");
        await page.ReloadAsync();
        await Expect(page.Locator("#queue li.sent")).ToHaveCountAsync(2);
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Kimberlite.Infrastructure.Data.KimberliteDb>();
        var descriptions = await db.Incidents.Select(i => i.Description).OrderBy(d => d).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["Des hommes armés ont pris le chantier de Bania.", "Une dizaine d'enfants lavent le gravier à la rivière."], descriptions);
    }

    private static async Task RecordAsync(IPage page, string category, string date, string description)
    {
        await page.GetByLabel("Type d'incident").SelectOptionAsync(category);
        await page.GetByLabel("Date", new() { Exact = true }).FillAsync(date);
        await page.GetByLabel("Pays").SelectOptionAsync("CAF");
        await page.GetByLabel("Latitude").FillAsync("4.36712");
        await page.GetByLabel("Longitude").FillAsync("18.58234");
        await page.GetByLabel("Ce qui s'est passé").FillAsync(description);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le signalement" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Signalement gardé dans ce téléphone.");
    }
}
