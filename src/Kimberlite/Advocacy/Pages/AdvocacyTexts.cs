using Kimberlite.Infrastructure.Localization;
using Kimberlite.Statistics;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Advocacy.Pages;

/// <summary>How the advocacy pages name statuses, themes, kinds and countries in the reader's language.</summary>
public sealed class AdvocacyTexts(IStringLocalizer<Texts> texts, CountryNamer names)
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
    public string Error(string field, string[] messages) =>
        texts[$"Adv_Error_{field}"] is { ResourceNotFound: false } e ? e.Value : string.Join(" ", messages);
}
