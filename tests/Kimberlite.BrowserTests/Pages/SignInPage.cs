using Microsoft.Playwright;

namespace Kimberlite.BrowserTests.Pages;

/// <summary>The sign-in page (/account/signin), filled in by its labels (French unless others are given).</summary>
public static class SignInPage
{
    public static async Task SignInAsync(IPage page, KimberliteServer server, string email, string password,
        string emailLabel = "Adresse e-mail", string passwordLabel = "Mot de passe", string button = "Se connecter")
    {
        await page.GotoAsync(new Uri(server.Address, "/account/signin").ToString());
        await page.GetByLabel(emailLabel).FillAsync(email);
        await page.GetByLabel(passwordLabel, new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
        // The address first, then the page's own content: on two busy cores the load event of /account (and of its
        // service worker's page) once took longer than 30 s although the page was there.
        await page.WaitForURLAsync(url => url.EndsWith("/account", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await page.Locator("main h1").WaitForAsync(new() { Timeout = 60_000 });
    }
}

/// <summary>The import page (/import): a file, its check, then import or cancel.</summary>
public sealed class ImportPage(IPage page) : SitePage(page)
{
    public async Task<ImportPage> OpenAsync()
    {
        await Page.GotoAsync("/import");
        return this;
    }

    public async Task CheckAsync(string path)
    {
        await Page.GetByLabel("Fichier (CSV, XLSX, JSON ou ZIP d'ODK)").SetInputFilesAsync(path);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Vérifier le fichier" }).ClickAsync();
    }

    public ILocator Status => Page.GetByRole(AriaRole.Status);

    public ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });
}
