using Microsoft.Playwright;

namespace Kimberlite.BrowserTests.Pages;

/// <summary>
/// A finding's page (/findings/{id}): its title, severity and status badges, the sentence that states it,
/// the numbers compared, the analyst's decision form and the history of the finding.
/// </summary>
public sealed class FindingPage(IPage page) : SitePage(page)
{
    public async Task<FindingPage> OpenAsync(int id)
    {
        await Page.GotoAsync($"/findings/{id}");
        return this;
    }

    /// <summary>The status badge beside the title ("ouvert", "confirmé", "écarté"…): a plain span, no role to find it by.</summary>
    public ILocator StatusBadge => Page.GetByRole(AriaRole.Main).Locator(".badge.status");

    /// <summary>The sentence that states the finding with its numbers.</summary>
    public ILocator Explanation => Page.GetByRole(AriaRole.Main).Locator("p.explanation");

    /// <summary>The section of the analyst's decision, named by its heading ("Décision de l'analyste", "Analyst's decision").</summary>
    public ILocator DecisionSection(string heading) =>
        Page.GetByRole(AriaRole.Region, new() { Name = heading, Exact = true });

    /// <summary>One radio button of the status fieldset, by its label ("ouvert", "confirmé", "écarté").</summary>
    public ILocator StatusOption(string status) =>
        Page.GetByRole(AriaRole.Radio, new() { Name = status, Exact = true });

    /// <summary>The note's text area, by its label ("Note (ce qui fonde la décision)").</summary>
    public ILocator NoteBox(string label) => Page.GetByLabel(label, new() { Exact = true });

    public ILocator SaveButton(string label) =>
        Page.GetByRole(AriaRole.Button, new() { Name = label, Exact = true });

    /// <summary>The note of the current decision, quoted above the form once one was saved.</summary>
    public ILocator CurrentNote(string decisionHeading) =>
        DecisionSection(decisionHeading).GetByRole(AriaRole.Paragraph).Locator("q");

    /// <summary>The history list's entries, oldest first, in the section named by its heading ("Historique", "History").</summary>
    public ILocator HistoryEntries(string heading) =>
        Page.GetByRole(AriaRole.Region, new() { Name = heading, Exact = true }).GetByRole(AriaRole.Listitem);

    /// <summary>
    /// Chooses a status, writes the note and submits the form as a reader would, then waits for the page
    /// the server sends back. Returns the server's answer to the form itself, a redirect when it went well.
    /// </summary>
    public async Task<IResponse> DecideAsync(string status, string noteLabel, string note, string saveLabel)
    {
        await StatusOption(status).CheckAsync();
        await NoteBox(noteLabel).FillAsync(note);
        IResponse? posted = null;
        await RunAndWaitForNextLoadAsync(async () =>
            posted = await Page.RunAndWaitForResponseAsync(() => SaveButton(saveLabel).ClickAsync(), r => r.Request.Method == "POST"));
        return posted!;
    }
}
