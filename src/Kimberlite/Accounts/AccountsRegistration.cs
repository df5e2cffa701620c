using System.Threading.RateLimiting;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Kimberlite.Accounts;

public static class AccountsRegistration
{
    public const string PolicyScheme = "Kimberlite";

    /// <summary>People, organisations, tokens and the audit trail: the services the command line needs as well as the web app.</summary>
    public static IHostApplicationBuilder AddKimberliteAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var accounts = builder.Configuration.GetSection(AccountsOptions.Section).Get<AccountsOptions>() ?? new AccountsOptions();

        builder.Services.AddIdentityCore<User>(o =>
            {
                // Length over composition rules (NIST SP 800-63B): a long phrase is both stronger and easier to keep.
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = o.Password.RequireLowercase = o.Password.RequireUppercase = o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 4;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = accounts.LockoutAfterFailures;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(accounts.LockoutMinutes);
                o.User.RequireUniqueEmail = true;
            })
            .AddEntityFrameworkStores<KimberliteDb>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<KimberlitePrincipalFactory>();
        builder.Services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromHours(accounts.SetupLinkHours));
        // The keys that protect cookies and setup links live in the database, so every web server (and the command line) shares them.
        builder.Services.AddDataProtection().PersistKeysToDbContext<KimberliteDb>().SetApplicationName("Kimberlite");

        builder.Services.AddSingleton<AuditLog>();
        // Every context the app makes carries it (DataRegistration adds the registered interceptors).
        builder.Services.AddSingleton<IInterceptor, AuditCommitInterceptor>();
        builder.Services.AddScoped<AccountService>();
        builder.Services.AddSingleton<IMailSender>(s => new PickupFolderMailSender(
            Path.Combine(DataRegistration.DataDirectory(s.GetRequiredService<IHostEnvironment>(), s.GetRequiredService<IOptions<KimberliteOptions>>().Value), accounts.MailPickupDirectory),
            s.GetRequiredService<TimeProvider>()));
        return builder;
    }

    /// <summary>Sign-in for pages (cookie) and for the API (bearer tokens), the policies of docs/ACCESS.md, and rate limits.</summary>
    public static WebApplicationBuilder AddKimberliteAccess(this WebApplicationBuilder builder)
    {
        var accounts = builder.Configuration.GetSection(AccountsOptions.Section).Get<AccountsOptions>() ?? new AccountsOptions();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<PasswordSignIn>();
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = PolicyScheme;
                o.DefaultChallengeScheme = PolicyScheme;
                o.DefaultForbidScheme = PolicyScheme;
                o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            // The API never reads the cookie: a page's session cannot be used to write through the API from another site.
            .AddPolicyScheme(PolicyScheme, PolicyScheme, o => o.ForwardDefaultSelector = c =>
                c.Request.Path.StartsWithSegments("/api") ? ApiTokens.Scheme : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(ApiTokens.Scheme, null)
            .AddIdentityCookies();
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "kimberlite.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/account/signin";
            o.LogoutPath = "/account/signout";
            o.AccessDeniedPath = "/account/denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });
        // A removed member or a changed role reaches signed-in sessions within a minute.
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "kimberlite.antiforgery";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });

        builder.Services.AddSingleton<IAuthorizationHandler, AccessHandler>();
        builder.Services.AddAuthorization(o =>
        {
            // Secure by default: an endpoint that declares nothing is for signed-in people only (and the access test fails).
            o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            o.AddPolicy(Policies.SignedIn, p => p.RequireAuthenticatedUser());
            foreach (var role in Enum.GetValues<MemberRole>())
                o.AddPolicy(role.ToString(), p => p.RequireAuthenticatedUser().AddRequirements(new AccessRequirement(role, false)));
            o.AddPolicy(Policies.Administrator, p => p.RequireAuthenticatedUser().AddRequirements(new AccessRequirement(null, true)));
        });

        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)retry.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Results.Problem(statusCode: 429, title: "Too many requests",
                        detail: "Wait a little before trying again: sign-in, imports and API tokens are rate-limited.")
                    .ExecuteAsync(context.HttpContext);
            };
            // Keyed only by what a client cannot choose: its address (after forwarded headers from known proxies) and the account
            // signed in by cookie or by a working token. A header that proves nothing never makes a bucket of its own.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(c =>
            {
                var account = c.User.UserId()?.ToString(System.Globalization.CultureInfo.InvariantCulture);
                // A token's account may burst 120 API requests; public reads are left to the output cache and the proxy, since
                // many readers can share one address.
                if (c.Request.Path.StartsWithSegments("/api"))
                    return account is null
                        ? RateLimitPartition.GetNoLimiter("api-public")
                        : RateLimitPartition.GetTokenBucketLimiter("api:" + account, _ => new TokenBucketRateLimiterOptions
                        {
                            TokenLimit = 120, TokensPerPeriod = 20, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0,
                        });
                // Reading a form never spends an attempt.
                if (!HttpMethods.IsPost(c.Request.Method))
                    return RateLimitPartition.GetNoLimiter("read");
                // Sign-in, its code and setup links, per address: a password-guessing script is slowed long before lockout matters,
                // and the per-account limit is Identity's lockout, which answers as any failure does (PasswordSignIn).
                if (c.Request.Path.StartsWithSegments("/account/signin") || c.Request.Path.StartsWithSegments("/account/setup"))
                    return RateLimitPartition.GetFixedWindowLimiter("sign-in:" + c.ClientKey(),
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = accounts.SignInAttemptsPerMinute, Window = TimeSpan.FromMinutes(1) });
                if (c.Request.Path.StartsWithSegments("/import"))
                    return RateLimitPartition.GetFixedWindowLimiter(account is null ? "import:" + c.ClientKey() : "import-account:" + account,
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = 20, Window = TimeSpan.FromMinutes(10) });
                return RateLimitPartition.GetNoLimiter("write");
            });
        });
        return builder;
    }

    /// <summary>The API has already read the token; elsewhere the cookie is the sign-in, so the token is read for this check alone.</summary>
    private static async Task<bool> HasWorkingTokenAsync(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api")
            ? context.User.UserId() is not null
            : (await context.AuthenticateAsync(ApiTokens.Scheme)).Succeeded;

    public static WebApplication UseKimberliteAccess(this WebApplication app)
    {
        app.UseAuthentication();
        // Limits first, keyed by address and account: a flood of made-up tokens is slowed like any other.
        app.UseRateLimiter();
        // A token that does not work is said so wherever it is sent, pages and API reference included: a script must not read on as the public unawares.
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers.Authorization.Count > 0 && !await HasWorkingTokenAsync(context))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await Results.Problem(statusCode: 401, title: "The token does not work",
                    detail: "The bearer token is unknown, revoked or expired. Create a new one on /account, or send no Authorization header to read public data.")
                    .ExecuteAsync(context);
                return;
            }
            await next();
        });
        // i18 lost: an address no endpoint answers is not found, for everyone; the fallback policy would send it to sign-in.
        app.Use((context, next) =>
        {
            if (context.GetEndpoint() is not null)
                return next(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        app.UseAuthorization();
        return app;
    }
}
