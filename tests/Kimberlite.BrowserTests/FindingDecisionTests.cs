using System.Text.RegularExpressions;
using Kimberlite.BrowserTests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Kimberlite.BrowserTests;

/// <summary>
/// An analyst opens a finding from a country's page, through its list of findings, confirms it with a note, and the decision holds:
/// on the finding's page after the redirect and a reload, in its history, and in the list of findings.
/// </summary>
public sealed partial class FindingDecisionTests(Browser browser, KimberliteServer server) : IClassFixture<KimberliteServer>
{
    /// <summary>A serious valuation gap of DR Congo, the only finding of that title: exports valued far above production.</summary>
    private const string DrcOvervaluation2011 = "Survalorisation — République démocratique du Congo, 2011 (valorisation en US$/ct · valorisation de la production)";

    [Fact]
    public async Task AFrenchAnalystConfirmsAFindingOfDrCongoWithANoteAndTheDecisionHolds()
    {
        const string note = "Écart confirmé par le rapport annuel du CEEC : la valeur à l'exportation inclut des pierres de Kasaï-Oriental.";
        var analyst = await server.CreateMemberAsync(Kimberlite.Accounts.MemberRole.Analyst);
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await context.NewPageAsync();
        await SignInPage.SignInAsync(page, server, analyst, KimberliteServer.Password);
        var country = await new CountryPage(page).OpenAsync("COD");

        await Expect(country.FindingsSection("Constats")).ToBeVisibleAsync();
        // The country page shows its five most serious findings; the 2011 overvaluation is on its paged list, one tap away.
        var list = await country.SeeAllFindingsAsync("Constats", new Regex(@"^Voir les \d+ constats$"));
        await Expect(list.Item(DrcOvervaluation2011)).ToHaveCountAsync(1);
        await list.RunAndWaitForNextLoadAsync(() => FindingsPage.TitleLink(list.Item(DrcOvervaluation2011)).ClickAsync());
        var finding = new FindingPage(page);

        await Expect(finding.Page).ToHaveURLAsync(FindingAddress());
        var address = finding.Page.Url;
        await Expect(finding.Heading).ToHaveTextAsync(DrcOvervaluation2011);
        await Expect(finding.StatusBadge).ToHaveTextAsync("ouvert");
        await Expect(finding.StatusOption("ouvert")).ToBeCheckedAsync();
        await Expect(finding.HistoryEntries("Historique")).ToHaveCountAsync(1);
        await Expect(finding.HistoryEntries("Historique").First).ToContainTextAsync("relevé par l'analyse");

        var posted = await finding.DecideAsync("confirmé", "Note (ce qui fonde la décision)", note, "Enregistrer la décision");

        // Post, redirect, get: back on the same finding's address, now confirmed.
        Assert.Equal(302, posted.Status);
        Assert.Equal(address, new Uri(new Uri(address), await posted.HeaderValueAsync("location")).ToString());
        await Expect(finding.Page).ToHaveURLAsync(address);
        await ExpectConfirmedAsync(finding, note);
        await Screenshots.SaveAsync(finding.Page, "finding-confirmed-fr");

        // A reload asks the server again (a GET, not the form a second time): still confirmed, one decision only.
        await finding.Page.ReloadAsync();
        await ExpectConfirmedAsync(finding, note);

        var findings = await new FindingsPage(finding.Page).OpenAsync();
        await Expect(findings.Heading).ToHaveTextAsync("Constats de l'analyse");
        var item = findings.Item(DrcOvervaluation2011);
        await Expect(item).ToHaveCountAsync(1);
        await Expect(FindingsPage.StatusBadge(item)).ToHaveTextAsync("confirmé");
        await Expect(findings.StatusBadges).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(findings.Page, "findings-fr");
    }

    [Fact]
    public async Task AnEnglishReaderReadsTheFindingsInEnglish()
    {
        await using var context = await browser.NewReaderAsync(server, "en");
        var findings = await new FindingsPage(await context.NewPageAsync()).OpenAsync();

        await Expect(findings.Heading).ToHaveTextAsync("Findings of the analysis");
        var first = findings.Items.First;
        await Expect(first).ToBeVisibleAsync();

        // "Rule — Country, period": the sentence under it starts with the same country, in English.
        var title = await FindingsPage.TitleLink(first).InnerTextAsync();
        var country = TitleCountry().Match(title);
        Assert.True(country.Success, $"unexpected title: {title}");
        var explanation = FindingsPage.Explanation(first);
        await Expect(explanation).ToHaveTextAsync(new Regex($"^{Regex.Escape(country.Groups["country"].Value)}[ ,:]"));
        // Its numbers written the English way, with their unit.
        await Expect(explanation).ToHaveTextAsync(new Regex(@"\d{1,3}(,\d{3})+(\.\d+)? (ct|US\$)"));
        Assert.Equal("en", await findings.DocumentLanguageAsync());
        await Screenshots.SaveAsync(findings.Page, "findings-en");
    }

    private static async Task ExpectConfirmedAsync(FindingPage finding, string note)
    {
        await Expect(finding.Heading).ToHaveTextAsync(DrcOvervaluation2011);
        await Expect(finding.StatusBadge).ToHaveTextAsync("confirmé");
        await Expect(finding.StatusOption("confirmé")).ToBeCheckedAsync();
        await Expect(finding.StatusOption("ouvert")).Not.ToBeCheckedAsync();
        await Expect(finding.CurrentNote("Décision de l'analyste")).ToHaveTextAsync(note);
        await Expect(finding.NoteBox("Note (ce qui fonde la décision)")).ToHaveValueAsync(note);

        var history = finding.HistoryEntries("Historique");
        await Expect(history).ToHaveCountAsync(2);
        await Expect(history.First).ToContainTextAsync("relevé par l'analyse");
        var confirmed = history.Filter(new() { HasText = "confirmé" });
        await Expect(confirmed).ToHaveCountAsync(1);
        await Expect(confirmed).ToContainTextAsync(note);
        await Expect(history.Last).ToContainTextAsync("confirmé");
    }

    [GeneratedRegex(@"/findings/\d+$")]
    private static partial Regex FindingAddress();

    [GeneratedRegex(@"^.+? — (?<country>.+?), \d{4}")]
    private static partial Regex TitleCountry();
}
