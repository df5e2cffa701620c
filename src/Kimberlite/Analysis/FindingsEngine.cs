using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Comtrade;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kimberlite.Analysis;

public sealed record AnalysisSummary(int Raised, int Changed, int Resolved, int Reopened, int Unchanged, IReadOnlyList<Finding> Active)
{
    /// <summary>Figures, trade totals and findings left out because a number is beyond what a diamond statistic can be.</summary>
    public int Skipped { get; init; }
    /// <summary>Rules that stopped on a number out of range: their stored findings are kept as they were.</summary>
    public IReadOnlyList<FindingRule> FailedRules { get; init; } = [];
    /// <summary>Figures the analysis could not use, counted by reason (those beyond bounds are also in <see cref="Skipped"/>).</summary>
    public IReadOnlyDictionary<LeftOutReason, int> LeftOut { get; init; } = new Dictionary<LeftOutReason, int>();
}

/// <summary>
/// Runs every rule over every figure and brings the stored findings up to date: new ones raised,
/// changed ones updated with their history, vanished ones resolved (never deleted). Deterministic:
/// the same figures give the same findings, under the same keys, so an analyst's decision survives.
/// </summary>
public sealed class FindingsEngine(KimberliteDb db, DatabaseLock databaseLock, IBulkWriter writer, IEnumerable<IFindingRule> rules, IOptions<AnalysisOptions> options, TimeProvider clock, ILogger<FindingsEngine> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Whether a dataset's analysis did not finish (a kill, a crash): the next start or the next import runs it.</summary>
    public Task<bool> PendingAsync(CancellationToken cancellationToken = default) =>
        db.Datasets.AnyAsync(d => d.AnalysedAtUtc == null, cancellationToken);

    /// <summary>
    /// Analyses every figure, marks the datasets it read as analysed in the transaction that stores the findings, and
    /// runs <paramref name="beforeCommit"/> (the analysis's audit entry) just before that commit, with the counts (no active list yet).
    /// </summary>
    public Task<AnalysisSummary> AnalyzeAsync(CancellationToken cancellationToken = default, Func<KimberliteDb, AnalysisSummary, CancellationToken, Task>? beforeCommit = null) =>
        // One analysis at a time across every server of the database: a second waits, then reads what the first committed.
        databaseLock.RunAsync("analysis", token => AnalyzeNowAsync(beforeCommit, token), cancellationToken);

    private async Task<AnalysisSummary> AnalyzeNowAsync(Func<KimberliteDb, AnalysisSummary, CancellationToken, Task>? beforeCommit, CancellationToken cancellationToken)
    {
        // Read before the figures: a dataset committed after this is read again by the next analysis, never marked unread.
        var pending = await db.Datasets.Where(d => d.AnalysedAtUtc == null).Select(d => d.Id).ToListAsync(cancellationToken);
        var stored = await db.Figures.AsNoTracking().ToListAsync(cancellationToken);
        // Read through the analysts' label meanings; what cannot be used is left out with its reason, and counted.
        var uses = FigureUses.Prepare(stored, await Labels.LabelMeanings.InForceAsync(db, cancellationToken));
        var (trade, skippedTotals) = await TradeAsync(cancellationToken);
        var beyond = uses.LeftOut.Where(l => l.Reason == LeftOutReason.BeyondBounds).Select(l => l.Figure.Id).ToList();
        var skipped = beyond.Count + skippedTotals;
        if (skipped > 0)
            logger.LogWarning("Analysis: {Figures} figures and {Totals} trade totals left out, beyond what a diamond statistic can be: {Ids}",
                beyond.Count, skippedTotals, string.Join(", ", beyond.Take(20)));
        var data = new AnalysisData(uses.Used, trade) { LegalRates = await db.LegalRates.AsNoTracking().ToListAsync(cancellationToken) };
        var candidates = new Dictionary<(FindingRule, string), FindingCandidate>();
        var failed = new HashSet<FindingRule>();
        foreach (var rule in rules.OrderBy(r => r.Rule))
        {
            try
            {
                // A rule's candidates all or none: a rule that fails leaves its stored findings as they are.
                var found = rule.Find(data, options.Value).ToList();
                foreach (var candidate in found)
                {
                    if (!Storable(candidate))
                    {
                        skipped++;
                        logger.LogWarning("Analysis: finding {Rule} {Key} left out, its numbers beyond what can be stored", candidate.Rule, candidate.Key);
                        continue;
                    }
                    candidates.TryAdd((candidate.Rule, candidate.Key), candidate);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Whatever stops one rule (a number out of range, a figure stored by hand) stops that rule alone.
                failed.Add(rule.Rule);
                logger.LogError(e, "Analysis: rule {Rule} stopped; its findings are kept as they were", rule.Rule);
            }
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var known = await db.Findings.ToDictionaryAsync(f => (f.Rule, f.Key), cancellationToken);
        int changed = 0, resolved = 0, reopened = 0, unchanged = 0;
        var raised = new List<Finding>();

        foreach (var (key, candidate) in candidates.OrderBy(c => c.Key))
        {
            var inputs = JsonSerializer.Serialize(candidate.Inputs, Json);
            var hash = Hash(candidate, inputs);
            if (!known.TryGetValue(key, out var finding))
            {
                finding = new Finding { Key = candidate.Key, CountryIso3 = candidate.Country, PeriodText = candidate.PeriodText, Measure = candidate.Measure, Inputs = inputs, InputsHash = hash, RaisedAtUtc = now };
                Apply(finding, candidate, inputs, hash, now, FindingStake.Of(candidate, data));
                raised.Add(finding); // written below in bulk, with its Raised step
                continue;
            }
            if (finding.Resolved)
            {
                finding.Events.Add(new FindingEvent { FindingId = finding.Id, AtUtc = now, Kind = FindingEventKind.Reopened });
                finding.Resolved = false;
                finding.UpdatedAtUtc = now;
                reopened++;
            }
            if (finding.InputsHash != hash)
            {
                finding.Events.Add(new FindingEvent
                {
                    FindingId = finding.Id, AtUtc = now, Kind = FindingEventKind.InputsChanged,
                    Before = $"{Plain(finding.Observed)} vs {Plain(finding.Expected)}",
                });
                Apply(finding, candidate, inputs, hash, now, FindingStake.Of(candidate, data));
                changed++;
            }
            else if (!finding.Resolved)
            {
                // Same numbers, but the price of the year or the thresholds may have moved: weighed again, no new step.
                Weigh(finding, candidate, FindingStake.Of(candidate, data));
                unchanged++;
            }
        }

        foreach (var finding in known.Values.Where(f => !f.Resolved && !failed.Contains(f.Rule) && !candidates.ContainsKey((f.Rule, f.Key))))
        {
            finding.Resolved = true;
            finding.UpdatedAtUtc = now;
            finding.Events.Add(new FindingEvent { FindingId = finding.Id, AtUtc = now, Kind = FindingEventKind.Resolved });
            resolved++;
        }

        await using (var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null)
        {
            await db.SaveChangesAsync(cancellationToken);
            // New findings in bulk and their Raised steps in one statement, rather than an INSERT each: after
            // an import of millions of rows they run to thousands (docs/BENCHMARKS.md).
            if (raised.Count > 0)
            {
                await writer.WriteAsync(db, FindingTables.Findings, raised, cancellationToken);
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "FindingEvents" ("FindingId", "AtUtc", "Kind")
                    SELECT f."Id", f."RaisedAtUtc", {(int)FindingEventKind.Raised} FROM "Findings" f
                    WHERE NOT EXISTS (SELECT 1 FROM "FindingEvents" e WHERE e."FindingId" = f."Id" AND e."Kind" = {(int)FindingEventKind.Raised})
                    """, cancellationToken);
            }
            if (pending.Count > 0)
                await db.Datasets.Where(d => pending.Contains(d.Id)).ExecuteUpdateAsync(u => u.SetProperty(d => d.AnalysedAtUtc, now), cancellationToken);
            if (beforeCommit is not null)
                await beforeCommit(db, new AnalysisSummary(raised.Count, changed, resolved, reopened, unchanged, []), cancellationToken);
            if (transaction is not null)
                await transaction.CommitAsync(cancellationToken);
        }
        logger.LogInformation("Analysis: {Raised} raised, {Changed} changed, {Resolved} resolved, {Reopened} reopened, {Unchanged} unchanged",
            raised.Count, changed, resolved, reopened, unchanged);
        var active = await db.Findings.AsNoTracking().Where(f => !f.Resolved).OrderBy(f => f.Id).ToListAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new AnalysisSummary(raised.Count, changed, resolved, reopened, unchanged, active) { Skipped = skipped, FailedRules = failed.Order().ToList(), LeftOut = uses.Counts };
    }

    /// <summary>Findings are stored as numeric(28, 6): 22 digits before the point.</summary>
    private static readonly decimal StorableLimit = 1e21m;

    private static bool Storable(FindingCandidate c)
    {
        static bool Fits(decimal? v) => v is not { } x || Math.Abs(x) < StorableLimit;
        try
        {
            return Fits(c.Observed) && Fits(c.Expected) && Fits(c.ExpectedLow) && Fits(c.ExpectedHigh) && Fits(c.Gap) && Fits(c.GapPercent)
                && Fits(c.RevenueLost) && c.Inputs.All(i => Fits(i.Value));
        }
        catch (ArithmeticException)
        {
            return false; // its gap itself overflows
        }
    }

    /// <summary>
    /// Yearly Comtrade totals between countries and with the world (never another area), exports and imports, as
    /// the imports kept them: where several files hold the same flow, the latest imported speaks for it;
    /// within a file, its six-digit subheadings where it has them, else the four-digit heading.
    /// </summary>
    private async Task<(TradeTotals Totals, int Skipped)> TradeAsync(CancellationToken cancellationToken)
    {
        // Sized once: growing to a million entries would copy the table twenty times through the large-object heap.
        var totals = new TradeTotals(await db.TradeTotalsBlocks.SumAsync(b => b.Count, cancellationToken));
        var skipped = 0;
        // One block at a time, in the order the datasets were imported, so a later file's total replaces an earlier one's.
        await foreach (var block in db.TradeTotalsBlocks.AsNoTracking().OrderBy(b => b.DatasetId).ThenBy(b => b.Part).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            try
            {
                skipped += totals.Add(block);
            }
            catch (InvalidDataException e)
            {
                // A block cut short or of another layout: its dataset's totals are left out, not the analysis.
                logger.LogError(e, "Analysis: trade totals of dataset {DatasetId} left out", block.DatasetId);
                skipped += block.Count;
            }
        }
        return (totals, skipped);
    }

    /// <summary>An analyst confirms or dismisses a finding, or opens it again, with a note; the history keeps each step.</summary>
    public async Task<Finding?> DecideAsync(int id, FindingStatus status, string? note, string? actor, CancellationToken cancellationToken = default)
    {
        var finding = await db.Findings.FirstOrDefaultAsync(f => f.Id == id, cancellationToken);
        if (finding is null)
            return null;
        var now = clock.GetUtcNow().UtcDateTime;
        var cleanNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        // Saving the same decision again is not a new step of the history.
        if (finding.Status == status && finding.StatusNote == cleanNote)
            return finding;
        finding.Status = status;
        finding.StatusNote = cleanNote;
        finding.UpdatedAtUtc = now;
        db.FindingEvents.Add(new FindingEvent
        {
            FindingId = id, AtUtc = now, Note = finding.StatusNote, Actor = actor,
            Kind = status switch { FindingStatus.Confirmed => FindingEventKind.Confirmed, FindingStatus.Dismissed => FindingEventKind.Dismissed, _ => FindingEventKind.Reset },
        });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return finding;
    }

    private void Apply(Finding finding, FindingCandidate c, string inputs, string hash, DateTime now, FindingStake stake)
    {
        finding.Rule = c.Rule;
        finding.CountryIso3 = c.Country;
        finding.PartnerIso3 = c.Partner;
        finding.Year = c.Year;
        finding.PeriodText = c.PeriodText;
        finding.Metric = c.Metric;
        finding.Measure = c.Measure;
        finding.Observed = c.Observed;
        finding.Expected = c.Expected;
        // Bounds come from medians and deviations: two decimals say all they mean.
        finding.ExpectedLow = c.ExpectedLow is { } low ? Math.Round(low, 2) : null;
        finding.ExpectedHigh = c.ExpectedHigh is { } high ? Math.Round(high, 2) : null;
        finding.Gap = c.Gap;
        finding.GapPercent = c.GapPercent;
        finding.TolerancePercent = c.TolerancePercent;
        finding.RevenueLost = c.RevenueLost;
        finding.RatePct = c.RatePct;
        finding.RateSource = c.RateSource;
        Weigh(finding, c, stake);
        finding.Inputs = inputs;
        finding.InputsHash = hash;
        finding.UpdatedAtUtc = now;
    }

    /// <summary>The gap and what it is worth make the severity (docs/ANALYSIS.md, "Severity and order").</summary>
    private void Weigh(Finding finding, FindingCandidate c, FindingStake stake)
    {
        finding.StakeUsd = stake.Usd;
        finding.StakeCarats = stake.Carats;
        var severity = stake.Severity(c.GapPercent, options.Value);
        // Sources that disagree, parts that do not add up: questions about the data to check before anyone is accused,
        // so never above a warning; "serious" is kept for what the diamonds did (docs/ANALYSIS.md, "Severity and order").
        finding.Severity = c.Rule is FindingRule.SourceConflict or FindingRule.PartsAndTotal && severity > Severity.Warning ? Severity.Warning : severity;
    }

    private static string Hash(FindingCandidate c, string inputs)
    {
        var canonical = string.Join('|', new[] { c.Observed, c.Expected, c.ExpectedLow, c.ExpectedHigh, c.TolerancePercent, c.RevenueLost, c.RatePct }.Select(Plain)) + "|" + inputs;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>A number without the trailing zeros a database may add (150.0 is 150), so equal values hash equally.</summary>
    private static string Plain(decimal? value) =>
        value?.ToString("0.############################", CultureInfo.InvariantCulture) ?? "";
}
