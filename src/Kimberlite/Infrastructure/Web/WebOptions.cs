using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Kimberlite.Infrastructure.Web;

/// <summary>Settings of the `Kimberlite:Web` section: which proxies in front of the app are believed.</summary>
public sealed class WebOptions : IValidatableObject
{
    public const string Section = "Kimberlite:Web";

    /// <summary>Addresses of the TLS proxies whose X-Forwarded-For and X-Forwarded-Proto are applied; loopback is always one.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, such as 10.0.0.0/24) whose every address is such a proxy.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public IEnumerable<IPAddress> Proxies() => KnownProxies.Select(p => IPAddress.TryParse(p.Trim(), out var address) ? address : null).OfType<IPAddress>();

    public IEnumerable<IPNetwork> Networks() => KnownNetworks.Select(n => IPNetwork.TryParse(n.Trim(), out var network) ? network : (IPNetwork?)null).OfType<IPNetwork>();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p.Trim(), out _)))
            yield return new ValidationResult($"{Section}:{nameof(KnownProxies)}: \"{proxy}\" is not an IP address (such as 10.0.0.5 or fd00::5).", [nameof(KnownProxies)]);
        foreach (var network in KnownNetworks.Where(n => !IPNetwork.TryParse(n.Trim(), out _)))
            yield return new ValidationResult($"{Section}:{nameof(KnownNetworks)}: \"{network}\" is not a network in CIDR notation (such as 10.0.0.0/24 or fd00::/64).", [nameof(KnownNetworks)]);
    }
}
