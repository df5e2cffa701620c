using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Kimberlite.Infrastructure.Web;

/// <summary>One operation of the API as the reference page shows it: what to send, what comes back, who may call it.</summary>
public sealed record ApiOperation(string Tag, string OperationId, string Method, string Path, string? Summary, string? Description,
    IReadOnlyList<ApiParameter> Parameters, string? RequestBody, IReadOnlyList<(string Status, string? Schema)> Responses, string Access)
{
    /// <summary>A plain HTML form can try it: a GET with no part of the path to fill in.</summary>
    public bool CanTry => Method == "GET" && !Path.Contains('{', StringComparison.Ordinal);
    public string TagAnchor => "tag-" + ApiTextKeys.Tag(Tag)["Ao_Tag_".Length..].ToLowerInvariant();
    public string Anchor => (Method + Path).ToLowerInvariant().Replace('/', '-').Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal);
}

/// <summary>
/// Where the reference finds its words in the reader's language: keyed by operation id (WithName), parameter name and tag, so that
/// a new or renamed operation has no words until they are written, and ApiReferenceLanguageTests says so.
/// </summary>
public static class ApiTextKeys
{
    public static string Summary(string operationId) => "Ao_Op_" + operationId;
    public static string Description(string operationId) => "Ao_OpNote_" + operationId;
    public static string Parameter(string operationId, string name) => $"Ao_Param_{operationId}_{name}";
    public static string Tag(string tag) =>
        "Ao_Tag_" + string.Concat(tag.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
}

public sealed record ApiParameter(string Name, string In, bool Required, string Type, string? Description);

/// <summary>A named schema of the API with its fields, each with its type.</summary>
public sealed record ApiSchema(string Name, IReadOnlyList<(string Field, string Type)> Fields, IReadOnlyList<string> Values);

public sealed record ApiCatalog(string Title, string? Description, IReadOnlyList<ApiOperation> Operations, IReadOnlyList<ApiSchema> Schemas);

/// <summary>
/// Reads the app's own OpenAPI document in-process, once, into what /api/docs lists: the page is rendered by the server,
/// with no script, and /openapi/v1.json stays the full description.
/// </summary>
public sealed partial class ApiReference(IServiceProvider services, EndpointDataSource endpoints)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ApiCatalog? _catalog;

    public async Task<ApiCatalog> CatalogAsync(CancellationToken cancellationToken)
    {
        if (_catalog is { } ready)
            return ready;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_catalog is null)
            {
                var document = await services.GetRequiredKeyedService<IOpenApiDocumentProvider>("v1").GetOpenApiDocumentAsync(cancellationToken);
                var json = await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, cancellationToken);
                _catalog = Read(json);
            }
            return _catalog;
        }
        finally
        {
            _gate.Release();
        }
    }

    private ApiCatalog Read(string json)
    {
        using var parsed = JsonDocument.Parse(json);
        var root = parsed.RootElement;
        var access = AccessByRoute();
        var operations = new List<ApiOperation>();
        if (root.TryGetProperty("paths", out var paths))
            foreach (var path in paths.EnumerateObject())
                foreach (var op in path.Value.EnumerateObject())
                {
                    if (op.Value.ValueKind != JsonValueKind.Object || op.Name == "parameters")
                        continue;
                    var method = op.Name.ToUpperInvariant();
                    var parameters = new List<ApiParameter>();
                    if (op.Value.TryGetProperty("parameters", out var ps))
                        foreach (var p in ps.EnumerateArray())
                            parameters.Add(new ApiParameter(Text(p, "name") ?? "", Text(p, "in") ?? "", p.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.True,
                                p.TryGetProperty("schema", out var s) ? Brief(s) : "", Text(p, "description")));
                    string? body = null;
                    if (op.Value.TryGetProperty("requestBody", out var rb) && rb.TryGetProperty("content", out var content))
                        body = string.Join(" · ", content.EnumerateObject().Select(c => c.Name + (c.Value.TryGetProperty("schema", out var s) ? ": " + Brief(s) : "")));
                    var responses = new List<(string, string?)>();
                    if (op.Value.TryGetProperty("responses", out var rs))
                        foreach (var response in rs.EnumerateObject())
                        {
                            string? schema = null;
                            if (response.Value.TryGetProperty("content", out var rc))
                                schema = rc.EnumerateObject().Select(c => c.Value.TryGetProperty("schema", out var s) ? Brief(s) : null).FirstOrDefault(s => s is not null);
                            responses.Add((response.Name, schema));
                        }
                    var tag = op.Value.TryGetProperty("tags", out var tags) && tags.GetArrayLength() > 0 ? tags[0].GetString() ?? "" : "";
                    operations.Add(new ApiOperation(tag, Text(op.Value, "operationId") ?? method + path.Name, method, path.Name, Text(op.Value, "summary"), Text(op.Value, "description"), parameters, body, responses,
                        access.GetValueOrDefault((method, Normal(path.Name)), "")));
                }
        var schemas = new List<ApiSchema>();
        if (root.TryGetProperty("components", out var components) && components.TryGetProperty("schemas", out var named))
            foreach (var schema in named.EnumerateObject())
            {
                var fields = schema.Value.TryGetProperty("properties", out var props)
                    ? props.EnumerateObject().Select(f => (f.Name, Brief(f.Value))).ToList() : [];
                var values = schema.Value.TryGetProperty("enum", out var e)
                    ? e.EnumerateArray().Select(v => v.ToString()).ToList() : [];
                schemas.Add(new ApiSchema(schema.Name, fields, values));
            }
        var info = root.GetProperty("info");
        return new ApiCatalog(Text(info, "title") ?? "", Text(info, "description"),
            operations.OrderBy(o => o.Tag, StringComparer.Ordinal).ThenBy(o => o.Path, StringComparer.Ordinal).ToList(), schemas);
    }

    /// <summary>The policy each API endpoint declares, from the endpoints themselves: the reference cannot disagree with what runs.</summary>
    private Dictionary<(string, string), string> AccessByRoute()
    {
        var access = new Dictionary<(string, string), string>();
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            if (!pattern.StartsWith("/api/", StringComparison.Ordinal))
                continue;
            var who = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null ? "anonymous"
                : endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null) ?? "SignedIn";
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                access[(method, Normal(pattern))] = who;
        }
        return access;
    }

    /// <summary>A route as both the router and OpenAPI spell it: no constraints, no optional marks, no trailing slash.</summary>
    private static string Normal(string route) => RouteParameter().Replace(route, m => "{" + m.Groups[1].Value + "}").TrimEnd('/');

    [GeneratedRegex(@"\{\*?\*?([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A schema in a few characters: a named schema by its name, a list as [item], a type with its format.</summary>
    private static string Brief(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
            return "";
        if (Text(schema, "$ref") is { } reference)
            return reference[(reference.LastIndexOf('/') + 1)..];
        foreach (var combined in (string[])["oneOf", "anyOf", "allOf"])
            if (schema.TryGetProperty(combined, out var parts))
                return string.Join(" | ", parts.EnumerateArray().Select(Brief).Where(p => p.Length > 0).Distinct());
        var type = schema.TryGetProperty("type", out var t)
            ? t.ValueKind == JsonValueKind.Array ? string.Join(" | ", t.EnumerateArray().Select(x => x.GetString())) : t.GetString() ?? ""
            : "";
        if (type.Contains("array", StringComparison.Ordinal) && schema.TryGetProperty("items", out var items))
            return "[" + Brief(items) + "]" + (type.Contains("null", StringComparison.Ordinal) ? " | null" : "");
        var text = new StringBuilder(type);
        if (Text(schema, "format") is { } format)
            text.Append(" (").Append(format).Append(')');
        if (schema.TryGetProperty("enum", out var values))
            text.Append(": ").AppendJoin(", ", values.EnumerateArray().Select(v => v.ToString()));
        return text.ToString();
    }
}
