using System.Globalization;
using System.Text;
using System.Xml;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Advocacy;

/// <summary>
/// The Atom feed of status changes of published recommendations and commitments, the newest first: the organisation
/// that acted, never the person; nothing of an item that is not published.
/// </summary>
public static class AdvocacyFeed
{
    public const string Path = "/feeds/recommendations.atom";
    public const int Entries = 50;
    private const string Atom = "http://www.w3.org/2005/Atom";

    public static IEndpointRouteBuilder MapAdvocacyFeed(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Feed).AllowAnonymous().WithTags("Recommendations").WithName("RecommendationsFeed")
            .WithSummary("Atom feed of the status changes of published recommendations and commitments, the newest first (at most 50)")
            .WithDescription("Each entry is one step (or the recording) of an item: its title in the reader's language, the note and the item's text, "
                + "the organisation that acted, and a link to the item's page.")
            .Produces(StatusCodes.Status200OK, contentType: "application/atom+xml");
        return app;
    }

    private static async Task<IResult> Feed(HttpRequest request, KimberliteDb db, IStringLocalizer<Texts> texts, TimeProvider clock, CancellationToken cancellationToken)
    {
        var changes = await db.StatusChanges.AsNoTracking()
            .Where(s => db.AdvocacyItems.Any(i => i.Id == s.ItemId && i.IsPublished))
            .OrderByDescending(s => s.AtUtc).ThenByDescending(s => s.Id).Take(Entries).ToListAsync(cancellationToken);
        var itemIds = changes.Select(s => s.ItemId).Distinct().ToList();
        var items = await db.AdvocacyItems.AsNoTracking().Include(i => i.Translations).Where(i => itemIds.Contains(i.Id) && i.IsPublished)
            .ToDictionaryAsync(i => i.Id, cancellationToken);
        var acronyms = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Acronym, cancellationToken);
        var root = $"{request.Scheme}://{request.Host}{request.PathBase}";
        var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;

        var output = new MemoryStream();
        // Written to memory: nothing to wait for.
        using (var xml = XmlWriter.Create(output, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", Atom);
            xml.WriteAttributeString("xml", "lang", null, language);
            xml.WriteElementString("id", Atom, root + Path);
            xml.WriteElementString("title", Atom, texts["AdvApi_Feed_Title"]);
            xml.WriteElementString("subtitle", Atom, texts["AdvApi_Feed_Subtitle"]);
            xml.WriteElementString("updated", Atom, Time(changes.FirstOrDefault()?.AtUtc ?? clock.GetUtcNow().UtcDateTime));
            Link(xml, "self", root + Path, "application/atom+xml");
            Link(xml, "alternate", root + "/advocacy", "text/html");
            xml.WriteStartElement("author", Atom);
            xml.WriteElementString("name", Atom, texts["AdvApi_Feed_Author"]);
            xml.WriteEndElement();
            foreach (var change in changes)
            {
                if (!items.TryGetValue(change.ItemId, out var item))
                    continue;
                var address = $"{root}/advocacy/recommendations/{item.Id}";
                var status = texts[$"Adv_Status_{change.To}"].Value;
                if (change.Acknowledgement is { } acknowledgement)
                    status += $" ({texts[$"Adv_Ack_{acknowledgement}"]})";
                var text = item.Translations.FirstOrDefault(t => t.Language == language)?.Text ?? item.Text;
                xml.WriteStartElement("entry", Atom);
                // The item's address and the change's number: stable whatever the item later becomes.
                xml.WriteElementString("id", Atom, $"{address}#change-{change.Id.ToString(CultureInfo.InvariantCulture)}");
                xml.WriteElementString("title", Atom, texts["AdvApi_Feed_EntryTitle", texts[$"Adv_Kind_{item.Kind}"], item.Id, status]);
                xml.WriteElementString("updated", Atom, Time(change.AtUtc));
                Link(xml, "alternate", address, "text/html");
                xml.WriteStartElement("author", Atom);
                xml.WriteElementString("name", Atom, acronyms.GetValueOrDefault(change.ActorOrganisationId ?? item.OrganisationId) ?? texts["AdvApi_Feed_Author"]);
                xml.WriteEndElement();
                xml.WriteStartElement("summary", Atom);
                xml.WriteAttributeString("type", "text");
                xml.WriteString(change.Note is { } note ? $"{note}\n\n{text}" : text);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return TypedResults.Bytes(output.ToArray(), "application/atom+xml; charset=utf-8");
    }

    private static void Link(XmlWriter xml, string rel, string href, string type)
    {
        xml.WriteStartElement("link", Atom);
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }

    private static string Time(DateTime utc) => XmlConvert.ToString(DateTime.SpecifyKind(utc, DateTimeKind.Utc), XmlDateTimeSerializationMode.Utc);
}
