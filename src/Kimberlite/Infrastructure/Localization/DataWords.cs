using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Kimberlite.Statistics;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Infrastructure.Localization;

/// <summary>
/// The words of the data (precision notes, periods, segments, metrics, minerals, site status, bundled dataset titles):
/// stored as the source or the importer gave them, shown in the reader's language where the resources know the word,
/// otherwise as published, marked lang="en" when the vocabulary is English (docs/decisions/036).
/// </summary>
public static partial class DataWords
{
    /// <summary>The vocabularies; each one's words are resources named Wd_{Vocabulary}_{word as a slug}.</summary>
    public enum Vocabulary { Precision, Period, Segment, Metric, Origin, Mineral, SiteStatus, DatasetTitle, DatasetPublisher }

    /// <summary>The resource key of a stored word: "estimate by USGS" is Wd_Precision_estimate_by_usgs.</summary>
    public static string Key(Vocabulary vocabulary, string word) => $"Wd_{vocabulary}_{Slug(word)}";

    private static string Slug(string word) => NotAlphanumeric().Replace(WithoutAccents(word.Trim().ToLowerInvariant()), "_").Trim('_');

    // "abandonné" typed by a monitor finds the same word as "abandonne".
    private static string WithoutAccents(string word) => new(word.Normalize(System.Text.NormalizationForm.FormD)
        .Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray());

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotAlphanumeric();

    /// <summary>The word in the reader's language, or null where the resources do not know it.</summary>
    public static string? Translate(this IStringLocalizer texts, Vocabulary vocabulary, string? word)
    {
        if (string.IsNullOrWhiteSpace(word))
            return null;
        var found = texts[Key(vocabulary, word)];
        return found.ResourceNotFound ? null : found.Value;
    }

    /// <summary>The word translated, or as published: in an element marked lang="en" (the sources' vocabulary is English) titled "as published".</summary>
    public static IHtmlContent Word(this IStringLocalizer texts, Vocabulary vocabulary, string? word, bool english = true)
    {
        if (string.IsNullOrWhiteSpace(word))
            return HtmlString.Empty;
        if (texts.Translate(vocabulary, word) is { } translated)
            return new HtmlString(HtmlEncoder.Default.Encode(translated));
        return AsPublished(texts, word, english);
    }

    /// <summary>A text kept in the publisher's words, marked as such so a reader (and a screen reader) knows why it is not translated.</summary>
    public static IHtmlContent AsPublished(IStringLocalizer texts, string text, bool english = true)
    {
        var encoded = HtmlEncoder.Default.Encode(text);
        if (!english || Formats.Language == "en")
            return new HtmlString(encoded);
        return new HtmlString($"<span lang=\"en\" title=\"{HtmlEncoder.Default.Encode(texts["Wd_AsPublished"].Value)}\">{encoded}</span>");
    }

    /// <summary>A period understood is written in the reader's language (1er semestre, T3, janv.–sept.); any other as published.</summary>
    public static IHtmlContent PeriodWord(this IStringLocalizer texts, Figure figure) =>
        PeriodText(texts, figure) is { } written ? new HtmlString(HtmlEncoder.Default.Encode(written)) : texts.Word(Vocabulary.Period, figure.PeriodText);

    /// <summary>The period in the reader's language, or null where neither its structure nor the resources give it.</summary>
    public static string? PeriodText(this IStringLocalizer texts, Figure figure) =>
        WithinYear(texts, figure.Period) ?? texts.Translate(Vocabulary.Period, figure.PeriodText);

    /// <summary>A year and its period as the analysis writes them ("2024 Jan-Sep", "2023 H1"), in the reader's language ("2024 janv.–sept."); a whole year or a period not understood, as written.</summary>
    public static string YearAndPeriod(this IStringLocalizer texts, string written) =>
        Period.ParseCombined(written) is var p && WithinYear(texts, p) is { } part ? $"{p.Year} {part}" : written;

    private static string? WithinYear(IStringLocalizer texts, Period p) => p switch
    {
        { Kind: PeriodKind.Half, StartMonth: { } m } => texts[m == 1 ? "Wd_Half1" : "Wd_Half2"].Value,
        { Kind: PeriodKind.Quarter, StartMonth: { } m } => texts["Wd_Quarter", (m + 2) / 3].Value,
        { Kind: PeriodKind.Month, StartMonth: { } m } => MonthName(m),
        { Kind: PeriodKind.Span, StartMonth: { } from, EndMonth: { } to } when p.Year == p.EndYear => $"{MonthName(from)}–{MonthName(to)}",
        _ => null,
    };

    /// <summary>The parts a year was added up from, in the reader's language: "artisanal 1er semestre + industriel 1er semestre".</summary>
    public static string Parts(this IStringLocalizer texts, SeriesPoint point) =>
        string.Join(" + ", point.Parts.Select(p => string.Join(' ', new[]
        {
            p.IsTotal ? null : texts.Translate(Vocabulary.Segment, p.Segment) ?? p.Segment?.Trim(),
            texts.PeriodText(p) ?? p.PeriodText,
        }.OfType<string>())));

    private static string MonthName(int month) => CultureInfo.CurrentCulture.DateTimeFormat.GetAbbreviatedMonthName(month);

    /// <summary>A site's minerals, written "diamond" or "diamond, gold": each known one translated.</summary>
    public static string Minerals(this IStringLocalizer texts, string minerals) =>
        string.Join(", ", minerals.Split([',', ';', '/'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(m => texts.Translate(Vocabulary.Mineral, m) ?? m));

    /// <summary>A bundled dataset's title (or publisher) in the reader's language, keyed by its file; null for any other.</summary>
    public static string? BundledDataset(this IStringLocalizer texts, bool bundled, string fileName, bool publisher = false) =>
        bundled ? texts.Translate(publisher ? Vocabulary.DatasetPublisher : Vocabulary.DatasetTitle, fileName) : null;

    /// <summary>A dataset's title or publisher: translated for the bundled collection, else as published (the bundled files are described in English).</summary>
    public static IHtmlContent DatasetText(this IStringLocalizer texts, bool bundled, string fileName, string published, bool publisher = false) =>
        texts.BundledDataset(bundled, fileName, publisher) is { } translated
            ? new HtmlString(HtmlEncoder.Default.Encode(translated))
            : AsPublished(texts, published, english: bundled);
}
