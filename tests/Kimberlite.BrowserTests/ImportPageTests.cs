using Kimberlite.BrowserTests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kimberlite.BrowserTests;

/// <summary>A French analyst signs in, sends a statistics file through /import, reads the check, imports it and reads the dataset's report.</summary>
public sealed class ImportPageTests(Browser browser, KimberliteServer server) : IClassFixture<KimberliteServer>
{
    [Fact]
    public async Task AFrenchAnalystImportsAFileThroughThePageAndReadsItsReport()
    {
        var analyst = await server.CreateMemberAsync(Kimberlite.Accounts.MemberRole.Analyst);
        // Two production figures as a national office would publish them, one with a note the importer keeps.
        var file = Path.Combine(Path.GetTempPath(), $"production-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file,
            "country_iso3,year,carats,usd,usd_per_carat_published,source,source_publisher,as_published,precision,notes\n" +
            "CMR,2024,3100,,,Bulletin minier,Ministère des Mines (Cameroun),3 100 carats,exact,\n" +
            "CMR,2025,2800,,,Bulletin minier,Ministère des Mines (Cameroun),2 800 carats,exact,chiffre provisoire\n", TestContext.Current.CancellationToken);
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await context.NewPageAsync();

        await SignInPage.SignInAsync(page, server, analyst, KimberliteServer.Password);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Importer", Exact = true })).ToBeVisibleAsync();
        var import = await new ImportPage(page).OpenAsync();
        await Expect(import.Heading).ToHaveTextAsync("Importer des données");

        // First the wrong file: refused, every problem listed, nothing to import.
        var bad = Path.Combine(Path.GetTempPath(), $"production-bad-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(bad,
            "country_iso3,year,carats,usd,usd_per_carat_published,source,source_publisher,as_published,precision,notes\n" +
            "XXX,2024,3100,,,Bulletin minier,Ministère des Mines (Cameroun),3 100 carats,exact,\n", TestContext.Current.CancellationToken);
        await import.CheckAsync(bad);
        await Expect(import.Status).ToContainTextAsync("Fichier refusé, rien n'est enregistré. Problèmes à corriger : 1");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "XXX", Exact = true }).First).ToBeVisibleAsync();
        await Expect(import.Button("Importer")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "import-refused-fr");
        await import.Button("Abandonner").ClickAsync();
        File.Delete(bad);

        await import.CheckAsync(file);

        await Expect(import.Status).ToContainTextAsync("Prêt à importer : 2 lignes lues, 2 chiffres");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "2 800 carats" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "import-checked-fr");
        await import.Button("Importer").ClickAsync();

        await page.WaitForURLAsync(url => url.Contains("/datasets/", StringComparison.Ordinal));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("production-");
        await Screenshots.SaveAsync(page, "import-dataset-fr");
        File.Delete(file);
    }

    [Fact]
    public async Task TheImportPageSendsAReaderWhoIsNotSignedInToSignIn()
    {
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/import");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/signin\\?ReturnUrl=%2Fimport$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Se connecter");
    }
}
