using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Kimberlite.Infrastructure.Web;

namespace Kimberlite.Tests;

/// <summary>
/// Issue 18, part 5: /api/docs in the reader's language. Its words come from the resources, keyed by operation id, parameter
/// and tag; the English resource must say what /openapi/v1.json says, so a new or changed endpoint cannot slip in untranslated.
/// </summary>
public sealed class ApiReferenceLanguageTests : EmptyAppTest
{
    private static readonly string Localization = Path.Combine(Repository.Root, "src", "Kimberlite", "Infrastructure", "Localization");

    private static Dictionary<string, string> Resources(string file) =>
        XDocument.Load(Path.Combine(Localization, file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    /// <summary>Every word of the reference the OpenAPI document gives, by the key the page reads it under.</summary>
    private async Task<Dictionary<string, string>> EnglishOfTheDocumentAsync()
    {
        var document = await People.Client(App).GetFromJsonAsync<JsonElement>("/openapi/v1.json", Cancel);
        var words = new Dictionary<string, string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var op in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Name != "parameters"))
            {
                Assert.True(op.Value.TryGetProperty("operationId", out var idElement), $"{op.Name} {path.Name} has no operation id (WithName)");
                var id = idElement.GetString()!;
                var summary = op.Value.TryGetProperty("summary", out var s) ? s.GetString() : null;
                if (summary is not null)
                    words[ApiTextKeys.Summary(id)] = summary;
                if (op.Value.TryGetProperty("description", out var d) && d.GetString() is { } description && description != summary)
                    words[ApiTextKeys.Description(id)] = description;
                if (op.Value.TryGetProperty("parameters", out var parameters))
                    foreach (var p in parameters.EnumerateArray().Where(p => p.TryGetProperty("description", out _)))
                        words[ApiTextKeys.Parameter(id, p.GetProperty("name").GetString()!)] = p.GetProperty("description").GetString()!;
                if (op.Value.TryGetProperty("tags", out var tags))
                    foreach (var tag in tags.EnumerateArray())
                        words[ApiTextKeys.Tag(tag.GetString()!)] = tag.GetString()!;
            }
        return words;
    }

    private static string WithoutCodeMarks(string text) => text.Replace("`", "", StringComparison.Ordinal);

    [Fact]
    public async Task EveryOperationParameterAndTagOfTheReferenceHasItsWordsInFrenchEnglishAndPortuguese()
    {
        var english = await EnglishOfTheDocumentAsync();
        var (fr, en, pt) = (Resources("Texts.resx"), Resources("Texts.en.resx"), Resources("Texts.pt.resx"));
        var problems = new List<string>();
        foreach (var (key, text) in english)
        {
            foreach (var (language, resources) in new[] { ("fr", fr), ("en", en), ("pt", pt) })
                if (string.IsNullOrWhiteSpace(resources.GetValueOrDefault(key)))
                    problems.Add($"{key} has no {language} text: \"{text}\"");
            if (en.TryGetValue(key, out var written) && WithoutCodeMarks(written) != WithoutCodeMarks(text))
                problems.Add($"{key} in Texts.en.resx no longer says what the API says: \"{text}\"");
        }
        // A key left behind by a renamed operation would hide that its new name has no words.
        foreach (var key in fr.Keys.Concat(en.Keys).Concat(pt.Keys).Distinct()
                     .Where(k => k.StartsWith("Ao_Op_", StringComparison.Ordinal) || k.StartsWith("Ao_OpNote_", StringComparison.Ordinal)
                                 || k.StartsWith("Ao_Param_", StringComparison.Ordinal) || k.StartsWith("Ao_Tag_", StringComparison.Ordinal)))
            if (!english.ContainsKey(key))
                problems.Add($"{key} names nothing on the reference any more");

        Assert.True(english.Count > 100, $"only {english.Count} texts read from the OpenAPI document");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("fr", "Suivi de terrain", "Les constats de l'analyse, les pays de la coalition et les plus gros enjeux d'abord", "Code ISO3 du pays (comme déclarant ou comme partenaire)")]
    [InlineData("pt", "Monitorização no terreno", "As constatações da análise, os países da coligação e os maiores montantes em jogo primeiro", "Código ISO3 do país (como declarante ou como parceiro)")]
    [InlineData("en", "Field monitoring", "Findings of the analysis, the coalition's countries and the largest stakes first", "ISO3 code of the country (as reporter or partner)")]
    public async Task TheReferenceGivesSectionsSummariesAndParametersInTheReadersLanguageWithCodesAsCode(string language, string tag, string summary, string parameter)
    {
        var client = People.Client(App);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/api/docs", Cancel));

        Assert.Contains($"<h2 id=\"tag-fieldmonitoring\">{tag}</h2>", html);
        Assert.Contains($"<a href=\"#tag-fieldmonitoring\">{tag}</a>", html);
        Assert.Contains($"<p>{summary}</p>", html);
        Assert.Contains(parameter, html);
        Assert.Contains("<code>sourceConflict</code>", html);
        Assert.Contains("<code>?format=csv</code>", html);
        Assert.DoesNotContain("lang=\"en\"", html[html.IndexOf("<main", StringComparison.Ordinal)..]);
        Assert.DoesNotContain("`", html);
    }
}
