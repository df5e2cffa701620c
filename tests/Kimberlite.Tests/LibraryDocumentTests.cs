using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kimberlite.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>An empty observatory for the library's tests, with the OCR a test machine has (./test.sh installs Tesseract).</summary>
public sealed class LibraryDocumentsApp() : KimberliteApp(loadBundledData: false);

/// <summary>
/// The library's documents on real small files (Fixtures/library/README.md): uploaded through the API, the page and the
/// command line, extracted in the background page by page, OCR'd where Tesseract is installed, and seen only by whom they are for.
/// </summary>
public sealed class LibraryDocumentTests(LibraryDocumentsApp app) : IClassFixture<LibraryDocumentsApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private static string Fixtures => Path.Combine(Repository.Root, "tests", "Kimberlite.Tests", "Fixtures", "library");
    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(Fixtures, name));
    private static string Email(string who) => $"{who}-{Guid.NewGuid():N}@example.org";

    /// <summary>The same file can be stored once only: tests that need their own document change one byte of a text file's copy.</summary>
    private static byte[] Unique(string name)
    {
        var text = Encoding.UTF8.GetString(Fixture(name));
        return Encoding.UTF8.GetBytes(text + "\n" + Guid.NewGuid().ToString("N") + "\n");
    }

    private static bool TesseractInstalled => Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => File.Exists(Path.Combine(d, "tesseract")));

    private static MultipartFormDataContent Form(byte[] content, string fileName, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        foreach (var (name, value) in fields)
            form.Add(new StringContent(value), name);
        return form;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Cancel)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }

    private static async Task<int> UploadAsync(HttpClient client, byte[] content, string fileName, params (string, string)[] fields)
    {
        var response = await client.PostAsync("/api/v1/documents", Form(content, fileName, fields), Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json(response)).GetProperty("id").GetInt32();
    }

    /// <summary>Waits, as a reader refreshing the page would, until the background extraction has finished with the document.</summary>
    private static async Task<JsonElement> ExtractedAsync(HttpClient client, int id)
    {
        while (true)
        {
            var document = await Json(await client.GetAsync($"/api/v1/documents/{id}", Cancel));
            if (document.GetProperty("extraction").GetString() is "done" or "failed")
                return document;
            await Task.Delay(50, Cancel);
        }
    }

    private static async Task<JsonElement> PageAsync(HttpClient client, int id, int number) =>
        await Json(await client.GetAsync($"/api/v1/documents/{id}/pages/{number}", Cancel));

    [Fact]
    public async Task APdfWithATextLayerIsExtractedPageByPageWithItsOwnTitle()
    {
        var analyst = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst);
        var response = await analyst.PostAsync("/api/v1/documents", Form(Fixture("tagged.pdf"), "tagged.pdf", ("type", "report"), ("countries", "CAF"), ("countries", "CMR")), Cancel);
        if (response.StatusCode == HttpStatusCode.OK)
            response = await analyst.GetAsync($"/api/v1/documents/{(await Json(response)).GetProperty("id").GetInt32()}", Cancel);
        var id = (await Json(response)).GetProperty("id").GetInt32();
        var document = await ExtractedAsync(analyst, id);
        Assert.Equal("done", document.GetProperty("extraction").GetString());
        Assert.Equal("Tagged PDF Demo", document.GetProperty("title").GetString());
        Assert.Equal("pdf", document.GetProperty("format").GetString());
        Assert.Equal(["CAF", "CMR"], document.GetProperty("countries").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(2, document.GetProperty("pageCount").GetInt32());
        Assert.Equal(2, document.GetProperty("pagesDone").GetInt32());
        var first = await PageAsync(analyst, id, 1);
        Assert.Equal("text", first.GetProperty("source").GetString());
        Assert.Contains("Document text.\nTable 1: Table caption", first.GetProperty("text").GetString());
        Assert.Equal("Page 2 Heading\nBody text.", (await PageAsync(analyst, id, 2)).GetProperty("text").GetString());
    }

    [Fact]
    public async Task AScannedPageIsReadByOcrWhereTesseractIsInstalled()
    {
        var analyst = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst);
        var response = await analyst.PostAsync("/api/v1/documents", Form(Fixture("c02-22.pdf"), "huckleberry-finn-page-22.pdf", ("visibility", "public")), Cancel);
        var id = (await Json(response)).GetProperty("id").GetInt32();
        var document = await ExtractedAsync(analyst, id);
        Assert.Equal("done", document.GetProperty("extraction").GetString());
        var page = await PageAsync(analyst, id, 1);
        Assert.True(TesseractInstalled, "./test.sh installs tesseract-ocr; this test asserts what it reads");
        Assert.Equal("ocr", page.GetProperty("source").GetString());
        var text = page.GetProperty("text").GetString()!;
        Assert.Contains("widow", text);
        Assert.Contains("garden", text);
        var html = await People.Client(app).GetStringAsync($"/library/{id}", Cancel);
        Assert.DoesNotContain("Scanned page, not searchable", html);
    }

    [Fact]
    public async Task WithoutTesseractAScannedPageIsMarkedScannedNotSearchableNeverSilentlyEmpty()
    {
        await using var noOcr = new KimberliteApp(loadBundledData: false, ("Kimberlite:Library:OcrCommand", "kimberlite-no-such-ocr-program"));
        var analyst = await People.ApiClientAsync(noOcr, Email("analyst"), MemberRole.Analyst);
        var id = await UploadAsync(analyst, Fixture("c02-22.pdf"), "scan.pdf", ("visibility", "public"));
        var document = await ExtractedAsync(analyst, id);
        Assert.Equal("done", document.GetProperty("extraction").GetString());
        var page = await PageAsync(analyst, id, 1);
        Assert.Equal("scanned", page.GetProperty("source").GetString());
        Assert.False(page.GetProperty("searchable").GetBoolean());
        var english = People.Client(noOcr);
        english.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var html = await english.GetStringAsync($"/library/{id}?culture=en", Cancel);
        Assert.Contains("id=\"page-1\"", html);
        Assert.Contains("not searchable", html);
    }

    [Fact]
    public async Task ADocxIsSplitIntoPagesAtItsPageBreaks()
    {
        var analyst = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst);
        var response = await analyst.PostAsync("/api/v1/documents", Form(Fixture("par-rendered-page-breaks.docx"), "breaks.docx"), Cancel);
        var id = (await Json(response)).GetProperty("id").GetInt32();
        var document = await ExtractedAsync(analyst, id);
        Assert.Equal("docx", document.GetProperty("format").GetString());
        Assert.Equal(6, document.GetProperty("pageCount").GetInt32());
        Assert.Equal("No page breaks\nPage break here>>", (await PageAsync(analyst, id, 1)).GetProperty("text").GetString());
        Assert.Equal("<<followed by more text.\nPage break in>>", (await PageAsync(analyst, id, 2)).GetProperty("text").GetString());
        Assert.Equal("<<in one run.", (await PageAsync(analyst, id, 6)).GetProperty("text").GetString());
    }

    [Fact]
    public async Task AnOdtHtmlAndTextFileAreReadWithTheirTitles()
    {
        var analyst = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst);
        var odt = await ExtractedAsync(analyst, (await Json(await analyst.PostAsync("/api/v1/documents", Form(Fixture("example.odt"), "example.odt"), Cancel))).GetProperty("id").GetInt32());
        Assert.Equal("This is the title", odt.GetProperty("title").GetString());
        var odtText = (await PageAsync(analyst, odt.GetProperty("id").GetInt32(), 1)).GetProperty("text").GetString()!;
        Assert.Contains("This is the first paragraph.", odtText);
        Assert.Contains("diacritical signs: éè", odtText);
        Assert.DoesNotContain("This is an annotation", odtText);
        var broken = await ExtractedAsync(analyst, (await Json(await analyst.PostAsync("/api/v1/documents", Form(Fixture("pagebreak.odt"), "pagebreak.odt"), Cancel))).GetProperty("id").GetInt32());
        Assert.Equal(2, broken.GetProperty("pageCount").GetInt32());
        Assert.Equal("second paragraph", (await PageAsync(analyst, broken.GetProperty("id").GetInt32(), 2)).GetProperty("text").GetString());

        var html = await ExtractedAsync(analyst, (await Json(await analyst.PostAsync("/api/v1/documents", Form(Fixture("418.html"), "418.html"), Cancel))).GetProperty("id").GetInt32());
        Assert.Equal("HTCPCP: 418", html.GetProperty("title").GetString());
        Assert.Equal("HTCPCP: 418\nError.\nHTCPCP 1.0 / RFC 2324", (await PageAsync(analyst, html.GetProperty("id").GetInt32(), 1)).GetProperty("text").GetString());

        var txt = await ExtractedAsync(analyst, (await Json(await analyst.PostAsync("/api/v1/documents", Form(Fixture("rfc2324.txt"), "rfc2324.txt"), Cancel))).GetProperty("id").GetInt32());
        Assert.Equal("rfc2324", txt.GetProperty("title").GetString());
        Assert.Equal("en", txt.GetProperty("language").GetString());
        Assert.Contains("418 I'm a teapot", (await PageAsync(analyst, txt.GetProperty("id").GetInt32(), 1)).GetProperty("text").GetString());
    }

    [Fact]
    public async Task AFormFeedStartsANewPageOfATextFile()
    {
        var analyst = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst);
        var rfc = Encoding.UTF8.GetString(Fixture("rfc2324.txt"));
        var paged = rfc.Replace("2. HTCPCP Protocol", "\f2. HTCPCP Protocol") + Guid.NewGuid();
        var id = await UploadAsync(analyst, Encoding.UTF8.GetBytes(paged), "rfc2324-paged.txt");
        var document = await ExtractedAsync(analyst, id);
        Assert.Equal(2, document.GetProperty("pageCount").GetInt32());
        Assert.StartsWith("2. HTCPCP Protocol", (await PageAsync(analyst, id, 2)).GetProperty("text").GetString());
    }

    [Fact]
    public async Task TheSameFileTwiceSaysWhichDocumentItAlreadyIsAndStoresNothingNew()
    {
        var analyst = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst);
        var content = Unique("rfc2324.txt");
        var id = await UploadAsync(analyst, content, "first.txt");
        var before = await app.WithDb(db => db.StoredFiles.CountAsync(Cancel));
        var again = await analyst.PostAsync("/api/v1/documents", Form(content, "renamed.txt", ("title", "Another title")), Cancel);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var existing = await Json(again);
        Assert.Equal(id, existing.GetProperty("id").GetInt32());
        Assert.Equal("first", existing.GetProperty("title").GetString());
        Assert.Equal(before, await app.WithDb(db => db.StoredFiles.CountAsync(Cancel)));

        // The page says so too, with a link to the document.
        var page = await People.SignInAsync(app, (await People.CreateAsync(app, Email("page-analyst"), MemberRole.Analyst)).Email!);
        var token = await People.TokenAsync(page, "/library/upload");
        var form = Form(content, "again.txt", ("__RequestVerificationToken", token!));
        var html = await (await page.PostAsync("/library/upload", form, Cancel)).Content.ReadAsStringAsync(Cancel);
        Assert.Contains($"href=\"/library/{id}\"", html);
    }

    [Fact]
    public async Task AnUploadThroughThePageOpensTheNewDocument()
    {
        var page = await People.SignInAsync(app, (await People.CreateAsync(app, Email("page-analyst"), MemberRole.Analyst)).Email!);
        var token = await People.TokenAsync(page, "/library/upload");
        var form = Form(Unique("rfc2324.txt"), "coffee.txt", ("__RequestVerificationToken", token!), ("title", "Le protocole de la cafetière"),
            ("type", "press"), ("countries", "GAB"), ("visibility", "public"), ("publishedOn", "1998-04-01"));
        var response = await page.PostAsync("/library/upload", form, Cancel);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Matches("^/library/[0-9]+$", location);
        var id = int.Parse(location["/library/".Length..], System.Globalization.CultureInfo.InvariantCulture);
        await ExtractedAsync(People.Client(app), id);
        var html = await People.Client(app).GetStringAsync(location, Cancel);
        Assert.Contains("Le protocole de la cafetière", html);
        Assert.Contains("id=\"page-1\"", html);
        Assert.Contains("418 I&#x27;m a teapot", html);
        Assert.Contains($"href=\"/api/v1/documents/{id}/file\"", html);
        var one = await People.Client(app).GetStringAsync($"{location}?page=1", Cancel);
        Assert.Contains("id=\"page-1\"", one);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("exe")]
    [InlineData("zip")]
    [InlineData("empty")]
    public async Task AFileThatCannotBeReadIsRefusedWithTheReasonAndNothingIsKept(string kind)
    {
        var analyst = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst);
        var (content, name, reason) = kind switch
        {
            "truncated" => (Fixture("tagged.pdf")[..20_000], "report.pdf", "The PDF cannot be opened"),
            // A program renamed as a report: its content says what it is, not its name.
            "exe" => (File.ReadAllBytes(typeof(object).Assembly.Location), "report.pdf", "not a PDF, DOCX, ODT, HTML or UTF-8 text"),
            "zip" => (Fixture("par-rendered-page-breaks.docx")[..6_000], "minutes.docx", "damaged"),
            _ => ([], "empty.txt", "empty"),
        };
        var (documents, files) = await app.WithDb(async db => (await db.Documents.CountAsync(Cancel), await db.StoredFiles.CountAsync(Cancel)));
        var response = await analyst.PostAsync("/api/v1/documents", Form(content, name), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Contains(reason, problem.GetProperty("errors").GetProperty("file")[0].GetString());
        Assert.Equal((documents, files), await app.WithDb(async db => (await db.Documents.CountAsync(Cancel), await db.StoredFiles.CountAsync(Cancel))));
    }

    [Fact]
    public async Task AFailedExtractionIsShownAndCanBeRetried()
    {
        var analyst = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst);
        var id = await UploadAsync(analyst, Unique("rfc2324.txt"), "lost.txt");
        await ExtractedAsync(analyst, id);
        // The stored file lost: what an operator's mistake with the file store would do.
        var stored = await app.WithDb(db => db.Documents.Where(d => d.Id == id).Select(d => d.StoredName).SingleAsync(Cancel));
        var content = await app.WithDb(db => db.StoredFiles.Where(f => f.Name == stored).Select(f => f.Content).SingleAsync(Cancel));
        await app.WithDb(async db =>
        {
            await db.StoredFiles.Where(f => f.Name == stored).ExecuteDeleteAsync(Cancel);
            return await db.Documents.Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Extraction, Library.ExtractionState.Waiting), Cancel);
        });
        Kimberlite.Library.DocumentLibrary.Uploaded.Release();
        var failed = await ExtractedAsync(analyst, id);
        Assert.Equal("failed", failed.GetProperty("extraction").GetString());
        Assert.Contains("missing from the file store", failed.GetProperty("extractionError").GetString());
        var html = await (await People.SignInAsync(app, (await People.CreateAsync(app, Email("viewer"), MemberRole.Viewer)).Email!)).GetStringAsync($"/library/{id}", Cancel);
        Assert.Contains("missing from the file store", html);

        await app.WithDb(async db =>
        {
            db.StoredFiles.Add(new Infrastructure.Files.StoredFile { Name = stored, Content = content, Length = content.Length });
            return await db.SaveChangesAsync(Cancel);
        });
        var retried = await analyst.PostAsync($"/api/v1/documents/{id}/retry", null, Cancel);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var done = await ExtractedAsync(analyst, id);
        Assert.Equal("done", done.GetProperty("extraction").GetString());
        Assert.Equal(3, done.GetProperty("attempts").GetInt32());
        Assert.Equal(1, await app.WithDb(db => db.DocumentPages.CountAsync(p => p.DocumentId == id, Cancel)));
        Assert.Equal(HttpStatusCode.Conflict, (await analyst.PostAsync($"/api/v1/documents/{id}/retry", null, Cancel)).StatusCode);
    }

    [Fact]
    public async Task TheDocumentPageShowsTheExtractionsProgressAndRefreshesItselfWhileItRuns()
    {
        var analyst = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst);
        var id = await UploadAsync(analyst, Unique("rfc2324.txt"), "long-report.txt", ("visibility", "public"));
        await ExtractedAsync(analyst, id);
        // A 300-page report another server is reading: the state its progress writes page by page, its lease running.
        await app.WithDb(db => db.Documents.Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Extraction, Library.ExtractionState.Running)
            .SetProperty(d => d.PageCount, 300).SetProperty(d => d.PagesDone, 12).SetProperty(d => d.ExtractionLeaseUntilUtc, DateTime.UtcNow.AddHours(1)), Cancel));
        var english = People.Client(app);
        english.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var running = await english.GetStringAsync($"/library/{id}", Cancel);
        Assert.Contains("Extracting the text: page 12 of 300", running);
        Assert.Contains("<meta http-equiv=\"refresh\" content=\"5\">", running);
        var api = await Json(await analyst.GetAsync($"/api/v1/documents/{id}", Cancel));
        Assert.Equal((12, 300), (api.GetProperty("pagesDone").GetInt32(), api.GetProperty("pageCount").GetInt32()));

        await app.WithDb(db => db.Documents.Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Extraction, Library.ExtractionState.Done)
            .SetProperty(d => d.PageCount, 1).SetProperty(d => d.PagesDone, 1), Cancel));
        Assert.DoesNotContain("http-equiv=\"refresh\"", await english.GetStringAsync($"/library/{id}", Cancel));
    }

    /// <summary>The state a server leaves a document in while it reads page <paramref name="done"/>, its lease running until <paramref name="leaseUntil"/>.</summary>
    private async Task ReadingAsync(int id, int pages, int done, DateTime leaseUntil)
    {
        await app.WithDb(async db =>
        {
            var document = await db.Documents.SingleAsync(d => d.Id == id, Cancel);
            document.Extraction = Library.ExtractionState.Running;
            (document.PageCount, document.PagesDone, document.ExtractionLeaseUntilUtc) = (pages, done, leaseUntil);
            document.Attempts++;
            return await db.SaveChangesAsync(Cancel);
        });
    }

    private DateTime Now => app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    [Fact]
    public async Task ADocumentLeftRunningByADeadServerIsExtractedAgainOnceItsLeaseRanOutAndOneStillLeasedIsLeftAlone()
    {
        var analyst = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst);
        var held = await UploadAsync(analyst, Unique("rfc2324.txt"), "held.txt");
        var abandoned = await UploadAsync(analyst, Unique("rfc2324.txt"), "abandoned.txt");
        await ExtractedAsync(analyst, held);
        await ExtractedAsync(analyst, abandoned);

        // One still read by a live server; one whose server was killed at page 2 of 40, its lease run out since.
        await ReadingAsync(held, 40, 7, Now.AddHours(1));
        await ReadingAsync(abandoned, 40, 2, Now.AddSeconds(-1));
        Kimberlite.Library.DocumentLibrary.Uploaded.Release();

        var done = await ExtractedAsync(analyst, abandoned);
        Assert.Equal(("done", 1, 1), (done.GetProperty("extraction").GetString(), done.GetProperty("pagesDone").GetInt32(), done.GetProperty("pageCount").GetInt32()));
        Assert.Equal(3, done.GetProperty("attempts").GetInt32());
        Assert.Equal(1, await app.WithDb(db => db.DocumentPages.CountAsync(p => p.DocumentId == abandoned, Cancel)));
        // The extraction takes documents in order: had the leased one been claimable, it would have been taken first.
        var still = await Json(await analyst.GetAsync($"/api/v1/documents/{held}", Cancel));
        Assert.Equal(("running", 7, 2), (still.GetProperty("extraction").GetString(), still.GetProperty("pagesDone").GetInt32(), still.GetProperty("attempts").GetInt32()));
    }

    [Fact]
    public async Task ServersTakingOverTheSameAbandonedDocumentTogetherClaimItOnceOnly()
    {
        var analyst = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst);
        var id = await UploadAsync(analyst, Unique("rfc2324.txt"), "contested.txt");
        await ExtractedAsync(analyst, id);
        await ReadingAsync(id, 40, 2, Now.AddSeconds(-1));

        // Four servers of one database (and this app's own background extraction) look for it at once.
        async Task<bool> Server()
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<Library.DocumentExtractor>().ExtractAsync(id, Cancel);
        }
        Kimberlite.Library.DocumentLibrary.Uploaded.Release();
        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(Server, Cancel)));

        var done = await ExtractedAsync(analyst, id);
        Assert.True(claims.Count(c => c) <= 1);
        Assert.Equal(("done", 3), (done.GetProperty("extraction").GetString(), done.GetProperty("attempts").GetInt32()));
        Assert.Equal(1, await app.WithDb(db => db.DocumentPages.CountAsync(p => p.DocumentId == id, Cancel)));
    }

    [Fact]
    public async Task AnAnonymousReaderSeesAnExtractionsProgressItsEndAndARetryAtOnce()
    {
        var analyst = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst);
        var id = await UploadAsync(analyst, Unique("rfc2324.txt"), "public-report.txt", ("visibility", "public"));
        await ExtractedAsync(analyst, id);
        var anonymous = People.Client(app);
        async Task<(string?, int)> Read()
        {
            var document = await Json(await anonymous.GetAsync($"/api/v1/documents/{id}", Cancel));
            return (document.GetProperty("extraction").GetString(), document.GetProperty("pagesDone").GetInt32());
        }
        async Task<int> Catalogued() =>
            (await Json(await anonymous.GetAsync("/api/v1/documents/catalogue", Cancel))).EnumerateArray().Single(d => d.GetProperty("id").GetInt32() == id).GetProperty("pagesDone").GetInt32();

        await ReadingAsync(id, 40, 3, Now.AddHours(1));
        Assert.Equal(("running", 3), await Read());
        Assert.Equal(3, await Catalogued());
        // The reading server's next page, written in bulk as its progress is.
        await app.WithDb(db => db.Documents.Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.PagesDone, 4), Cancel));
        Assert.Equal(("running", 4), await Read());
        Assert.Equal(4, await Catalogued());

        // That server dies; once its lease has run out this one reads the document to the end.
        await app.WithDb(db => db.Documents.Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.ExtractionLeaseUntilUtc, Now.AddSeconds(-1)), Cancel));
        Kimberlite.Library.DocumentLibrary.Uploaded.Release();
        Assert.Equal("done", (await ExtractedAsync(anonymous, id)).GetProperty("extraction").GetString());
        Assert.Equal(("done", 1), await Read());
        Assert.Equal(1, await Catalogued());

        // A failure, read twice by the public, then retried by an analyst: the public sees the retry, not the failure kept in a cache.
        await app.WithDb(async db =>
        {
            var document = await db.Documents.SingleAsync(d => d.Id == id, Cancel);
            (document.Extraction, document.ExtractionError) = (Library.ExtractionState.Failed, "The file could not be read.");
            return await db.SaveChangesAsync(Cancel);
        });
        Assert.Equal("failed", (await Read()).Item1);
        Assert.Equal("failed", (await Read()).Item1);
        Assert.Equal(HttpStatusCode.OK, (await analyst.PostAsync($"/api/v1/documents/{id}/retry", null, Cancel)).StatusCode);
        Assert.NotEqual("failed", (await Read()).Item1);
        Assert.Equal("done", (await ExtractedAsync(anonymous, id)).GetProperty("extraction").GetString());
    }

    [Fact]
    public async Task EachReaderSeesOnlyTheDocumentsMeantForThem()
    {
        var relufa = await People.ApiClientAsync(app, Email("relufa"), MemberRole.Analyst, "RELUFA");
        var publicId = await UploadAsync(relufa, Unique("rfc2324.txt"), "public.txt", ("visibility", "public"));
        var coalitionId = await UploadAsync(relufa, Unique("rfc2324.txt"), "canary.txt", ("visibility", "coalition"), ("title", "CANARY coalition only"));
        var organisationId = await UploadAsync(relufa, Unique("rfc2324.txt"), "ours.txt", ("visibility", "organisation"));
        foreach (var id in new[] { publicId, coalitionId, organisationId })
            await ExtractedAsync(relufa, id);
        var anonymous = app.CreateClient();
        var cenadepViewer = await People.ApiClientAsync(app, Email("cenadep"), MemberRole.Viewer, "CENADEP");
        var relufaViewer = await People.ApiClientAsync(app, Email("relufa-viewer"), MemberRole.Viewer, "RELUFA");
        var expected = new (HttpClient Reader, int Id, bool Sees)[]
        {
            (anonymous, publicId, true), (anonymous, coalitionId, false), (anonymous, organisationId, false),
            (cenadepViewer, publicId, true), (cenadepViewer, coalitionId, true), (cenadepViewer, organisationId, false),
            (relufaViewer, publicId, true), (relufaViewer, coalitionId, true), (relufaViewer, organisationId, true),
        };
        foreach (var (reader, id, sees) in expected)
            foreach (var url in new[] { $"/api/v1/documents/{id}", $"/api/v1/documents/{id}/file", $"/api/v1/documents/{id}/pages/1" })
                Assert.Equal(sees ? HttpStatusCode.OK : HttpStatusCode.NotFound, (await reader.GetAsync(url, Cancel)).StatusCode);

        // The canary: never on a public page, in the public catalogue, or its page, in JSON or CSV.
        var browser = People.Client(app);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/library/{coalitionId}", Cancel)).StatusCode);
        Assert.DoesNotContain("CANARY", await anonymous.GetStringAsync("/api/v1/documents/catalogue", Cancel));
        Assert.DoesNotContain("CANARY", await anonymous.GetStringAsync("/api/v1/documents/catalogue?format=csv", Cancel));
        Assert.Contains("CANARY", await cenadepViewer.GetStringAsync("/api/v1/documents/catalogue", Cancel));
        var csv = await anonymous.GetStringAsync("/api/v1/documents/catalogue?format=csv", Cancel);
        Assert.StartsWith("id,title,type,countries,publishedOn,language", csv);
        Assert.Contains($"/api/v1/documents/{publicId}/file", csv);
    }

    [Fact]
    public async Task AWithdrawnDocumentKeepsItsRecordButNobodyFindsIt()
    {
        var analyst = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst);
        var id = await UploadAsync(analyst, Unique("rfc2324.txt"), "withdrawn.txt", ("visibility", "public"));
        await ExtractedAsync(analyst, id);
        var other = await People.ApiClientAsync(app, Email("other"), MemberRole.Analyst, "CENADEP");
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync($"/api/v1/documents/{id}/withdraw", new { reason = "not ours" }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await analyst.PostAsJsonAsync($"/api/v1/documents/{id}/withdraw", new { reason = "" }, Cancel)).StatusCode);
        var withdrawn = await Json(await analyst.PostAsJsonAsync($"/api/v1/documents/{id}/withdraw", new { reason = "Source asked for it" }, Cancel));
        Assert.True(withdrawn.GetProperty("withdrawn").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync($"/api/v1/documents/{id}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/documents/{id}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync($"/api/v1/documents/{id}/file", Cancel)).StatusCode);
        Assert.Equal("Source asked for it", (await Json(await analyst.GetAsync($"/api/v1/documents/{id}", Cancel))).GetProperty("withdrawnReason").GetString());
        var audit = await app.WithDb(db => db.AuditEntries.Where(e => e.Target == $"document {id}").OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync(Cancel));
        Assert.Equal(["document-uploaded", "document-withdrawn"], audit);
    }

    [Fact]
    public async Task MetadataIsChangedByTheUploadingOrganisationAndAVisibilityChangeIsAudited()
    {
        var analyst = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst);
        var id = await UploadAsync(analyst, Unique("rfc2324.txt"), "metadata.txt");
        var other = await People.ApiClientAsync(app, Email("other"), MemberRole.Analyst, "CENADEP");
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PutAsJsonAsync($"/api/v1/documents/{id}", new { title = "Mine" }, Cancel)).StatusCode);
        var bad = await analyst.PutAsJsonAsync($"/api/v1/documents/{id}", new { language = "de", countries = new[] { "XYZ" } }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var changed = await Json(await analyst.PutAsJsonAsync($"/api/v1/documents/{id}",
            new { title = "HTCPCP", language = "fr", visibility = "public", publisher = "IETF", licence = "IETF Trust", sourceUrl = "https://www.rfc-editor.org/rfc/rfc2324" }, Cancel));
        Assert.Equal("HTCPCP", changed.GetProperty("title").GetString());
        Assert.Equal("fr", changed.GetProperty("language").GetString());
        Assert.Equal("public", changed.GetProperty("visibility").GetString());
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync($"/api/v1/documents/{id}", Cancel)).StatusCode);
        var audit = await app.WithDb(db => db.AuditEntries.Where(e => e.Target == $"document {id}").OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync(Cancel));
        Assert.Equal(["document-uploaded", "document-changed", "document-visibility-changed"], audit);
    }

    [Fact]
    public async Task MetadataIsRemovedFromADownloadWhereTheUploaderAskedAndKeptOtherwise()
    {
        var analyst = await People.ApiClientAsync(app, Email("analyst"), MemberRole.Analyst);
        var docx = Fixture("par-rendered-page-breaks.docx");
        Assert.Contains("Steve Canny", Office(docx, "docProps/core.xml"));
        var docxId = await UploadAsync(analyst, Odd(docx), "author.docx", ("stripMetadata", "true"), ("visibility", "public"));
        var downloaded = await app.CreateClient().GetByteArrayAsync($"/api/v1/documents/{docxId}/file", Cancel);
        Assert.DoesNotContain("Steve Canny", AllText(downloaded));
        Assert.Contains("Page break here", Office(downloaded, "word/document.xml"));

        var odt = Fixture("example.odt");
        Assert.Contains("LibreOffice", Office(odt, "meta.xml"));
        var odtId = await UploadAsync(analyst, Odd(odt), "generator.odt", ("stripMetadata", "true"), ("visibility", "public"));
        var odtDownload = await app.CreateClient().GetByteArrayAsync($"/api/v1/documents/{odtId}/file", Cancel);
        Assert.DoesNotContain("LibreOffice", AllText(odtDownload));
        Assert.Contains("This is the first paragraph.", Office(odtDownload, "content.xml"));

        var pdf = Fixture("tagged.pdf");
        Assert.Contains("LibreOffice", Encoding.Latin1.GetString(pdf));
        var pdfId = await UploadAsync(analyst, [.. pdf, .. "\n"u8], "producer.pdf", ("stripMetadata", "true"), ("visibility", "public"));
        var pdfDownload = await app.CreateClient().GetByteArrayAsync($"/api/v1/documents/{pdfId}/file", Cancel);
        Assert.DoesNotContain("LibreOffice", Encoding.Latin1.GetString(pdfDownload));
        using (var stripped = UglyToad.PdfPig.PdfDocument.Open(pdfDownload))
        {
            Assert.Null(stripped.Information.Producer);
            Assert.Equal(2, stripped.NumberOfPages);
            Assert.Contains("Body text.", stripped.GetPage(2).Text);
        }

        // Not asked: the file leaves as it came.
        var keptId = await UploadAsync(analyst, Odd(Odd(docx)), "kept.docx", ("visibility", "public"));
        Assert.Contains("Steve Canny", AllText(await app.CreateClient().GetByteArrayAsync($"/api/v1/documents/{keptId}/file", Cancel)));
    }

    /// <summary>A copy with another SHA-256 that reads the same: one more byte after the zip's end, which readers ignore.</summary>
    private static byte[] Odd(byte[] content) => [.. content, 0];

    private static string Office(byte[] package, string part)
    {
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(package));
        using var reader = new StreamReader(zip.GetEntry(part)!.Open());
        return reader.ReadToEnd();
    }

    private static string AllText(byte[] package)
    {
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(package));
        return string.Join("\n", zip.Entries.Where(e => e.Length > 0).Select(e => new StreamReader(e.Open()).ReadToEnd()));
    }

    [Fact]
    public async Task TheCommandLineImportsAFolderAndLeavesItsDocumentsExtracted()
    {
        var folder = Directory.CreateTempSubdirectory("kimberlite-library-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(folder, "a-coffee.txt"), Unique("rfc2324.txt"));
            File.WriteAllBytes(Path.Combine(folder, "b-teapot.html"), Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Fixture("418.html")).Replace("Error.", "Error " + Guid.NewGuid())));
            File.WriteAllBytes(Path.Combine(folder, "c-program.pdf"), File.ReadAllBytes(typeof(object).Assembly.Location));
            Directory.CreateDirectory(Path.Combine(folder, "sub"));
            File.WriteAllBytes(Path.Combine(folder, "sub", "d-not-read.txt"), Unique("rfc2324.txt"));

            var (exit, output, errors) = await CommandLine.RunAsync(app, "import", "documents", folder, "--type", "press", "--country", "GAB", "--country", "CMR",
                "--visibility", "public", "--publisher", "IETF");
            Assert.Equal(1, exit);
            Assert.Matches("a-coffee.txt: new document [0-9]+, 1 page", output);
            Assert.Matches("b-teapot.html: new document [0-9]+, 1 page", output);
            Assert.Contains("c-program.pdf: refused: it is not a PDF", errors);
            Assert.DoesNotContain("d-not-read", output + errors);
            var imported = await app.WithDb(db => db.Documents.AsNoTracking().Where(d => d.FileName == "a-coffee.txt" || d.FileName == "b-teapot.html").ToListAsync(Cancel));
            Assert.Equal(2, imported.Count);
            Assert.All(imported, d =>
            {
                Assert.Equal(Library.ExtractionState.Done, d.Extraction);
                Assert.Equal("GAB,CMR", d.Countries);
                Assert.Equal(Library.DocumentType.Press, d.Type);
                Assert.Equal("IETF", d.Publisher);
            });

            var again = await CommandLine.RunAsync(app, "import", "documents", Path.Combine(folder, "a-coffee.txt"));
            Assert.Equal(0, again.Exit);
            Assert.Matches("a-coffee.txt: already document [0-9]+", again.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
