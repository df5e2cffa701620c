using Kimberlite.BrowserTests.Pages;
using Kimberlite.Tests;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kimberlite.BrowserTests;

/// <summary>
/// A coordinator of RELUFA opens a finding on the Central African Republic, follows "Recommander", records a
/// recommendation to its Ministry of Mines, moves it to "in progress" with a link as evidence and publishes it;
/// the public then finds it on the regional board and in the feed of status changes.
/// </summary>
public sealed class AdvocacyTests(Browser browser, KimberliteServer server) : IClassFixture<KimberliteServer>
{
    private const string Text = "Publier chaque trimestre les exportations de diamants de Centrafrique par bureau d'achat, en carats et en valeur.";
    private const string Car = "République centrafricaine";

    [Fact]
    public async Task ACoordinatorRecommendsFromAFindingMovesItOnWithEvidencePublishesItAndThePublicSeesIt()
    {
        var (email, key) = await CoordinatorWithTwoStepSignInAsync();
        var finding = await FindingOfTheCentralAfricanRepublicAsync();
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await context.NewPageAsync();
        await SignInWithCodeAsync(page, email, key);

        await new FindingPage(page).OpenAsync(finding);
        await new FindingPage(page).RunAndWaitForNextLoadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Recommander", Exact = true }).ClickAsync());
        var form = new RecommendationFormPage(page);
        await Expect(form.Heading).ToHaveTextAsync("Nouvelle recommandation ou nouvel engagement");
        // Opened from the finding: the country and the evidence come filled in.
        await Expect(form.Country(Car)).ToBeCheckedAsync();
        await Expect(form.FirstEvidenceTarget).ToHaveValueAsync($"{finding}");
        await form.Text.FillAsync(Text);
        await form.Addressee.FillAsync("Ministère des Mines et de la Géologie");
        await form.AddresseeKind.SelectOptionAsync(new SelectOptionValue { Label = "ministère" });
        await form.Theme.SelectOptionAsync(new SelectOptionValue { Label = "Transparence des chiffres" });
        await form.DueOn.FillAsync("2027-06-30");
        await ScreenshotsAtBothWidthsAsync(page, "advocacy-form-fr");
        await form.SaveAsync();

        var item = new RecommendationPage(page);
        await Expect(item.Heading).ToHaveTextAsync("Recommandation — Ministère des Mines et de la Géologie");
        await Expect(item.Text).ToHaveTextAsync(Text);
        await Expect(item.StatusBadge).ToHaveTextAsync("proposé");
        await Expect(item.Evidence.Filter(new() { HasText = "constat" })).ToHaveCountAsync(1);
        await item.StepAsync("en cours", "Le ministère a ouvert une consultation sur la publication trimestrielle.", "lien", "https://example.org/centrafrique/consultation");
        await Expect(item.StatusBadge).ToHaveTextAsync("en cours");
        var step = item.HistoryEntries.Filter(new() { HasText = "proposé → en cours" });
        await Expect(step).ToHaveCountAsync(1);
        await Expect(step.GetByRole(AriaRole.Link, new() { Name = "example.org/centrafrique/consultation" })).ToHaveAttributeAsync("rel", "nofollow noopener");
        await item.PublishAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retirer de la publication", Exact = true })).ToBeVisibleAsync();
        var address = page.Url;
        await ScreenshotsAtBothWidthsAsync(page, "advocacy-item-fr");

        // The public, in a browser of its own.
        await using var publicContext = await browser.NewReaderAsync(server, "fr-FR,fr");
        var reader = await publicContext.NewPageAsync();
        var board = await new BoardPage(reader).OpenAsync();
        await Expect(board.Heading).ToHaveTextAsync("Plaidoyer : tableau régional");
        await ScreenshotsAtBothWidthsAsync(reader, "advocacy-board-fr");
        await Expect(board.Row(Car).GetByRole(AriaRole.Cell).First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*1\s"));
        await Expect(board.Changes.Filter(new() { HasText = "proposé → en cours" }).Filter(new() { HasText = "Publier chaque trimestre" })).ToHaveCountAsync(1);
        var listed = board.Items.Filter(new() { HasText = "Publier chaque trimestre les exportations" });
        await Expect(listed).ToHaveCountAsync(1);
        await Expect(listed).ToContainTextAsync("en cours");
        await new BoardPage(reader).RunAndWaitForNextLoadAsync(() => listed.GetByRole(AriaRole.Link).ClickAsync());
        Assert.Equal(address, reader.Url);
        await Expect(reader.GetByRole(AriaRole.Main)).Not.ToContainTextAsync(email);

        // The feed of status changes (written beside these pages) carries the step.
        var feed = await publicContext.APIRequest.GetAsync("/feeds/recommendations.atom");
        Assert.Equal(200, feed.Status);
        Assert.Contains("application/atom+xml", feed.Headers.GetValueOrDefault("content-type"));
        Assert.Contains("Publier chaque trimestre les exportations", await feed.TextAsync());
    }

    [Fact]
    public async Task TheSeedWorkshopReadsInTheSourcesOwnWordsWithItsSevenOrganisations()
    {
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/advocacy/meetings");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Réunions");
        await new BoardPage(page).RunAndWaitForNextLoadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Central African civil society workshop on diamond governance", Exact = true }).ClickAsync());

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Central African civil society workshop on diamond governance");
        await Expect(page.Locator("ul.present > li")).ToHaveCountAsync(7);
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Objectifs annoncés", Exact = true }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(3);
        await Expect(page.GetByText("Les mots de la source, tels qu'ils ont été écrits, en anglais.")).ToBeVisibleAsync();
        await ScreenshotsAtBothWidthsAsync(page, "advocacy-workshop-fr");
    }

    private static async Task ScreenshotsAtBothWidthsAsync(IPage page, string name)
    {
        await Screenshots.SaveAsync(page, $"{name}-1280");
        await page.SetViewportSizeAsync(390, 844);
        await Screenshots.SaveAsync(page, $"{name}-390");
        await page.SetViewportSizeAsync(1280, 900);
    }

    private async Task<int> FindingOfTheCentralAfricanRepublicAsync()
    {
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Kimberlite.Infrastructure.Data.KimberliteDb>();
        return await db.Findings.Where(f => f.CountryIso3 == "CAF").OrderBy(f => f.Id).Select(f => f.Id).FirstAsync();
    }

    /// <summary>A coordinator of RELUFA whose rights are in force: two-step sign-in turned on, with the key to make codes from.</summary>
    private async Task<(string Email, string Key)> CoordinatorWithTwoStepSignInAsync()
    {
        var email = await server.CreateMemberAsync(Kimberlite.Accounts.MemberRole.Coordinator);
        using var scope = server.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Kimberlite.Accounts.User>>();
        var user = (await users.FindByEmailAsync(email))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (email, (await users.GetAuthenticatorKeyAsync(user))!);
    }

    private async Task SignInWithCodeAsync(IPage page, string email, string key)
    {
        await page.GotoAsync(new Uri(server.Address, "/account/signin").ToString());
        await page.GetByLabel("Adresse e-mail").FillAsync(email);
        await page.GetByLabel("Mot de passe", new() { Exact = true }).FillAsync(KimberliteServer.Password);
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/account/signin/code", StringComparison.Ordinal));
        await page.GetByLabel("Code à six chiffres").FillAsync(Totp.Now(key));
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        // The address is enough: waiting for the page's load event timed out once on a machine loaded thirty times over.
        await page.WaitForURLAsync(url => url.EndsWith("/account", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
    }
}
