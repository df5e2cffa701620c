using Kimberlite.Accounts;
using Kimberlite.BrowserTests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kimberlite.BrowserTests;

/// <summary>A French analyst adds a report to the library, finds it by a word of its third page, and opens that page.</summary>
public sealed class LibraryTests(Browser browser, KimberliteServer server) : IClassFixture<KimberliteServer>
{
    /// <summary>A real six-page DOCX of python-openxml's test files (MIT, credited in tests/Kimberlite.Tests/Fixtures/library/README.md).</summary>
    private static string Report()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var path = Path.Combine(folder.FullName, "tests", "Kimberlite.Tests", "Fixtures", "library", "par-rendered-page-breaks.docx");
            if (File.Exists(path))
                return path;
        }
        throw new FileNotFoundException("par-rendered-page-breaks.docx is not beside the tests.");
    }

    [Fact]
    public async Task AnAnalystUploadsAReportSearchesForAWordOfItAndOpensTheRightPage()
    {
        var analyst = await server.CreateMemberAsync(MemberRole.Analyst);
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await context.NewPageAsync();
        await SignInPage.SignInAsync(page, server, analyst, KimberliteServer.Password);

        await page.GotoAsync("/library/upload");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Ajouter un document");
        await page.GetByLabel("Fichier (PDF, DOCX, ODT, HTML ou texte)").SetInputFilesAsync(Report());
        await page.GetByLabel("Titre", new() { Exact = true }).FillAsync("Rapport aux sauts de page");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter à la bibliothèque" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/library/", StringComparison.Ordinal) && !url.EndsWith("/upload", StringComparison.Ordinal),
            new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Rapport aux sauts de page");

        // The text is read in the background: the search finds the word once its page is read.
        var result = page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Rapport aux sauts de page" });
        for (var attempt = 0; attempt < 60 && await result.CountAsync() == 0; attempt++)
        {
            if (attempt > 0)
                await page.WaitForTimeoutAsync(1_000);
            await page.GotoAsync("/library?q=HYPERLINKS");
        }
        await Expect(result).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("page 3");
        await Screenshots.SaveAsync(page, "library-search-fr");

        await result.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("page=3", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.Locator("#page-3")).ToContainTextAsync("this hyperlink");
        // That page alone, with the way to the pages beside it.
        await Expect(page.GetByRole(AriaRole.Main)).Not.ToContainTextAsync("No page breaks");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Toutes les pages" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "library-page-fr");
    }
}
