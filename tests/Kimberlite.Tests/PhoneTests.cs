using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kimberlite.Accounts;

namespace Kimberlite.Tests;

/// <summary>Issue 18, phones first: long lists come a page at a time and can be searched; the monitor's form starts on their own country and carries its sites.</summary>
public sealed partial class PhoneTests(BundledApp app) : IClassFixture<BundledApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<string> Html(string url, HttpClient? client = null)
    {
        var response = await (client ?? app.CreateClient()).GetAsync(url, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel));
    }

    private static List<string> SiteLinks(string html) => SiteLink().Matches(html).Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public async Task TheSitesListShowsFiftySitesAPageWithLinksToTheNextAndFindsSitesByPartOfTheirName()
    {
        var first = await Html("/sites");
        var total = await app.WithDb(db => Task.FromResult(db.MiningSites.Count()));

        Assert.Equal(50, SiteLinks(first).Count);
        Assert.Contains($"Sites : {total}", first);
        var pages = (total + 49) / 50;
        Assert.Contains($"Page 1 sur {pages}", first);
        Assert.Contains("href=\"/sites?page=2\" rel=\"next\"", first);

        var last = await Html($"/sites?page={pages}");
        Assert.Equal(total - (pages - 1) * 50, SiteLinks(last).Count);
        Assert.Contains($"rel=\"prev\"", last);
        Assert.Empty(SiteLinks(first).Intersect(SiteLinks(last)));
        // A page past the end is the last page, not an empty one.
        Assert.Equal(SiteLinks(last), SiteLinks(await Html("/sites?page=999")));

        // A part of a name, in any case, finds the sites whose name holds it, all on one page.
        var named = await app.WithDb(db => Task.FromResult(db.MiningSites.AsEnumerable().Count(s => s.Name.Contains("adouz", StringComparison.OrdinalIgnoreCase))));
        Assert.InRange(named, 2, 50);
        var found = await Html("/sites?q=adouZ");
        Assert.Equal(named, SiteLinks(found).Count);
        Assert.Contains($"Sites : {named}", found);
        Assert.DoesNotContain("rel=\"next\"", found);
        Assert.Contains("value=\"adouZ\"", found);
        // The country filter and its address keep working, and go with the search into the next page's link.
        var angola = await Html("/sites?country=AGO");
        var angolaCount = await app.WithDb(db => Task.FromResult(db.MiningSites.Count(s => s.CountryIso3 == "AGO")));
        Assert.Contains($"Sites : {angolaCount}", angola);
        Assert.Equal(Math.Min(50, angolaCount), SiteLinks(angola).Count);
        if (angolaCount > 50)
            Assert.Contains("href=\"/sites?country=AGO&page=2\"", angola);
    }

    [Fact]
    public async Task TheFindingsListShowsTwentyFiveFindingsAPageAndASearchNarrowsItToTheFindingsThatSayTheWords()
    {
        var all = await Html("/findings?state=all");
        var total = int.Parse(FindingsCount().Match(all).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(total > 25, $"the bundled data gives {total} findings");

        Assert.Equal(25, FindingLink().Matches(all).Count);
        Assert.Contains($"Page 1 sur {(total + 24) / 25}", all);
        Assert.Contains("href=\"/findings?state=all&page=2\"", all);
        var second = await Html("/findings?state=all&page=2");
        Assert.Equal(Math.Min(25, total - 25), FindingLink().Matches(second).Count);
        Assert.Empty(FindingTitle().Matches(all).Select(m => m.Groups[1].Value).Intersect(FindingTitle().Matches(second).Select(m => m.Groups[1].Value)));

        // The first finding's title, searched in other letters' case, finds it; words no finding says find none.
        var title = FindingTitle().Match(all).Groups[2].Value.Trim();
        var found = await Html("/findings?state=all&q=" + Uri.EscapeDataString(title.ToUpperInvariant()));
        Assert.Contains(title, found);
        Assert.True(FindingLink().Matches(found).Count <= Math.Min(25, total));
        var none = await Html("/findings?state=all&q=zzqxw");
        Assert.Contains("Constats : 0", none);
        Assert.Contains("Aucun constat.", none);
    }

    [Fact]
    public async Task TheIncidentsListShowsTwentyFiveIncidentsAPageNewestFirstAndASearchFindsTheirWords()
    {
        var monitor = await People.ApiClientAsync(app, "paging-monitor@example.org", MemberRole.Monitor, "RELUFA");
        for (var n = 1; n <= 30; n++)
        {
            var sent = await monitor.PostAsJsonAsync("/api/v1/field/submissions", new
            {
                clientId = Guid.NewGuid(), kind = "incident", category = "violence", occurredOn = "2026-10-01", latitude = 4.1, longitude = 11.5,
                severity = "minor", countryIso3 = "CMR", description = n == 7 ? "Le chantier de Colomines a été fermé par la gendarmerie." : $"Incident numéro {n}.",
            }, Cancel);
            Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        }
        await People.CreateAsync(app, "paging-viewer@example.org", MemberRole.Viewer, "RELUFA", twoFactor: false);
        var viewer = await People.SignInAsync(app, "paging-viewer@example.org");

        var first = await Html("/field/incidents", viewer);
        Assert.Equal(25, IncidentItem().Matches(first).Count);
        Assert.Contains("Incident numéro 30.", first);
        Assert.DoesNotContain("Incident numéro 5.", first);
        Assert.Contains("Page 1 sur 2", first);

        var second = await Html("/field/incidents?page=2", viewer);
        Assert.Equal(5, IncidentItem().Matches(second).Count);
        Assert.Contains("Incident numéro 1.", second);

        var found = await Html("/field/incidents?q=COLOMINES", viewer);
        Assert.Single(IncidentItem().Matches(found));
        Assert.Contains("Le chantier de Colomines a été fermé par la gendarmerie.", found);
        Assert.DoesNotContain("class=\"pager\"", found);
    }

    [Fact]
    public async Task TheFieldFormStartsOnTheCountryOfTheMonitorsOrganisationAndCarriesEverySiteForTheOfflinePicker()
    {
        await People.CreateAsync(app, "car-monitor@example.org", MemberRole.Monitor, "CRAGG", twoFactor: false);
        var monitor = await People.SignInAsync(app, "car-monitor@example.org");

        var html = await Html("/field/new", monitor);

        Assert.Matches("<option value=\"CAF\" selected=\"selected\">", html);
        Assert.DoesNotMatch("<option value=\"AGO\" selected", html);
        // One list of sites, in the page, that both pickers read as the monitor types; the sites of the monitor's country first.
        var options = SiteOption().Matches(html).Select(m => (Label: m.Groups[1].Value, Id: int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var total = await app.WithDb(db => Task.FromResult(db.MiningSites.Count()));
        Assert.Equal(total, options.Count);
        Assert.Equal(total, options.Select(o => o.Id).Distinct().Count());
        Assert.Equal(total, options.Select(o => o.Label).Distinct().Count());
        Assert.Contains("(CAF,", options[0].Label);
        Assert.Contains("<input id=\"visit-site\" class=\"site-picker\" list=\"site-list\"", html);
        Assert.Contains("<input id=\"incident-site\" class=\"site-picker\" list=\"site-list\"", html);
        Assert.Single(Regex.Matches(html, "<datalist id=\"site-list\">"));

        // A monitor of another organisation starts on theirs.
        await People.CreateAsync(app, "gabon-monitor@example.org", MemberRole.Monitor, "Muyissi", twoFactor: false);
        var gabon = await Html("/field/new", await People.SignInAsync(app, "gabon-monitor@example.org"));
        Assert.Matches("<option value=\"GAB\" selected=\"selected\">", gabon);
    }

    [GeneratedRegex("<td data-label=\"[^\"]*\"><a href=\"/sites/(\\d+)\">")]
    private static partial Regex SiteLink();
    [GeneratedRegex("Constats : (\\d+)")]
    private static partial Regex FindingsCount();
    [GeneratedRegex("<li class=\"finding [^\"]*\">")]
    private static partial Regex FindingLink();
    [GeneratedRegex("<a href=\"/findings/(\\d+)\">([^<]+)</a>")]
    private static partial Regex FindingTitle();
    [GeneratedRegex("<li id=\"incident-\\d+\"")]
    private static partial Regex IncidentItem();
    [GeneratedRegex("<option value=\"([^\"]+)\" data-id=\"(\\d+)\"[^>]*></option>")]
    private static partial Regex SiteOption();
}
