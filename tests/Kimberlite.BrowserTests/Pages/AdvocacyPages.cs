using Microsoft.Playwright;

namespace Kimberlite.BrowserTests.Pages;

/// <summary>The form that records a recommendation (/advocacy/recommendations/new), filled in by its French labels.</summary>
public sealed class RecommendationFormPage(IPage page) : SitePage(page)
{
    public ILocator Text => Page.GetByLabel("Texte", new() { Exact = true });
    public ILocator Addressee => Page.GetByLabel("Destinataire", new() { Exact = true });
    public ILocator AddresseeKind => Page.GetByLabel("Type de destinataire", new() { Exact = true });
    public ILocator Theme => Page.GetByLabel("Thème", new() { Exact = true });
    public ILocator DueOn => Page.GetByLabel("Échéance", new() { Exact = true });
    public ILocator Country(string name) => Page.GetByRole(AriaRole.Checkbox, new() { Name = name, Exact = true });
    public ILocator FirstEvidenceKind => Page.GetByLabel("Preuve 1 : type", new() { Exact = true });
    public ILocator FirstEvidenceTarget => Page.GetByLabel("Preuve 1 : numéro ou adresse", new() { Exact = true });

    public Task SaveAsync() => RunAndWaitForNextLoadAsync(() => Page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer", Exact = true }).ClickAsync());
}

/// <summary>A recommendation's page (/advocacy/recommendations/{id}): its text, badges, evidence, history and the forms that move it on.</summary>
public sealed class RecommendationPage(IPage page) : SitePage(page)
{
    public ILocator StatusBadge => Page.GetByRole(AriaRole.Main).Locator("p > .badge.status");
    public ILocator Text => Page.GetByRole(AriaRole.Main).Locator("blockquote.item-text").First;
    public ILocator HistoryEntries => Page.GetByRole(AriaRole.Region, new() { Name = "Historique du statut", Exact = true }).Locator("ol.history > li");
    public ILocator Evidence => Page.GetByRole(AriaRole.Region, new() { Name = "Preuves", Exact = true }).GetByRole(AriaRole.Listitem);

    /// <summary>Moves the item to a status with a note and one piece of evidence given by its kind and its number or address.</summary>
    public async Task StepAsync(string status, string note, string evidenceKind, string evidence)
    {
        await Page.GetByLabel("Nouveau statut", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = status });
        await Page.GetByLabel("Note (ce qui fonde le changement)", new() { Exact = true }).FillAsync(note);
        await Page.GetByLabel("Type de preuve", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = evidenceKind });
        await Page.GetByLabel("Numéro ou adresse", new() { Exact = true }).FillAsync(evidence);
        await RunAndWaitForNextLoadAsync(() => Page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le changement", Exact = true }).ClickAsync());
    }

    public Task PublishAsync() => RunAndWaitForNextLoadAsync(() => Page.GetByRole(AriaRole.Button, new() { Name = "Publier", Exact = true }).ClickAsync());
}

/// <summary>The regional board (/advocacy): the table of countries by theme, what changed, the filters and the items they choose.</summary>
public sealed class BoardPage(IPage page) : SitePage(page)
{
    public async Task<BoardPage> OpenAsync(string query = "")
    {
        await Page.GotoAsync("/advocacy" + query);
        return this;
    }

    public ILocator Table => Page.GetByRole(AriaRole.Table, new() { Name = "Par pays et par thème", Exact = true });

    /// <summary>A country's row, named by its header cell ("République centrafricaine").</summary>
    public ILocator Row(string country) => Table.GetByRole(AriaRole.Row).Filter(new() { Has = Page.GetByRole(AriaRole.Rowheader, new() { Name = country, Exact = true }) });

    public ILocator Changes => Page.GetByRole(AriaRole.Region, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Ce qui a changé depuis") }).Locator("ol > li");

    public ILocator Items => Page.GetByRole(AriaRole.Region, new() { Name = "Recommandations et engagements", Exact = true }).Locator("ol.items > li");
}
