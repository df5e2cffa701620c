using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Import;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Library;

/// <summary>
/// Lists what each extracted page names: countries (the coalition's six in French, English and Portuguese, the others by
/// their English names), their provinces and mining towns (data/provinces.csv), the mining sites Kimberlite holds, the
/// coalition's organisations and the publishers it reads, and sums in carats or US$ as numbers. Accents and case do not
/// matter; acronyms (RCA, RDC, CAR, DRC, KP…) must be written in capitals. "Congo" alone names no country: it is the
/// river, Brazzaville or Kinshasa, and a wrong guess would file a document under the wrong country (data/README.md).
/// </summary>
public sealed partial class MentionFinder(KimberliteDb db) : IPagesExtracted
{
    public const string ProvincesFile = "provinces.csv";

    public int Order => 20;

    /// <summary>The folded names, by their first word: a page is read word by word, not once per name.</summary>
    private Dictionary<string, List<(string Form, List<Entry> Entries)>>? _names;
    private List<(Entry Entry, Regex Pattern)>? _acronyms;

    public async Task OnExtractedAsync(KimberliteDb extraction, LibraryDocument document, IReadOnlyList<DocumentPage> pages, CancellationToken cancellationToken)
    {
        // A retried extraction lists the pages again from scratch; the new rows are saved with the extraction's pages.
        if (document.Id != 0)
            await extraction.DocumentMentions.Where(m => m.DocumentId == document.Id).ExecuteDeleteAsync(cancellationToken);
        await LoadAsync(cancellationToken);
        foreach (var page in pages)
            foreach (var found in Find(page.Text))
                extraction.DocumentMentions.Add(new DocumentMention { DocumentId = document.Id, Page = page.Number, Kind = found.Kind, Key = found.Key, Text = found.Text });
    }

    /// <summary>What one page names, once per kind and key, in the order the page first names it.</summary>
    public IReadOnlyList<(MentionKind Kind, string Key, string Text)> Find(string text)
    {
        if (_names is null || _acronyms is null)
            throw new InvalidOperationException("LoadAsync first.");
        var candidates = new List<Hit>();
        var folded = Fold(text);
        for (var at = 0; at < folded.Length;)
        {
            if (!char.IsLetterOrDigit(folded[at]))
            {
                at++;
                continue;
            }
            var end = at;
            while (end < folded.Length && char.IsLetterOrDigit(folded[end]))
                end++;
            if (_names.TryGetValue(folded[at..end], out var forms))
                foreach (var (form, entries) in forms)
                    if (string.CompareOrdinal(folded, at, form, 0, form.Length) == 0 && at + form.Length <= folded.Length && IsWordEdge(folded, at + form.Length))
                        candidates.AddRange(entries.Select(e => new Hit(at, form.Length, e.Kind, e.Key)));
            at = end;
        }
        foreach (var (entry, pattern) in _acronyms)
            foreach (Match m in pattern.Matches(text))
                candidates.Add(new Hit(m.Index, m.Length, entry.Kind, entry.Key));
        foreach (Match m in Carats().Matches(text))
            if (Amount(m) is { } carats)
                candidates.Add(new Hit(m.Index, m.Length, MentionKind.Carats, carats));
        foreach (var pattern in new[] { UsdBefore(), UsdAfter() })
            foreach (Match m in pattern.Matches(text))
                if (Amount(m) is { } usd)
                    candidates.Add(new Hit(m.Index, m.Length, MentionKind.Usd, usd));

        // The longest words win: "République démocratique du Congo" is one country, not also "République du Congo".
        var taken = new List<Hit>();
        foreach (var hit in candidates.OrderByDescending(h => h.Length).ThenBy(h => h.Start).ThenBy(h => h.Kind))
            if (!taken.Any(t => t.Start < hit.Start + hit.Length && hit.Start < t.Start + t.Length)
                || taken.Any(t => t.Start == hit.Start && t.Length == hit.Length && t.Kind == hit.Kind && t.Key != hit.Key))
                taken.Add(hit);
        return taken.OrderBy(h => h.Start).DistinctBy(h => (h.Kind, h.Key))
            .Select(h => (h.Kind, h.Key, Clip(text.Substring(h.Start, h.Length)))).ToList();
    }

    /// <summary>Reads the names once per scope: the bundled lists, then the sites and organisations of this database.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_names is not null)
            return;
        var entries = new List<(string Form, Entry Entry)>();
        foreach (var (form, code) in CountryForms())
            entries.Add((form, new(MentionKind.Country, code)));
        foreach (var (iso3, name, forms) in Provinces())
            foreach (var form in forms)
                entries.Add((form, new(MentionKind.Province, $"{iso3}:{name}")));
        var provinceForms = entries.Select(e => Fold(e.Form)).ToHashSet();

        var sites = await db.MiningSites.AsNoTracking().Select(s => new { s.Id, s.Name }).ToListAsync(cancellationToken);
        foreach (var site in sites)
            if (SiteName(site.Name) is { } name && !provinceForms.Contains(Fold(name)))
                entries.Add((name, new(MentionKind.Site, site.Id.ToString(CultureInfo.InvariantCulture))));

        var acronyms = new List<(Entry, Regex)>();
        foreach (var (acronym, names) in Publishers)
        {
            acronyms.Add((new(MentionKind.Organisation, acronym), AcronymPattern(acronym)));
            entries.AddRange(names.Select(n => (n, new Entry(MentionKind.Organisation, acronym))));
        }
        foreach (var (acronym, code) in CountryAcronyms)
            acronyms.Add((new(MentionKind.Country, code), AcronymPattern(acronym)));
        var organisations = await db.Organisations.AsNoTracking().Select(o => new { o.Acronym, o.Name }).ToListAsync(cancellationToken);
        foreach (var o in organisations)
        {
            // An acronym in capitals is matched as written; a mixed-case one (Muyissi) is a name.
            if (o.Acronym.Length >= 3 && o.Acronym == o.Acronym.ToUpperInvariant())
                acronyms.Add((new(MentionKind.Organisation, o.Acronym), AcronymPattern(o.Acronym)));
            else if (o.Acronym.Length >= 5)
                entries.Add((o.Acronym, new(MentionKind.Organisation, o.Acronym)));
            if (o.Name.Length >= 8 && o.Name != o.Acronym)
                entries.Add((o.Name, new(MentionKind.Organisation, o.Acronym)));
        }
        _acronyms = acronyms;
        _names = entries.Where(e => Fold(e.Form).Trim().Length >= 3)
            .GroupBy(e => Fold(e.Form).Trim(), e => e.Entry)
            .Select(g => (Form: g.Key, Entries: g.Distinct().ToList()))
            .GroupBy(f => new string([.. f.Form.TakeWhile(char.IsLetterOrDigit)]))
            .ToDictionary(g => g.Key, g => g.ToList());
    }

    /// <summary>A site's name when it is specific enough to find in prose: four letters or more, and not a common word.</summary>
    private static string? SiteName(string name)
    {
        var trimmed = name.Trim().TrimEnd('.');
        var letters = trimmed.Count(char.IsLetter);
        return letters < 4 || CommonWords.Contains(Fold(trimmed)) ? null : trimmed;
    }

    /// <summary>Words in French, English or Portuguese prose that are also the names of IPIS sites.</summary>
    private static readonly HashSet<string> CommonWords =
    [
        "pays", "pays2", "camp", "camp pilote", "mara", "rota", "gore", "willy", "lobe", "yoko", "sanda", "kanga", "modele", "nago", "baya",
        "mangala", "sipi", "thiene", "koro", "garo", "gaga", "bouze", "moenam", "pk12", "papou", "lopo", "loya", "zori", "wodo", "drol", "somica",
    ];

    /// <summary>The coalition's six countries in their three languages, then every other country by its English name.</summary>
    private static IEnumerable<(string Form, string Code)> CountryForms()
    {
        string[][] six =
        [
            ["AGO", "Angola", "République d'Angola", "Republic of Angola", "República de Angola"],
            ["CAF", "Centrafrique", "République centrafricaine", "Central African Republic", "République Centrafricaine", "República Centro-Africana", "Centro-Africana"],
            ["CMR", "Cameroun", "Cameroon", "Camarões", "République du Cameroun", "Republic of Cameroon"],
            ["COD", "République démocratique du Congo", "Democratic Republic of the Congo", "Democratic Republic of Congo", "DR Congo", "RD Congo",
                "República Democrática do Congo", "Congo-Kinshasa", "Congo Kinshasa", "Congo (Kinshasa)", "RDCongo"],
            ["COG", "République du Congo", "Republic of the Congo", "Republic of Congo", "República do Congo", "Congo-Brazzaville", "Congo Brazzaville", "Congo (Brazzaville)"],
            ["GAB", "Gabon", "Gabão", "République gabonaise", "Gabonese Republic", "República Gabonesa"],
        ];
        foreach (var names in six)
            foreach (var name in names.Skip(1))
                yield return (name, names[0]);
        foreach (var (name, code) in CountryNames.All())
            if (code.Length == 3 && !CountryCodes.IsAggregate(code) && !AmbiguousCountryNames.Contains(name) && name.Length >= 4)
                yield return (name, code);
    }

    /// <summary>Names that are also common words or people in prose, or Congo without saying which.</summary>
    private static readonly HashSet<string> AmbiguousCountryNames = ["Congo", "Georgia", "Jordan", "Turkey", "Jersey", "Chad", "Guernsey", "Niger", "Total", "World"];

    private static readonly (string Acronym, string Code)[] CountryAcronyms =
        [("RCA", "CAF"), ("CAR", "CAF"), ("RDC", "COD"), ("DRC", "COD"), ("RDCongo", "COD"), ("RPC", "COG")];

    /// <summary>The publishers and bodies a diamond researcher in the region reads, by acronym and in three languages.</summary>
    private static readonly (string Acronym, string[] Names)[] Publishers =
    [
        ("KP", ["Kimberley Process", "Processus de Kimberley", "Processo de Kimberley", "Processo Kimberley", "Kimberley Process Certification Scheme", "SCPK"]),
        ("EITI", ["Extractive Industries Transparency Initiative", "Initiative pour la transparence dans les industries extractives", "ITIE",
            "Iniciativa de Transparência das Indústrias Extractivas", "Iniciativa de Transparência nas Indústrias Extrativas"]),
        ("IPIS", ["International Peace Information Service"]),
        ("UNGOE", ["UN Group of Experts", "Group of Experts", "Groupe d'experts", "Groupe d'experts des Nations unies", "Grupo de Peritos"]),
        ("Endiama", ["Endiama"]),
        ("Sodiam", ["Sodiam"]),
        ("MIBA", ["Minière de Bakwanga"]),
        ("BECDOR", ["Bureau d'évaluation et de contrôle de diamant et d'or"]),
    ];

    /// <summary>data/provinces.csv: ISO 3166-2 subdivisions of the six countries and the IPIS trading towns, each with the forms matched.</summary>
    private static IEnumerable<(string Iso3, string Name, string[] Forms)> Provinces()
    {
        var path = Path.Combine(BundledData.Folder, ProvincesFile);
        if (!File.Exists(path))
            yield break;
        var table = Table.Read(File.ReadAllBytes(path), ProvincesFile);
        int Column(string name) => table.Headers.ToList().IndexOf(name);
        var (iso3, name, forms) = (Column("country_iso3"), Column("name"), Column("forms"));
        foreach (var row in table.Rows)
            yield return (row.Cells[iso3].Trim(), row.Cells[name].Trim(), row.Cells[forms].Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
    }

    private static Regex AcronymPattern(string acronym) => new($@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(acronym)}(?![\p{{L}}\p{{N}}])", RegexOptions.CultureInvariant);

    /// <summary>Lower case without accents, hyphens and apostrophes as spaces and quotes, one character for one: positions stay the text's.</summary>
    public static string Fold(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c < 128 && c != '-')
            {
                folded.Append(c is '\n' or '\r' or '\t' ? ' ' : char.ToLowerInvariant(c));
                continue;
            }
            var d = c.ToString().Normalize(NormalizationForm.FormD);
            var b = d.Length > 0 && char.IsLetter(d[0]) ? char.ToLowerInvariant(d[0]) : char.ToLowerInvariant(c);
            folded.Append(b switch { '-' or '‐' or '–' or '\u00A0' or '\u202F' or '\n' or '\r' or '\t' => ' ', '’' or 'ʼ' => '\'', _ => b });
        }
        return folded.ToString();
    }

    private static bool IsWordEdge(string text, int at) => at < 0 || at >= text.Length || !char.IsLetterOrDigit(text[at]);

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300];

    private const string Number = @"(?<n>\d{1,3}(?:[ \u00A0\u202F.,']\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)";
    private const string Multiplier = @"(?:\s*(?<m>milliards?|billions?|bilhões|bilhão|mil\s+milhões|millions?|milhões|milhão|mln|mn|m|thousand|milliers|mil)\b\.?)?";

    [GeneratedRegex(@"(?<![\d.,])" + Number + Multiplier + @"\s*(?:(?:de|d'|of)\s*)?(?:carats?|quilates?|cts?)(?![\p{L}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Carats();

    [GeneratedRegex(@"(?:US\s?\$|U\.S\.\s?\$|USD|\$\s?US|\$)\s?" + Number + Multiplier, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UsdBefore();

    [GeneratedRegex(@"(?<![\d.,$])" + Number + Multiplier + @"\s*(?:(?:de|d'|of)\s*)?(?:dollars?(?:\s+(?:américains|US|des\s+États-Unis|dos\s+EUA))?|dólares(?:\s+(?:americanos|dos\s+EUA))?|USD|US\s?\$)(?![\p{L}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UsdAfter();

    /// <summary>
    /// The sum a match writes, as an invariant number: spaces group thousands; a lone "." or "," before exactly three digits groups
    /// thousands unless a word such as "million" follows (then it is a decimal comma or point, "12,5 millions").
    /// </summary>
    public static string? Amount(Match match)
    {
        var digits = match.Groups["n"].Value.Replace(" ", "").Replace("\u00A0", "").Replace("\u202F", "").Replace("'", "");
        var word = match.Groups["m"].Success ? match.Groups["m"].Value.ToLowerInvariant() : null;
        var lastDot = digits.LastIndexOf('.');
        var lastComma = digits.LastIndexOf(',');
        string plain;
        if (lastDot >= 0 && lastComma >= 0)
        {
            var decimalMark = lastDot > lastComma ? '.' : ',';
            var grouping = decimalMark == '.' ? ',' : '.';
            plain = digits.Replace(grouping.ToString(), "").Replace(decimalMark, '.');
        }
        else if (lastDot >= 0 || lastComma >= 0)
        {
            var mark = lastDot >= 0 ? '.' : ',';
            var count = digits.Count(c => c == mark);
            var after = digits.Length - digits.LastIndexOf(mark) - 1;
            plain = count > 1 || (after == 3 && word is null) ? digits.Replace(mark.ToString(), "") : digits.Replace(mark, '.');
        }
        else
            plain = digits;
        if (!decimal.TryParse(plain, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            return null;
        var factor = word switch
        {
            null => 1m,
            _ when word.StartsWith("milliard", StringComparison.Ordinal) || word.StartsWith("billion", StringComparison.Ordinal)
                || word.StartsWith("bilh", StringComparison.Ordinal) || word.StartsWith("mil ", StringComparison.Ordinal) => 1_000_000_000m,
            _ when word.StartsWith("thousand", StringComparison.Ordinal) || word.StartsWith("millier", StringComparison.Ordinal) || word == "mil" => 1_000m,
            _ => 1_000_000m,
        };
        var amount = value * factor;
        return amount <= 0 ? null : amount.ToString("0.##", CultureInfo.InvariantCulture);
    }

    private sealed record Entry(MentionKind Kind, string Key);

    private sealed record Hit(int Start, int Length, MentionKind Kind, string Key);
}
