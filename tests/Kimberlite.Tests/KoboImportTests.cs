using System.Net;
using Kimberlite.Accounts;
using Kimberlite.Field;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>KoboToolbox and ODK Central exports in every shape they are downloaded, read through one mapping or refused with the reason.</summary>
public sealed class KoboImportTests : EmptyAppTest
{
    private static string Docs => Path.Combine(Repository.Root, "docs", "field");

    private async Task<HttpClient> AnalystAsync()
    {
        await People.CreateAsync(App, "analyst@example.org", MemberRole.Analyst, "CRAGG", twoFactor: false);
        return await People.SignInAsync(App, "analyst@example.org");
    }

    private async Task<HttpResponseMessage> CheckOnPageAsync(HttpClient analyst, byte[] export, string exportName, string mapping)
    {
        var token = await People.TokenAsync(analyst, "/import");
        var form = new MultipartFormDataContent
        {
            { new StringContent(token!), "__RequestVerificationToken" },
            { new ByteArrayContent(export), "file", exportName },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(mapping)), "mapping", "mapping.json" },
        };
        return await analyst.PostAsync("/import?handler=Check", form, Cancel);
    }

    [Fact]
    public async Task AMappingThatPointsTwoFieldsAtOneColumnIsRefusedOnTheImportPageWithTheColumnNamed()
    {
        var analyst = await AnalystAsync();
        var export = await File.ReadAllBytesAsync(Path.Combine(Docs, "kobo-incident-export-sample.csv"), Cancel);
        var mapping = (await File.ReadAllTextAsync(Path.Combine(Docs, "kobo-incident-mapping.json"), Cancel))
            .Replace("\"perpetrator\": \"auteurs\"", "\"perpetrator\": \"recit\"");

        var response = await CheckOnPageAsync(analyst, export, "kobo.csv", mapping);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel));
        Assert.Contains("recit", page);
        Assert.Contains("description, perpetrator", page);
        Assert.Equal(0, await App.WithDb(db => db.Incidents.CountAsync(Cancel)));
    }
}
