using Microsoft.Playwright;

namespace Kimberlite.BrowserTests.Pages;

/// <summary>The list of findings (/findings): the filters, then one item per finding, in the order the page states.</summary>
public sealed class FindingsPage(IPage page) : SitePage(page)
{
    public async Task<FindingsPage> OpenAsync(string query = "")
    {
        await Page.GotoAsync($"/findings{query}");
        return this;
    }

    /// <summary>The findings, one list item each (the filters are a form, not a list).</summary>
    public ILocator Items => Page.GetByRole(AriaRole.Main).GetByRole(AriaRole.List).GetByRole(AriaRole.Listitem);

    /// <summary>The item whose link is the finding's title ("Écart de valorisation — République démocratique du Congo, 2011").</summary>
    public ILocator Item(string title) =>
        Items.Filter(new() { Has = Page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }) });

    public static ILocator TitleLink(ILocator item) => item.GetByRole(AriaRole.Link);

    /// <summary>The sentence under the title that states the finding with its numbers.</summary>
    public static ILocator Explanation(ILocator item) => item.Locator("p:not(.detail)");

    /// <summary>The status badge, shown only once an analyst confirmed or dismissed the finding.</summary>
    public static ILocator StatusBadge(ILocator item) => item.Locator(".badge.status");

    /// <summary>Every status badge of the list.</summary>
    public ILocator StatusBadges => Items.Locator(".badge.status");
}
