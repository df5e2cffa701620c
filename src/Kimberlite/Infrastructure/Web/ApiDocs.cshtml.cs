using Kimberlite.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Infrastructure.Web;

/// <summary>The API reference, rendered by the server from the app's own OpenAPI document.</summary>
[AllowAnonymous]
public sealed class ApiDocsModel(ApiReference reference, IStringLocalizer<Localization.Texts> texts) : PageModel
{
    public ApiCatalog Catalog { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Catalog = await reference.CatalogAsync(cancellationToken);

    /// <summary>Who may call an operation, in the reader's words: the public, any signed-in person, or a role and those above it.</summary>
    public string Who(string policy) => policy switch
    {
        "anonymous" => texts["Lo_ApiWhoPublic"],
        Policies.SignedIn or "" => texts["Lo_ApiWhoSignedIn"],
        Policies.Administrator => texts["Lo_ApiWhoAdministrator"],
        _ => texts["Lo_ApiWhoRole", texts[$"Role_{policy}"]],
    };

    public string Where(string location) => location switch
    {
        "query" => texts["Lo_ApiInQuery"],
        "path" => texts["Lo_ApiInPath"],
        "header" => texts["Lo_ApiInHeader"],
        _ => location,
    };
}
