using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Kimberlite.BrowserTests.Browser))]

namespace Kimberlite.BrowserTests;

/// <summary>
/// One Debian Chromium for the whole run (Playwright's own browser download is never used);
/// every test opens its own context, so cookies and languages never leak between tests.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            // Without the networking flags Chromium keeps trying to reach hosts this machine cannot reach.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
        // Two shared cores running several tests at once: give pages a little more time than the default.
        Assertions.SetDefaultExpectTimeout(15_000);
    }

    /// <summary>A fresh reader: no cookie, a browser that asks for the given languages.</summary>
    public async Task<IBrowserContext> NewReaderAsync(KimberliteServer server, string acceptLanguage)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.Address.ToString(),
            Locale = acceptLanguage.Split(',')[0],
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = acceptLanguage },
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
