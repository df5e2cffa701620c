using Kimberlite.BrowserTests.Pages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kimberlite.BrowserTests;

/// <summary>
/// The field work of one organisation, in French: a monitor records a site visit and an incident with a
/// photo while offline; the analyst opens the photo (cleaned of its GPS tags) and the visit, adds a site,
/// and brings in a KoboToolbox export through the import page.
/// </summary>
public sealed class FieldWorkTests(Browser browser, KimberliteServer server) : IClassFixture<KimberliteServer>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AMonitorRecordsAVisitAndAnIncidentWithAPhotoOfflineAndTheAnalystOpensThemCleaned()
    {
        var monitor = await server.CreateMemberAsync(Kimberlite.Accounts.MemberRole.Monitor);
        var photo = Path.Combine(Path.GetTempPath(), $"IMG_{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(photo, Kimberlite.Tests.TestImages.JpegWithGps(), Cancel);
        await using (var context = await browser.NewReaderAsync(server, "fr-FR,fr"))
        {
            var page = await context.NewPageAsync();
            await SignInPage.SignInAsync(page, server, monitor, KimberliteServer.Password);
            await page.GotoAsync("/field/new");
            await page.EvaluateAsync("navigator.serviceWorker.ready.then(() => true)");
            await page.ReloadAsync();
            await context.SetOfflineAsync(true);
            await page.ReloadAsync();

            await page.GetByLabel("Une visite de site").CheckAsync();
            await Expect(page.GetByLabel("Type d'incident")).ToBeHiddenAsync();
            // The site is typed; the browser offers the names of the page's list, one of which is taken whole.
            await page.GetByLabel("Site visité").FillAsync((await page.Locator("#site-list option").First.GetAttributeAsync("value"))!);
            await page.GetByLabel("Date de la visite").FillAsync("2026-11-10");
            await page.GetByLabel("Travailleurs").FillAsync("120");
            await page.GetByLabel("Enfants de moins de 15 ans").FillAsync("9");
            await page.GetByLabel("Présence armée").SelectOptionAsync("nonState");
            await page.GetByLabel("Quel groupe armé").FillAsync("3R");
            await page.GetByLabel("Taxation illégale").CheckAsync();
            await page.GetByLabel("Monopole").CheckAsync();
            await page.GetByLabel("Mercure utilisé").SelectOptionAsync("true");
            await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le signalement" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Signalement gardé dans ce téléphone.");

            await page.GetByLabel("Un incident").CheckAsync();
            await page.GetByLabel("Type d'incident").SelectOptionAsync("violence");
            await page.GetByLabel("Date", new() { Exact = true }).FillAsync("2026-11-09");
            await page.GetByLabel("Latitude").FillAsync("4.36712");
            await page.GetByLabel("Longitude").FillAsync("18.58234");
            await page.GetByLabel("Ce qui s'est passé").FillAsync("Des hommes armés ont pris le chantier de Bania.");
            await page.GetByLabel("Pièces (photos, documents, enregistrements)").SetInputFilesAsync(photo);
            await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le signalement" }).ClickAsync();
            await Expect(page.Locator("#queue li.waiting")).ToHaveCountAsync(2);
            await Expect(page.Locator("#queue")).ToContainTextAsync("pièces en attente : 1");
            await Screenshots.SaveAsync(page, "field-visit-offline-fr");

            await context.SetOfflineAsync(false);
            await page.EvaluateAsync("window.dispatchEvent(new Event('online'))");
            await Expect(page.Locator("#queue li.sent")).ToHaveCountAsync(2);
            await Expect(page.Locator("#queue")).Not.ToContainTextAsync("pièces en attente");
            await Screenshots.SaveAsync(page, "field-visit-synced-fr");
        }
        File.Delete(photo);

        using (var scope = server.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Kimberlite.Infrastructure.Data.KimberliteDb>();
            var visit = await db.SiteVisits.SingleAsync(v => v.VisitedOn == new DateOnly(2026, 11, 10), Cancel);
            Assert.Equal((120, 9, Kimberlite.Field.ArmedPresence.NonState, "3R", true), (visit.Workers, visit.ChildrenUnder15, visit.ArmedPresence, visit.ArmedGroup, visit.Mercury));
            Assert.Equal(Kimberlite.Field.Interference.IllegalTaxation | Kimberlite.Field.Interference.Monopoly, visit.Interference);
        }

        var analyst = await server.CreateMemberAsync(Kimberlite.Accounts.MemberRole.Analyst);
        await using (var context = await browser.NewReaderAsync(server, "fr-FR,fr"))
        {
            var page = await context.NewPageAsync();
            await SignInPage.SignInAsync(page, server, analyst, KimberliteServer.Password);
            await page.GetByRole(AriaRole.Link, new() { Name = "Incidents", Exact = true }).ClickAsync();
            var item = page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Des hommes armés ont pris le chantier de Bania." });
            await Expect(item).ToContainTextAsync("image nettoyée");
            var download = await page.RunAndWaitForDownloadAsync(() => item.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^IMG_") }).ClickAsync());
            using (var image = SixLabors.ImageSharp.Image.Load(await File.ReadAllBytesAsync((await download.PathAsync())!, Cancel)))
                Assert.Null(image.Metadata.ExifProfile);
            await Screenshots.SaveAsync(page, "field-incidents-evidence-fr");

            await page.GetByRole(AriaRole.Link, new() { Name = "Visites", Exact = true }).ClickAsync();
            var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "2026-11-10" });
            await Expect(row).ToContainTextAsync("Groupe armé non étatique (3R)");
            await Expect(row).ToContainTextAsync("Taxation illégale, Monopole");
            await Screenshots.SaveAsync(page, "field-visits-fr");
        }
    }

    [Fact]
    public async Task AnAnalystAddsASiteThenImportsAKoboExportThroughTheImportPage()
    {
        var analyst = await server.CreateMemberAsync(Kimberlite.Accounts.MemberRole.Analyst);
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await context.NewPageAsync();
        await SignInPage.SignInAsync(page, server, analyst, KimberliteServer.Password);

        await page.GetByRole(AriaRole.Link, new() { Name = "Sites", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("IPIS");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ajouter un site" }).ClickAsync();
        await page.GetByLabel("Nom du site").FillAsync("Chantier de Ngoura");
        await page.GetByLabel("Pays").SelectOptionAsync("CMR");
        await page.GetByLabel("Localité").FillAsync("Ngoura, Est");
        await page.GetByLabel("Latitude").FillAsync("4.1");
        await page.GetByLabel("Longitude").FillAsync("14.9");
        await page.GetByLabel("Minerais (séparés par des virgules : diamant, or)").FillAsync("diamond, gold");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le site" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Chantier de Ngoura" });
        await Expect(row).ToContainTextAsync("RELUFA");
        await row.GetByRole(AriaRole.Link, new() { Name = "modifier" }).ClickAsync();
        await page.GetByLabel("Statut (actif, abandonné, fermé…)").FillAsync("actif");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le site" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Chantier de Ngoura" })).ToContainTextAsync("actif");
        await Screenshots.SaveAsync(page, "sites-fr");

        // The sample export of docs/field, with a mapping for the analyst's own organisation.
        var docs = Path.Combine(Kimberlite.Tests.Repository.Root, "docs", "field");
        var mapping = Path.Combine(Path.GetTempPath(), $"mapping-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(mapping, (await File.ReadAllTextAsync(Path.Combine(docs, "kobo-incident-mapping.json"), Cancel)).Replace("\"CRAGG\"", "\"RELUFA\""), Cancel);
        await page.GotoAsync("/import");
        await page.GetByLabel("Fichier (CSV, XLSX, JSON ou ZIP d'ODK)").SetInputFilesAsync(Path.Combine(docs, "kobo-incident-export-sample.csv"));
        await page.GetByLabel("Fichier de correspondance (JSON)").SetInputFilesAsync(mapping);
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier le fichier" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("2 soumissions lues, toutes valables : 2 nouvelles, 0 déjà enregistrées.");
        await Expect(page.GetByRole(AriaRole.Main)).Not.ToContainTextAsync("Exemple Informateur");
        await Screenshots.SaveAsync(page, "import-kobo-checked-fr");
        await page.GetByRole(AriaRole.Button, new() { Name = "Importer", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/field/incidents", StringComparison.Ordinal));
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Quatorze enfants de moins de 15 ans lavent le gravier");
        File.Delete(mapping);
    }

    [Fact]
    public async Task AnEnglishMonitorAndAPortugueseReaderFindTheFieldPagesInTheirLanguage()
    {
        var monitor = await server.CreateMemberAsync(Kimberlite.Accounts.MemberRole.Monitor);
        await using (var context = await browser.NewReaderAsync(server, "en-GB,en"))
        {
            var page = await context.NewPageAsync();
            await SignInPage.SignInAsync(page, server, monitor, KimberliteServer.Password, "E-mail address", "Password", "Sign in");
            await page.GotoAsync("/field/new");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Report from the field");
            await page.GetByLabel("A site visit").CheckAsync();
            await Expect(page.GetByLabel("Date of the visit")).ToBeVisibleAsync();
            await Expect(page.GetByLabel("Armed presence")).ToContainTextAsync("Non-state armed group");
            await Expect(page.GetByLabel("Illegal taxation")).ToBeVisibleAsync();
            await Screenshots.SaveAsync(page, "field-visit-en");
        }
        await using (var context = await browser.NewReaderAsync(server, "pt-PT,pt"))
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("/sites");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Locais de mineração");
            await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Artesanal" }).First).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Adicionar um local" })).ToHaveCountAsync(0);
            await Screenshots.SaveAsync(page, "sites-pt");
        }
    }
}
