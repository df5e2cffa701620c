using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Kimberlite.Tests;

public sealed class ApiTests(BundledApp app) : IClassFixture<BundledApp>
{
    private readonly HttpClient _client = app.CreateClient();
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<JsonElement> Json(string url)
    {
        var response = await _client.GetAsync(url, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }

    [Fact]
    public async Task CountriesListsTheSixCoalitionCountriesFirstWithTheirNames()
    {
        var countries = (await Json("/api/v1/countries")).EnumerateArray().ToList();

        Assert.Equal(["AGO", "CAF", "CMR", "COD", "COG", "GAB"], countries.Take(6).Select(c => c.GetProperty("iso3").GetString()));
        Assert.All(countries.Take(6), c => Assert.True(c.GetProperty("coalition").GetBoolean()));
        Assert.Equal("République démocratique du Congo", countries[3].GetProperty("name").GetString());
    }

    [Fact]
    public async Task CountryNamesFollowTheRequestedLanguage()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/countries");
        request.Headers.AcceptLanguage.ParseAdd("en");
        var countries = await (await _client.SendAsync(request, Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Contains(countries.EnumerateArray(), c => c.GetProperty("name").GetString() == "Democratic Republic of the Congo");
    }

    [Fact]
    public async Task StatisticsOfACountryFilterByMetricYearsAndSource()
    {
        var figures = (await Json("/api/v1/countries/COD/statistics?metric=production&years=2022&source=kp")).EnumerateArray().ToList();

        // data/kp_production.csv lines 163, 196 and 199: three sources give COD's 2022 production; the Kimberley
        // Process's own table (data/kp_production_halfyear_2003-2024.xlsx, lines 415 to 419) gives its halves, artisanal and industrial.
        Assert.Equal([871287.39m, 1372324.53m, 1761189.74m, 3378987.65m, 3396495.74m, 9900000m, 9908997.66m, 10780000m],
            figures.Select(f => f.GetProperty("carats").GetDecimal()).Order());
        Assert.All(figures, f =>
        {
            Assert.Equal("production", f.GetProperty("metric").GetString());
            Assert.Equal(2022, f.GetProperty("year").GetInt32());
            Assert.Equal("kimberleyProcess", f.GetProperty("sourceKind").GetString());
            Assert.False(string.IsNullOrEmpty(f.GetProperty("sourcePublisher").GetString()));
        });
    }

    [Fact]
    public async Task AYearSpanKeepsOnlyFiguresOfThoseYears()
    {
        var figures = (await Json("/api/v1/countries/AGO/statistics?years=2019-2021")).EnumerateArray().ToList();

        Assert.NotEmpty(figures);
        Assert.All(figures, f => Assert.InRange(f.GetProperty("year").GetInt32(), 2019, 2021));
    }

    [Fact]
    public async Task StatisticsAlsoComeAsCsvWithTheSourceOfEveryFigure()
    {
        var response = await _client.GetAsync("/api/v1/countries/COD/statistics?metric=production&years=2022&source=kp&format=csv", Cancel);
        var csv = await response.Content.ReadAsStringAsync(Cancel);

        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,dataset_id,line,country_iso3,partner_iso3,metric,", lines[0]);
        Assert.Equal(9, lines.Length);
        Assert.Contains(lines, l => l.Contains("9908997.66") && l.Contains("HowAfrica"));
    }

    [Fact]
    public async Task AnUnknownCountryIsAProblemThatSaysWhatToUse()
    {
        var response = await _client.GetAsync("/api/v1/countries/XYZ/statistics", Cancel);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("ISO 3166-1 alpha-3", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("metric=diamonds", "metric", "production, export")]
    [InlineData("years=last", "years", "2015-2020")]
    [InlineData("source=press", "source", "kp, national")]
    [InlineData("format=xml", "format", "json or csv")]
    public async Task ABadFilterIsAValidationProblemThatSaysWhatToChange(string query, string field, string advice)
    {
        var response = await _client.GetAsync($"/api/v1/countries/COD/statistics?{query}", Cancel);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(advice, problem.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task DatasetsGiveTheirProvenanceAndImportReport()
    {
        var datasets = (await Json("/api/v1/datasets")).EnumerateArray().ToList();
        var fiscal = datasets.Single(d => d.GetProperty("fileName").GetString() == "fiscal_revenue.csv");
        var detail = await Json($"/api/v1/datasets/{fiscal.GetProperty("id").GetInt32()}");

        Assert.Equal(5, datasets.Count);
        Assert.Matches("^[0-9a-f]{64}$", fiscal.GetProperty("sha256").GetString());
        Assert.Equal("2026-11-29", fiscal.GetProperty("retrievedOn").GetString());
        Assert.Equal((15, 14, 1), (fiscal.GetProperty("rowsRead").GetInt32(), fiscal.GetProperty("rowsLoaded").GetInt32(), fiscal.GetProperty("rowsRefused").GetInt32()));
        var refused = detail.GetProperty("report").EnumerateArray().Single(i => i.GetProperty("kind").GetString() == "refused");
        Assert.Equal((12, "amount", "200000000-400000000"), (refused.GetProperty("line").GetInt32(), refused.GetProperty("column").GetString(), refused.GetProperty("value").GetString()));
        Assert.Contains("nombre", refused.GetProperty("message").GetString());
    }

    [Fact]
    public async Task DatasetsAndTheirReportsComeAsCsv()
    {
        var list = await _client.GetStringAsync("/api/v1/datasets?format=csv", Cancel);
        var report = await _client.GetStringAsync("/api/v1/datasets/4/report?format=csv", Cancel);

        Assert.Equal(6, list.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("line,column,value,kind,reason,message", report);
        Assert.Contains("12,amount,200000000-400000000,refused,Import_Number_NotANumber", report);
    }

    [Fact]
    public async Task AMissingDatasetIsAProblem()
    {
        var response = await _client.GetAsync("/api/v1/datasets/9999", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesEveryEndpoint()
    {
        var document = await Json("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Equal("Kimberlite API", document.GetProperty("info").GetProperty("title").GetString());
        Assert.Contains("/api/v1/countries", paths);
        Assert.Contains("/api/v1/countries/{iso3}/statistics", paths);
        Assert.Contains("/api/v1/datasets", paths);
        Assert.Contains("/api/v1/datasets/{id}", paths);
    }

    [Fact]
    public async Task TheApiReferencePageIsServedWithoutAThirdPartyHost()
    {
        var html = await _client.GetStringAsync("/api/docs", Cancel);

        Assert.Contains("Référence de l'API", System.Net.WebUtility.HtmlDecode(html));
        Assert.DoesNotMatch(@"(src|href)=""https?://", html);
    }

    [Theory]
    [InlineData("dataset=abc", "dataset", "/api/v1/datasets")]
    [InlineData("years=2020-2015", "years", "2015-2020")]
    public async Task AFilterThatCannotBeReadSaysHowToWriteIt(string query, string field, string advice)
    {
        var response = await _client.GetAsync($"/api/v1/countries/COD/statistics?{query}&metric=zzz", Cancel);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(advice, errors.GetProperty(field)[0].GetString());
        Assert.Contains("production", errors.GetProperty("metric")[0].GetString());
    }

    [Fact]
    public async Task ASpanOfOneYearIsThatYear()
    {
        var one = (await Json("/api/v1/countries/COD/statistics?years=2022-2022")).GetArrayLength();
        var year = (await Json("/api/v1/countries/COD/statistics?years=2022")).GetArrayLength();

        Assert.True(one > 0);
        Assert.Equal(year, one);
    }

    [Fact]
    public async Task CsvWritesValuesAsTheJsonDoes()
    {
        var csv = await _client.GetStringAsync("/api/v1/countries/COD/statistics?years=2004&metric=export&source=national&format=csv", Cancel);

        // data/national_stats.csv line 2: COD 2004 exports, 29453000 carats.
        Assert.Contains(",export,", csv);
        Assert.Contains(",29453000,", csv);
        Assert.Contains(",national,", csv);
        Assert.DoesNotContain("29453000.0", csv);
    }
}
