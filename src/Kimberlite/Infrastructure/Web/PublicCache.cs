using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Options;

namespace Kimberlite.Infrastructure.Web;

/// <summary>The output cache settings, in the `Kimberlite:Web` section.</summary>
public sealed class PublicCacheOptions
{
    public const string Section = "Kimberlite:Web";

    /// <summary>How often each server reads the public data version, to forget pages another server's change made stale.</summary>
    [Range(1, 3600)]
    public int CacheCheckSeconds { get; set; } = 2;

    /// <summary>How long an unchanged public page is kept; 0 turns the output cache off.</summary>
    [Range(0, 1440)]
    public int CacheMinutes { get; set; } = 10;
}

/// <summary>The data version the cache keys carry: the database's, as last polled, and this process's own changes since.</summary>
public sealed class PublicCacheVersion(LocalPublicChanges local)
{
    private long _database = -1;

    public long Database
    {
        get => Interlocked.Read(ref _database);
        set => Interlocked.Exchange(ref _database, value);
    }

    public string Key => string.Create(CultureInfo.InvariantCulture, $"{Database}.{local.Count}");
}

/// <summary>
/// Anonymous reads of public pages and of the public API are answered from the output cache, keyed by path, query,
/// language, accepted encodings and data version; a signed-in reader, or a token, always gets the live page
/// (docs/decisions/028-public-output-cache.md).
/// </summary>
public sealed class PublicCachePolicy(PublicCacheVersion version, IOptions<PublicCacheOptions> options, IOptionsMonitor<CookieAuthenticationOptions> cookies) : IOutputCachePolicy
{
    public const string Tag = "public";

    private static readonly string[] PublicPrefixes = ["/countries", "/datasets", "/findings", "/map", "/sites", "/labels", "/api/v1", "/openapi", "/feeds", "/advocacy"];

    private readonly string _authCookie = cookies.Get(IdentityConstants.ApplicationScheme).Cookie.Name ?? ".AspNetCore.Identity.Application";

    public static bool IsPublicPath(PathString path) =>
        path == "/" || PublicPrefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>A reader who may be signed in: the sign-in cookie (or one of its chunks), or any Authorization header.</summary>
    private bool MayBeSignedIn(HttpRequest request) =>
        request.Headers.Authorization.Count > 0 || request.Cookies.Keys.Any(k => k.StartsWith(_authCookie, StringComparison.Ordinal));

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var request = context.HttpContext.Request;
        if (options.Value.CacheMinutes == 0 || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || !IsPublicPath(request.Path) || MayBeSignedIn(request))
            return ValueTask.CompletedTask;

        context.EnableOutputCaching = context.AllowCacheLookup = context.AllowCacheStorage = context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = TimeSpan.FromMinutes(options.Value.CacheMinutes);
        context.Tags.Add(Tag);
        var vary = context.CacheVaryByRules;
        vary.QueryKeys = "*";
        // The compression middleware runs inside the cache, so a stored body is compressed once, for one Accept-Encoding.
        vary.HeaderNames = "Accept-Encoding";
        vary.VaryByValues["culture"] = context.HttpContext.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture.Name ?? CultureInfo.CurrentUICulture.Name;
        // A page stored while a change was committing is filed under the old version, where no later reader looks.
        vary.VaryByValues["version"] = version.Key;
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var response = context.HttpContext.Response;
        // A cookie (an antiforgery token's, a sign-in's) or a page that asked not to be stored belongs to one reader only.
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0
            || response.Headers.CacheControl.Any(v => v is not null && (v.Contains("no-store", StringComparison.OrdinalIgnoreCase) || v.Contains("private", StringComparison.OrdinalIgnoreCase))))
            context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }
}

/// <summary>Reads the public data version every few seconds and forgets the cached pages when another process changed it.</summary>
public sealed class PublicCachePoller(IServiceScopeFactory scopes, PublicCacheVersion version, IOutputCacheStore store, IOptions<PublicCacheOptions> options,
    TimeProvider clock, ILogger<PublicCachePoller> logger) : BackgroundService
{
    /// <summary>
    /// The version is read once before the app serves its first request: a page stored under the unknown version
    /// would otherwise be evicted, and rendered again, by the first tick.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            version.Database = await ReadAsync(scope.ServiceProvider.GetRequiredService<KimberliteDb>(), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database is not reachable yet: the first tick says so and keeps trying.
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CacheCheckSeconds), clock);
        var failing = false;
        while (true)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<KimberliteDb>();
                var current = await ReadAsync(db, stoppingToken);
                if (failing)
                    logger.LogInformation("The public data version can be read again: the output cache follows other servers' changes again");
                failing = false;
                if (current != version.Database)
                {
                    version.Database = current;
                    await store.EvictByTagAsync(PublicCachePolicy.Tag, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // A database briefly down: said once, then tried again at every tick until it answers.
                if (!failing)
                    logger.LogWarning("The public data version cannot be read ({Message}); cached public pages may miss other servers' changes until it can", e.Message);
                failing = true;
            }
            await timer.WaitForNextTickAsync(stoppingToken);
        }
    }

    /// <summary>A plain command rather than a query through EF Core, whose every failure would be logged again each tick.</summary>
    private static async Task<long> ReadAsync(KimberliteDb db, CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(typeof(PublicDataVersion))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT "{entity.FindProperty(nameof(PublicDataVersion.Version))!.GetColumnName(table)}" FROM "{table.Name}"
            WHERE "{entity.FindProperty(nameof(PublicDataVersion.Id))!.GetColumnName(table)}" = {PublicDataVersion.RowId}
            """;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}

public static class PublicCacheRegistration
{
    public static WebApplicationBuilder AddKimberlitePublicCache(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PublicCacheOptions>().BindConfiguration(PublicCacheOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PublicCacheVersion>();
        builder.Services.AddSingleton<PublicCachePolicy>();
        builder.Services.AddOutputCache();
        builder.Services.AddOptions<OutputCacheOptions>().Configure<PublicCachePolicy>((o, policy) => o.AddBasePolicy(policy));
        builder.Services.AddHostedService<PublicCachePoller>();
        return builder;
    }

    /// <summary>The reader's language first (the cache keys on it), then the cache, before compression so that it holds compressed bodies.</summary>
    public static WebApplication UsePublicCache(this WebApplication app)
    {
        var store = app.Services.GetRequiredService<IOutputCacheStore>();
        // This process's own change empties its cache at once; other servers follow at their next poll.
        app.Services.GetRequiredService<LocalPublicChanges>().Committed += () => _ = store.EvictByTagAsync(PublicCachePolicy.Tag, CancellationToken.None);
        app.UseRequestLocalization();
        app.UseOutputCache();
        return app;
    }
}
