using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kimberlite.Analysis;
using Kimberlite.Statistics.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>
/// Cases from the public record (docs/ANALYSIS.md, "Reference cases"): each fixture in Fixtures/Cases holds the
/// figures as their sources published them; the test says the finding an analyst expects, and its words in three
/// languages. Counter-cases must raise nothing.
/// </summary>
public sealed class ReferenceCaseTests : EmptyAppTest
{
    private static string Fixture(string name) => Path.Combine(Repository.Root, "tests", "Kimberlite.Tests", "Fixtures", "Cases", name);

    /// <summary>A fixture imported as its kind of file is published: the Kimberley Process's own table, or a compilation whose rows name their sources.</summary>
    private async Task Import(string name)
    {
        var provenance = name.EndsWith(".kp.csv")
            ? new Provenance("Kimberley Process statistics, production by half-year", "Kimberley Process", "https://kimberleyprocessstatistics.org/", new DateOnly(2026, 11, 29))
            : new Provenance("Figures compiled from the public record", "Compiled (each row names its source)", null, new DateOnly(2026, 11, 29));
        await using var scope = App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<StatisticsImporter>()
            .ImportAsync(await File.ReadAllBytesAsync(Fixture(name), Cancel), name, provenance, cancellationToken: Cancel);
        Assert.True(result.Outcome == ImportOutcome.Imported, string.Join("; ", result.Problems.Select(p => $"{p.Line} {p.Column} {p.Value} {p.Reason}")));
    }

    private async Task<List<Finding>> Analyze()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(Cancel)).Active.ToList();
    }

    /// <summary>What a reader of that language sees: the finding's page (sentence, sources with their links) and its sentence alone.</summary>
    private async Task<(string Page, string Sentence)> Words(Finding finding, string language)
    {
        var client = App.CreateClient();
        var page = WebUtility.HtmlDecode(await client.GetStringAsync($"/findings/{finding.Id}?culture={language}", Cancel));
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/findings/{finding.Id}?culture={language}", Cancel);
        var sentence = (detail.TryGetProperty("finding", out var inner) ? inner : detail).GetProperty("explanation").GetString()!;
        return (Spaces.Plain(page), Spaces.Plain(sentence));
    }

    /// <summary>Words no sentence may use: "expected" for the preferred figure (a sentence says who says what), and "value" for a volume in carats.</summary>
    private static void NoWrongWords(string sentence, string language, string measure)
    {
        Assert.DoesNotMatch(language switch { "fr" => "(?i)attendu", "pt" => "(?i)esperad", _ => "(?i)expected" }, sentence);
        if (measure == "carats")
            Assert.DoesNotMatch(language switch { "fr" => @"(?i)\bvaleurs?\b", "pt" => @"(?i)\bvalor(es)?\b", _ => @"(?i)\bvalues?\b" }, sentence);
    }

    [Fact]
    public async Task TheRepublicOfCongoExportingAHundredTimesItsProductionIn2004IsABalanceFinding()
    {
        await Import("cog-2004-exports-beyond-production.csv");

        var finding = Assert.Single(await Analyze(), f => f.Rule == FindingRule.Balance && f.CountryIso3 == "COG");

        Assert.Equal((2004, "carats", 5_500_000m, 50_000m), (finding.Year!.Value, finding.Measure, finding.Observed, finding.Expected));
        Assert.Equal(Severity.Serious, finding.Severity);
        foreach (var (language, country, exports, production, noImports) in new[]
        {
            ("fr", "République du Congo", "5 500 000", "50 000", "plus les importations"),
            ("en", "Republic of the Congo", "5,500,000", "50,000", "plus imports"),
            ("pt", "República do Congo", "5.500.000", "50.000", "mais as importações"),
        })
        {
            var (page, sentence) = await Words(finding, language);
            NoWrongWords(sentence, language, finding.Measure);
            Assert.Contains(country, sentence);
            Assert.Contains(exports, sentence);
            Assert.Contains(production, sentence);
            // No import figure is known: the sentence compares with production alone.
            Assert.DoesNotContain(noImports, sentence);
            Assert.Contains("RFI (Aug 2004)", page);
            Assert.Contains("http://www1.rfi.fr/actufr/articles/056/article_29853.asp", page);
        }
    }

    [Fact]
    public async Task TheCentralAfricanRepublicsCollapseAfterItsSuspensionIsFoundAcrossTheMissingYearsAndItsLoneHalfIsNeverAYear()
    {
        // The Kimberley Process table: 2012 whole, 2013 first half only (suspension of May 2013), nothing for 2014 and 2015, 2016 small.
        await Import("caf-2013-suspension.kp.csv");

        var changes = (await Analyze()).Where(f => f.Rule == FindingRule.SuddenChange && f.CountryIso3 == "CAF").ToList();

        var collapse = Assert.Single(changes, f => f.Measure == "carats");
        // 2016 = 3 702.88 + 6 950.75 ct; the years before it held 300 000 to 470 000 ct: a fall of about 97 %.
        Assert.Equal((2016, 10_653.63m), (collapse.Year!.Value, collapse.Observed));
        Assert.True(collapse.Expected >= 300_000m, $"compared with {collapse.Expected}");
        Assert.True(collapse.GapPercent <= -90m, $"gap {collapse.GapPercent}");
        Assert.DoesNotContain(changes, f => f.Year is 2013 or 2014 or 2015 || f.PeriodText.Contains("H1"));
        foreach (var (language, country, carats, fall) in new[]
        {
            ("fr", "République centrafricaine", "10 654", "chute|baisse|effondrement|recul"),
            ("en", "Central African Republic", "10,654", "fall|collapse|drop|decline"),
            ("pt", "República Centro-Africana", "10.654", "queda|colapso|descida|baixa"),
        })
        {
            var (page, sentence) = await Words(collapse, language);
            NoWrongWords(sentence, language, collapse.Measure);
            Assert.Contains(country, sentence);
            Assert.Contains(carats, sentence);
            Assert.Matches($"(?i){fall}", sentence);
            Assert.Contains("Kimberley Process", page);
        }
    }

    [Fact]
    public async Task TheDrCongoExportingBeyondItsProductionIn2022IsABalanceFindingThatCitesNoForeignPrecedent()
    {
        // The Ministry of Mines' annual report 2022: 11 683 439.31 ct exported, 10.255 million ct produced.
        await Import("cod-2022-exports-beyond-production.csv");

        var finding = Assert.Single(await Analyze(), f => f.Rule == FindingRule.Balance && f.CountryIso3 == "COD");

        Assert.Equal((2022, 11_683_439.31m, 10_255_000m, 13.9m), (finding.Year!.Value, finding.Observed, finding.Expected, finding.GapPercent));
        // 1.4 million carats beyond production is worth an analyst's attention, not "info".
        Assert.NotEqual(Severity.Info, finding.Severity);
        foreach (var (language, country, exports, production, noImports) in new[]
        {
            ("fr", "République démocratique du Congo", "11 683 439", "10 255 000", "plus les importations"),
            ("en", "Democratic Republic of the Congo", "11,683,439", "10,255,000", "plus imports"),
            ("pt", "República Democrática do Congo", "11.683.439", "10.255.000", "mais as importações"),
        })
        {
            var (page, sentence) = await Words(finding, language);
            NoWrongWords(sentence, language, finding.Measure);
            Assert.Contains(country, sentence);
            Assert.Contains(exports, sentence);
            Assert.Contains(production, sentence);
            Assert.DoesNotContain(noImports, sentence);
            // The 2004 expulsion of the Republic of Congo is not this country's precedent.
            Assert.DoesNotContain("2004", sentence);
            Assert.Contains("Ministry of Mines annual report 2022 (via mines.cd)", page);
        }
    }

    [Fact]
    public async Task TheDrCongosExportsValuedAtLessThanHalfItsProductionIn2016AreAnUndervaluation()
    {
        // Ministry yearbook: 14 746 354.23 ct exported for US$ 64 134 822 (4.35 US$/ct); Kimberley Process: production at 11 US$/ct.
        await Import("cod-2016-exports-valued-below-production.national.csv");
        await Import("cod-2016-exports-valued-below-production.kp.csv");

        var finding = Assert.Single(await Analyze(), f => f.Rule == FindingRule.ValuationGap && f.CountryIso3 == "COD");

        Assert.Null(finding.PartnerIso3);
        Assert.Equal((2016, "usdPerCarat", 4.35m), (finding.Year!.Value, finding.Measure, Math.Round(finding.Observed, 2)));
        Assert.InRange(finding.Expected, 10.6m, 11m);
        Assert.True(finding.GapPercent <= -50m, $"gap {finding.GapPercent}");
        foreach (var (language, country, exports) in new[]
        {
            ("fr", "République démocratique du Congo", "4,35"),
            ("en", "Democratic Republic of the Congo", "4.35"),
            ("pt", "República Democrática do Congo", "4,35"),
        })
        {
            var (page, sentence) = await Words(finding, language);
            NoWrongWords(sentence, language, finding.Measure);
            Assert.Contains(country, sentence);
            Assert.Contains(exports, sentence);
            Assert.Contains("Ministry of Mines statistical yearbook (via Copperbelt Katanga Mining)", page);
            Assert.Contains("Rapaport via Rubel & Ménasché (Source: Kimberley Process)", page);
        }
    }

    [Fact]
    public async Task DubaiReExportingAboveWhatItImportsAndAtAMarkUpIsATradingHubFinding()
    {
        await Import("are-trading-hub.csv");

        var hub = (await Analyze()).Where(f => f.Rule == FindingRule.TradingHub && f.CountryIso3 == "ARE").ToList();

        // 2005 (Dubai Diamond Exchange): imports 37 Mct for US$ 1.484 bn (40.11 US$/ct), re-exports 34 Mct for US$ 2.248 bn (66.12 US$/ct).
        var markUp = Assert.Single(hub, f => f is { Year: 2005, Measure: "usdPerCarat" });
        Assert.Equal((66.12m, 40.11m), (Math.Round(markUp.Observed, 2), Math.Round(markUp.Expected, 2)));
        Assert.InRange(markUp.GapPercent, 64m, 66m);
        // 2011 (Kimberley Process): exports of US$ 5.87 bn against imports of US$ 3.96 bn, no carats on either side: +48 % in value
        // is within the mark-up a hub's sorting may add (TradingHubMarkupPercent, 50), and values alone cannot tell carats from price.
        Assert.DoesNotContain(hub, f => f.Year == 2011);
        foreach (var (language, country, exported, imported) in new[]
        {
            ("fr", "Émirats arabes unis", "66,12", "40,11"),
            ("en", "United Arab Emirates", "66.12", "40.11"),
            ("pt", "Emirados Árabes Unidos", "66,12", "40,11"),
        })
        {
            var (page, sentence) = await Words(markUp, language);
            NoWrongWords(sentence, language, markUp.Measure);
            Assert.Contains(country, sentence);
            Assert.Contains(exported, sentence);
            Assert.Contains(imported, sentence);
            Assert.Contains("Dubai Diamond Exchange via WAM/ANBA", page);
        }
    }

    [Fact]
    public async Task TwoExactFiguresOfTheCentralAfricanRepublics2012ExportsSixThousandCaratsApartAreASourceConflict()
    {
        // Reuters (citing KP data): 371 917 ct exported in 2012; USAID's diagnostic report: 365 917 ct. Both exact, 1.6 % apart:
        // within the old 5 % tolerance, far beyond what two exact figures may differ by.
        await Import("caf-2012-exports-two-exact-figures.trade.csv");
        await Import("caf-2012-exports-two-exact-figures.national.csv");

        var conflict = Assert.Single(await Analyze(), f => f.Rule == FindingRule.SourceConflict && f.CountryIso3 == "CAF");

        Assert.Equal((2012, "carats"), (conflict.Year!.Value, conflict.Measure));
        Assert.Equal([365_917m, 371_917m], new[] { conflict.Observed, conflict.Expected }.Order());
        Assert.InRange(Math.Abs(conflict.GapPercent), 1.5m, 1.7m);
        foreach (var (language, country, one, other) in new[]
        {
            ("fr", "République centrafricaine", "371 917", "365 917"),
            ("en", "Central African Republic", "371,917", "365,917"),
            ("pt", "República Centro-Africana", "371.917", "365.917"),
        })
        {
            var (page, sentence) = await Words(conflict, language);
            NoWrongWords(sentence, language, conflict.Measure);
            Assert.Contains(country, sentence);
            // "X says a, Y says b": both sources and both figures.
            Assert.Contains(one, sentence);
            Assert.Contains(other, sentence);
            Assert.Contains("Reuters 6 Jun 2016 (citing KP data)", sentence);
            Assert.Contains("USAID DPAM diagnostic report on diamond smuggling (May 2019)", sentence);
            Assert.Contains("https://www.land-links.org/document/rapport-diagnostic-sur-la-contrebande-des-diamants-en-republique-centrafricaine/", page);
        }
    }

    [Fact]
    public async Task AKimberleyProcessRevisionOfTheRepublicOfCongos2023FirstHalfRaisesNothing()
    {
        // 18.5 ct entered on 18 May 2023, 3 053 ct on 19 September 2023, same publisher: the second revises the first.
        await Import("counter-cog-2023-kp-revision.kp.csv");

        Assert.Empty(await Analyze());
    }

    [Fact]
    public async Task TheDrCongos2010ProductionRoundedToAHundredThousandCaratsAgreesWithTheExactHalvesAndRaisesNothing()
    {
        // 20.17 and 20.2 million carats (citing the KP) against 9 703 879.81 + 10 462 340.33 = 20 166 220.14 ct.
        await Import("counter-cod-2010-rounded.csv");
        await Import("counter-cod-2010-rounded.kp.csv");

        Assert.Empty(await Analyze());
    }

    [Fact]
    public async Task AFirstHalfBesideAWholeYearIsNeverComparedWithItAndRaisesNothing()
    {
        // CTCPM: 2023 first-half production 3 841 793.20 ct and exports 3 808 371.66 ct; whole-year exports 8 305 796.60 ct.
        await Import("counter-cod-2023-half-beside-year.csv");

        Assert.Empty(await Analyze());
    }
}

/// <summary>The same cases in the data a new observatory starts with.</summary>
public sealed class ReferenceCasesInTheBundledDataTests(BundledApp app) : IClassFixture<BundledApp>
{
    private Task<List<Finding>> Active() =>
        app.WithDb(db => db.Findings.AsNoTracking().Where(f => !f.Resolved).ToListAsync(TestContext.Current.CancellationToken));

    /// <summary>Each case, told by what an analyst would look for; all are checked, and every one missed is named.</summary>
    private static readonly (string Case, Func<List<Finding>, bool> Holds)[] Cases =
    [
        ("Republic of Congo 2004: exports of at least 5.2 million ct against 50 000 ct produced",
            all => all.Any(f => f is { Rule: FindingRule.Balance, CountryIso3: "COG", Year: 2004, Expected: 50_000m } && !f.FromComtrade && f.Observed >= 5_200_000m)),
        ("Central African Republic 2016: production of 10 653.63 ct, a fall of 90 % or more after the suspension",
            all => all.Any(f => f is { Rule: FindingRule.SuddenChange, CountryIso3: "CAF", Measure: "carats", Year: 2016, Observed: 10_653.63m } && f.GapPercent <= -90m)),
        ("Central African Republic: no sudden change in 2013 (one half only), 2014 or 2015 (nothing published)",
            all => !all.Any(f => f is { Rule: FindingRule.SuddenChange, CountryIso3: "CAF", Year: 2013 or 2014 or 2015 })),
        ("Central African Republic 2012: exports of 371 917 ct (Reuters, citing KP data) against 365 917 ct (USAID), a source conflict",
            all => all.Any(f => f is { Rule: FindingRule.SourceConflict, CountryIso3: "CAF", Year: 2012, Measure: "carats" }
                && new[] { f.Observed, f.Expected }.Order().SequenceEqual([365_917m, 371_917m]))),
        ("DR Congo 2022: exports of 11 683 439.31 ct beyond production, not ranked info",
            all => all.Any(f => f is { Rule: FindingRule.Balance, CountryIso3: "COD", Year: 2022, Observed: 11_683_439.31m } && !f.FromComtrade && f.Severity != Severity.Info)),
        // 4.35 US$/ct exported against 8.69 (the KP table) or 11 (Rapaport citing the KP), whichever production figure is preferred.
        ("DR Congo 2016: exports valued below its production's US$/ct, beyond the tolerance",
            all => all.Any(f => f is { Rule: FindingRule.ValuationGap, CountryIso3: "COD", Year: 2016, PartnerIso3: null } && f.Observed < f.Expected && f.GapPercent <= -25m)),
        ("United Arab Emirates 2005: re-exports priced above imports (US$/ct)",
            all => all.Any(f => f is { Rule: FindingRule.TradingHub, CountryIso3: "ARE", Year: 2005, Measure: "usdPerCarat" })),
    ];

    private static readonly (string Case, Func<List<Finding>, bool> Holds)[] CounterCases =
    [
        ("the Kimberley Process's revision of the Republic of Congo's 2023 first half is no source conflict",
            all => !all.Any(f => f is { Rule: FindingRule.SourceConflict, CountryIso3: "COG", Year: 2023 })),
        ("the DR Congo's 2010 production, rounded (20.17 and 20.2 Mct), agrees with the exact halves (20 166 220.14 ct)",
            all => !all.Any(f => f is { CountryIso3: "COD", Year: 2010 })),
        ("the DR Congo's 2023 first half is not compared with its whole year",
            all => !all.Any(f => f is { Rule: FindingRule.Balance, CountryIso3: "COD", Year: 2023 })),
    ];

    [Fact]
    public async Task TheDocumentedCasesOfTheRegionAreFound()
    {
        var findings = await Active();

        var missed = Cases.Where(c => !c.Holds(findings)).Select(c => c.Case).ToList();

        Assert.True(missed.Count == 0, "Not as the record says: " + string.Join("; ", missed));
    }

    [Fact]
    public async Task TheCounterCasesRaiseNothing()
    {
        var findings = await Active();

        var missed = CounterCases.Where(c => !c.Holds(findings)).Select(c => c.Case).ToList();

        Assert.True(missed.Count == 0, "Not as the record says: " + string.Join("; ", missed));
    }
}

internal static class Spaces
{
    /// <summary>French groups digits with a narrow no-break space and puts one before units: compared as plain spaces.</summary>
    public static string Plain(string text) => text.Replace('\u202F', ' ').Replace('\u00A0', ' ');
}
