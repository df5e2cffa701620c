using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Kimberlite.Tests;

/// <summary>The /import page's two steps, as an analyst's browser posts them.</summary>
public static partial class Uploads
{
    private static string Docs => Path.Combine(Repository.Root, "docs", "field");

    /// <summary>The Kobo sample export, which names a reporter, and its mapping.</summary>
    public static byte[] KoboExport => File.ReadAllBytes(Path.Combine(Docs, "kobo-incident-export-sample.csv"));
    public static byte[] KoboMapping => File.ReadAllBytes(Path.Combine(Docs, "kobo-incident-mapping.json"));
    /// <summary>The reporter and the contact the sample export holds, never to be stored in plaintext.</summary>
    public static readonly string[] Secrets = ["Exemple Informateur", "+236 00 00 00 00"];

    /// <summary>A Kimberley Process table, confirmed under its publisher at the check.</summary>
    public static byte[] KpTable(int year = 2021) =>
        Encoding.UTF8.GetBytes($"Country,Year,Production volume (ct),Production value (USD)\nGabon,{year},100,5000\nAngola,{year},8000000,1200000000\n");

    /// <summary>Checks a file on /import; returns the waiting upload's identifier (null if it does not wait) and the page.</summary>
    public static async Task<(string? Upload, string Page)> CheckAsync(HttpClient analyst, byte[] file, string name, byte[]? mapping = null, string? publisher = null)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent((await People.TokenAsync(analyst, "/import"))!), "__RequestVerificationToken" },
            { new ByteArrayContent(file), "file", name },
        };
        if (mapping is not null)
            form.Add(new ByteArrayContent(mapping), "mapping", "mapping.json");
        if (publisher is not null)
            form.Add(new StringContent(publisher), "publisher");
        var response = await analyst.PostAsync("/import?handler=Check", form, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return (UploadPattern().Match(page) is { Success: true } m ? m.Groups[1].Value : null, page);
    }

    public static Task<HttpResponseMessage> CommitAsync(HttpClient analyst, string upload, string? publisher = null)
    {
        var fields = new Dictionary<string, string> { ["upload"] = upload };
        if (publisher is not null)
            fields["publisher"] = publisher;
        return People.PostFormAsync(analyst, "/import?handler=Commit", fields, tokenFrom: "/import");
    }

    public static Task<HttpResponseMessage> CancelAsync(HttpClient analyst, string upload) =>
        People.PostFormAsync(analyst, "/import?handler=Cancel", new() { ["upload"] = upload }, tokenFrom: "/import");

    [GeneratedRegex("name=\"upload\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex UploadPattern();
}
