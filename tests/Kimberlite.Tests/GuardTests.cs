using System.Net;
using System.Text.RegularExpressions;
using Kimberlite.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>Rate limits keyed by what a client cannot choose, a sign-in that tells nothing, and the app behind a TLS proxy (issue 15, holes 1 and 4).</summary>
public sealed partial class GuardTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/account/signin")]
    [InlineData("/account/signin/code")]
    [InlineData("/account/setup")]
    public async Task ThirtyPostsWithThirtyDifferentAuthorizationHeadersAreStillRefusedWith429(string path)
    {
        await using var app = new KimberliteApp(loadBundledData: false, ("Kimberlite:Accounts:SignInAttemptsPerMinute", "10"));
        var client = People.Client(app);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            var token = await People.TokenAsync(client, "/account/signin");
            using var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["email"] = "guess@example.org", ["password"] = $"guess number {i}", ["code"] = "123456", ["user"] = "1",
                    ["confirm"] = $"guess number {i}", ["__RequestVerificationToken"] = token!,
                }),
            };
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer kmb_made_up_{i}_{Guid.NewGuid():N}");
            statuses.Add((await client.SendAsync(request, Cancel)).StatusCode);
        }

        Assert.Equal(10, statuses.Count(s => s != HttpStatusCode.TooManyRequests));
        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task ThirtyImportPostsWithThirtyDifferentAuthorizationHeadersAreStillRefusedWith429()
    {
        await using var app = new KimberliteApp(loadBundledData: false);
        await People.CreateAsync(app, "ana@example.org", MemberRole.Analyst, twoFactor: false);
        var client = await People.SignInAsync(app, "ana@example.org");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            var token = await People.TokenAsync(client, "/import");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/import?handler=Check")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token! }),
            };
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer kmb_made_up_{i}");
            statuses.Add((await client.SendAsync(request, Cancel)).StatusCode);
        }

        // Twenty imports in ten minutes for one person, whatever the headers say (each made-up token itself is refused with 401).
        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task SignInAnswersAnUnknownAccountExactlyAsAWrongPasswordAndALockedAccount()
    {
        await using var app = new KimberliteApp(loadBundledData: false);
        await People.CreateAsync(app, "ana@example.org", MemberRole.Analyst, twoFactor: false);
        await People.CreateAsync(app, "locked@example.org", MemberRole.Analyst, twoFactor: false);
        var client = People.Client(app);
        for (var i = 0; i < 5; i++)
            await People.PostFormAsync(client, "/account/signin", new() { ["email"] = "locked@example.org", ["password"] = "not the password at all" });

        async Task<(HttpStatusCode, string)> Answer(string email, string password)
        {
            var response = await People.PostFormAsync(People.Client(app), "/account/signin", new() { ["email"] = email, ["password"] = password });
            var page = await response.Content.ReadAsStringAsync(Cancel);
            // The form echoes the address typed and carries a fresh anti-forgery token: everything else must be the same.
            return (response.StatusCode, HiddenToken().Replace(page.Replace(email, "EMAIL", StringComparison.Ordinal), "TOKEN"));
        }
        var unknown = await Answer("nobody@example.org", "a guess at a password");
        var wrong = await Answer("ana@example.org", "a guess at a password");
        var locked = await Answer("locked@example.org", People.Password);

        Assert.Equal(HttpStatusCode.OK, unknown.Item1);
        Assert.Contains("role=\"alert\"", unknown.Item2);
        Assert.Equal(unknown, wrong);
        Assert.Equal(unknown, locked);
        // The lockout still holds, and the trail still says what happened to each.
        var actions = await app.WithDb(db => db.AuditEntries.OrderBy(e => e.Sequence).Select(e => new { e.Action, e.Target }).ToListAsync(Cancel));
        Assert.Contains(actions, a => a.Action == AuditActions.LockedOut && a.Target.StartsWith("locked@example.org", StringComparison.Ordinal));
        Assert.Contains(actions, a => a.Action == AuditActions.SignInFailed && a.Target == "(unknown account)");
        Assert.DoesNotContain(actions, a => a.Action == AuditActions.SignIn);
    }

    private const string Proxy = "10.20.30.40";

    [Fact]
    public async Task ARequestThroughAKnownProxyOverHttpsGetsHstsAndSecureCookies()
    {
        await using var app = new ProxiedApp(("Kimberlite:Web:KnownProxies:0", Proxy));
        await People.CreateAsync(app, "ana@example.org", MemberRole.Analyst, twoFactor: false);
        var browser = new Browser(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }), Proxy, "198.51.100.7", "https");

        var form = await browser.GetAsync("/account/signin");
        var signedIn = await browser.PostAsync("/account/signin", new() { ["email"] = "ana@example.org", ["password"] = People.Password }, form);

        var hsts = form.Headers.GetValues("Strict-Transport-Security").Single();
        Assert.Matches("^max-age=(\\d+); includeSubDomains", hsts);
        Assert.True(long.Parse(Regex.Match(hsts, "\\d+").Value, System.Globalization.CultureInfo.InvariantCulture) >= 365 * 24 * 3600);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("kimberlite.auth=", StringComparison.Ordinal) && c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(form.Headers.GetValues("Set-Cookie"), c => c.StartsWith("kimberlite.antiforgery=", StringComparison.Ordinal) && c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        Assert.True(signedIn.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task ForwardedHeadersFromAnUnknownAddressAreIgnored()
    {
        await using var app = new ProxiedApp(("Kimberlite:Web:KnownProxies:0", Proxy));
        var browser = new Browser(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }), "192.0.2.99", "198.51.100.7", "https");

        var form = await browser.GetAsync("/account/signin");

        Assert.False(form.Headers.Contains("Strict-Transport-Security"));
        Assert.Contains(form.Headers.GetValues("Set-Cookie"), c => c.StartsWith("kimberlite.antiforgery=", StringComparison.Ordinal));
        Assert.DoesNotContain(form.Headers.GetValues("Set-Cookie"), c => c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task BehindAKnownProxyEachForwardedClientHasItsOwnSignInLimitAndAnUnknownSenderCannotChooseOne()
    {
        await using var app = new ProxiedApp(("Kimberlite:Web:KnownProxies:0", Proxy), ("Kimberlite:Accounts:SignInAttemptsPerMinute", "3"));
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        async Task<List<HttpStatusCode>> Attempts(string peer, Func<int, string> forwardedFor, int count)
        {
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < count; i++)
            {
                var browser = new Browser(client, peer, forwardedFor(i), "http");
                var form = await browser.GetAsync("/account/signin");
                statuses.Add((await browser.PostAsync("/account/signin", new() { ["email"] = "guess@example.org", ["password"] = $"guess {i}" }, form)).StatusCode);
            }
            return statuses;
        }

        var first = await Attempts(Proxy, _ => "198.51.100.7", 4);
        var second = await Attempts(Proxy, _ => "198.51.100.8", 3);
        var unknownSender = await Attempts("192.0.2.99", i => $"203.0.113.{i + 1}", 4);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], first);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], second);
        // Headers from an address that is not a known proxy are ignored: the sender's own address is the key.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], unknownSender);
    }

    [Fact]
    public async Task LoopbackIsTrustedAsAProxyWhenNoneIsNamed()
    {
        await using var app = new ProxiedApp();
        var browser = new Browser(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }), "127.0.0.1", "198.51.100.7", "https");

        var form = await browser.GetAsync("/account/signin");

        Assert.True(form.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task PlainHttpNeverGetsHsts()
    {
        await using var app = new KimberliteApp(loadBundledData: false);

        var response = await app.CreateClient().GetAsync("/account/signin", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Theory]
    [InlineData("Kimberlite:Web:KnownProxies:0", "10.0.0.300", "Kimberlite:Web:KnownProxies")]
    [InlineData("Kimberlite:Web:KnownNetworks:0", "10.0.0.0/40", "Kimberlite:Web:KnownNetworks")]
    [InlineData("Kimberlite:Web:KnownNetworks:0", "proxy.example.org", "Kimberlite:Web:KnownNetworks")]
    public async Task AMalformedProxySettingStopsTheStartNamingTheSetting(string key, string value, string named)
    {
        await using var app = new KimberliteApp(loadBundledData: false, (key, value));

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains(named, error.ToString());
        Assert.Contains(value, error.ToString());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"")]
    private static partial Regex HiddenToken();

    /// <summary>
    /// The test server reports no client address of its own; this app takes it from a test-only header, set before anything
    /// else runs, as Kestrel would from the connection.
    /// </summary>
    private sealed class ProxiedApp(params (string Key, string Value)[] settings) : KimberliteApp(loadBundledData: false, settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, PeerAddressFilter>());
        }
    }

    private sealed class PeerAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                if (context.Request.Headers.TryGetValue(Browser.PeerHeader, out var peer))
                    context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
                return following(context);
            });
            next(app);
        };
    }

    /// <summary>A browser whose requests arrive from a peer with forwarded headers; it keeps cookies by hand, since a secure cookie would not travel over the test's http.</summary>
    private sealed partial class Browser(HttpClient client, string peer, string forwardedFor, string forwardedProto)
    {
        public const string PeerHeader = "X-Test-Peer";
        private readonly Dictionary<string, string> _cookies = [];

        public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

        public async Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> fields, HttpResponseMessage form)
        {
            var token = FormToken().Match(await form.Content.ReadAsStringAsync(Cancel)).Groups[1].Value;
            return await SendAsync(new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token }),
            });
        }

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            request.Headers.Add(PeerHeader, peer);
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
            if (_cookies.Count > 0)
                request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
            var response = await client.SendAsync(request, Cancel);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
                foreach (var cookie in set)
                {
                    var pair = cookie.Split(';')[0].Split('=', 2);
                    _cookies[pair[0]] = pair[1];
                }
            return response;
        }

        [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
        private static partial Regex FormToken();
    }
}
