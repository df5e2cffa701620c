using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Kimberlite.Infrastructure.Web;

/// <summary>
/// The app behind a TLS proxy (docs/DEPLOY.md, decision 024): the client's address and scheme are taken from
/// X-Forwarded-For and X-Forwarded-Proto only when the sender is a known proxy, and HTTPS answers carry HSTS.
/// </summary>
public static class ProxyRegistration
{
    /// <summary>One year, the least that HSTS preload lists and ASVS accept.</summary>
    public const string StrictTransportSecurity = "max-age=31536000; includeSubDomains";

    public static WebApplicationBuilder AddKimberliteProxy(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebOptions>().BindConfiguration(WebOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<WebOptions>>((o, web) =>
        {
            // X-Forwarded-Host is left out: the proxy passes the Host header as it came, so no header can change the app's own links.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Loopback stays trusted as the framework has it (a proxy on the same host is the common case); the settings add to it.
            foreach (var proxy in web.Value.Proxies())
                o.KnownProxies.Add(proxy);
            foreach (var network in web.Value.Networks())
                o.KnownIPNetworks.Add(network);
            // Walk back through every known proxy of a chain, and stop at the first address that is not one.
            o.ForwardLimit = null;
        });
        return builder;
    }

    public static WebApplication UseKimberliteProxy(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.Use((context, next) =>
        {
            // Set as the answer starts, so that error pages, which clear the headers, carry it too.
            if (context.Request.IsHttps)
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers.StrictTransportSecurity = StrictTransportSecurity;
                    return Task.CompletedTask;
                });
            return next(context);
        });
        return app;
    }

    /// <summary>
    /// The client's address as a rate-limit key, once forwarded headers are applied: an IPv6 client is keyed by its /64,
    /// since one subscriber is usually given a whole /64 and could otherwise take a new address for each attempt.
    /// </summary>
    public static string ClientKey(this HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } address)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes).ToString() + "/64";
    }
}
