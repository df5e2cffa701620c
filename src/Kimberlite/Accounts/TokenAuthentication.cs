using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kimberlite.Accounts;

/// <summary>Personal access tokens: made here, shown once, kept only as their SHA-256.</summary>
public static class ApiTokens
{
    public const string Scheme = "Token";
    public const string Start = "kmb_";

    public static string New() => Start + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string PrefixOf(string token) => token[..Math.Min(12, token.Length)];
}

/// <summary>
/// Signs in API requests that carry <c>Authorization: Bearer kmb_…</c>. The principal is the token
/// owner's, as a page sign-in would make it, plus the token's scope.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    KimberliteDb db, IUserClaimsPrincipalFactory<User> principals, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var presented = header["Bearer ".Length..].Trim();
        if (!presented.StartsWith(ApiTokens.Start, StringComparison.Ordinal) || presented.Length > 200)
            return AuthenticateResult.Fail("Not a Kimberlite token.");
        var hash = ApiTokens.HashOf(presented);
        var token = await db.ApiTokens.AsNoTracking().Include(t => t.User).FirstOrDefaultAsync(t => t.Hash == hash, Context.RequestAborted);
        var now = clock.GetUtcNow().UtcDateTime;
        if (token?.User is not { } user || token.RevokedAtUtc is not null || token.ExpiresAtUtc <= now)
            return AuthenticateResult.Fail("The token is unknown, revoked or expired.");
        if (user.LockoutEnd is { } end && end > clock.GetUtcNow())
            return AuthenticateResult.Fail("The token's owner is locked out.");
        // Written at most once a minute: a script's every request must not become a database write.
        if (token.LastUsedAtUtc is not { } last || now - last > TimeSpan.FromMinutes(1))
            await db.ApiTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAtUtc, now), Context.RequestAborted);
        var principal = await principals.CreateAsync(user);
        var identity = new ClaimsIdentity(principal.Claims, ApiTokens.Scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(KimberliteClaims.Scope, token.Scope.ToString().ToLowerInvariant()));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiTokens.Scheme));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }
}
