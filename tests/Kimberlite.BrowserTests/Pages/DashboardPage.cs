using Microsoft.Playwright;

namespace Kimberlite.BrowserTests.Pages;

/// <summary>The dashboard (/): one card per coalition country with its latest production and exports.</summary>
public sealed class DashboardPage(IPage page) : SitePage(page)
{
    public async Task<DashboardPage> OpenAsync()
    {
        await Page.GotoAsync("/");
        return this;
    }

    /// <summary>The country cards: sections named by their country heading.</summary>
    public ILocator CountryCards => Page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Region);

    public ILocator CountryCard(string country) =>
        Page.GetByRole(AriaRole.Region, new() { Name = country, Exact = true });

    public ILocator CountryLink(string country) =>
        CountryCard(country).GetByRole(AriaRole.Link, new() { Name = country, Exact = true });

    /// <summary>A figure block's heading inside a card, "Production" or "Exportations" with its year.</summary>
    public ILocator MetricHeading(string country, string metric) =>
        CountryCard(country).GetByRole(AriaRole.Heading, new() { Level = 3 }).Filter(new() { HasText = metric });

    public async Task<CountryPage> OpenCountryAsync(string country)
    {
        await CountryLink(country).ClickAsync();
        await Page.WaitForLoadStateAsync(LoadState.Load);
        return new CountryPage(Page);
    }
}
