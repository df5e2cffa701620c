using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics;
using Microsoft.EntityFrameworkCore;
using Sylvan.Data.Csv;

namespace Kimberlite.Analysis.Labels;

public enum LabelOutcome { Set, Unchanged, Undone, Refused, NotFound }

/// <summary>What became of a meaning set or undone; when refused, the text key that says what to write instead, with its arguments.</summary>
public sealed record LabelResult(LabelOutcome Outcome, LabelMeaning? Meaning = null, string? Problem = null, object[]? Arguments = null, AnalysisSummary? Analysis = null);

/// <summary>
/// Sets and undoes label meanings, each in one transaction with its audit entry, then runs the analysis again so
/// the findings follow, as an import does. Used by the command line, the pages and the first start (bundled meanings).
/// </summary>
public sealed class LabelMeanings(KimberliteDb db, AuditLog audit, FindingsEngine engine, TimeProvider clock, ILogger<LabelMeanings> logger)
{
    /// <summary>How the meanings shipped with the bundled data are signed.</summary>
    public const string BundledActor = "bundled data";

    public static Task<List<LabelMeaning>> InForceAsync(KimberliteDb db, CancellationToken cancellationToken = default) =>
        db.Set<LabelMeaning>().AsNoTracking().Where(m => m.UndoneAtUtc == null).OrderBy(m => m.Id).ToListAsync(cancellationToken);

    /// <summary>Every meaning, those in force first, then the undone ones as history.</summary>
    public async Task<List<LabelMeaning>> AllAsync(CancellationToken cancellationToken = default) =>
        (await db.Set<LabelMeaning>().AsNoTracking().ToListAsync(cancellationToken))
            .OrderBy(m => m.InForce ? 0 : 1).ThenBy(m => m.Kind).ThenBy(m => m.Label, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.CountryIso3).ThenByDescending(m => m.Id).ToList();

    /// <summary>The figures of these countries as the analysis reads them: used, left out with a reason, read through a meaning.</summary>
    public async Task<FigureUse> UsesAsync(IReadOnlyCollection<string> countries, CancellationToken cancellationToken = default)
    {
        var figures = await db.Figures.AsNoTracking().Where(f => countries.Contains(f.CountryIso3)).ToListAsync(cancellationToken);
        return FigureUses.Prepare(figures, await InForceAsync(db, cancellationToken));
    }

    /// <summary>Checks a meaning as typed: the kind, the value for that kind, the country, the reason.</summary>
    public static LabelResult? Check(string? kindWord, string? label, string? value, string? country, string? reason, out LabelMeaning meaning)
    {
        meaning = null!;
        if (LabelValues.KindOf(kindWord) is not { } kind)
            return Refused("Labels_UnknownKind", kindWord ?? "", string.Join(", ", LabelValues.Kinds));
        if (string.IsNullOrWhiteSpace(label) || label.Trim().Length > 300)
            return Refused("Labels_LabelRequired");
        if (LabelValues.Normalise(kind, value) is not { } normalised)
            return kind == LabelKind.Period
                ? Refused("Labels_PeriodNotUnderstood", value ?? "", LabelValues.Allowed(kind))
                : Refused("Labels_ValueNotAllowed", LabelValues.Word(kind), value ?? "", LabelValues.Allowed(kind));
        var iso3 = string.IsNullOrWhiteSpace(country) ? null : country.Trim().ToUpperInvariant();
        if (iso3 is not null && !CountryCodes.IsKnown(iso3))
            return Refused("Labels_UnknownCountry", country!);
        if (string.IsNullOrWhiteSpace(reason))
            return Refused("Labels_ReasonRequired");
        meaning = new LabelMeaning
        {
            Kind = kind, Label = label.Trim(), CountryIso3 = iso3, Value = normalised,
            Reason = reason.Trim() is var r && r.Length > 2000 ? r[..2000] : r, SetBy = "",
        };
        return null;
    }

    private static LabelResult Refused(string problem, params object[] arguments) => new(LabelOutcome.Refused, Problem: problem, Arguments: arguments);

    /// <summary>Sets a meaning: the same one again adds nothing; another value for the same label and country replaces (undoes) the one in force.</summary>
    public async Task<LabelResult> SetAsync(string? kindWord, string? label, string? value, string? country, string? reason, string actor, CancellationToken cancellationToken = default)
    {
        if (Check(kindWord, label, value, country, reason, out var meaning) is { } refused)
            return refused;
        var now = clock.GetUtcNow().UtcDateTime;
        var held = (await db.Set<LabelMeaning>().Where(m => m.Kind == meaning.Kind && m.CountryIso3 == meaning.CountryIso3 && m.UndoneAtUtc == null).ToListAsync(cancellationToken))
            .Where(m => string.Equals(m.Label, meaning.Label, StringComparison.OrdinalIgnoreCase)).ToList();
        if (held.FirstOrDefault(m => string.Equals(m.Value, meaning.Value, StringComparison.OrdinalIgnoreCase)) is { } same)
        {
            db.ChangeTracker.Clear();
            return new LabelResult(LabelOutcome.Unchanged, same);
        }
        foreach (var old in held)
            (old.UndoneBy, old.UndoneAtUtc) = (actor, now);
        meaning.SetBy = actor;
        meaning.SetAtUtc = now;
        db.Set<LabelMeaning>().Add(meaning);
        await ChangeAsync(actor, AuditActions.LabelSet, () => $"label meaning {meaning.Id}",
            $"{LabelValues.Word(meaning.Kind)} \"{meaning.Label}\"{(meaning.CountryIso3 is { } c ? $" ({c})" : "")} read as {meaning.Value}: {meaning.Reason}"
            + (held.Count > 0 ? $"; replaces {string.Join(", ", held.Select(h => h.Id))}" : ""), cancellationToken);
        return new LabelResult(LabelOutcome.Set, meaning, Analysis: await AnalyseAsync(actor, cancellationToken));
    }

    /// <summary>Undoes a meaning in force; it stays as history, and the figures it explained are left out again.</summary>
    public async Task<LabelResult> UndoAsync(int id, string actor, CancellationToken cancellationToken = default)
    {
        var meaning = await db.Set<LabelMeaning>().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meaning is null)
            return new LabelResult(LabelOutcome.NotFound);
        if (!meaning.InForce)
        {
            db.ChangeTracker.Clear();
            return new LabelResult(LabelOutcome.Unchanged, meaning);
        }
        (meaning.UndoneBy, meaning.UndoneAtUtc) = (actor, clock.GetUtcNow().UtcDateTime);
        await ChangeAsync(actor, AuditActions.LabelUndone, () => $"label meaning {meaning.Id}",
            $"{LabelValues.Word(meaning.Kind)} \"{meaning.Label}\"{(meaning.CountryIso3 is { } c ? $" ({c})" : "")} no longer read as {meaning.Value}", cancellationToken);
        return new LabelResult(LabelOutcome.Undone, meaning, Analysis: await AnalyseAsync(actor, cancellationToken));
    }

    /// <summary>The change, its audit entry, and every dataset marked for analysis commit together: a crash before the analysis leaves it to the next start.</summary>
    private async Task ChangeAsync(string actor, string action, Func<string> target, string summary, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await db.Datasets.ExecuteUpdateAsync(u => u.SetProperty(d => d.AnalysedAtUtc, (DateTime?)null), cancellationToken);
        await audit.AppendInAsync(db, actor, action, target(), summary, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>The analysis after a change of meaning, audited as the one after an import; if it fails, the next start runs it.</summary>
    private async Task<AnalysisSummary?> AnalyseAsync(string actor, CancellationToken cancellationToken)
    {
        try
        {
            return await engine.AnalyzeAsync(cancellationToken, (context, counts, token) => audit.AppendInAsync(context, actor, AuditActions.Analysis, "findings",
                $"{counts.Raised} raised, {counts.Changed} changed, {counts.Resolved} resolved", token));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The analysis after a change of label meaning did not finish; it runs again at the next start");
            return null;
        }
    }

    /// <summary>
    /// The meanings shipped in data/labels.csv (kind,label,country,value,reason), set by "bundled data" when the bundled
    /// datasets are loaded; a row that does not check is logged and left out, as a bundled row is.
    /// </summary>
    public async Task LoadBundledAsync(string file, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(file))
            return;
        var now = clock.GetUtcNow().UtcDateTime;
        var known = await db.Set<LabelMeaning>().AsNoTracking().Where(m => m.UndoneAtUtc == null).ToListAsync(cancellationToken);
        await using var csv = await CsvDataReader.CreateAsync(file, new CsvDataReaderOptions { HasHeaders = true }, cancellationToken);
        var line = 1;
        while (await csv.ReadAsync(cancellationToken))
        {
            line++;
            string? Cell(string name) => csv.GetOrdinal(name) is var i && i >= 0 && !csv.IsDBNull(i) ? csv.GetString(i) : null;
            if (Check(Cell("kind"), Cell("label"), Cell("value"), Cell("country"), Cell("reason"), out var meaning) is { } refused)
            {
                logger.LogWarning("{File} line {Line} left out: {Problem}", file, line, refused.Problem);
                continue;
            }
            if (known.Any(m => m.Kind == meaning.Kind && m.CountryIso3 == meaning.CountryIso3 && string.Equals(m.Label, meaning.Label, StringComparison.OrdinalIgnoreCase)))
                continue;
            (meaning.SetBy, meaning.SetAtUtc) = (BundledActor, now);
            known.Add(meaning);
            db.Set<LabelMeaning>().Add(meaning);
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}
