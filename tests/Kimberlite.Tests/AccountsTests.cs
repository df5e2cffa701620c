using System.Net;
using System.Net.Http.Headers;
using Kimberlite.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>Sign-in, lockout, two-factor rights, tokens and forms, through the running application.</summary>
public sealed class AccountsTests : EmptyAppTest
{
    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountEvenAgainstTheRightOne()
    {
        await People.CreateAsync(App, "ana@example.org", MemberRole.Analyst, twoFactor: false);
        var client = People.Client(App);
        for (var i = 0; i < 5; i++)
            await People.PostFormAsync(client, "/account/signin", new() { ["email"] = "ana@example.org", ["password"] = "not the password at all" });

        var response = await People.PostFormAsync(client, "/account/signin", new() { ["email"] = "ana@example.org", ["password"] = People.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("après plusieurs essais manqués, le compte attend", await response.Content.ReadAsStringAsync(Cancel));
        var actions = await App.WithDb(db => db.AuditEntries.OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync(Cancel));
        Assert.Equal(4, actions.Count(a => a == AuditActions.SignInFailed));
        Assert.Contains(AuditActions.LockedOut, actions);
        Assert.DoesNotContain(AuditActions.SignIn, actions);
    }

    [Fact]
    public async Task ATokenWorksUntilItIsRevokedOrExpiresAndAReadTokenNeverWrites()
    {
        var user = await People.CreateAsync(App, "ana@example.org", MemberRole.Analyst, twoFactor: false);
        string write, read, shortLived;
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            write = (await accounts.CreateTokenAsync(user, "w", TokenScope.Write, 30, "test", Cancel)).Secret!;
            read = (await accounts.CreateTokenAsync(user, "r", TokenScope.Read, 30, "test", Cancel)).Secret!;
            shortLived = (await accounts.CreateTokenAsync(user, "s", TokenScope.Read, 1, "test", Cancel)).Secret!;
        }
        var api = App.CreateClient();
        async Task<HttpStatusCode> Get(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/findings");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return (await api.SendAsync(request, Cancel)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await Get(write));
        Assert.Equal(HttpStatusCode.OK, await Get(read));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get("kmb_" + new string('0', 48)));
        // Stored as a hash: the database never holds the token itself.
        Assert.False(await App.WithDb(db => db.ApiTokens.AnyAsync(t => t.Hash == write || t.Prefix == write, Cancel)));

        await App.WithDb(db => db.ApiTokens.Where(t => t.Name == "s").ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAtUtc, DateTime.UtcNow.AddMinutes(-1)), Cancel));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get(shortLived));

        var tokenId = await App.WithDb(db => db.ApiTokens.Where(t => t.Name == "w").Select(t => t.Id).SingleAsync(Cancel));
        await using (var scope = App.Services.CreateAsyncScope())
            Assert.True(await scope.ServiceProvider.GetRequiredService<AccountService>().RevokeTokenAsync(user.Id, tokenId, "test", Cancel));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get(write));
        Assert.Equal(HttpStatusCode.OK, await Get(read));
        var used = await App.WithDb(db => db.ApiTokens.Where(t => t.Name == "r").Select(t => t.LastUsedAtUtc).SingleAsync(Cancel));
        Assert.NotNull(used);
    }

    [Fact]
    public async Task AFormPostedWithoutItsAntiForgeryTokenIsRefused()
    {
        await People.CreateAsync(App, "ana@example.org", MemberRole.Analyst, twoFactor: false);
        var client = await People.SignInAsync(App, "ana@example.org");

        var response = await client.PostAsync("/account?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "x", ["scope"] = "Write", ["days"] = "30" }), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await App.WithDb(db => db.ApiTokens.AnyAsync(Cancel)));
    }

    [Fact]
    public async Task ACoordinatorActsAsAnAnalystUntilTwoFactorSignInIsOn()
    {
        await People.CreateAsync(App, "coord@example.org", MemberRole.Coordinator, twoFactor: false);
        var client = await People.SignInAsync(App, "coord@example.org");

        var before = await client.GetAsync("/organisations/RELUFA", Cancel);
        Assert.DoesNotContain("Inviter une personne", await before.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/import", Cancel)).StatusCode);

        // Opening the page makes the key the authenticator app is given.
        await client.GetStringAsync("/account/two-factor", Cancel);
        var key = await People.AuthenticatorKeyAsync(App, "coord@example.org");
        var enabled = await People.PostFormAsync(client, "/account/two-factor?handler=Enable", new() { ["code"] = Totp.Now(key!) }, tokenFrom: "/account/two-factor");
        Assert.Equal(HttpStatusCode.Redirect, enabled.StatusCode);

        var after = await client.GetAsync("/organisations/RELUFA", Cancel);
        Assert.Contains("Inviter une personne", await after.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task AnInvitationLinkSetsThePasswordOnceAndIsThenSpent()
    {
        await People.CreateAsync(App, "coord@example.org", MemberRole.Coordinator);
        var coordinator = await People.SignInAsync(App, "coord@example.org");
        var invited = await People.PostFormAsync(coordinator, "/organisations/RELUFA?handler=Invite", new() { ["email"] = "new@example.org", ["role"] = "Monitor" }, tokenFrom: "/organisations/RELUFA");
        var page = await invited.Content.ReadAsStringAsync(Cancel);
        var link = System.Text.RegularExpressions.Regex.Match(page, "<code id=\"invitation-link\">([^<]+)</code>").Groups[1].Value;
        Assert.StartsWith("http://localhost/account/setup?user=", System.Net.WebUtility.HtmlDecode(link));
        var path = new Uri(System.Net.WebUtility.HtmlDecode(link)).PathAndQuery;

        var person = People.Client(App);
        var fields = new Dictionary<string, string> { ["password"] = "a long enough phrase", ["confirm"] = "a long enough phrase" };
        var page1 = await person.GetStringAsync(path, Cancel);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + path).Query);
        fields["user"] = query["user"]!;
        fields["code"] = query["code"]!;
        var set = await People.PostFormAsync(person, path, fields);
        var again = await People.Client(App).GetStringAsync(path, Cancel);

        Assert.Contains("new@example.org", page1);
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Contains("plus valable : il ne sert qu", again);
        var mail = Directory.GetFiles(Path.Combine(App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Infrastructure.Data.KimberliteOptions>>().Value.DataDirectory, "mail"));
        var message = await File.ReadAllTextAsync(Assert.Single(mail), Cancel);
        Assert.Contains("comme observateur de terrain de RELUFA", message);
        Assert.Contains("as field monitor of RELUFA", message);
        Assert.Equal(MemberRole.Monitor, await App.WithDb(db => db.Memberships.Where(m => m.User!.Email == "new@example.org").Select(m => m.Role).SingleAsync(Cancel)));
    }

    [Fact]
    public async Task SignInAttemptsBeyondTheLimitOfTheMinuteAreRefusedWith429()
    {
        await using var app = new KimberliteApp(false, ("Kimberlite:Accounts:SignInAttemptsPerMinute", "10"));
        var client = People.Client(app);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++)
        {
            var token = await People.TokenAsync(client, "/account/signin");
            var response = await client.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["email"] = "guess@example.org", ["password"] = $"guess number {i}", ["__RequestVerificationToken"] = token!,
            }), Cancel);
            statuses.Add(response.StatusCode);
        }

        // Reading the form costs nothing; ten attempts pass (each a wrong guess), the eleventh waits.
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }
}
