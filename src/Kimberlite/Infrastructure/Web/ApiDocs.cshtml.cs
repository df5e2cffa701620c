using Kimberlite.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Html;
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

    /// <summary>The reference's words in the reader's language; words with no translation yet stay as the API wrote them, marked as English.</summary>
    public IHtmlContent Words(string key, string english)
    {
        var text = texts[key];
        if (!text.ResourceNotFound)
            return Prose(text.Value);
        var marked = new HtmlContentBuilder();
        return marked.AppendHtml("<span lang=\"en\">").AppendHtml(Prose(english)).AppendHtml("</span>");
    }

    /// <summary>Text whose `quoted` parts are code (paths, fields, values to send): shown as &lt;code&gt;, the rest encoded.</summary>
    public static IHtmlContent Prose(string text)
    {
        var html = new HtmlContentBuilder();
        var parts = text.Split('`');
        for (var i = 0; i < parts.Length; i++)
            if (i % 2 == 1 && i < parts.Length - 1)
                html.AppendHtml("<code>").Append(parts[i]).AppendHtml("</code>");
            else
                html.Append(i % 2 == 1 ? "`" + parts[i] : parts[i]);
        return html;
    }

    public string Where(string location) => location switch
    {
        "query" => texts["Lo_ApiInQuery"],
        "path" => texts["Lo_ApiInPath"],
        "header" => texts["Lo_ApiInHeader"],
        _ => location,
    };
}
