using System.Text.Encodings.Web;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Infrastructure.Web;

/// <summary>
/// `GET /health` for a proxy or systemd to poll: 200 when the database answers, 503 with the cause in words (the setting
/// and the host, never the password) when not. The database is asked at most once every five seconds, however often it is polled.
/// </summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", async (DatabaseProbe probe, IStringLocalizer<Texts> texts, HttpContext context, CancellationToken cancellationToken) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return await probe.CheckAsync(cancellationToken) is { } fault
                ? Results.Json(new { status = "unavailable", cause = fault.Describe(texts) }, statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Json(new { status = "ok", database = probe.Provider });
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>While the database is not ready, pages answer a short page and the API a ProblemDetails, both 503, in the reader's language.</summary>
    internal static async Task NotReadyAsync(HttpContext context)
    {
        var texts = context.RequestServices.GetRequiredService<IStringLocalizer<Texts>>();
        var (title, lead) = (texts["Fault_NotReadyTitle"].Value, texts["Fault_NotReadyLead"].Value);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "30";
        context.Response.Headers.CacheControl = "no-store";
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: title, detail: lead).ExecuteAsync(context);
            return;
        }
        var html = context.RequestServices.GetRequiredService<HtmlEncoder>();
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="{html.Encode(System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName)}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.Encode(title)} · Kimberlite</title><link rel="stylesheet" href="/css/site.css"></head>
            <body><main><h1>{html.Encode(title)}</h1><p>{html.Encode(lead)}</p></main></body>
            </html>
            """);
    }
}

/// <summary>Asks the database whether it answers, remembering the answer for five seconds.</summary>
public sealed class DatabaseProbe(IServiceProvider services, DatabaseStatus status, IConfiguration configuration, IHostEnvironment environment, TimeProvider clock)
{
    private static readonly TimeSpan Remembered = TimeSpan.FromSeconds(5);
    private sealed record Answer(DateTimeOffset At, DatabaseFault? Fault);
    private volatile Answer? _last;

    public string Provider { get; } = string.Equals(configuration[DatabaseFault.ProviderSetting], nameof(DatabaseProvider.Postgres), StringComparison.OrdinalIgnoreCase) ? "postgres" : "sqlite";

    /// <summary>Null when the database answers; else why not.</summary>
    public async Task<DatabaseFault?> CheckAsync(CancellationToken cancellationToken)
    {
        if (!status.Ready)
            return status.Fault ?? new DatabaseFault("Fault_NotReadyTitle");
        if (_last is { } last && clock.GetUtcNow() - last.At < Remembered)
            return last.Fault;
        DatabaseFault? fault = null;
        try
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<KimberliteDb>().Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            fault = DatabaseFault.Of(e, configuration, environment) ?? new DatabaseFault("Fault_DatabaseFailed", e.Message);
        }
        _last = new Answer(clock.GetUtcNow(), fault);
        return fault;
    }
}
