using System.Net;
using System.Net.Http.Json;
using Kimberlite.Accounts;
using Kimberlite.Advocacy;
using Kimberlite.Field;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Tests;

/// <summary>
/// Members' discussion of findings and incidents: who reads a comment, mentions and replies, edits, hiding, plain text,
/// and a canary comment that must never reach the public, the log or the audit trail.
/// </summary>
public sealed class DiscussionTests(BundledApp app) : IClassFixture<BundledApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A fresh name for each person, so the tests share one app without meeting each other's people.</summary>
    private static string Email(string who) => $"{who}-{Guid.NewGuid():N}"[..(who.Length + 9)] + "@example.org";

    private Task<int> FindingAsync() => app.WithDb(db => db.Findings.MinAsync(f => f.Id, Cancel));

    private Task<int> IncidentAsync(string organisation, bool published) => app.WithDb(async db =>
    {
        var owner = await db.Organisations.SingleAsync(o => o.Acronym == organisation, Cancel);
        var incident = new Incident
        {
            ClientId = Guid.NewGuid(), SubmissionHash = Guid.NewGuid().ToString("N"), OrganisationId = owner.Id, SubmittedAtUtc = DateTime.UtcNow,
            Category = IncidentCategory.Violence, OccurredOn = new DateOnly(2026, 10, 1), CountryIso3 = "CMR", Latitude = 4.1, Longitude = 14.9,
            Severity = IncidentSeverity.Serious, Description = "Des hommes armés ont pris le chantier.",
            Status = published ? IncidentStatus.Published : IncidentStatus.Submitted, PublicSummary = published ? "Violences sur un chantier." : null,
            PublishedAtUtc = published ? DateTime.UtcNow : null,
        };
        db.Incidents.Add(incident);
        await db.SaveChangesAsync(Cancel);
        return incident.Id;
    });

    private static async Task<CommentDto> PostAsync(HttpClient client, string path, string text, string audience, int? parentId = null, Guid? clientId = null)
    {
        var response = await client.PostAsJsonAsync(path, new { clientId = clientId ?? Guid.NewGuid(), text, audience, parentId }, Cancel);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        return (await response.Content.ReadFromJsonAsync<CommentDto>(Cancel))!;
    }

    private static async Task<List<CommentDto>> ReadAsync(HttpClient client, string path) =>
        (await client.GetFromJsonAsync<List<CommentDto>>(path, Cancel))!;

    private Task<List<CommentNotice>> NoticesAsync(int commentId) =>
        app.WithDb(db => db.CommentNotices.AsNoTracking().Where(n => n.CommentId == commentId).ToListAsync(Cancel));

    private Task<int> UserIdAsync(string email) => app.WithDb(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Cancel));

    [Fact]
    public async Task AnOrganisationOnlyCommentOnAFindingIsReadByItsOrganisationAloneAndACoalitionCommentByBoth()
    {
        var finding = await FindingAsync();
        var relufa = await People.ApiClientAsync(app, Email("relufa"), MemberRole.Viewer, "RELUFA");
        var colleague = await People.ApiClientAsync(app, Email("colleague"), MemberRole.Analyst, "RELUFA");
        var cragg = await People.ApiClientAsync(app, Email("cragg"), MemberRole.Coordinator, "CRAGG");
        var path = $"/api/v1/findings/{finding}/comments";

        var internalNote = await PostAsync(relufa, path, "Chiffres à vérifier avant l'atelier.", "organisation");
        var open = await PostAsync(relufa, path, "Le ministère a reçu ces chiffres.", "coalition");
        Assert.Equal("RELUFA", internalNote.Organisation);

        Assert.Contains(await ReadAsync(colleague, path), c => c.Id == internalNote.Id);
        var seenByCragg = await ReadAsync(cragg, path);
        Assert.DoesNotContain(seenByCragg, c => c.Id == internalNote.Id);
        Assert.Contains(seenByCragg, c => c.Id == open.Id);
        // Nor can CRAGG reach it another way: answer it, edit it, hide it.
        var reply = await cragg.PostAsJsonAsync(path, new { clientId = Guid.NewGuid(), text = "Réponse", audience = "coalition", parentId = internalNote.Id }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        Assert.Contains("parentId", await reply.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(HttpStatusCode.NotFound, (await cragg.PostAsJsonAsync($"/api/v1/comments/{internalNote.Id}/hide", new { reason = "hors sujet" }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await cragg.PutAsJsonAsync($"/api/v1/comments/{internalNote.Id}", new { text = "x" }, Cancel)).StatusCode);

        // The public reads no comment at all.
        var anonymous = await app.CreateClient().GetAsync(path, Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task ACommentOnAnUnpublishedIncidentStaysWithItsOrganisationEvenWhenMeantForTheCoalition()
    {
        var incident = await IncidentAsync("RELUFA", published: false);
        var relufa = await People.ApiClientAsync(app, Email("relufa"), MemberRole.Monitor, "RELUFA");
        var cragg = await People.ApiClientAsync(app, Email("cragg"), MemberRole.Analyst, "CRAGG");
        var path = $"/api/v1/incidents/{incident}/comments";

        var wide = await PostAsync(relufa, path, "Témoins joignables à Berbérati.", "coalition");
        var narrow = await PostAsync(relufa, path, "Le rapporteur craint des représailles.", "organisation");

        var refused = await cragg.GetAsync(path, Cancel);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("that you may see", await refused.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(HttpStatusCode.NotFound, (await cragg.PostAsJsonAsync(path, new { clientId = Guid.NewGuid(), text = "?", audience = "coalition" }, Cancel)).StatusCode);

        // Once published, every member sees the incident and its coalition comments, never its organisation's.
        await app.WithDb(db => db.Incidents.Where(i => i.Id == incident).ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, IncidentStatus.Published), Cancel));
        var seen = await ReadAsync(cragg, path);
        Assert.Contains(seen, c => c.Id == wide.Id);
        Assert.DoesNotContain(seen, c => c.Id == narrow.Id);
        // An organisation-only comment on RELUFA's incident is for RELUFA: a CRAGG member is told to choose the coalition.
        var notMine = await cragg.PostAsJsonAsync(path, new { clientId = Guid.NewGuid(), text = "Nous avons vu la même chose.", audience = "organisation" }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, notMine.StatusCode);
        Assert.Contains("choose coalition", await notMine.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task TheIncidentsListLinksEachIncidentToItsDiscussionAndAMentionThereSkipsWhoMayNotSeeIt()
    {
        var incident = await IncidentAsync("RELUFA", published: false);
        var relufaEmail = Email("relufa");
        var craggEmail = Email("cragg");
        await People.CreateAsync(app, relufaEmail, MemberRole.Viewer, "RELUFA");
        await People.CreateAsync(app, craggEmail, MemberRole.Viewer, "CRAGG");
        var author = await People.ApiClientAsync(app, Email("author"), MemberRole.Monitor, "RELUFA");
        var posted = await PostAsync(author, $"/api/v1/incidents/{incident}/comments", $"@{craggEmail.Split('@')[0]} @{relufaEmail.Split('@')[0]} : à suivre.", "coalition");
        // Coalition-wide, but on an incident CRAGG may not see yet: only the RELUFA member is told.
        Assert.Equal([await UserIdAsync(relufaEmail)], (await NoticesAsync(posted.Id)).Select(n => n.UserId));

        var relufa = await People.SignInAsync(app, relufaEmail);
        var list = await (await GetEnglishAsync(relufa, "/field/incidents")).Content.ReadAsStringAsync(Cancel);
        Assert.Contains($"<a href=\"/comments?target=incident&amp;id={incident}\">Discussion (1)</a>", list);
        var discussion = await (await GetEnglishAsync(relufa, $"/comments?target=incident&id={incident}")).Content.ReadAsStringAsync(Cancel);
        Assert.Contains("à suivre.", discussion);
        Assert.Contains($"id=\"comment-{posted.Id}\"", discussion);

        var cragg = await People.SignInAsync(app, craggEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await cragg.GetAsync($"/comments?target=incident&id={incident}", Cancel)).StatusCode);
        var refused = await People.PostFormAsync(cragg, "/comments", new()
        {
            ["target"] = "incident", ["id"] = $"{incident}", ["clientId"] = $"{Guid.NewGuid()}", ["audience"] = "coalition", ["text"] = "Vu.",
        }, tokenFrom: "/account");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.DoesNotContain("à suivre.", await (await GetEnglishAsync(cragg, "/account/mentions")).Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task ACoordinatorHidesAndAnAuthorEditsThroughTheCommentBox()
    {
        var finding = await FindingAsync();
        var authorEmail = Email("author");
        var coordinatorEmail = Email("coord");
        await People.CreateAsync(app, authorEmail, MemberRole.Viewer, "GAERN");
        await People.CreateAsync(app, coordinatorEmail, MemberRole.Coordinator, "GAERN");
        var author = await People.SignInAsync(app, authorEmail);
        var back = $"/findings/{finding}";
        var posted = await People.PostFormAsync(author, "/comments", new()
        {
            ["target"] = "finding", ["id"] = $"{finding}", ["clientId"] = $"{Guid.NewGuid()}", ["audience"] = "organisation", ["text"] = "Premier jet.", ["returnUrl"] = back,
        }, tokenFrom: back);
        var id = int.Parse(posted.Headers.Location!.OriginalString.Split("#comment-")[1], System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(HttpStatusCode.Redirect, (await People.PostFormAsync(author, "/comments?handler=Edit", new() { ["commentId"] = $"{id}", ["text"] = "Second jet.", ["returnUrl"] = back }, tokenFrom: back)).StatusCode);
        var edited = await (await GetEnglishAsync(author, back)).Content.ReadAsStringAsync(Cancel);
        Assert.Contains("Second jet.", edited);
        Assert.Contains("Earlier versions (1)", edited);
        Assert.Contains("Premier jet.", edited);
        Assert.DoesNotContain("?handler=Hide", edited);
        var refused = await People.PostFormAsync(author, "/comments?handler=Hide", new() { ["commentId"] = $"{id}", ["reason"] = "x" }, tokenFrom: back);
        Assert.Contains("/account/denied", refused.Headers.Location?.OriginalString);

        var coordinator = await People.SignInAsync(app, coordinatorEmail);
        var noReason = await People.PostFormAsync(coordinator, "/comments?handler=Hide", new() { ["commentId"] = $"{id}", ["reason"] = "", ["returnUrl"] = back }, tokenFrom: back);
        Assert.Equal(HttpStatusCode.OK, noReason.StatusCode);
        Assert.Contains("role=\"alert\"", await noReason.Content.ReadAsStringAsync(Cancel));
        await People.PostFormAsync(coordinator, "/comments?handler=Hide", new() { ["commentId"] = $"{id}", ["reason"] = "Brouillon publié par erreur.", ["returnUrl"] = back }, tokenFrom: back);
        var hidden = await (await GetEnglishAsync(author, back)).Content.ReadAsStringAsync(Cancel);
        Assert.Contains("Hidden by a coordinator: Brouillon publié par erreur.", hidden);
        Assert.DoesNotContain("Second jet.", hidden);
        Assert.DoesNotContain("Premier jet.", hidden);
    }

    [Fact]
    public async Task RecommendationsAndMeetingsAreDiscussedWithinTheOrganisationThatRecordedThem()
    {
        var (recommendation, workshop) = await app.WithDb(async db =>
        {
            var relufa = await db.Organisations.SingleAsync(o => o.Acronym == "RELUFA", Cancel);
            var item = new AdvocacyItem
            {
                ClientId = Guid.NewGuid(), Text = "Publier les recettes minières par site.", Language = "fr", Addressee = "Ministère des Mines", OrganisationId = relufa.Id,
                Theme = Theme.Revenue, StatusChangedAtUtc = DateTime.UtcNow, CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
            };
            db.AdvocacyItems.Add(item);
            await db.SaveChangesAsync(Cancel);
            return (item.Id, await db.Meetings.Where(m => m.Key == "seed-workshop").Select(m => m.Id).SingleAsync(Cancel));
        });
        var relufa = await People.ApiClientAsync(app, Email("relufa"), MemberRole.Viewer, "RELUFA");
        var cragg = await People.ApiClientAsync(app, Email("cragg"), MemberRole.Viewer, "CRAGG");

        // The recommendation is RELUFA's: CRAGG joins its discussion for the coalition only.
        var itemPath = $"/api/v1/recommendations/{recommendation}/comments";
        var internalNote = await PostAsync(relufa, itemPath, "Relancer le cabinet en janvier.", "organisation");
        var open = await PostAsync(cragg, itemPath, "Même demande au Centrafrique.", "coalition");
        Assert.Equal("RELUFA", open.Organisation);
        Assert.Equal(HttpStatusCode.BadRequest, (await cragg.PostAsJsonAsync(itemPath, new { clientId = Guid.NewGuid(), text = "Interne", audience = "organisation" }, Cancel)).StatusCode);
        Assert.DoesNotContain(await ReadAsync(cragg, itemPath), c => c.Id == internalNote.Id);

        // The bundled workshop belongs to the coalition: an organisation-only comment is for its author's organisation.
        var meetingPath = $"/api/v1/meetings/{workshop}/comments";
        var craggNote = await PostAsync(cragg, meetingPath, "Notre compte rendu arrive.", "organisation");
        Assert.Equal("CRAGG", craggNote.Organisation);
        Assert.DoesNotContain(await ReadAsync(relufa, meetingPath), c => c.Id == craggNote.Id);
        Assert.Contains(await ReadAsync(cragg, meetingPath), c => c.Id == craggNote.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await cragg.GetAsync($"/api/v1/meetings/{workshop + 1000}/comments", Cancel)).StatusCode);
    }

    [Fact]
    public async Task ACanaryCommentNeverReachesAPublicPageTheApiTheLogTheMailOrTheAuditTrail()
    {
        const string Canary = "CANARY-7f3a9c-comment";
        var finding = await FindingAsync();
        var incident = await IncidentAsync("RELUFA", published: true);
        var relufa = await People.ApiClientAsync(app, Email("relufa"), MemberRole.Analyst, "RELUFA");
        var coordinator = await People.ApiClientAsync(app, Email("coord"), MemberRole.Coordinator, "RELUFA");
        var colleague = Email("colleague");
        await People.CreateAsync(app, colleague, MemberRole.Viewer, "RELUFA");
        foreach (var (target, id) in new[] { ("findings", finding), ("incidents", incident) })
            foreach (var audience in new[] { "organisation", "coalition" })
            {
                var posted = await PostAsync(relufa, $"/api/v1/{target}/{id}/comments", $"{Canary} @{colleague.Split('@')[0]} {audience}", audience);
                var edited = await relufa.PutAsJsonAsync($"/api/v1/comments/{posted.Id}", new { text = $"{Canary} edited" }, Cancel);
                Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
                await PostAsync(relufa, $"/api/v1/{target}/{id}/comments", $"{Canary} reply", audience, posted.Id);
            }
        var last = (await ReadAsync(relufa, $"/api/v1/findings/{finding}/comments")).Last();
        (await coordinator.PostAsJsonAsync($"/api/v1/comments/{last.Id}/hide", new { reason = "doublon" }, Cancel)).EnsureSuccessStatusCode();
        Assert.Contains(await ReadAsync(relufa, $"/api/v1/findings/{finding}/comments"), c => c.Text?.Contains(Canary, StringComparison.Ordinal) == true);

        // Every public address of docs/ACCESS.md, as the public reads it, and the public lists of the API.
        var reader = app.CreateClient();
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "ACCESS.md"))
            .Where(l => l.StartsWith("| GET |", StringComparison.Ordinal)).Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
            .Where(c => c[4] == "yes").Select(c => c[2]).ToList();
        Assert.Contains("/findings/{id}", lines);
        var addresses = lines.Select(p => p.Replace("{id}", (p.Contains("incident", StringComparison.Ordinal) ? incident : finding).ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Replace("{iso3}", "CMR").Replace("{code}", "404").Replace("{language}", "fr").Replace("{documentName}", "v1").Replace("{documentName?}", "v1"))
            .Concat([$"/api/v1/findings/{finding}/comments", $"/api/v1/incidents/{incident}/comments", "/api/v1/recommendations", "/api/v1/meetings",
                "/feeds/recommendations.atom", "/api/v1/findings?format=csv", "/api/v1/incidents?format=geojson", "/openapi/v1.json", $"/findings/{finding}"]);
        var read = 0;
        foreach (var address in addresses.Distinct())
        {
            var response = await reader.GetAsync(address, Cancel);
            var body = await response.Content.ReadAsStringAsync(Cancel);
            Assert.DoesNotContain(Canary, body);
            read += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }
        Assert.True(read > 15, $"only {read} public addresses answered");

        Assert.DoesNotContain(app.Logged, line => line.Contains(Canary, StringComparison.Ordinal));
        var trail = await app.WithDb(db => db.AuditEntries.AsNoTracking().Where(e => e.Action.StartsWith("comment-")).ToListAsync(Cancel));
        Assert.True(trail.Count >= 13, $"{trail.Count} comment entries in the audit trail");
        Assert.DoesNotContain(trail, e => (e.Summary + e.Target).Contains(Canary, StringComparison.Ordinal));
        Assert.Contains(trail, e => e.Summary.Contains("for RELUFA only", StringComparison.Ordinal));
        var mail = Path.Combine(app.DataDirectory, "mail");
        Assert.True(Directory.Exists(mail) && Directory.GetFiles(mail).Length > 0, "the mentioned colleague got no mail");
        Assert.DoesNotContain(Directory.GetFiles(mail), f => File.ReadAllText(f).Contains(Canary, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMentionNotifiesOnlyThoseWhoMayReadTheCommentAndTheirPageListsIt()
    {
        var finding = await FindingAsync();
        var author = await People.ApiClientAsync(app, Email("author"), MemberRole.Analyst, "RELUFA");
        var craggEmail = Email("cragg");
        var relufaEmail = Email("relufa");
        await People.CreateAsync(app, craggEmail, MemberRole.Viewer, "CRAGG");
        await People.CreateAsync(app, relufaEmail, MemberRole.Viewer, "RELUFA");
        var path = $"/api/v1/findings/{finding}/comments";

        // The CRAGG member by the part of the address before @, the RELUFA member by the whole address, in capitals.
        var internalNote = await PostAsync(author, path, $"@{craggEmail.Split('@')[0]} et @{relufaEmail.ToUpperInvariant()}, voyez ces chiffres.", "organisation");
        var notices = await NoticesAsync(internalNote.Id);
        Assert.Equal([await UserIdAsync(relufaEmail)], notices.Select(n => n.UserId));

        var open = await PostAsync(author, path, $"Pour @{craggEmail.Split('@')[0]} : le rapport est en ligne.", "coalition");
        Assert.Equal([await UserIdAsync(craggEmail)], (await NoticesAsync(open.Id)).Select(n => n.UserId));

        // The CRAGG member's page: the mention, unread, with a link to the finding's discussion; the count in the navigation.
        var cragg = await People.SignInAsync(app, craggEmail);
        Assert.Contains(">Mentions (1)<", await (await GetEnglishAsync(cragg, "/account")).Content.ReadAsStringAsync(Cancel));
        var page = await (await GetEnglishAsync(cragg, "/account/mentions")).Content.ReadAsStringAsync(Cancel);
        Assert.Contains($"/findings/{finding}#comment-{open.Id}", page);
        Assert.DoesNotContain($"#comment-{internalNote.Id}", page);
        Assert.Contains(">new<", page);
        var again = await (await GetEnglishAsync(cragg, "/account/mentions")).Content.ReadAsStringAsync(Cancel);
        Assert.DoesNotContain(">new<", again);
        Assert.Contains(">Mentions<", again);

        var api = await cragg.GetAsync("/api/v1/account/mentions", Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task AReplyNotifiesTheAuthorOfTheCommentItAnswersAndStaysWithinItsOrganisation()
    {
        var finding = await FindingAsync();
        var firstEmail = Email("first");
        var first = await People.ApiClientAsync(app, firstEmail, MemberRole.Viewer, "RELUFA");
        var second = await People.ApiClientAsync(app, Email("second"), MemberRole.Viewer, "RELUFA");
        var path = $"/api/v1/findings/{finding}/comments";
        var question = await PostAsync(first, path, "Qui a la source ?", "organisation");

        var answer = await PostAsync(second, path, "Moi, je l'envoie.", "coalition", question.Id);

        Assert.Equal(question.Id, answer.ParentId);
        Assert.Equal("organisation", answer.Audience);
        var notice = Assert.Single(await NoticesAsync(answer.Id));
        Assert.True(notice.IsReply);
        Assert.Equal(await UserIdAsync(firstEmail), notice.UserId);
        var mine = (await first.GetFromJsonAsync<List<NoticeDto>>("/api/v1/account/mentions", Cancel))!;
        Assert.Contains(mine, n => n.CommentId == answer.Id && n.IsReply && !n.Read);
    }

    [Fact]
    public async Task AnEditKeepsTheEarlierTextAndOnlyTheAuthorEdits()
    {
        var finding = await FindingAsync();
        var author = await People.ApiClientAsync(app, Email("author"), MemberRole.Viewer, "RELUFA");
        var other = await People.ApiClientAsync(app, Email("other"), MemberRole.Analyst, "RELUFA");
        var path = $"/api/v1/findings/{finding}/comments";
        var posted = await PostAsync(author, path, "Écart de 12 %.", "coalition");

        var edited = await author.PutAsJsonAsync($"/api/v1/comments/{posted.Id}", new { text = "Écart de 21 %." }, Cancel);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var forbidden = await other.PutAsJsonAsync($"/api/v1/comments/{posted.Id}", new { text = "Écart nul." }, Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("Only its author", await forbidden.Content.ReadAsStringAsync(Cancel));

        var read = Assert.Single(await ReadAsync(other, path), c => c.Id == posted.Id);
        Assert.Equal("Écart de 21 %.", read.Text);
        Assert.NotNull(read.EditedAtUtc);
        Assert.Equal("Écart de 12 %.", Assert.Single(read.Revisions).Text);
    }

    [Fact]
    public async Task ACoordinatorHidesACommentWithAReasonAuditedAndAViewerCannot()
    {
        var incident = await IncidentAsync("RELUFA", published: false);
        var author = await People.ApiClientAsync(app, Email("author"), MemberRole.Viewer, "RELUFA");
        var viewer = await People.ApiClientAsync(app, Email("viewer"), MemberRole.Viewer, "RELUFA");
        var coordinator = await People.ApiClientAsync(app, Email("coord"), MemberRole.Coordinator, "RELUFA");
        var path = $"/api/v1/incidents/{incident}/comments";
        var posted = await PostAsync(author, path, "Le nom du témoin est Jean.", "organisation");

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync($"/api/v1/comments/{posted.Id}/hide", new { reason = "nom" }, Cancel)).StatusCode);
        var noReason = await coordinator.PostAsJsonAsync($"/api/v1/comments/{posted.Id}/hide", new { reason = " " }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", await noReason.Content.ReadAsStringAsync(Cancel));
        (await coordinator.PostAsJsonAsync($"/api/v1/comments/{posted.Id}/hide", new { reason = "Il nomme un témoin." }, Cancel)).EnsureSuccessStatusCode();

        var read = Assert.Single(await ReadAsync(viewer, path), c => c.Id == posted.Id);
        Assert.True(read.Hidden);
        Assert.Null(read.Text);
        Assert.Equal("Il nomme un témoin.", read.HiddenReason);
        Assert.Equal(HttpStatusCode.Conflict, (await author.PutAsJsonAsync($"/api/v1/comments/{posted.Id}", new { text = "Autre." }, Cancel)).StatusCode);
        var entry = await app.WithDb(db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.Action == AuditActions.CommentHidden && e.Target == $"comment {posted.Id}", Cancel));
        Assert.Contains("Il nomme un témoin.", entry.Summary);
        Assert.DoesNotContain("Jean", entry.Summary);
    }

    [Fact]
    public async Task HtmlInACommentIsShownAsTextAndAnAddressBecomesALinkOnTheFindingPage()
    {
        var finding = await FindingAsync();
        var email = Email("writer");
        await People.CreateAsync(app, email, MemberRole.Viewer, "CRAGG");
        var client = await People.SignInAsync(app, email);
        var clientId = Guid.NewGuid();
        var fields = new Dictionary<string, string>
        {
            ["target"] = "finding", ["id"] = $"{finding}", ["clientId"] = $"{clientId}", ["audience"] = "coalition", ["returnUrl"] = $"/findings/{finding}",
            ["text"] = "<script>alert(1)</script> voir https://example.org/rapport?a=1&b=2. <b>gras</b>",
        };

        var posted = await People.PostFormAsync(client, "/comments", fields, tokenFrom: $"/findings/{finding}");
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.StartsWith($"/findings/{finding}#comment-", posted.Headers.Location?.OriginalString);
        // The same form sent twice (a double click, a retried connection) records one comment.
        await People.PostFormAsync(client, "/comments", fields, tokenFrom: $"/findings/{finding}");
        Assert.Equal(1, await app.WithDb(db => db.Comments.CountAsync(c => c.ClientId == clientId, Cancel)));

        var page = await client.GetStringAsync($"/findings/{finding}", Cancel);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page);
        Assert.DoesNotContain("<script>alert(1)", page);
        Assert.DoesNotContain("<b>gras</b>", page);
        Assert.Contains("<a href=\"https://example.org/rapport?a=1&amp;b=2\" rel=\"nofollow noopener ugc\">https://example.org/rapport?a=1&amp;b=2</a>.", page);

        // The public's finding page has no discussion at all.
        var publicPage = await app.CreateClient().GetStringAsync($"/findings/{finding}", Cancel);
        Assert.DoesNotContain("id=\"discussion\"", publicPage);
        Assert.DoesNotContain("alert(1)", publicPage);
    }

    [Fact]
    public async Task TheSameClientIdPostedTwiceRecordsOneComment()
    {
        var finding = await FindingAsync();
        var member = await People.ApiClientAsync(app, Email("member"), MemberRole.Viewer, "RELUFA");
        var path = $"/api/v1/findings/{finding}/comments";
        var clientId = Guid.NewGuid();
        var body = new { clientId, text = "Une seule fois.", audience = "coalition" };

        var first = await member.PostAsJsonAsync(path, body, Cancel);
        var second = await member.PostAsJsonAsync(path, body, Cancel);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<CommentDto>(Cancel))!.Id, (await second.Content.ReadFromJsonAsync<CommentDto>(Cancel))!.Id);
        Assert.Single(await ReadAsync(member, path), c => c.Text == "Une seule fois.");
        var bad = await member.PostAsJsonAsync(path, new { text = "", audience = "everyone" }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("clientId", problem);
        Assert.Contains("audience", problem);
        var described = await app.CreateClient().GetStringAsync("/openapi/v1.json", Cancel);
        Assert.Contains("/api/v1/findings/{id}/comments", described);
        Assert.Contains("once per clientId", described);
    }

    private static Task<HttpResponseMessage> GetEnglishAsync(HttpClient client, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptLanguage.ParseAdd("en");
        return client.SendAsync(request, Cancel);
    }
}
