using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Kimberlite.Infrastructure.Localization;

public static class LocalizationRegistration
{
    /// <summary>French first, then English and Portuguese.</summary>
    public static readonly string[] Languages = ["fr", "en", "pt"];

    public static IHostApplicationBuilder AddKimberliteLocalization(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            var cultures = Languages.Select(l => new CultureInfo(l)).ToList();
            o.DefaultRequestCulture = new RequestCulture("fr");
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
            // The reader's choice (cookie) wins, then ?culture= for shared links, then the browser's languages.
            o.RequestCultureProviders =
            [
                new CookieRequestCultureProvider(),
                new QueryStringRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return builder;
    }

    /// <summary>`/culture/{language}?returnUrl=...` remembers the reader's language in a cookie for a year.</summary>
    public static IEndpointRouteBuilder MapCultureSwitch(this IEndpointRouteBuilder app)
    {
        app.MapGet("/culture/{language}", (string language, string? returnUrl, HttpContext context) =>
        {
            if (!Languages.Contains(language))
                return Results.Problem(statusCode: 404, title: $"Unknown language '{language}'", detail: "Use fr, en or pt.");
            context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Secure = context.Request.IsHttps });
            var target = returnUrl is not null && Uri.IsWellFormedUriString(returnUrl, UriKind.Relative) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//")
                ? returnUrl : "/";
            return Results.LocalRedirect(target);
        }).ExcludeFromDescription().AllowAnonymous();
        return app;
    }
}
