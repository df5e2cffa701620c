using System.Net;
using Kimberlite.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>
/// docs/ACCESS.md is the matrix; this test holds the application to it: every endpoint the app maps is
/// in the table and declares a policy, and each role gets what its column says.
/// </summary>
public sealed class AccessMatrixTests : IAsyncLifetime
{
    private static readonly string[] Roles = ["public", "viewer", "monitor", "analyst", "coordinator", "administrator"];
    private readonly KimberliteApp _app = new();
    private readonly Dictionary<string, HttpClient> _pages = [];
    private readonly Dictionary<string, string?> _tokens = [];

    private sealed record Row(string Method, string Path, string Policy, Dictionary<string, string> Cells);

    public async ValueTask InitializeAsync()
    {
        _pages["public"] = People.Client(_app);
        _tokens["public"] = null;
        foreach (var (name, role, admin) in new (string, MemberRole?, bool)[]
                 { ("viewer", MemberRole.Viewer, false), ("monitor", MemberRole.Monitor, false), ("analyst", MemberRole.Analyst, false),
                   ("coordinator", MemberRole.Coordinator, false), ("administrator", null, true) })
        {
            var user = await People.CreateAsync(_app, $"{name}@example.org", role, administrator: admin);
            _pages[name] = await People.SignInAsync(_app, user.Email!);
            await using var scope = _app.Services.CreateAsyncScope();
            var token = await scope.ServiceProvider.GetRequiredService<AccountService>().CreateTokenAsync(user, "test", TokenScope.Write, 1, "test");
            _tokens[name] = token.Secret;
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static List<Row> Matrix()
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "ACCESS.md"));
        var header = lines.Single(l => l.StartsWith("| method |", StringComparison.Ordinal)).Split('|').Select(c => c.Trim()).ToArray();
        return lines.SkipWhile(l => !l.StartsWith("| method |", StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
            .Select(c => new Row(c[1], c[2], c[3], Roles.ToDictionary(r => r, r => c[Array.IndexOf(header, r)])))
            .ToList();
    }

    /// <summary>Every route the app maps, with the methods it answers: pages answer GET, and POST when their model has a post handler.</summary>
    private List<(string Method, string Path, RouteEndpoint Endpoint)> Mapped()
    {
        var mapped = new List<(string, string, RouteEndpoint)>();
        foreach (var endpoint in _app.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            path = System.Text.RegularExpressions.Regex.Replace(path, @"\{([^}:]+):[^}]+\}", "{$1}");
            if (path.Length > 1)
                path = path.TrimEnd('/');
            if (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>() is { } methods)
                mapped.AddRange(methods.HttpMethods.Select(m => (m, path, endpoint)));
            else if (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.CompiledPageActionDescriptor>() is { } page)
            {
                mapped.Add(("GET", path, endpoint));
                if (page.HandlerMethods.Any(h => h.HttpMethod == "Post"))
                    mapped.Add(("POST", path, endpoint));
            }
            else
                mapped.Add(("GET", path, endpoint));
        }
        return mapped.Distinct().ToList();
    }

    [Fact]
    public void EveryMappedEndpointDeclaresAPolicyAndStandsInTheMatrix()
    {
        var matrix = Matrix();
        var mapped = Mapped();
        var problems = new List<string>();
        foreach (var (method, path, endpoint) in mapped)
        {
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            if (!anonymous && !(policies.Count > 0 && policies.All(p => Policies.All.Contains(p))))
                problems.Add($"{method} {path} declares no policy of docs/ACCESS.md (AllowAnonymous or one of {string.Join(", ", Policies.All)})");
            if (!matrix.Any(r => r.Method == method && r.Path == path))
                problems.Add($"{method} {path} is mapped but not in docs/ACCESS.md");
        }
        problems.AddRange(matrix.Where(row => !mapped.Any(m => m.Method == row.Method && m.Path == row.Path))
            .Select(row => $"docs/ACCESS.md lists {row.Method} {row.Path}, which the app does not map"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task EachRoleGetsWhatTheMatrixSays()
    {
        var (findingId, datasetId) = await _app.WithDb(async db => (await db.Findings.MinAsync(f => f.Id), await db.Datasets.MinAsync(d => d.Id)));
        // A site of the people's own organisation: the one its analysts may change.
        var siteId = await _app.WithDb(async db =>
        {
            var relufa = await db.Organisations.SingleAsync(o => o.Acronym == "RELUFA");
            var site = new Kimberlite.Field.MiningSite { Name = "Chantier de Ngoura", CountryIso3 = "CMR", Minerals = "diamond", Source = "RELUFA", OrganisationId = relufa.Id, Latitude = 4.1, Longitude = 14.9 };
            db.MiningSites.Add(site);
            await db.SaveChangesAsync();
            return site.Id;
        });
        var failures = new List<string>();
        // Signing out ends the session the other rows use: it goes last.
        foreach (var row in Matrix().OrderBy(r => r.Path == "/account/signout" && r.Method == "POST"))
        {
            foreach (var role in Roles)
            {
                var expected = row.Cells[role];
                var targets = row.Path.Contains("{acronym}", StringComparison.Ordinal)
                    ? new[] { ("RELUFA", expected is "yes" or "own"), ("CENADEP", expected == "yes") }
                    : [("", expected == "yes")];
                foreach (var (organisation, allowed) in targets)
                {
                    var id = row.Path.StartsWith("/datasets", StringComparison.Ordinal) || row.Path.StartsWith("/api/v1/datasets", StringComparison.Ordinal) ? datasetId
                        : row.Path.StartsWith("/sites", StringComparison.Ordinal) || row.Path.StartsWith("/api/v1/sites", StringComparison.Ordinal) ? siteId : findingId;
                    var url = row.Path.Replace("{iso3}", "CAF").Replace("{id}", id.ToString(System.Globalization.CultureInfo.InvariantCulture))
                        .Replace("{code}", "404").Replace("{number}", "1").Replace("{language}", "fr").Replace("{documentName}", "v1").Replace("{documentName?}", "v1").Replace("{acronym}", organisation);
                    var response = await SendAsync(row, role, url);
                    // The page that explains a refusal answers 403 itself, to everyone.
                    var refused = url != "/account/denied" && response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                        || response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString is { } to
                            && (to.Contains("/account/signin?", StringComparison.OrdinalIgnoreCase) || to.Contains("/account/denied", StringComparison.OrdinalIgnoreCase));
                    if (refused == allowed)
                        failures.Add($"{row.Method} {url} as {role}: expected {(allowed ? "allowed" : "refused")}, got {(int)response.StatusCode} {response.Headers.Location}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private async Task<HttpResponseMessage> SendAsync(Row row, string role, string url)
    {
        if (url.StartsWith("/api/v1", StringComparison.Ordinal))
        {
            using var request = new HttpRequestMessage(new HttpMethod(row.Method), url);
            if (_tokens[role] is { } bearer)
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
            return await _pages["public"].SendAsync(request);
        }
        var client = _pages[role];
        if (row.Method == "GET")
            return await client.GetAsync(url);
        // A real form post: the anti-forgery token comes from a page this person may open.
        var token = await People.TokenAsync(client, "/account/signin");
        var handler = row.Path switch
        {
            "/account" => "?handler=Create",
            "/account/two-factor" => "?handler=Enable",
            "/import" => "?handler=Check",
            "/organisations/{acronym}" => "?handler=Invite",
            "/field/new" => "?handler=Submit",
            "/field/incidents" => "?handler=Step",
            _ => "",
        };
        var fields = new Dictionary<string, string> { ["__RequestVerificationToken"] = token!, ["status"] = "Confirmed", ["name"] = "t", ["days"] = "1", ["scope"] = "Read", ["role"] = "Viewer", ["email"] = $"new-{Guid.NewGuid():N}@example.org", ["code"] = "000000" };
        return await client.PostAsync(url + handler, new FormUrlEncodedContent(fields));
    }
}
