using System.Text;
using Microsoft.Playwright;

namespace Kimberlite.BrowserTests;

/// <summary>
/// Loads a page with a cold cache asking for Brotli, as a phone would over HTTPS, and adds up the encoded bodies of
/// everything it fetched (HTML, CSS, scripts, fonts, images, data fetched by scripts). Shared with bench/ (pages).
/// </summary>
public static class PageWeight
{
    /// <summary>Total encoded bytes and one line per response, largest first.</summary>
    public static async Task<(long Bytes, string Lines)> MeasureAsync(IBrowserContext context, IPage page, string path)
    {
        var (bytes, lines, _) = await LoadAsync(context, page, path, throttle: false);
        return (bytes, lines);
    }

    /// <summary>As <see cref="MeasureAsync"/>, optionally throttled to 400 kbit/s each way with 400 ms round trip; also the first contentful paint in ms.</summary>
    public static async Task<(long Bytes, string Lines, double FirstContentfulPaint)> LoadAsync(IBrowserContext context, IPage page, string path, bool throttle)
    {
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.setCacheDisabled", new Dictionary<string, object> { ["cacheDisabled"] = true });
        // Chromium asks for Brotli over HTTPS only; the app is reached over plain HTTP here.
        await cdp.SendAsync("Network.setExtraHTTPHeaders", new Dictionary<string, object>
        {
            ["headers"] = new Dictionary<string, string> { ["Accept-Encoding"] = "br, gzip" },
        });
        if (throttle)
            await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
            {
                ["offline"] = false,
                ["latency"] = 400,
                ["downloadThroughput"] = 400_000 / 8,
                ["uploadThroughput"] = 400_000 / 8,
            });
        var finished = new List<IRequest>();
        void OnFinished(object? sender, IRequest request) => finished.Add(request);
        page.RequestFinished += OnFinished;
        try
        {
            await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.NetworkIdle, Timeout = 120_000 });
        }
        finally
        {
            page.RequestFinished -= OnFinished;
        }
        var fcp = await page.EvaluateAsync<double?>("() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null") ?? double.NaN;
        var rows = new List<(long Bytes, string Line)>();
        foreach (var request in finished.ToList())
        {
            var sizes = await request.SizesAsync();
            var response = await request.ResponseAsync();
            var encoding = response is null ? "" : await response.HeaderValueAsync("content-encoding") ?? "none";
            rows.Add((sizes.ResponseBodySize, $"  {sizes.ResponseBodySize / 1024.0,7:F1} KB {encoding,-5} {new Uri(request.Url).PathAndQuery}"));
        }
        var lines = new StringBuilder();
        foreach (var row in rows.OrderByDescending(r => r.Bytes))
            lines.AppendLine(row.Line);
        return (rows.Sum(r => r.Bytes), lines.ToString(), fcp);
    }
}
