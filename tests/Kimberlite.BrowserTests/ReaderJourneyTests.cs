using Kimberlite.BrowserTests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kimberlite.BrowserTests;

/// <summary>A French-speaking reader opens the dashboard, switches to English and drills into a country.</summary>
public sealed class ReaderJourneyTests(Browser browser, KimberliteServer server) : IClassFixture<KimberliteServer>
{
    private static readonly string[] CoalitionInFrench =
    [
        "Angola", "Cameroun", "République centrafricaine", "République démocratique du Congo", "République du Congo", "Gabon",
    ];

    [Fact]
    public async Task AFrenchReaderSwitchesToEnglishAndSeesTheChartAndSourcesOfDrCongo()
    {
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var dashboard = await new DashboardPage(await context.NewPageAsync()).OpenAsync();

        await Expect(dashboard.Heading).ToHaveTextAsync("Le diamant en Afrique centrale");
        await Expect(dashboard.Languages).ToHaveAccessibleNameAsync("Langue");
        await Expect(dashboard.CountryCards).ToHaveCountAsync(CoalitionInFrench.Length);
        foreach (var country in CoalitionInFrench)
        {
            await Expect(dashboard.CountryLink(country)).ToBeVisibleAsync();
            await Expect(dashboard.MetricHeading(country, "Production")).ToBeVisibleAsync();
            await Expect(dashboard.MetricHeading(country, "Exportations")).ToBeVisibleAsync();
        }
        await Screenshots.SaveAsync(dashboard.Page, "dashboard-fr");

        await dashboard.ChooseLanguageAsync("English");

        await Expect(dashboard.Heading).ToHaveTextAsync("Diamonds in Central Africa");
        await Expect(dashboard.LanguageLink("English")).ToHaveAttributeAsync("aria-current", "true");
        await Expect(dashboard.MetricHeading("Democratic Republic of the Congo", "Exports")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(dashboard.Page, "dashboard-en");

        var drc = await dashboard.OpenCountryAsync("Democratic Republic of the Congo");

        await Expect(drc.Page).ToHaveURLAsync(new Uri(server.Address, "/countries/COD").ToString());
        await Expect(drc.Heading).ToHaveTextAsync("Democratic Republic of the Congo");
        await Expect(drc.Chart("Carats — Democratic Republic of the Congo, by year")).ToBeVisibleAsync();
        await Expect(CountryPage.AxisLabels(drc.Chart("Carats — Democratic Republic of the Congo, by year")).First).ToBeVisibleAsync();

        const string table = "Every figure and its source";
        await drc.ShowFiguresAsync();
        await Expect(drc.ColumnHeader(table, "Source")).ToBeVisibleAsync();
        await Expect(drc.RowsMentioning(table, "Kimberley Process").First).ToBeVisibleAsync();
        await Expect(drc.RowsMentioning(table, "Natural Diamond Council").First).ToBeVisibleAsync();
        await Expect(drc.RowsMentioning(table, "national statistics").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(drc.Page, "country-cod-en");
    }

    [Fact]
    public async Task TheChosenLanguageIsRememberedOnTheNextPageLoad()
    {
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var dashboard = await new DashboardPage(await context.NewPageAsync()).OpenAsync();
        await Expect(dashboard.Heading).ToHaveTextAsync("Le diamant en Afrique centrale");

        await dashboard.ChooseLanguageAsync("English");
        await Expect(dashboard.Heading).ToHaveTextAsync("Diamonds in Central Africa");

        // A new load in a new tab: only the cookie can say English, the browser still asks for French.
        var cookies = await context.CookiesAsync();
        Assert.Contains(cookies, c => c.Name == ".AspNetCore.Culture" && Uri.UnescapeDataString(c.Value) == "c=en|uic=en");
        var country = await new CountryPage(await context.NewPageAsync()).OpenAsync("CMR");
        await Expect(country.Heading).ToHaveTextAsync("Cameroon");
        Assert.Equal("en", await country.DocumentLanguageAsync());

        await country.ChooseLanguageAsync("Français");
        await Expect(country.Heading).ToHaveTextAsync("Cameroun");
        await Expect(country.Page).ToHaveURLAsync(new Uri(server.Address, "/countries/CMR").ToString());
        await country.Page.ReloadAsync();
        await Expect(country.Heading).ToHaveTextAsync("Cameroun");
    }

    [Fact]
    public async Task AReaderWithoutACookieWhoseBrowserAsksForPortugueseGetsPortuguese()
    {
        await using var context = await browser.NewReaderAsync(server, "pt");
        var dashboard = await new DashboardPage(await context.NewPageAsync()).OpenAsync();

        await Expect(dashboard.Heading).ToHaveTextAsync("Os diamantes na África Central");
        await Expect(dashboard.Languages).ToHaveAccessibleNameAsync("Idioma");
        await Expect(dashboard.LanguageLink("Português")).ToHaveAttributeAsync("aria-current", "true");
        await Expect(dashboard.CountryLink("República Democrática do Congo")).ToBeVisibleAsync();
        await Expect(dashboard.MetricHeading("Angola", "Produção")).ToBeVisibleAsync();
        await Expect(dashboard.MetricHeading("Angola", "Exportações")).ToBeVisibleAsync();
        Assert.Equal("pt", await dashboard.DocumentLanguageAsync());
        await Screenshots.SaveAsync(dashboard.Page, "dashboard-pt");
    }

    [Fact]
    public async Task AReaderWhoseBrowserAsksForNoneOfTheThreeLanguagesGetsFrench()
    {
        await using var context = await browser.NewReaderAsync(server, "de-DE,de");
        var dashboard = await new DashboardPage(await context.NewPageAsync()).OpenAsync();

        await Expect(dashboard.Heading).ToHaveTextAsync("Le diamant en Afrique centrale");
        await Expect(dashboard.LanguageLink("Français")).ToHaveAttributeAsync("aria-current", "true");
    }
}
