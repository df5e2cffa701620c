using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Kimberlite.BrowserTests.Pages;

/// <summary>What every page of the site has: a main heading and the language switcher in the header.</summary>
public abstract partial class SitePage(IPage page)
{
    public IPage Page => page;

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    /// <summary>The language switcher, whose label is itself translated.</summary>
    public ILocator Languages => page.GetByRole(AriaRole.Navigation, new() { NameRegex = LanguagesLabel() });

    public ILocator LanguageLink(string language) =>
        Languages.GetByRole(AriaRole.Link, new() { Name = language, Exact = true });

    /// <summary>Follows the switcher's link (Français, English or Português) and waits for the page to come back.</summary>
    public async Task ChooseLanguageAsync(string language)
    {
        await LanguageLink(language).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
    }

    /// <summary>
    /// Runs an action that leads to another document (a link followed, a form sent) and waits for that
    /// document's load event: unlike waiting for a load state, never satisfied by the page being left.
    /// </summary>
    public async Task RunAndWaitForNextLoadAsync(Func<Task> action)
    {
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLoad(object? sender, IPage loadedPage) => loaded.TrySetResult();
        page.Load += OnLoad;
        try
        {
            await action();
            await loaded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            page.Load -= OnLoad;
        }
    }

    public Task<string?> DocumentLanguageAsync() => page.Locator("html").GetAttributeAsync("lang");

    [GeneratedRegex("^(Langue|Language|Idioma)$")]
    private static partial Regex LanguagesLabel();
}
