using System.Net;
using System.Text.RegularExpressions;
using Kimberlite.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>People for tests, made through the real account services, and signed in through the real pages.</summary>
public static partial class People
{
    public const string Password = "correct horse battery staple";

    public static async Task<User> CreateAsync(KimberliteApp app, string email, MemberRole? role = null, string organisation = "RELUFA", bool administrator = false, bool twoFactor = true)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var db = scope.ServiceProvider.GetRequiredService<Infrastructure.Data.KimberliteDb>();
        var user = new User { UserName = email, Email = email, EmailConfirmed = true, IsAdministrator = administrator };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        if (role is { } r)
        {
            var org = await db.Organisations.SingleAsync(o => o.Acronym == organisation);
            db.Memberships.Add(new Membership { UserId = user.Id, OrganisationId = org.Id, Role = r });
            await db.SaveChangesAsync();
        }
        if (twoFactor)
        {
            await users.ResetAuthenticatorKeyAsync(user);
            await users.SetTwoFactorEnabledAsync(user, true);
        }
        return user;
    }

    public static async Task<string?> AuthenticatorKeyAsync(KimberliteApp app, string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        return await users.GetAuthenticatorKeyAsync((await users.FindByEmailAsync(email))!);
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects.</summary>
    public static HttpClient Client(KimberliteApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in through /account/signin (and the code page when two-factor is on), as a person would.</summary>
    public static async Task<HttpClient> SignInAsync(KimberliteApp app, string email, string password = Password)
    {
        var client = Client(app);
        var response = await PostFormAsync(client, "/account/signin", new() { ["email"] = email, ["password"] = password });
        if (response.Headers.Location?.OriginalString.StartsWith("/account/signin/code", StringComparison.Ordinal) == true)
        {
            var key = await AuthenticatorKeyAsync(app, email);
            response = await PostFormAsync(client, response.Headers.Location.OriginalString, new() { ["code"] = Totp.Now(key!) });
        }
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account", response.Headers.Location?.OriginalString);
        return client;
    }

    /// <summary>A client of the API acting for a new member through a write token.</summary>
    public static async Task<HttpClient> ApiClientAsync(KimberliteApp app, string email, MemberRole role, string organisation = "RELUFA")
    {
        var user = await CreateAsync(app, email, role, organisation, twoFactor: role == MemberRole.Coordinator);
        await using var scope = app.Services.CreateAsyncScope();
        var token = await scope.ServiceProvider.GetRequiredService<AccountService>().CreateTokenAsync(user, "t", TokenScope.Write, 30, "test");
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Secret);
        return client;
    }

    /// <summary>Gets the form's page for its anti-forgery token, then posts the fields with it.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, Dictionary<string, string> fields, string? tokenFrom = null)
    {
        var token = await TokenAsync(client, tokenFrom ?? url);
        var form = new Dictionary<string, string>(fields);
        if (token is not null)
            form["__RequestVerificationToken"] = token;
        return await client.PostAsync(url, new FormUrlEncodedContent(form));
    }

    public static async Task<string?> TokenAsync(HttpClient client, string url)
    {
        var page = await client.GetStringAsync(url);
        return TokenPattern().Match(page) is { Success: true } m ? m.Groups[1].Value : null;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
