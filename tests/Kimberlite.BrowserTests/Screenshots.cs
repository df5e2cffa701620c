using Microsoft.Playwright;

namespace Kimberlite.BrowserTests;

/// <summary>Saves full-page screenshots for a human to look at, when KIMBERLITE_SCREENSHOTS names a folder.</summary>
public static class Screenshots
{
    public static async Task SaveAsync(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("KIMBERLITE_SCREENSHOTS");
        if (string.IsNullOrWhiteSpace(folder))
            return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }
}
