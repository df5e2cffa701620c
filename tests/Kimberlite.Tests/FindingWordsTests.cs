using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kimberlite.Analysis;
using Kimberlite.Infrastructure.Localization;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Import;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Tests;

/// <summary>What is at stake comes first, the list says its order, and every finding is told in correct words in three languages (issue 14, items 7 and 8).</summary>
public sealed partial class FindingWordsTests : EmptyAppTest
{
    private const string TradeHeader = "reporter_iso3,partner_iso3,year,period,flow,flow_detail,carats,usd,share_pct,source,source_publisher,as_published,precision,data_origin,notes";

    // The DR Congo exports 1.8 million carats beyond its production (18 %), at 7 US$ a carat.
    private static readonly string[] DrCongoBeyondProduction =
    [
        ImportFiles.NationalHeader,
        "COD,2022,FY,production,total,10000000,70000000,USD,https://a.example/ceec,CEEC,,exact,",
        "COD,2022,FY,export,total,11800000,82600000,USD,https://a.example/ceec,CEEC,,exact,",
    ];

    // Two sources 60 % apart on 2 000 carats of Indonesia: a large share of a tiny amount, outside the coalition.
    private static readonly string[] IndonesiaTiny =
    [
        ImportFiles.ProductionHeader,
        "IDN,2022,2000,,,https://a.example/esdm,Source A,,exact,",
        "IDN,2022,3200,,,https://b.example/press,Source B,,exact,",
    ];

    // Two sources 10 % apart on Russia's 40 million carats, at 90 US$ a carat: the largest stake of all, outside the coalition.
    private static readonly string[] RussiaLarge =
    [
        ImportFiles.ProductionHeader,
        "RUS,2022,40000000,3600000000,,https://a.example/alrosa,Source A,,exact,",
        "RUS,2022,44000000,,,https://b.example/press,Source B,,exact,",
    ];

    // Belgium's imports, a hub the coalition's diamonds go through: two sources 20 % apart.
    private static readonly string[] BelgiumHub =
    [
        ImportFiles.NationalHeader,
        "BEL,2022,FY,import,total,100000000,,,https://a.example/awdc,AWDC,,exact,",
        "BEL,2022,FY,import,total,120000000,,,https://b.example/press,Press,,exact,",
    ];

    private async Task Import(string[] lines)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<StatisticsImporter>()
            .ImportAsync(ImportFiles.Csv(lines[0], lines[1..]), $"test-{Guid.NewGuid():N}.csv", new Provenance(Publisher: "Test"), cancellationToken: Cancel);
        Assert.Equal(ImportOutcome.Imported, result.Outcome);
    }

    private async Task Analyze()
    {
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(Cancel);
    }

    private HttpClient Client(string language)
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        return client;
    }

    private async Task<List<JsonElement>> ApiFindings(string query = "", string language = "en") =>
        (await Client(language).GetFromJsonAsync<JsonElement>($"/api/v1/findings{query}", Cancel)).EnumerateArray().ToList();

    /// <summary>Thin spaces and no-break spaces as plain spaces, so a test reads as the sentence is written.</summary>
    private static string Plain(string text) => WebUtility.HtmlDecode(text).Replace('\u202F', ' ').Replace('\u00A0', ' ');

    private static string Key(JsonElement f) => $"{f.GetProperty("country").GetString()} {f.GetProperty("rule").GetString()}";

    [Fact]
    public async Task TheDrCongosExportsBeyondItsProductionRankAboveALargeGapOnATinyFigureOutsideTheCoalition()
    {
        await Import(DrCongoBeyondProduction);
        await Import(IndonesiaTiny);
        await Analyze();

        var findings = await ApiFindings();

        Assert.Equal(["COD balance", "IDN sourceConflict"], findings.Select(Key));
        var (congo, indonesia) = (findings[0], findings[1]);
        Assert.Equal(("serious", 1800000m, 12600000m), (congo.GetProperty("severity").GetString(), congo.GetProperty("stakeCarats").GetDecimal(), congo.GetProperty("stakeUsd").GetDecimal()));
        Assert.Equal(18m, congo.GetProperty("gapPercent").GetDecimal());
        Assert.Equal(("info", 60m, 1200m), (indonesia.GetProperty("severity").GetString(), indonesia.GetProperty("gapPercent").GetDecimal(), indonesia.GetProperty("stakeCarats").GetDecimal()));
    }

    [Fact]
    public async Task TheDefaultOrderPutsTheCoalitionFirstThenItsHubsThenTheRestAndASortChoosesAnother()
    {
        await Import(DrCongoBeyondProduction);
        await Import(IndonesiaTiny);
        await Import(RussiaLarge);
        await Import(BelgiumHub);
        await Analyze();

        var byDefault = (await ApiFindings()).Select(Key);
        var byStake = (await ApiFindings("?sort=stake")).Select(Key);
        var byGap = (await ApiFindings("?sort=gap")).Select(Key);
        var csv = await Client("en").GetStringAsync("/api/v1/findings?format=csv", Cancel);

        // Russia's stake is the largest, yet the coalition's country and the hub it trades through come first.
        Assert.Equal(["COD balance", "BEL sourceConflict", "RUS sourceConflict", "IDN sourceConflict"], byDefault);
        Assert.Equal(["RUS sourceConflict", "COD balance", "BEL sourceConflict", "IDN sourceConflict"], byStake);
        Assert.Equal("IDN sourceConflict", byGap.First());
        Assert.Equal(["COD", "BEL", "RUS", "IDN"], csv.Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[3]));
    }

    [Fact]
    public async Task APublishersNameInAFindingsSentenceIsMarkedAsEnglishOnAFrenchPageAndLeftPlainInEnglish()
    {
        await Import(IndonesiaTiny);
        await Analyze();
        var id = (await ApiFindings())[0].GetProperty("id").GetInt32();

        var french = await Client("fr").GetStringAsync($"/findings/{id}", Cancel);
        var list = await Client("pt").GetStringAsync("/findings", Cancel);
        var english = await Client("en").GetStringAsync($"/findings/{id}", Cancel);

        // The publishers keep their own words; a screen reader reads them in English, and the rest of the sentence in French.
        Assert.Matches("<p class=\"explanation\">[^<]*<span lang=\"en\" title=\"[^\"]+\">Source [AB]</span>", french);
        Assert.Contains(">Source B</span>", list);
        Assert.DoesNotContain("<span lang=\"en\"", Regex.Match(english, "<p class=\"explanation\">.*?</p>", RegexOptions.Singleline).Value);
    }

    [Fact]
    public async Task TheFindingsPageAndTheCountryPageListTheCoalitionFirstAndSayHow()
    {
        await Import(DrCongoBeyondProduction);
        await Import(IndonesiaTiny);
        await Import(RussiaLarge);
        await Analyze();
        var client = Client("fr");

        var page = Plain(await client.GetStringAsync("/findings", Cancel));
        var byGap = Plain(await client.GetStringAsync("/findings?sort=gap", Cancel));
        var country = Plain(await client.GetStringAsync("/countries/COD", Cancel));
        var english = Plain(await Client("en").GetStringAsync("/findings", Cancel));

        Assert.Contains("Triés par : les pays de la coalition d'abord, puis leurs partenaires et routes de transit, puis la gravité, puis l'enjeu", page);
        Assert.Equal(["République démocratique du Congo", "Russie", "Indonésie"], Titles(page));
        Assert.Contains("Triés par : l'écart en pour cent, le plus grand d'abord.", byGap);
        Assert.Equal("Indonésie", Titles(byGap)[0]);
        Assert.Contains("Triés par : les pays de la coalition d'abord", country);
        Assert.Contains("Enjeu : 12 600 000 US$ · 1 800 000 ct", page);
        Assert.Contains("Sorted by: the coalition's countries first, then their partners and transit routes, then severity, then what is at stake (US$, then carats), then the gap in per cent.", english);
    }

    /// <summary>The country of each finding's title, in the order of the list.</summary>
    private static List<string> Titles(string html) =>
        FindingTitle().Matches(html).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex("<a href=\"/findings/\\d+\">[^<—]+— ([^,<]+),")]
    private static partial Regex FindingTitle();

    [Fact]
    public async Task AnOrderThatDoesNotExistIsAProblemThatNamesTheOrders()
    {
        var response = await App.CreateClient().GetAsync("/api/v1/findings?sort=loudest", Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors").GetProperty("sort")[0].GetString();
        Assert.Equal("'loudest' is not an order: use focus, stake, severity, gap, newest.", error);
    }

    [Theory]
    [InlineData("fr", "Production de la République démocratique du Congo, 2022, volume en carats : Source B dit 3 200 ct", "valeur")]
    [InlineData("en", "Production of the Democratic Republic of the Congo, 2022, volume in carats: Source B says 3,200 ct, Source A (the preferred source) says 2,000 ct", "expected")]
    [InlineData("pt", "Produção da República Democrática do Congo, 2022, volume em quilates: Source B indica 3.200 ct, Source A (fonte preferida) indica 2.000 ct", "valor")]
    public async Task ASourceConflictOnCaratsSpeaksOfAVolumeAndNamesTheCountryWithItsArticle(string language, string start, string never)
    {
        await Import(
        [
            ImportFiles.ProductionHeader,
            "COD,2022,2000,,,https://a.example/ceec,Source A,,exact,",
            "COD,2022,3200,,,https://b.example/press,Source B,,exact,",
        ]);
        await Analyze();

        var explanation = Plain((await ApiFindings("?rule=sourceConflict", language)).Single().GetProperty("explanation").GetString()!);

        Assert.StartsWith(start, explanation);
        Assert.DoesNotContain(never, explanation, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("fr", "COD", "BEL", "Exportations vers la Belgique déclarées par la République démocratique du Congo en 2022 (volume en carats) : 1 000 ct ; importations de la République démocratique du Congo déclarées par la Belgique : 1 400 ct")]
    [InlineData("pt", "COD", "BEL", "Exportações para a Bélgica declaradas pela República Democrática do Congo em 2022 (volume em quilates): 1.000 ct; importações da República Democrática do Congo declaradas pela Bélgica: 1.400 ct")]
    [InlineData("en", "COD", "BEL", "Exports to Belgium declared by the Democratic Republic of the Congo in 2022 (volume in carats): 1,000 ct; imports from the Democratic Republic of the Congo declared by Belgium: 1,400 ct")]
    [InlineData("fr", "AGO", "ARE", "Exportations vers les Émirats arabes unis déclarées par l'Angola en 2022 (volume en carats) : 1 000 ct ; importations de l'Angola déclarées par les Émirats arabes unis : 1 400 ct")]
    [InlineData("pt", "AGO", "ARE", "Exportações para os Emirados Árabes Unidos declaradas por Angola em 2022 (volume em quilates): 1.000 ct; importações de Angola declaradas pelos Emirados Árabes Unidos: 1.400 ct")]
    [InlineData("fr", "CMR", "CAF", "Exportations vers la République centrafricaine déclarées par le Cameroun en 2022 (volume en carats) : 1 000 ct ; importations du Cameroun déclarées par la République centrafricaine : 1 400 ct")]
    public async Task AMirrorGapSaysWhereTheDiamondsWentWithTheRightArticles(string language, string country, string partner, string start)
    {
        await Import(
        [
            TradeHeader,
            $"{country},{partner},2022,FY,export,,1000,,,https://a.example/exports,Exporter,,exact,national,",
            $"{partner},{country},2022,FY,import,,1400,,,https://b.example/imports,Importer,,exact,national,",
        ]);
        await Analyze();

        var explanation = Plain((await ApiFindings("?rule=mirrorGap", language)).Single().GetProperty("explanation").GetString()!);

        Assert.StartsWith(start, explanation);
    }

    [Theory]
    [InlineData("fr", "Exportations de la République centrafricaine, 2022, volume en carats : les parties publiées par KP totalisent 1 200 ct, le total publié par la même source dit 1 000 ct")]
    [InlineData("en", "Exports of the Central African Republic, 2022, volume in carats: the parts published by KP add up to 1,200 ct, the total from the same source says 1,000 ct")]
    [InlineData("pt", "Exportações da República Centro-Africana, 2022, volume em quilates: as partes publicadas por KP somam 1.200 ct, o total da mesma fonte indica 1.000 ct")]
    public async Task PartsThatDoNotMakeTheTotalAreToldWithTheCountrysArticle(string language, string start)
    {
        await Import(
        [
            ImportFiles.NationalHeader,
            "CAF,2022,FY,export,total,1000,,,https://a.example/kp,KP,,exact,",
            "CAF,2022,FY,export,artisanal,700,,,https://a.example/kp,KP,,exact,",
            "CAF,2022,FY,export,industrial,500,,,https://a.example/kp,KP,,exact,",
        ]);
        await Analyze();

        var explanation = Plain((await ApiFindings("?rule=partsAndTotal", language)).Single().GetProperty("explanation").GetString()!);

        Assert.StartsWith(start, explanation);
    }

    [Theory]
    [InlineData("fr", "BEL", "la Belgique", "de la Belgique", "vers la Belgique", "en Belgique")]
    [InlineData("fr", "AGO", "l'Angola", "de l'Angola", "vers l'Angola", "en Angola")]
    [InlineData("fr", "CMR", "le Cameroun", "du Cameroun", "vers le Cameroun", "au Cameroun")]
    [InlineData("fr", "ARE", "les Émirats arabes unis", "des Émirats arabes unis", "vers les Émirats arabes unis", "aux Émirats arabes unis")]
    [InlineData("fr", "CAF", "la République centrafricaine", "de la République centrafricaine", "vers la République centrafricaine", "en République centrafricaine")]
    [InlineData("fr", "ISR", "Israël", "d'Israël", "vers Israël", "en Israël")]
    [InlineData("fr", "SGP", "Singapour", "de Singapour", "vers Singapour", "à Singapour")]
    [InlineData("pt", "BEL", "a Bélgica", "da Bélgica", "para a Bélgica", "na Bélgica")]
    [InlineData("pt", "AGO", "Angola", "de Angola", "para Angola", "em Angola")]
    [InlineData("pt", "COG", "a República do Congo", "da República do Congo", "para a República do Congo", "na República do Congo")]
    [InlineData("pt", "ARE", "os Emirados Árabes Unidos", "dos Emirados Árabes Unidos", "para os Emirados Árabes Unidos", "nos Emirados Árabes Unidos")]
    [InlineData("pt", "CMR", "os Camarões", "dos Camarões", "para os Camarões", "nos Camarões")]
    [InlineData("en", "ARE", "the United Arab Emirates", "from the United Arab Emirates", "to the United Arab Emirates", "in the United Arab Emirates")]
    [InlineData("en", "BEL", "Belgium", "from Belgium", "to Belgium", "in Belgium")]
    public void EveryCountryIsNamedWithItsArticleAndPreposition(string language, string iso3, string the, string from, string to, string @in)
    {
        using var scope = App.Services.CreateScope();
        var names = scope.ServiceProvider.GetRequiredService<CountryNamer>();
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(language);
        try
        {
            Assert.Equal((the, from, to, @in), (names.The(iso3), names.From(iso3), names.To(iso3), names.In(iso3)));
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }

    [Fact]
    public void EveryCountryWithANameHasItsArticlesWritten()
    {
        var texts = App.Services.GetRequiredService<IStringLocalizer<Texts>>();
        var codes = texts.GetAllStrings(includeParentCultures: false).Select(s => s.Name)
            .Where(n => n.StartsWith("Country_", StringComparison.Ordinal) && n.Length == "Country_".Length + 3 && n[8..].All(char.IsAsciiLetterUpper))
            .Select(n => n[8..]).ToList();

        Assert.True(codes.Count > 240);
        Assert.Equal([], codes.Where(c => !CountryNames.Articles.ContainsKey(c)).ToList());
    }

    [Theory]
    [InlineData("fr", 1, 0, 0, 1, "Analyse : 1 constat nouveau, 0 modifié, 0 résolu ; 1 constat actif.")]
    [InlineData("fr", 3, 2, 1, 5, "Analyse : 3 constats nouveaux, 2 modifiés, 1 résolu ; 5 constats actifs.")]
    [InlineData("en", 1, 0, 2, 1, "Analysis: 1 new finding, 0 changed, 2 resolved; 1 active finding.")]
    [InlineData("pt", 1, 2, 0, 3, "Análise: 1 constatação nova, 2 alteradas, 0 resolvidas; 3 constatações ativas.")]
    public void TheAnalysisCountsAgreeWithTheirNouns(string language, int raised, int changed, int resolved, int active, string expected)
    {
        var texts = App.Services.GetRequiredService<IStringLocalizer<Texts>>();
        var culture = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(language);
        try
        {
            Assert.Equal(expected, FindingTexts.AnalysisDone(texts, raised, changed, resolved, active));
        }
        finally
        {
            (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = culture;
        }
    }

    [Theory]
    [InlineData("fr", "attendu", "Source préférée : Source A", "2 000 ct", "Autre source : Source B", "3 200 ct", "tolérance de 0,1 %")]
    [InlineData("en", "expected", "Preferred source: Source A", "2,000 ct", "Other source: Source B", "3,200 ct", "tolerance of 0.1%")]
    [InlineData("pt", "esperado", "Fonte preferida: Source A", "2.000 ct", "Outra fonte: Source B", "3.200 ct", "tolerância de 0,1%")]
    public async Task TheDetailOfASourceConflictLabelsEachFigureByItsSourceAndNeverSaysExpected(
        string language, string never, string preferred, string preferredValue, string other, string otherValue, string threshold)
    {
        await Import(IndonesiaTiny);
        await Analyze();
        var id = (await ApiFindings()).Single().GetProperty("id").GetInt32();

        var html = Plain(await Client(language).GetStringAsync($"/findings/{id}", Cancel));

        Assert.DoesNotContain(never, html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"<dt>{preferred}</dt><dd>{preferredValue} (", html);
        Assert.Contains($"<dt>{other}</dt><dd>{otherValue}</dd>", html);
        Assert.Contains(threshold, html);
        Assert.Contains("href=\"https://a.example/esdm\"", html);
        Assert.Contains("href=\"https://b.example/press\"", html);
    }
}
