using Kimberlite.Infrastructure.Localization;
using Kimberlite.Statistics;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Advocacy.Pages;

/// <summary>How the advocacy pages name statuses, themes, kinds and countries in the reader's language.</summary>
public sealed partial class AdvocacyTexts(IStringLocalizer<Texts> texts, CountryNamer names)
{
    /// <summary>The "regional" row and filter value: an item without countries.</summary>
    public const string Regional = "regional";

    public string Status(ItemStatus s) => texts[$"Adv_Status_{s}"];
    public string Theme(Theme t) => texts[$"Adv_Theme_{t}"];
    public string Kind(ItemKind k) => texts[$"Adv_Kind_{k}"];
    public string Addressee(AddresseeKind k) => texts[$"Adv_Addressee_{k}"];
    public string MeetingKind(MeetingKind k) => texts[$"Adv_MeetingKind_{k}"];
    public string Acknowledgement(Acknowledgement a) => texts[$"Adv_Ack_{a}"];
    public string Evidence(EvidenceKind k) => texts[$"Adv_Evidence_{k}"];
    public string Language(string code) => texts[$"Adv_Language_{code}"] is { ResourceNotFound: false } l ? l.Value : code;
    public string Country(string iso3) => iso3 == Regional ? texts["Adv_Regional"] : names.Name(iso3);

    /// <summary>The countries an item or meeting concerns, or "regional".</summary>
    public string Countries(string codes) =>
        Advocacy.Countries.Split(codes) is { Count: > 0 } list ? string.Join(", ", list.Select(names.Name)) : texts["Adv_Regional"];

    /// <summary>The text in the reader's language where a translation exists, with the language it is in.</summary>
    public static (string Text, string Language, bool Translated) Read(AdvocacyItem item)
    {
        var reader = Formats.Language;
        if (item.Language != reader && item.Translations.FirstOrDefault(t => t.Language == reader) is { } translation)
            return (translation.Text, reader, true);
        return (item.Text, item.Language, false);
    }

    public static string Clip(string text, int length) => text.Length <= length ? text : text[..length].TrimEnd() + "…";

    /// <summary>A field's error in the reader's language, or the book's English sentence where no resource says it.</summary>
    public string Error(string field, string[] messages)
    {
        var general = texts[$"Adv_Error_{field}"] is { ResourceNotFound: false } e ? e.Value : string.Join(" ", messages);
        if (field != "evidence")
            return general;
        // A refused document says which one and why, in the reader's words; other refused pieces keep the general sentence.
        var documents = messages.Select(DocumentProblem).ToList();
        return string.Join(" ", documents.OfType<string>().Concat(documents.Any(d => d is null) ? [general] : []));
    }

    /// <summary>The book's refusal of a cited document (no such readable document, or a page it lacks) in the reader's language.</summary>
    private string? DocumentProblem(string message) =>
        NoDocument().Match(message) is { Success: true } none ? texts["LibF_Evidence_NoDocument", none.Groups[1].Value].Value
        : NoPage().Match(message) is { Success: true } page
            ? page.Groups[2].Success ? texts["LibF_Evidence_PageRange", page.Groups[1].Value, page.Groups[2].Value].Value : texts["LibF_Evidence_PageFrom", page.Groups[1].Value].Value
        : null;

    [System.Text.RegularExpressions.GeneratedRegex(@"no document (\d+) that you may read")]
    private static partial System.Text.RegularExpressions.Regex NoDocument();

    [System.Text.RegularExpressions.GeneratedRegex(@"give a page of document (\d+) from 1(?: to (\d+))?")]
    private static partial System.Text.RegularExpressions.Regex NoPage();
}
