using Microsoft.AspNetCore.Mvc.ModelBinding;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.WebEncoders;
using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.ResponseCompression;

namespace Kimberlite.Infrastructure.Web;

public static class WebRegistration
{
    /// <summary>The address used when neither ASPNETCORE_URLS, --urls nor the `urls` setting says otherwise.</summary>
    public const string DefaultUrl = "http://localhost:5080";

    public static WebApplicationBuilder AddKimberliteWeb(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])
            && string.IsNullOrEmpty(builder.Configuration["http_ports"]) && string.IsNullOrEmpty(builder.Configuration["https_ports"]))
            builder.WebHost.UseUrls(DefaultUrl);
        builder.AddKimberliteProxy();
        // Files are taken only where an [UploadLimit] says how large; every other body is a form or JSON.
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = UploadLimits.OtherRequests);

        builder.Services.AddRazorPages(o => o.RootDirectory = "/")
            .AddViewLocalization()
            .AddMvcOptions(o =>
            {
                // Browsers send number and date fields as 4.1 and 2026-11-30 whatever the page's language: read forms invariantly.
                var form = o.ValueProviderFactories.OfType<FormValueProviderFactory>().Single();
                o.ValueProviderFactories[o.ValueProviderFactories.IndexOf(form)] = new InvariantFormValueProviderFactory();
            });
        // Accented French and Portuguese are written as they are, not as &#xE9; entities: lighter pages.
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.AddKimberlitePublicCache();
        builder.Services.AddProblemDetails();
        // The database is brought up to date as the app starts, and tried again while it cannot be reached.
        var database = new DatabaseStatus();
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton<DatabaseProbe>();
        // First of the hosted services: Data Protection's loads its keys from the database, which must be migrated (and made 0600) before.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseStartup>());
        // Until the database is reached, these say with a stack what DatabaseStartup says in words; then they warn as configured for their parents.
        foreach (var category in (string[])["Microsoft.EntityFrameworkCore.Database.Connection", "Microsoft.EntityFrameworkCore.Query",
                     "Microsoft.AspNetCore.DataProtection.KeyManagement.KeyRingProvider", "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService"])
            builder.Logging.AddFilter(category, level => database.Ready && level >= LogLevel.Warning);
        // Minimal APIs throw on a request they cannot read, so that BadRequestHandler can say what to change.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestHandler>();
        builder.Services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Kimberlite API";
            document.Info.Description = "Public diamond statistics of Central Africa, each figure with its source. Lists also answer in CSV with ?format=csv.";
            return Task.CompletedTask;
        }));
        // i18 lost: /api/docs is a page rendered from this document, in the site's layout and the reader's language.
        builder.Services.AddSingleton<ApiReference>();
        builder.Services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["text/csv", "image/svg+xml", "application/problem+json", "application/geo+json"]);
        });
        // Optimal rather than the default Fastest: a few milliseconds of CPU for pages a third lighter on paid mobile data.
        builder.Services.Configure<BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Optimal);
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Optimal);
        return builder;
    }

    public static WebApplication UseKimberliteWeb(this WebApplication app)
    {
        app.UseKimberliteProxy();
        app.UseExceptionHandler();
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"), pages => pages.UseStatusCodePagesWithReExecute("/status/{0}"));
        app.UsePublicCache();
        app.UseResponseCompression();
        // An online deployment may draw map tiles from a tile server it names; nothing else comes from another host.
        var tiles = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Field.FieldOptions>>().Value.MapTileAddress is { } address
            && Uri.TryCreate(address.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal), UriKind.Absolute, out var tileUri)
            ? " " + tileUri.GetLeftPart(UriPartial.Authority) : "";
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers.ContentSecurityPolicy = $"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{tiles}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
            await next();
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "public, max-age=86400",
        });
        var database = app.Services.GetRequiredService<DatabaseStatus>();
        app.UseWhen(c => !database.Ready && !c.Request.Path.StartsWithSegments("/health"), waiting => waiting.Run(HealthApi.NotReadyAsync));
        // Routing after the status-code pages, so a re-executed /status/404 is routed anew.
        app.UseRouting();
        return app;
    }

    public static WebApplication MapKimberliteApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        return app;
    }
}

/// <summary>Form values read with the invariant culture, as HTML number and date inputs write them.</summary>
internal sealed class InvariantFormValueProviderFactory : IValueProviderFactory
{
    public async Task CreateValueProviderAsync(ValueProviderFactoryContext context)
    {
        var request = context.ActionContext.HttpContext.Request;
        if (!request.HasFormContentType)
            return;
        try
        {
            context.ValueProviders.Add(new FormValueProvider(BindingSource.Form, await request.ReadFormAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // A form too large or cut off: answered 400, as the framework's own provider does.
            throw new ValueProviderException(e.Message, e);
        }
    }
}
