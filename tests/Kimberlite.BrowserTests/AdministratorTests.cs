using Kimberlite.BrowserTests.Pages;
using Kimberlite.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kimberlite.BrowserTests;

/// <summary>
/// A new administrator signs in, is told their rights wait for two-step sign-in, turns it on with the key
/// the page shows, and then reads the audit trail, which records all of it and verifies whole.
/// </summary>
public sealed class AdministratorTests(Browser browser, KimberliteServer server) : IClassFixture<KimberliteServer>
{
    [Fact]
    public async Task AnAdministratorTurnsOnTwoStepSignInAndThenReadsTheAuditTrail()
    {
        var admin = await server.CreateMemberAsync(null, administrator: true);
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await context.NewPageAsync();
        await SignInPage.SignInAsync(page, server, admin, KimberliteServer.Password);

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("attendent la connexion en deux étapes");
        await page.GotoAsync("/admin/audit");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Accès refusé");

        await page.GotoAsync("/account/two-factor");
        await Expect(page.Locator("figure.qr svg")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "two-factor-fr");
        var key = (await page.Locator("#authenticator-key").TextContentAsync())!.Replace(" ", "", StringComparison.Ordinal);
        await page.GetByLabel("Code à six chiffres").FillAsync(Totp.Now(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Activer" }).ClickAsync();
        // The address is enough: waiting for the page's load event timed out once on a machine loaded thirty times over.
        await page.WaitForURLAsync(url => url.EndsWith("/account", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Activée.");

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Journal d'audit");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "deux étapes activées" })).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Link, new() { Name = "Vérifier toute la chaîne" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Chaîne intacte");
        await Screenshots.SaveAsync(page, "audit-fr");

        await page.GotoAsync("/organisations/RELUFA");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inviter une personne" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "organisation-fr");
    }
}
