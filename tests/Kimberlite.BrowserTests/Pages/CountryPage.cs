using Microsoft.Playwright;

namespace Kimberlite.BrowserTests.Pages;

/// <summary>A country's page (/countries/{iso3}): latest figures, the server-drawn charts, its findings and the table of every figure with its source.</summary>
public sealed class CountryPage(IPage page) : SitePage(page)
{
    public async Task<CountryPage> OpenAsync(string iso3)
    {
        await Page.GotoAsync($"/countries/{iso3}");
        return this;
    }

    /// <summary>A chart area, an image named after its measure and the country ("Carats — …, by year").</summary>
    public ILocator Chart(string accessibleName) =>
        Page.GetByRole(AriaRole.Img, new() { Name = accessibleName, Exact = true });

    /// <summary>The labels of a chart's axes, drawn by the server: years below, the unit's values on the left.</summary>
    public static ILocator AxisLabels(ILocator chart) => chart.Locator("text.axis");

    /// <summary>Unfolds the table of every figure, as a reader taps its summary ("Show the N figures and their sources").</summary>
    public Task ShowFiguresAsync() => Page.Locator("details.long > summary").First.ClickAsync();

    /// <summary>The table of every figure, named by its caption.</summary>
    public ILocator SourceTable(string caption) =>
        Page.GetByRole(AriaRole.Table, new() { Name = caption, Exact = true });

    public ILocator ColumnHeader(string caption, string column) =>
        SourceTable(caption).GetByRole(AriaRole.Columnheader, new() { Name = column, Exact = true });

    public ILocator RowsMentioning(string caption, string text) =>
        SourceTable(caption).GetByRole(AriaRole.Row).Filter(new() { HasText = text });

    /// <summary>The section of the country's findings, named by its heading ("Constats", "Findings").</summary>
    public ILocator FindingsSection(string heading) =>
        Page.GetByRole(AriaRole.Region, new() { Name = heading, Exact = true });

    /// <summary>The findings' title links, in the page's order (not the link to every finding below the list).</summary>
    public ILocator FindingLinks(string heading) =>
        FindingsSection(heading).GetByRole(AriaRole.List).GetByRole(AriaRole.Link);

    /// <summary>A finding's title link, "Règle — Pays, période". Titles can repeat (several source conflicts in one year).</summary>
    public ILocator FindingLink(string heading, string title) =>
        FindingsSection(heading).GetByRole(AriaRole.List).GetByRole(AriaRole.Link, new() { Name = title, Exact = true });

    /// <summary>The link under the country's first findings to all of them on the paged list ("Voir les 45 constats").</summary>
    public ILocator AllFindingsLink(string heading, System.Text.RegularExpressions.Regex name) =>
        FindingsSection(heading).GetByRole(AriaRole.Link, new() { NameRegex = name });

    /// <summary>Follows that link and waits for the list of findings.</summary>
    public async Task<FindingsPage> SeeAllFindingsAsync(string heading, System.Text.RegularExpressions.Regex name)
    {
        await RunAndWaitForNextLoadAsync(() => AllFindingsLink(heading, name).ClickAsync());
        return new FindingsPage(Page);
    }

    /// <summary>Follows the first title link of that name in the findings section and waits for the finding's page.</summary>
    public async Task<FindingPage> OpenFindingAsync(string heading, string title)
    {
        await RunAndWaitForNextLoadAsync(() => FindingLink(heading, title).First.ClickAsync());
        return new FindingPage(Page);
    }
}
