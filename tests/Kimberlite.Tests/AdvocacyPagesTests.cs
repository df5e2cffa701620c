using System.Net;
using System.Text.RegularExpressions;
using Kimberlite.Accounts;
using Kimberlite.Advocacy;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Tests;

/// <summary>
/// The advocacy pages as readers see them: the regional board, an item's page, the forms, the meetings and the
/// country page. Items are arranged through the database; each test uses its own country, theme or words so that
/// the shared app's other items do not change what it counts.
/// </summary>
public sealed partial class AdvocacyPagesTests(AdvocacyPagesTests.App app) : IClassFixture<AdvocacyPagesTests.App>
{
    public sealed class App : KimberliteApp;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private async Task<(HttpStatusCode Status, string Html)> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, Cancel);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel)));
    }

    private Task<(HttpStatusCode Status, string Html)> GetAsync(string url) => GetAsync(app.CreateClient(), url);

    /// <summary>Posts a form whose fields may repeat (checkboxes, evidence lines), with the anti-forgery token of the page it comes from.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string tokenFrom, params (string Name, string Value)[] fields)
    {
        var token = await People.TokenAsync(client, tokenFrom);
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", token!));
        return await client.PostAsync(url, new FormUrlEncodedContent(form), Cancel);
    }

    /// <summary>An item recorded by RELUFA; when its status is not "proposed", it moved there <paramref name="daysAgo"/> days ago.</summary>
    private Task<int> ItemAsync(string text, string countries, Theme theme, ItemStatus status = ItemStatus.Proposed, DateOnly? due = null, bool published = true,
        int daysAgo = 30, string addressee = "Ministère des Mines", int? meeting = null) =>
        app.WithDb(async db =>
        {
            var relufa = await db.Organisations.Where(o => o.Acronym == "RELUFA").Select(o => o.Id).SingleAsync(Cancel);
            var recorded = DateTime.UtcNow.AddDays(-daysAgo - 30);
            var changed = DateTime.UtcNow.AddDays(-daysAgo);
            var item = new AdvocacyItem
            {
                ClientId = Guid.NewGuid(), Kind = ItemKind.Recommendation, Text = text, Language = "fr", Addressee = addressee, AddresseeKind = AddresseeKind.Ministry,
                Countries = countries, Theme = theme, DueOn = due, Status = status, OrganisationId = relufa, IsPublished = published, PublishedAtUtc = published ? recorded : null,
                MeetingId = meeting, StatusChangedAtUtc = status == ItemStatus.Proposed ? recorded : changed, CreatedAtUtc = recorded, UpdatedAtUtc = changed,
                MadeBy = [new ItemOrganisation { OrganisationId = relufa }],
            };
            item.History.Add(new StatusChange { AtUtc = recorded, To = ItemStatus.Proposed, Actor = "analyste@example.org", ActorOrganisationId = relufa });
            if (status != ItemStatus.Proposed)
                item.History.Add(new StatusChange { AtUtc = changed, From = ItemStatus.Proposed, To = status, Note = "Étape notée", Actor = "analyste@example.org", ActorOrganisationId = relufa });
            db.AdvocacyItems.Add(item);
            await db.SaveChangesAsync(Cancel);
            return item.Id;
        });

    /// <summary>The cells of one row of the board (the country's eight themes, then its total), as text.</summary>
    private static List<string> Row(string html, string row)
    {
        var start = html.IndexOf($"<a href=\"/advocacy?country={row}#items\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row {row} on the board");
        var tr = html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
        return [.. tr.Split("<td").Skip(1).Select(cell => Spaces().Replace(Tags().Replace(cell[(cell.IndexOf('>') + 1)..], " "), " ").Trim())];
    }

    private static int Index(Theme theme) => (int)theme - 1;

    [Fact]
    public async Task TheBoardCountsAPublishedCountrysItemsByThemeAndShowsTheOverdueOnes()
    {
        await ItemAsync("Publier les recettes des concessions du Gabon, en retard", "GAB", Theme.Environment, ItemStatus.InProgress, due: Today.AddDays(-20));
        await ItemAsync("Publier les études d'impact du Gabon", "GAB", Theme.Environment, due: Today.AddDays(200));
        await ItemAsync("Une recommandation encore interne sur le Gabon", "GAB", Theme.Environment, published: false);

        var (status, html) = await GetAsync("/advocacy");

        Assert.Equal(HttpStatusCode.OK, status);
        var gabon = Row(html, "GAB");
        Assert.Equal(9, gabon.Count);
        Assert.StartsWith("2 · 1 en retard", gabon[Index(Theme.Environment)]);
        Assert.Contains("1 proposé · 1 en cours", gabon[Index(Theme.Environment)]);
        Assert.StartsWith("—", gabon[Index(Theme.Revenue)]);
        Assert.Contains("<span class=\"badge overdue\">en retard</span>", html);
        Assert.Contains("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/feeds/recommendations.atom\"", html);
        Assert.DoesNotContain("encore interne", html);

        // A member counts the unpublished one too, and sees it marked in the list.
        await People.CreateAsync(app, "board-viewer@example.org", MemberRole.Viewer);
        var viewer = await People.SignInAsync(app, "board-viewer@example.org");
        var (_, members) = await GetAsync(viewer, "/advocacy?country=GAB");
        Assert.StartsWith("3 · 1 en retard", Row(members, "GAB")[Index(Theme.Environment)]);
        Assert.Contains("Une recommandation encore interne sur le Gabon", members);
        Assert.Contains("<span class=\"badge unpublished\">non publié</span>", members);
    }

    [Fact]
    public async Task WhatChangedSinceADateListsTheStatusChangesAfterIt()
    {
        var id = await ItemAsync("Créer un registre public des comptoirs d'achat à Berbérati", "CAF", Theme.Traceability, ItemStatus.InProgress, daysAgo: 10);

        var (_, recent) = await GetAsync($"/advocacy?since={Today.AddDays(-30):yyyy-MM-dd}");
        var (_, later) = await GetAsync($"/advocacy?since={Today.AddDays(-5):yyyy-MM-dd}");

        var changes = recent[recent.IndexOf("id=\"changes-title\"", StringComparison.Ordinal)..recent.IndexOf("id=\"items-title\"", StringComparison.Ordinal)];
        Assert.Matches($@"proposé → <strong>en cours</strong>\s+— <a href=""/advocacy/recommendations/{id}"">Créer un registre public des comptoirs", changes);
        // The public reads the organisation that acted, never the person.
        Assert.Contains("RELUFA", changes);
        Assert.DoesNotContain("analyste@example.org", recent);
        var laterChanges = later[later.IndexOf("id=\"changes-title\"", StringComparison.Ordinal)..later.IndexOf("id=\"items-title\"", StringComparison.Ordinal)];
        Assert.DoesNotContain($"/advocacy/recommendations/{id}\"", laterChanges);
    }

    [Fact]
    public async Task TheFiltersChooseTheItemsByCountryAddresseeThemeStatusAndMeeting()
    {
        var workshop = await app.WithDb(db => db.Meetings.Where(m => m.Key == BundledMeetings.SeedWorkshop).Select(m => m.Id).SingleAsync(Cancel));
        var revenue = await ItemAsync("Filtre A : publier les paiements des sociétés minières au Cameroun", "CMR", Theme.Revenue, addressee: "Assemblée nationale du Cameroun");
        var late = await ItemAsync("Filtre B : auditer les recettes du Kimberley au Cameroun", "CMR", Theme.Revenue, ItemStatus.Presented, due: Today.AddDays(-3));
        var fromWorkshop = await ItemAsync("Filtre C : une coopération régionale des sociétés civiles", "", Theme.RegionalCooperation, meeting: workshop);

        string Links(string html) => string.Join(" ", ItemLinks().Matches(html[html.IndexOf("id=\"items-title\"", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value));

        var (_, byCountryAndTheme) = await GetAsync("/advocacy?country=CMR&theme=revenue");
        Assert.Contains($"{revenue}", Links(byCountryAndTheme).Split(' '));
        Assert.Contains($"{late}", Links(byCountryAndTheme).Split(' '));
        Assert.DoesNotContain($"{fromWorkshop}", Links(byCountryAndTheme).Split(' '));
        Assert.Contains("/api/v1/recommendations?format=csv&country=CMR&theme=revenue", byCountryAndTheme);

        var (_, byAddressee) = await GetAsync("/advocacy?addressee=assemblée%20nationale");
        Assert.Equal($"{revenue}", Links(byAddressee));

        var (_, overdue) = await GetAsync("/advocacy?country=CMR&status=overdue");
        Assert.Equal($"{late}", Links(overdue));

        var (_, presented) = await GetAsync("/advocacy?country=CMR&status=presented");
        Assert.Equal($"{late}", Links(presented));

        var (_, byMeeting) = await GetAsync($"/advocacy?meeting={workshop}");
        Assert.Equal($"{fromWorkshop}", Links(byMeeting));
        var (_, regional) = await GetAsync("/advocacy?country=regional&theme=regionalCooperation");
        Assert.Contains($"{fromWorkshop}", Links(regional).Split(' '));
    }

    [Fact]
    public async Task TheAnonymousReaderNeverSeesAnUnpublishedItemOrItsCount()
    {
        const string canary = "CANARI-NON-PUBLIE recommandation sur les forces de sécurité de Bangui";
        var id = await ItemAsync(canary, "CAF", Theme.Security, ItemStatus.Presented, daysAgo: 2, published: false);

        var (_, board) = await GetAsync($"/advocacy?since={Today.AddDays(-30):yyyy-MM-dd}");
        Assert.DoesNotContain("CANARI", board);
        Assert.StartsWith("—", Row(board, "CAF")[Index(Theme.Security)]);
        var (itemStatus, itemPage) = await GetAsync($"/advocacy/recommendations/{id}");
        Assert.Equal(HttpStatusCode.NotFound, itemStatus);
        Assert.DoesNotContain("CANARI", itemPage);
        var (_, country) = await GetAsync("/countries/CAF");
        Assert.DoesNotContain("CANARI", country);
        Assert.Contains("Recommandations et engagements", country);

        // A member of the coalition reads it, counted and marked.
        await People.CreateAsync(app, "canary-viewer@example.org", MemberRole.Viewer);
        var viewer = await People.SignInAsync(app, "canary-viewer@example.org");
        Assert.StartsWith("1", Row((await GetAsync(viewer, "/advocacy")).Html, "CAF")[Index(Theme.Security)]);
        var (memberStatus, memberPage) = await GetAsync(viewer, $"/advocacy/recommendations/{id}");
        Assert.Equal(HttpStatusCode.OK, memberStatus);
        Assert.Contains(canary, memberPage);
        Assert.Contains("non publié", memberPage);
        Assert.Contains(canary, (await GetAsync(viewer, "/countries/CAF")).Html);
    }

    [Fact]
    public async Task TheSeedWorkshopPageShowsItsSevenOrganisationsItsAimsAndTheSourcesOwnWords()
    {
        var id = await app.WithDb(db => db.Meetings.Where(m => m.Key == BundledMeetings.SeedWorkshop).Select(m => m.Id).SingleAsync(Cancel));

        var (status, html) = await GetAsync($"/advocacy/meetings/{id}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<h1 lang=\"en\">Central African civil society workshop on diamond governance</h1>", html);
        foreach (var organisation in new[] { "RELUFA", "CRAGG", "CENADEP", "GAERN", "OSCJ", "Muyissi", "CDHD" })
            Assert.Contains($"<strong>{organisation}</strong>", html);
        Assert.Equal(7, PresentOrganisations().Matches(html[html.IndexOf("class=\"present\"", StringComparison.Ordinal)..html.IndexOf("</ul>", html.IndexOf("class=\"present\"", StringComparison.Ordinal), StringComparison.Ordinal)]).Count);
        Assert.Contains("<ul class=\"aims\" lang=\"en\">", html);
        Assert.Contains("<li>initiate a debate with regional governments to promote a transparent and healthy diamond sector", html);
        Assert.Contains("<div class=\"as-written\" lang=\"en\">", html);
        Assert.Contains("Les mots de la source, tels qu'ils ont été écrits, en anglais.", html);
        Assert.Contains("<p>Indeed, the countries in the Central African sub-region are richly endowed", html);
        Assert.Contains("non indiqué dans la source", html);
        Assert.Contains("Recommandations et engagements issus de cette réunion", html);

        var (_, list) = await GetAsync("/advocacy/meetings");
        Assert.Contains($"<a href=\"/advocacy/meetings/{id}\" lang=\"en\">Central African civil society workshop on diamond governance</a>", list);
    }

    [Fact]
    public async Task TheItemFormRefusesBadInputFieldByFieldAndADoubleSubmitRecordsOnce()
    {
        var coalition = Statistics.CountryCodes.Coalition.ToList();
        var finding = await app.WithDb(db => db.Findings.Where(f => coalition.Contains(f.CountryIso3)).OrderBy(f => f.Id).Select(f => new { f.Id, f.CountryIso3 }).FirstAsync(Cancel));
        await People.CreateAsync(app, "form-analyst@example.org", MemberRole.Analyst);
        var analyst = await People.SignInAsync(app, "form-analyst@example.org");

        var (status, form) = await GetAsync(analyst, $"/advocacy/recommendations/new?finding={finding.Id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<option value=\"finding\" selected=\"selected\">constat</option>", form);
        Assert.Contains($"name=\"evidenceTarget\" maxlength=\"2000\" value=\"{finding.Id}\"", form);
        Assert.Matches($"<input type=\"checkbox\" name=\"countries\" value=\"{finding.CountryIso3}\" checked=\"checked\">", form);
        var clientId = ClientId().Match(form).Groups[1].Value;
        Assert.True(Guid.TryParse(clientId, out _));

        var refused = await PostAsync(analyst, "/advocacy/recommendations/new", "/advocacy/recommendations/new",
            ("clientId", clientId), ("kind", "recommendation"), ("text", " "), ("language", "fr"), ("addressee", "Ministère des Mines"),
            ("addresseeKind", "ministry"), ("theme", ""), ("dueOn", "31/12/2027"), ("evidenceKind", "finding"), ("evidenceTarget", "999999"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Cancel));
        Assert.Contains("<p class=\"error field-error\" id=\"error-text\">Écrivez le texte tel qu'il a été formulé", errors);
        Assert.Contains("<p class=\"error field-error\" id=\"error-theme\">Choisissez un thème.</p>", errors);
        Assert.Contains("id=\"error-dueOn\"", errors);
        Assert.Contains("id=\"error-evidence\"", errors);
        Assert.Contains($"value=\"{clientId}\"", errors);
        Assert.Contains("Ministère des Mines", errors);

        const string text = "Publier chaque trimestre les exportations de diamants par comptoir, en carats et en valeur.";
        (string, string)[] good =
        [
            ("clientId", clientId), ("kind", "recommendation"), ("text", text), ("language", "fr"), ("translationEn", "Publish diamond exports by buying house every quarter."),
            ("organisations", "RELUFA"), ("organisations", "CRAGG"), ("addressee", "Ministère des Mines"), ("addresseeKind", "ministry"),
            ("countries", finding.CountryIso3), ("theme", "transparencyOfFigures"), ("dueOn", "2027-06-30"),
            ("evidenceKind", "finding"), ("evidenceTarget", $"{finding.Id}"), ("evidenceNote", ""), ("evidenceKind", ""), ("evidenceTarget", ""), ("evidenceNote", ""),
        ];
        var first = await PostAsync(analyst, "/advocacy/recommendations/new", "/advocacy/recommendations/new", good);
        var second = await PostAsync(analyst, "/advocacy/recommendations/new", "/advocacy/recommendations/new", good);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(1, await app.WithDb(db => db.AdvocacyItems.CountAsync(i => i.Text == text, Cancel)));
        var (_, page) = await GetAsync(analyst, first.Headers.Location!.OriginalString);
        Assert.Contains(text, page);
        Assert.Contains("CRAGG, RELUFA", page);
        Assert.Contains($"<a href=\"/findings/{finding.Id}\">", page);
        Assert.Contains("Transparence des chiffres", page);
    }

    [Fact]
    public async Task AnAnalystMovesAnItemOnWithEvidenceAndACoordinatorPublishesIt()
    {
        var id = await ItemAsync("Rendre publics les contrats miniers de la Sangha", "COG", Theme.Revenue, published: false);
        await People.CreateAsync(app, "step-analyst@example.org", MemberRole.Analyst);
        var analyst = await People.SignInAsync(app, "step-analyst@example.org");
        var address = $"/advocacy/recommendations/{id}";

        var (_, page) = await GetAsync(analyst, address);
        Assert.Contains("<option value=\"presented\">présenté</option>", page);
        Assert.DoesNotContain(">Publier</button>", page);
        var refused = await PostAsync(analyst, address, address, ("action", "step"), ("status", "implemented"), ("note", ""));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Écrivez une note : ce qui montre ce résultat", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Cancel)));

        var stepped = await PostAsync(analyst, address, address, ("action", "step"), ("status", "inProgress"), ("acknowledgement", ""),
            ("note", "Le ministère a ouvert une consultation."), ("evidenceKind", "link"), ("evidenceTarget", "https://example.org/consultation-sangha"));
        Assert.Equal(HttpStatusCode.Redirect, stepped.StatusCode);
        Assert.Equal(address, stepped.Headers.Location?.OriginalString);

        var coordinator = await People.CreateAsync(app, "publish-coordinator@example.org", MemberRole.Coordinator);
        var client = await People.SignInAsync(app, coordinator.Email!);
        var published = await PostAsync(client, address, address, ("action", "publish"));
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);

        var (status, html) = await GetAsync(address);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("proposé → <strong>en cours</strong>", html);
        Assert.Contains("<q>Le ministère a ouvert une consultation.</q>", html);
        Assert.Contains("<a href=\"https://example.org/consultation-sangha\" rel=\"nofollow noopener\">", html);
        Assert.Contains("<span class=\"detail\">RELUFA</span>", html);
        Assert.DoesNotContain("step-analyst@example.org", html);
        Assert.DoesNotContain("<form", html[html.IndexOf("<main", StringComparison.Ordinal)..]);
        Assert.Contains("Rendre publics les contrats miniers de la Sangha", (await GetAsync("/countries/COG")).Html);
    }

    [Fact]
    public async Task AnAnalystEditsAnItemThenWithdrawsItWithItsReasonAndNothingIsDeleted()
    {
        var id = await ItemAsync("Interdire l'achat de diamants bruts sans certificat à Mbuji-Mayi", "COD", Theme.Security, due: Today.AddDays(-1));
        await People.CreateAsync(app, "edit-analyst@example.org", MemberRole.Analyst);
        var analyst = await People.SignInAsync(app, "edit-analyst@example.org");
        var edit = $"/advocacy/recommendations/{id}/edit";

        var (_, form) = await GetAsync(analyst, edit);
        Assert.Contains(">Interdire l'achat de diamants bruts sans certificat à Mbuji-Mayi</textarea>", form);
        Assert.Contains("<input type=\"checkbox\" name=\"countries\" value=\"COD\" checked=\"checked\">", form);
        Assert.Contains("<option value=\"security\" selected=\"selected\">Sécurité</option>", form);
        var edited = await PostAsync(analyst, edit, edit, ("kind", "recommendation"), ("text", "Interdire l'achat de diamants bruts sans certificat de Kimberley à Mbuji-Mayi"),
            ("language", "fr"), ("translationEn", "Ban buying rough diamonds without a Kimberley certificate in Mbuji-Mayi"), ("organisations", "RELUFA"),
            ("addressee", "Ministère des Mines"), ("addresseeKind", "ministry"), ("countries", "COD"), ("theme", "traceability"), ("dueOn", ""));
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);

        var address = $"/advocacy/recommendations/{id}";
        var withdrawn = await PostAsync(analyst, address, address, ("action", "withdraw"), ("note", "Remplacée par une recommandation régionale."));
        Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);

        var (status, page) = await GetAsync(analyst, address);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("sans certificat de Kimberley à Mbuji-Mayi", page);
        Assert.Contains("Traçabilité", page);
        Assert.DoesNotContain("badge overdue", page);
        Assert.Contains("<dt>Raison du retrait</dt><dd>Remplacée par une recommandation régionale.</dd>", page);
        Assert.Contains("proposé → <strong>retiré</strong>", page);
        Assert.DoesNotContain("name=\"action\" value=\"step\"", page);
        Assert.Equal(HttpStatusCode.Redirect, (await analyst.GetAsync(edit, Cancel)).StatusCode);
        // Read in English, the translation comes first and the original is shown beside it.
        var english = app.CreateClient();
        english.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var (_, translated) = await GetAsync(english, address);
        Assert.Contains("<blockquote class=\"item-text\" lang=\"en\">Ban buying rough diamonds", translated);
        Assert.Contains("<blockquote class=\"item-text original\" lang=\"fr\">Interdire l'achat", translated);
    }

    [Fact]
    public async Task AnAnalystCitesADocumentPageFromTheDocumentInTheRecommendationFormAndTheStepFormAndTheItemLinksToIt()
    {
        var title = $"Rapport ITIE {Guid.NewGuid():N}";
        var document = await LibraryDocuments.AddAsync(app, title, Library.DocumentVisibility.Public, "RELUFA", "Résumé", "Paiements", "Annexe");
        var canary = $"Note interne {Guid.NewGuid():N}";
        var coalition = await LibraryDocuments.AddAsync(app, canary, Library.DocumentVisibility.Coalition, "RELUFA", "Confidentiel");
        await People.CreateAsync(app, "doc-analyst@example.org", MemberRole.Analyst);
        var analyst = await People.SignInAsync(app, "doc-analyst@example.org");

        var (_, reading) = await GetAsync(analyst, $"/library/{document}?page=2");
        Assert.Contains($"<a href=\"/advocacy/recommendations/new?document={document}&page=2\">Citer dans une recommandation</a>", reading);
        Assert.DoesNotContain("/advocacy/recommendations/new?document=", (await GetAsync($"/library/{document}")).Html);
        var (status, form) = await GetAsync(analyst, $"/advocacy/recommendations/new?document={document}&page=2");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<option value=\"document\" selected=\"selected\">document</option>", form);
        Assert.Contains($"name=\"evidenceTarget\" maxlength=\"2000\" value=\"{document}\" list=\"evidence-documents\"", form);
        Assert.Contains("id=\"evidencePage-1\" name=\"evidencePage\" type=\"number\" min=\"1\" value=\"2\"", form);
        Assert.Contains($"<option value=\"{coalition}\">{canary}</option>", form);
        var clientId = ClientId().Match(form).Groups[1].Value;

        (string, string)[] Item(string target, string page) =>
        [
            ("clientId", clientId), ("kind", "recommendation"), ("text", "Publier les paiements des sociétés minières par site."), ("language", "fr"),
            ("organisations", "RELUFA"), ("addressee", "Ministère des Mines"), ("addresseeKind", "ministry"), ("countries", "CMR"), ("theme", "revenue"),
            ("evidenceKind", "document"), ("evidenceTarget", target), ("evidenceNote", "Tableau 2"), ("evidencePage", page),
            ("evidenceKind", "document"), ("evidenceTarget", $"{coalition}"), ("evidenceNote", ""), ("evidencePage", "1"),
        ];
        var beyond = await PostAsync(analyst, "/advocacy/recommendations/new", "/advocacy/recommendations/new", Item($"{document}", "9"));
        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
        Assert.Contains($"id=\"error-evidence\">La preuve n'est pas enregistrée : le document {document} a des pages de 1 à 3.</p>",
            WebUtility.HtmlDecode(await beyond.Content.ReadAsStringAsync(Cancel)));
        var missing = await PostAsync(analyst, "/advocacy/recommendations/new", "/advocacy/recommendations/new", Item("987654", "1"));
        Assert.Contains("aucun document 987654 que vous pouvez lire", WebUtility.HtmlDecode(await missing.Content.ReadAsStringAsync(Cancel)));
        var recorded = await PostAsync(analyst, "/advocacy/recommendations/new", "/advocacy/recommendations/new", Item($"{document}", "2"));
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        var address = recorded.Headers.Location!.OriginalString;

        var (_, page) = await GetAsync(analyst, address);
        Assert.Contains($"<a href=\"/library/{document}?page=2#page-2\">{title} — page 2</a>", page);
        Assert.Contains($"<a href=\"/library/{coalition}?page=1#page-1\">{canary} — page 1</a>", page);
        var (_, edit) = await GetAsync(analyst, $"{address}/edit");
        Assert.Contains("id=\"evidencePage-1\" name=\"evidencePage\" type=\"number\" min=\"1\" value=\"2\"", edit);

        // The step form's refusal reads in the analyst's language.
        analyst.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var refused = await PostAsync(analyst, address, address, ("action", "step"), ("status", "presented"), ("note", "Présentée au ministre."),
            ("evidenceKind", "document"), ("evidenceTarget", $"{document}"), ("evidencePage", "4"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains($"The evidence is not recorded: document {document} has pages 1 to 3.", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Cancel)));
        var stepped = await PostAsync(analyst, address, address, ("action", "step"), ("status", "presented"), ("note", "Présentée au ministre."),
            ("evidenceKind", "document"), ("evidenceTarget", $"{document}"), ("evidencePage", "3"));
        Assert.Equal(HttpStatusCode.Redirect, stepped.StatusCode);
        var (_, after) = await GetAsync(analyst, address);
        Assert.Contains($"<a href=\"/library/{document}?page=3#page-3\">{title} — page 3</a>", after);
    }

    [Fact]
    public async Task AnAnalystOfAnotherOrganisationCannotMoveTheItemOn()
    {
        var id = await ItemAsync("Former les agents du cadastre minier de Tshikapa", "COD", Theme.ArtisanalMiners);
        await People.CreateAsync(app, "other-analyst@example.org", MemberRole.Analyst, organisation: "CENADEP");
        var other = await People.SignInAsync(app, "other-analyst@example.org");
        var address = $"/advocacy/recommendations/{id}";

        var (_, page) = await GetAsync(other, address);
        Assert.DoesNotContain("name=\"action\" value=\"step\"", page);
        // The item's page holds no form for them: the token comes from a form they may open.
        var response = await PostAsync(other, address, "/advocacy/recommendations/new", ("action", "step"), ("status", "presented"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/denied", response.Headers.Location?.OriginalString);
        Assert.Equal(ItemStatus.Proposed, await app.WithDb(db => db.AdvocacyItems.Where(i => i.Id == id).Select(i => i.Status).SingleAsync(Cancel)));
    }

    [Fact]
    public async Task ACoordinatorRecordsAMeetingAndAnAnalystFindsTheRecommendLinkOnAFinding()
    {
        await People.CreateAsync(app, "meeting-coordinator@example.org", MemberRole.Coordinator);
        var coordinator = await People.SignInAsync(app, "meeting-coordinator@example.org");
        var (_, form) = await GetAsync(coordinator, "/advocacy/meetings/new");
        var clientId = ClientId().Match(form).Groups[1].Value;

        var refused = await PostAsync(coordinator, "/advocacy/meetings/new", "/advocacy/meetings/new", ("clientId", clientId), ("title", ""), ("language", "fr"),
            ("startsOn", "2027-03-12"), ("endsOn", "2027-03-10"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Cancel));
        Assert.Contains("id=\"error-title\">Donnez l'intitulé de la réunion", errors);
        Assert.Contains("id=\"error-endsOn\">La réunion finit le jour où elle commence ou après.", errors);

        var recorded = await PostAsync(coordinator, "/advocacy/meetings/new", "/advocacy/meetings/new", ("clientId", clientId), ("title", "Dialogue avec le ministère des Mines du Cameroun"),
            ("kind", "governmentDialogue"), ("language", "fr"), ("startsOn", "2027-03-12"), ("endsOn", "2027-03-13"), ("place", "Yaoundé"), ("countries", "CMR"),
            ("organisations", "RELUFA"), ("aims", "Présenter les constats\nObtenir un calendrier"));
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        var address = recorded.Headers.Location!.OriginalString;
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(address)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(coordinator, address, address, ("action", "publish"))).StatusCode);
        var (status, html) = await GetAsync(address);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Dialogue avec un gouvernement", html);
        Assert.Contains("<li>Obtenir un calendrier</li>", html);
        Assert.Contains("Yaoundé", html);

        await People.CreateAsync(app, "recommend-analyst@example.org", MemberRole.Analyst);
        var analyst = await People.SignInAsync(app, "recommend-analyst@example.org");
        var finding = await app.WithDb(db => db.Findings.MinAsync(f => f.Id, Cancel));
        Assert.Contains($"<a href=\"/advocacy/recommendations/new?finding={finding}\">Recommander</a>", (await GetAsync(analyst, $"/findings/{finding}")).Html);
        Assert.DoesNotContain("/advocacy/recommendations/new", (await GetAsync($"/findings/{finding}")).Html);
    }

    [Theory]
    [InlineData("en", "Advocacy: regional board", "Transparency of figures", "Central African Republic", "not stated in the source")]
    [InlineData("pt", "Advocacia: quadro regional", "Transparência dos números", "República Centro-Africana", "não indicado na fonte")]
    public async Task TheBoardAndTheWorkshopReadInEnglishAndPortuguese(string language, string title, string theme, string country, string notStated)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        var workshop = await app.WithDb(db => db.Meetings.Where(m => m.Key == BundledMeetings.SeedWorkshop).Select(m => m.Id).SingleAsync(Cancel));

        var (_, board) = await GetAsync(client, "/advocacy");
        var (_, meeting) = await GetAsync(client, $"/advocacy/meetings/{workshop}");

        Assert.Contains($"<h1>{title}</h1>", board);
        Assert.Contains($"<th scope=\"col\">{theme}</th>", board);
        Assert.Contains($">{country}</a></th>", board);
        Assert.Contains(notStated, meeting);
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex("<a href=\"/advocacy/recommendations/(\\d+)\"")]
    private static partial Regex ItemLinks();

    [GeneratedRegex("<li><strong>")]
    private static partial Regex PresentOrganisations();

    [GeneratedRegex("name=\"clientId\" value=\"([0-9a-f-]+)\"")]
    private static partial Regex ClientId();
}
