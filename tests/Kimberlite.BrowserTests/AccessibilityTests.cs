using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Kimberlite.BrowserTests.Pages;
using Kimberlite.Tests;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kimberlite.BrowserTests;

/// <summary>
/// Every page, public and signed in, in French, English and Portuguese, passes axe-core without a serious or
/// critical violation; and the main pages stay within their weight as served (Brotli, everything included).
/// </summary>
public sealed class AccessibilityTests(Browser browser, KimberliteServer server, ITestOutputHelper output) : IClassFixture<KimberliteServer>
{
    /// <summary>The public pages; a `{link}` page is the first one its list page links to.</summary>
    private static readonly string[] PublicPages =
    [
        "/", "/countries", "/countries/COD", "/datasets", "/datasets/{link}", "/map", "/sites", "/sites/{link}",
        "/findings", "/findings/{link}", "/labels", "/advocacy", "/advocacy/meetings", "/advocacy/meetings/{link}",
        "/advocacy/recommendations/{link}", "/library", "/library/{link}", "/account/setup", "/account/denied", "/no-such-page",
    ];

    /// <summary>The pages of a coordinator of RELUFA whose rights are in force.</summary>
    private static readonly string[] MemberPages =
    [
        "/account", "/account/two-factor", "/account/mentions", "/organisations", "/organisations/RELUFA", "/import",
        "/field/incidents", "/field/visits", "/field/new", "/advocacy/recommendations/new",
        "/advocacy/meetings/new", "/library/upload",
    ];

    [Fact]
    public async Task EveryPageInEveryLanguageHasNoSeriousOrCriticalAxeViolation()
    {
        var watch = Stopwatch.StartNew();
        var (email, key) = await CoordinatorWithTwoStepSignInAsync();
        var failures = new StringBuilder();
        var visited = 0;
        // French and Portuguese on a phone, English on a desktop: a table that scrolls sideways only on a phone must be reachable by keyboard too.
        foreach (var (language, width) in new[] { ("fr", 360), ("en", 1280), ("pt", 360) })
        {
            await using var context = await browser.NewReaderAsync(server, $"{language},{language}-{language.ToUpperInvariant()}");
            var page = await context.NewPageAsync();
            await page.SetViewportSizeAsync(width, 800);
            await page.GotoAsync($"/culture/{language}?returnUrl=%2Faccount%2Fsignin");
            await CheckAsync(page, $"/account/signin ({language})", failures);
            await SignInWithCodeAsync(page, email, key);
            await CheckAsync(page, $"/account/signin/code → /account ({language})", failures);
            foreach (var path in PublicPages.Concat(MemberPages))
            {
                var address = path.EndsWith("{link}", StringComparison.Ordinal) ? await FirstLinkAsync(page, path) : path;
                if (address is null)
                {
                    output.WriteLine($"{path} ({language}): its list links to no item in the bundled data");
                    continue;
                }
                var started = Stopwatch.GetTimestamp();
                await page.GotoAsync(address, new() { WaitUntil = WaitUntilState.Load });
                await CheckAsync(page, $"{address} ({language}, {width} px)", failures);
                output.WriteLine($"{address} ({language}): {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
                visited++;
            }
        }
        output.WriteLine(failures.ToString());
        output.WriteLine($"{visited} pages checked in {watch.Elapsed.TotalSeconds:F0} s");
        Assert.True(failures.Length == 0, "axe-core found serious or critical violations:\n" + failures);
    }

    /// <summary>Budgets as served: the page and everything it loads, Brotli-compressed, with a cold cache.</summary>
    [Theory]
    [InlineData("/", 100)]
    [InlineData("/countries", 100)]
    [InlineData("/countries/COD", 100)]
    [InlineData("/findings", 100)]
    [InlineData("/datasets", 100)]
    [InlineData("/sites", 100)]
    [InlineData("/advocacy", 100)]
    [InlineData("/library", 100)]
    [InlineData("/account/signin", 100)]
    [InlineData("/map", 250)]
    [InlineData("/field/new", 50)]
    public async Task AMainPageWeighsNoMoreThanItsBudgetCompressedWithEverythingItLoads(string path, int budgetKilobytes)
    {
        await using var context = await browser.NewReaderAsync(server, "fr-FR,fr");
        var page = await context.NewPageAsync();
        if (path == "/field/new")
            await SignInPage.SignInAsync(page, server, await server.CreateMemberAsync(Kimberlite.Accounts.MemberRole.Monitor), KimberliteServer.Password);
        var (bytes, lines) = await PageWeight.MeasureAsync(context, page, path);
        output.WriteLine($"{path}: {bytes / 1024.0:F1} KB\n{lines}");
        Assert.True(bytes <= budgetKilobytes * 1024, $"{path} weighs {bytes / 1024.0:F1} KB, budget {budgetKilobytes} KB:\n{lines}");
    }

    private async Task CheckAsync(IPage page, string where, StringBuilder failures)
    {
        // Violations only: axe then leaves out the passing nodes, which on /sites or /findings are thousands.
        var result = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions { ResultTypes = [Deque.AxeCore.Commons.ResultType.Violations] });
        foreach (var violation in result.Violations.Where(v => v.Impact is "serious" or "critical"))
            foreach (var node in violation.Nodes)
                failures.AppendLine($"{where}: {violation.Id} ({violation.Impact}) at {node.Target} — {violation.Help}");
    }

    /// <summary>The first link of a list page to one of its items, e.g. /datasets/{link} → /datasets/12.</summary>
    private static async Task<string?> FirstLinkAsync(IPage page, string pattern)
    {
        var list = pattern[..pattern.LastIndexOf('/')];
        await page.GotoAsync(list == "/advocacy/recommendations" ? "/advocacy" : list);
        var item = new Regex("^" + Regex.Escape(list) + "/[0-9A-Za-z-]+$");
        var hrefs = await page.Locator("main a[href]").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        return hrefs.FirstOrDefault(h => item.IsMatch(h) && !h.EndsWith("/new", StringComparison.Ordinal));
    }

    private async Task<(string Email, string Key)> CoordinatorWithTwoStepSignInAsync()
    {
        var email = await server.CreateMemberAsync(Kimberlite.Accounts.MemberRole.Coordinator);
        using var scope = server.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Kimberlite.Accounts.User>>();
        var user = (await users.FindByEmailAsync(email))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (email, (await users.GetAuthenticatorKeyAsync(user))!);
    }

    /// <summary>Signs in by the fields' ids, whatever the page's language.</summary>
    private static async Task SignInWithCodeAsync(IPage page, string email, string key)
    {
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(KimberliteServer.Password);
        await page.Locator("main button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/account/signin/code", StringComparison.Ordinal));
        await page.Locator("#code").FillAsync(Totp.Now(key));
        await page.Locator("main button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/account", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
    }
}
