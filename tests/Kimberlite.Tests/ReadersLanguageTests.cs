using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Kimberlite.Accounts;
using Kimberlite.Statistics.Import;

namespace Kimberlite.Tests;

/// <summary>
/// Issue 18, part 4: no English word of the product in a French or Portuguese page, except what is marked as quoted
/// or as published (lang="en", &lt;q&gt;, code). The list is the product's English: its English interface texts and the
/// words of its data vocabularies, less every word the French and Portuguese texts also use (production, total…).
/// </summary>
public sealed partial class ReadersLanguageTests(BundledApp app) : IClassFixture<BundledApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"\p{L}{4,}")]
    private static partial Regex Word();

    private static readonly string Localization = Path.Combine(Repository.Root, "src", "Kimberlite", "Infrastructure", "Localization");

    private static IEnumerable<string> Words(string text) => Word().Matches(text).Select(m => m.Value.ToLowerInvariant());

    private static IEnumerable<string> ResourceValues(string file) =>
        XDocument.Load(Path.Combine(Localization, file)).Root!.Elements("data").Select(d => (string?)d.Element("value") ?? "");

    private static IEnumerable<string> Column(string file, params string[] names)
    {
        var table = Table.Read(File.ReadAllBytes(Path.Combine(Repository.Root, "data", file)), file);
        var headers = table.Headers.ToList();
        return names.Select(n => headers.IndexOf(n)).SelectMany(i => table.Rows.Select(r => r.Cells[i]));
    }

    /// <summary>The product's English words that French and Portuguese never use; publishers' names are names, quoted as published.</summary>
    private static readonly HashSet<string> EnglishWords = BuildList();

    private static HashSet<string> BuildList()
    {
        var vocabulary = Column("kp_production.csv", "precision")
            .Concat(Column("kp_trade.csv", "period", "flow_detail", "precision"))
            .Concat(Column("national_stats.csv", "period", "metric", "segment", "precision"))
            .Concat(Column("fiscal_revenue.csv", "item"))
            .Concat(Column(Kimberlite.Field.BundledSites.File, "mineral_en"));
        var english = ResourceValues("Texts.en.resx").Concat(vocabulary).SelectMany(Words).ToHashSet();
        english.ExceptWith(ResourceValues("Texts.resx").Concat(ResourceValues("Texts.pt.resx")).SelectMany(Words));
        english.ExceptWith(new[] { "kp_production.csv", "kp_trade.csv", "national_stats.csv", "fiscal_revenue.csv" }
            .SelectMany(f => Column(f, "source_publisher")).SelectMany(Words));
        return english;
    }

    [Fact]
    public void TheListHoldsTheDataVocabularyAndInterfaceWordsButNotWordsFrenchShares()
    {
        foreach (var word in new[] { "rounded", "gold", "smuggled", "shipment" })
            Assert.Contains(word, EnglishWords);
        foreach (var shared in new[] { "production", "total", "exact", "artisanal", "diamant" })
            Assert.DoesNotContain(shared, EnglishWords);
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("pt")]
    public async Task NoPublicPageShowsAnEnglishWordOfTheProductInFrenchOrPortuguese(string language)
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        var seeds = new[] { "/", "/countries", "/datasets", "/map", "/sites", "/findings", "/labels", "/advocacy", "/advocacy/meetings", "/library", "/account/signin", "/api/docs" }
            .Concat(Kimberlite.Statistics.CountryCodes.Coalition.Select(c => $"/countries/{c}"));
        var found = await CrawlAsync(client, language, seeds, follow: true);

        Assert.True(found.Visited >= 25, $"only {found.Visited} pages visited");
        Assert.True(found.English.Count == 0, string.Join("\n", found.English));
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("pt")]
    public async Task NoSignedInPageShowsAnEnglishWordOfTheProductInFrenchOrPortuguese(string language)
    {
        await People.CreateAsync(app, $"lecteur-{language}@cragg.org", MemberRole.Analyst, "CRAGG");
        var client = await People.SignInAsync(app, $"lecteur-{language}@cragg.org");
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        var seeds = new[] { "/account", "/import", "/field/incidents", "/field/new", "/organisations", "/organisations/CRAGG", "/library/upload", "/advocacy/recommendations/new", "/sites/edit", "/field/visits" };
        var found = await CrawlAsync(client, language, seeds, follow: false);

        Assert.True(found.Visited >= 8, $"only {found.Visited} pages visited");
        Assert.True(found.English.Count == 0, string.Join("\n", found.English));
    }

    [Theory]
    [InlineData("fr", "janv.")]
    [InlineData("pt", "jan.")]
    public async Task AFindingOfPartOfAYearNamesItsPeriodInTheReadersWords(string language, string january)
    {
        // "2024 Jan-Sep" and "2023 H1" stood in French and Portuguese findings' titles and sentences: words too short for the scan above.
        var all = await app.CreateClient().GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/findings?state=all", Cancel);
        var partial = all.EnumerateArray().Where(f => f.GetProperty("period").GetString()!.Contains(' ', StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(partial);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        foreach (var finding in partial.Take(6))
        {
            var written = finding.GetProperty("period").GetString()!;
            var html = WebUtility.HtmlDecode(await client.GetStringAsync($"/findings/{finding.GetProperty("id").GetInt32()}", Cancel));
            var main = html[html.IndexOf("<main", StringComparison.Ordinal)..];
            Assert.DoesNotContain(written, main);
            if (written.Contains("Jan", StringComparison.Ordinal))
                Assert.Contains(january, main);
        }
    }

    [Fact]
    public async Task SitesAndDatasetsReadInFrenchAndSayWhatIsAsPublished()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr");
        var sites = await client.GetStringAsync("/sites?country=CAF", Cancel);
        Assert.Matches(@"<td[^>]*>diamant</td>", sites);
        Assert.Matches(@"<td[^>]*>or</td>", sites);
        Assert.DoesNotMatch(@"<td[^>]*>gold</td>", sites);

        var datasets = await client.GetStringAsync("/datasets", Cancel);
        Assert.Contains("Production de diamants bruts par pays et par année", WebUtility.HtmlDecode(datasets));
        var detail = WebUtility.HtmlDecode(await client.GetStringAsync("/datasets/1", Cancel));
        Assert.Contains("Titre publié :", detail);
        Assert.Contains("<span lang=\"en\">Rough-diamond production by country and year", detail);

        var congo = WebUtility.HtmlDecode(await client.GetStringAsync("/countries/COD", Cancel));
        Assert.Contains("arrondi", congo);
        Assert.DoesNotContain("précision : rounded", congo);
    }

    [Fact]
    public async Task TheImportPageExplainsTheMappingFileInPlaceInsteadOfPointingIntoTheSourceCode()
    {
        await People.CreateAsync(app, "words-import@example.org", MemberRole.Analyst, "CRAGG");
        var client = await People.SignInAsync(app, "words-import@example.org");
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr");
        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/import", Cancel));

        Assert.DoesNotContain("docs/field", html);
        Assert.Contains("Exemple de fichier de correspondance", html);
        Assert.Contains("\"occurredOn\": \"date_incident\"", html);
    }

    private sealed record Found(int Visited, List<string> English);

    private async Task<Found> CrawlAsync(HttpClient client, string language, IEnumerable<string> seeds, bool follow)
    {
        var queue = new Queue<string>(seeds);
        var seen = new HashSet<string>(queue);
        var shapes = new Dictionary<string, int>();
        var english = new List<string>();
        var visited = 0;
        while (queue.TryDequeue(out var path))
        {
            var response = await client.GetAsync(path, Cancel);
            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html")
                continue;
            visited++;
            var html = await response.Content.ReadAsStringAsync(Cancel);
            Assert.Contains($"<html lang=\"{language}\"", html);
            var words = Words(Visible(html)).Where(EnglishWords.Contains).Distinct().ToList();
            if (words.Count > 0)
                english.Add($"{path}: {string.Join(", ", words)}");
            if (!follow)
                continue;
            foreach (Match link in Link().Matches(html))
            {
                var next = WebUtility.HtmlDecode(link.Groups[1].Value).Split('#')[0];
                // At most three pages of each kind (/findings/1, /findings/2…): the words come from the same template.
                var shape = Regex.Replace(next.Split('?')[0], "[0-9]+", "n");
                if (next.Length == 0 || next.StartsWith("/api", StringComparison.Ordinal) || next.StartsWith("/culture", StringComparison.Ordinal)
                    || next.StartsWith("/openapi", StringComparison.Ordinal) || next.Contains("format=", StringComparison.Ordinal) || next.StartsWith("/account/signout", StringComparison.Ordinal)
                    || !seen.Add(next) || shapes.GetValueOrDefault(shape) >= 3)
                    continue;
                shapes[shape] = shapes.GetValueOrDefault(shape) + 1;
                queue.Enqueue(next);
            }
        }
        return new Found(visited, english);
    }

    [GeneratedRegex("href=\"(/[^\"]*)\"")]
    private static partial Regex Link();

    [GeneratedRegex(@"<(script|style|code|pre|q|template)\b[^>]*>.*?</\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Quoted();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    /// <summary>The text a reader sees in the page's language: without markup, scripts, code, quotes, elements marked lang="en" and e-mail addresses (names, as people chose them).</summary>
    private static string Visible(string html)
    {
        var body = html[html.IndexOf("<body", StringComparison.Ordinal)..];
        body = Quoted().Replace(body, " ");
        body = RemoveEnglishElements(body);
        return Email().Replace(WebUtility.HtmlDecode(Tag().Replace(body, " ")), " ");
    }

    [GeneratedRegex(@"[\w.+-]+@[\w-]+(\.[\w-]+)+")]
    private static partial Regex Email();

    /// <summary>Cuts out each element marked lang="en" with what it holds, nested elements of the same name included.</summary>
    private static string RemoveEnglishElements(string html)
    {
        while (EnglishStart().Match(html) is { Success: true } start)
        {
            var name = start.Groups[1].Value;
            var (depth, at) = (1, start.Index + start.Length);
            var tags = new Regex($"<(/?){name}\\b[^>]*>", RegexOptions.IgnoreCase);
            while (depth > 0 && tags.Match(html, at) is { Success: true } tag)
            {
                depth += tag.Groups[1].Value == "/" ? -1 : 1;
                at = tag.Index + tag.Length;
            }
            html = string.Concat(html.AsSpan(0, start.Index), " ", html.AsSpan(at));
        }
        return html;
    }

    [GeneratedRegex("<([a-z0-9]+)\\b[^>]*\\blang=\"en\"[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex EnglishStart();
}
