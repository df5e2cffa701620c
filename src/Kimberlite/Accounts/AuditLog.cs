using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Kimberlite.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace Kimberlite.Accounts;

/// <summary>
/// One entry of the audit trail. Its MAC (HMAC-SHA-256 under the audit key, kept outside the database) covers the
/// previous entry's MAC and this entry's content, so nobody without the key can change, remove, reorder or add an
/// entry unseen. The plain hash chain is what versions before the key wrote; it is still kept, and checked.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    /// <summary>1, 2, 3… unique: two writers that read the same last entry cannot both append after it.</summary>
    public long Sequence { get; set; }
    public DateTime AtUtc { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string Target { get; set; }
    public required string Summary { get; set; }
    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }
    /// <summary>The MAC of the entry before (zeros for the first): with it each entry's seal is checked on its own, and a moved one is found.</summary>
    public string? PreviousMac { get; set; }
    /// <summary>Null only on an entry written before the audit key, until the start seals the old chain.</summary>
    public string? Mac { get; set; }

    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The text the hash covers; a change to any field changes it.</summary>
    public string Canonical() => string.Join('\n',
        Sequence.ToString(CultureInfo.InvariantCulture), AtUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        Escape(Actor), Escape(Action), Escape(Target), Escape(Summary), PreviousHash);

    public string ComputeHash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(PreviousHash + "\n" + Canonical())));

    /// <summary>The seal of this entry's content as if it stood at <paramref name="sequence"/> after <paramref name="previousMac"/>.</summary>
    public string ComputeMac(byte[] key, string previousMac, long sequence) => AuditSeal.Mac(key, string.Join('\n', previousMac,
        sequence.ToString(CultureInfo.InvariantCulture), AtUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        Escape(Actor), Escape(Action), Escape(Target), Escape(Summary)));

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\n", "\\n");
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("AuditEntries");
        b.HasIndex(e => e.Sequence).IsUnique();
        b.HasIndex(e => e.AtUtc);
        b.Property(e => e.Actor).HasMaxLength(300);
        b.Property(e => e.Action).HasMaxLength(100);
        b.Property(e => e.Target).HasMaxLength(300);
        b.Property(e => e.Summary).HasMaxLength(2000);
        b.Property(e => e.PreviousHash).HasMaxLength(64);
        b.Property(e => e.Hash).HasMaxLength(64);
        b.Property(e => e.PreviousMac).HasMaxLength(64);
        b.Property(e => e.Mac).HasMaxLength(64);
    }
}

/// <summary>The actions the trail records, so pages and filters name them the same way.</summary>
public static class AuditActions
{
    public const string SignIn = "sign-in", SignInFailed = "sign-in-failed", LockedOut = "locked-out", SignOut = "sign-out";
    public const string PasswordSet = "password-set", PasswordResetIssued = "password-reset-issued", TwoFactorEnabled = "two-factor-enabled", TwoFactorDisabled = "two-factor-disabled";
    public const string UserCreated = "user-created", AdministratorGranted = "administrator-granted";
    public const string MemberAdded = "member-added", MemberRoleChanged = "member-role-changed", MemberRemoved = "member-removed", MemberInvited = "member-invited";
    public const string TokenCreated = "token-created", TokenRevoked = "token-revoked";
    public const string OrganisationCreated = "organisation-created", OrganisationChanged = "organisation-changed";
    public const string Import = "import", ImportRefused = "import-refused", FindingDecided = "finding-decided", Analysis = "analysis";
    public const string IncidentSubmitted = "incident-submitted", IncidentStatusChanged = "incident-status-changed", ReporterRead = "reporter-read", EvidenceAdded = "evidence-added";
    public const string SiteCreated = "site-created", SiteChanged = "site-changed";
    public const string LabelSet = "label-set", LabelUndone = "label-undone";
    public const string ChainSealed = "chain-sealed";
    public const string AdvocacyRecorded = "advocacy-recorded", AdvocacyChanged = "advocacy-changed", AdvocacyStatusChanged = "advocacy-status-changed";
    public const string AdvocacyPublished = "advocacy-published", AdvocacyUnpublished = "advocacy-unpublished";
    public const string MeetingRecorded = "meeting-recorded", MeetingChanged = "meeting-changed", MeetingPublished = "meeting-published", MeetingUnpublished = "meeting-unpublished";
    public const string CommentPosted = "comment-posted", CommentEdited = "comment-edited", CommentHidden = "comment-hidden";
    public const string DocumentCited = "document-cited", DocumentCitationRemoved = "document-citation-removed";
    public const string DocumentUploaded = "document-uploaded", DocumentChanged = "document-changed", DocumentVisibilityChanged = "document-visibility-changed", DocumentWithdrawn = "document-withdrawn";

    public static readonly string[] All =
    [
        SignIn, SignInFailed, LockedOut, SignOut, PasswordSet, PasswordResetIssued, TwoFactorEnabled, TwoFactorDisabled, UserCreated, AdministratorGranted,
        MemberAdded, MemberRoleChanged, MemberRemoved, MemberInvited, TokenCreated, TokenRevoked, OrganisationCreated, OrganisationChanged,
        Import, ImportRefused, FindingDecided, Analysis, IncidentSubmitted, IncidentStatusChanged, ReporterRead, EvidenceAdded, SiteCreated, SiteChanged,
        LabelSet, LabelUndone, ChainSealed, AdvocacyRecorded, AdvocacyChanged, AdvocacyStatusChanged, AdvocacyPublished, AdvocacyUnpublished,
        MeetingRecorded, MeetingChanged, MeetingPublished, MeetingUnpublished, CommentPosted, CommentEdited, CommentHidden,
        DocumentCited, DocumentCitationRemoved,
        DocumentUploaded, DocumentChanged, DocumentVisibilityChanged, DocumentWithdrawn,
    ];
}

/// <summary>What was done to the chain, each named by its own sentence (<c>Chain_{Kind}</c> in the resources).</summary>
public enum AuditBreakKind
{
    /// <summary>Entries from <c>Sequence</c> to <c>Other - 1</c> are gone.</summary>
    Deleted,
    Duplicate,
    /// <summary>The content no longer matches its seal (or its plain hash).</summary>
    Changed,
    /// <summary>The entry at <c>Sequence</c> was written as entry <c>Other</c>.</summary>
    Moved,
    /// <summary>An entry after the head, sealed with another key or not at all.</summary>
    Forged,
    Unsealed,
    Unlinked,
    /// <summary>The chain written before the audit key breaks here, so it was never sealed.</summary>
    OldChainBroken,
    /// <summary>The chain ends at <c>Sequence</c> and the head file names entry <c>Other</c>.</summary>
    HeadCut,
    ExpectedCut,
    HeadDiffers,
    ExpectedDiffers,
    HeadUnreadable,
    KeyMissing,
}

/// <summary>The first thing found wrong, at entry <c>Sequence</c>.</summary>
public sealed record AuditBreak(AuditBreakKind Kind, long Sequence, long Other = 0);

/// <summary>
/// What <c>audit verify</c> found: how many entries, the head verified (the last entry found intact), and the first
/// problem, if any. The backup drill reads the same record.
/// </summary>
public sealed record AuditVerification(long Entries, AuditHead Head, AuditBreak? Break)
{
    public bool Intact => Break is null;
    public long? FirstBrokenSequence => Break?.Sequence;
    /// <summary>The problem in plain English, for logs; people read the <c>Chain_</c> sentence.</summary>
    public string? Problem => Break is { } b ? $"{b.Kind} at entry {b.Sequence}" + (b.Other != 0 ? $" ({b.Other})" : "") : null;
}

/// <summary>
/// Appends to the audit trail and checks it. Nothing here edits or deletes an entry (sealing an old chain only
/// fills its MACs), and nothing else in the application writes to the table.
/// </summary>
public sealed class AuditLog(IServiceScopeFactory scopes, TimeProvider clock, IHostEnvironment environment,
    IOptions<KimberliteOptions> data, IOptions<AccountsOptions> options, ILogger<AuditLog> logger)
{
    private const int Attempts = 20;
    private const int Page = 1000;

    public AuditSeal Seal { get; } = new(Path.Combine(DataRegistration.KeysDirectory(environment, data.Value), options.Value.AuditKeyFile));

    /// <summary>Heads of entries written inside a caller's transaction, moved to the head file only once it commits.</summary>
    private readonly ConditionalWeakTable<DbTransaction, StrongBox<AuditHead>> _pending = new();

    /// <summary>Appends one entry, in its own unit of work so a caller's unsaved changes never ride along.</summary>
    public async Task AppendAsync(string actor, string action, string target, string summary, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KimberliteDb>();
            var entry = await NextAsync(db, actor, action, target, summary, cancellationToken);
            db.AuditEntries.Add(entry);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                Seal.Advance(new AuditHead(entry.Sequence, entry.Mac!));
                return;
            }
            catch (DbUpdateException) when (attempt < Attempts)
            {
                // Another writer appended the same sequence number first: read the new last entry and try again.
                logger.LogDebug("Audit append raced at sequence {Sequence}; retrying", entry.Sequence);
                await Task.Delay(Random.Shared.Next(5, 25) * attempt, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Appends one entry through the caller's context, inside the transaction it holds open, so the entry and the
    /// change it records are committed together or not at all (an import and its data). The caller's own changes
    /// must be saved already: only the entry is written here. The head moves when the transaction commits
    /// (<see cref="AuditCommitInterceptor"/>), never to an entry that may still roll back.
    /// </summary>
    public async Task AppendInAsync(KimberliteDb db, string actor, string action, string target, string summary, CancellationToken cancellationToken = default)
    {
        if (db.Database.CurrentTransaction is not { } transaction)
            throw new InvalidOperationException("AppendInAsync writes inside the caller's open transaction; use AppendAsync otherwise.");
        for (var attempt = 1; ; attempt++)
        {
            var entry = await NextAsync(db, actor, action, target, summary, cancellationToken);
            db.AuditEntries.Add(entry);
            try
            {
                // Inside a transaction EF Core saves behind a savepoint and rolls back to it on failure, so a lost race
                // on the sequence number leaves the caller's transaction (and its data) intact on both databases.
                await db.SaveChangesAsync(cancellationToken);
                db.Entry(entry).State = EntityState.Detached;
                // Keyed by the transaction itself: one rolled back (or disposed unfinished) can never move the head later.
                var pending = _pending.GetOrCreateValue(transaction.GetDbTransaction());
                if (entry.Sequence > pending.Value.Sequence)
                    pending.Value = new AuditHead(entry.Sequence, entry.Mac!);
                return;
            }
            catch (DbUpdateException) when (attempt < Attempts)
            {
                db.Entry(entry).State = EntityState.Detached;
                logger.LogDebug("Audit append raced at sequence {Sequence}; retrying", entry.Sequence);
                await Task.Delay(Random.Shared.Next(5, 25) * attempt, cancellationToken);
            }
        }
    }

    /// <summary>The caller's transaction committed: the entries it wrote are there for good, and the head may name them.</summary>
    internal void Committed(DbTransaction transaction)
    {
        if (_pending.TryGetValue(transaction, out var pending) && _pending.Remove(transaction) && pending.Value.Sequence > 0)
            Seal.Advance(pending.Value);
    }

    /// <summary>The caller's transaction rolled back: its entries never existed.</summary>
    internal void Abandoned(DbTransaction transaction) => _pending.Remove(transaction);

    /// <summary>The entry that follows the last one stored, its hash and seal computed on what will be stored.</summary>
    private async Task<AuditEntry> NextAsync(KimberliteDb db, string actor, string action, string target, string summary, CancellationToken cancellationToken)
    {
        var last = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash, e.Mac }).FirstOrDefaultAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var entry = new AuditEntry
        {
            Sequence = (last?.Sequence ?? 0) + 1,
            // Milliseconds: both databases keep them exactly, so the hash is computed on what is stored.
            AtUtc = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc),
            Actor = Clip(actor, 300), Action = Clip(action, 100), Target = Clip(target, 300), Summary = Clip(summary, 2000),
            PreviousHash = last?.Hash ?? AuditEntry.Genesis, Hash = "",
            // After an old entry never sealed (its chain was broken), the link is its plain hash.
            PreviousMac = last is null ? AuditEntry.Genesis : last.Mac ?? last.Hash,
        };
        entry.Hash = entry.ComputeHash();
        entry.Mac = entry.ComputeMac(Seal.Key(), entry.PreviousMac, entry.Sequence);
        return entry;
    }

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default) => VerifyAsync(null, cancellationToken);

    /// <summary>
    /// Walks the whole chain in order, one entry in memory at a time, and names the first thing done to it: an entry
    /// changed, deleted, moved, forged or unsealed, a tail cut below the head kept outside the database (or below
    /// <paramref name="expected"/>, a head the operator wrote down).
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(AuditHead? expected, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KimberliteDb>();
        var (headExists, head) = Seal.ReadHead();
        var key = Seal.ExistingKey();
        var verified = new AuditHead(0, AuditEntry.Genesis);
        if (headExists && head is null)
            return new AuditVerification(0, verified, new AuditBreak(AuditBreakKind.HeadUnreadable, 0));
        var (previousMac, previousHash, sealedBefore) = (AuditEntry.Genesis, AuditEntry.Genesis, head is not null);
        long count = 0;
        long? unsealed = null;
        AuditEntry? suspect = null;
        AuditBreak? found = null;
        await foreach (var entry in db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            var sequence = verified.Sequence + 1;
            found = entry.Sequence > sequence ? new AuditBreak(AuditBreakKind.Deleted, sequence, entry.Sequence)
                : entry.Sequence < sequence ? new AuditBreak(AuditBreakKind.Duplicate, entry.Sequence)
                : entry.Mac is null ? Unsealed(entry, sealedBefore, head, previousHash, ref unsealed)
                : key is null ? new AuditBreak(AuditBreakKind.KeyMissing, sequence)
                : null;
            if (found is null && entry.Mac is not null && (entry.PreviousMac != previousMac || entry.ComputeMac(key!, entry.PreviousMac, sequence) != entry.Mac))
            {
                // Named once the walk is over: finding where a moved entry was written takes another query.
                suspect = entry;
                break;
            }
            if (found is null && entry.Mac is not null && (entry.PreviousHash != previousHash || entry.ComputeHash() != entry.Hash))
                found = new AuditBreak(AuditBreakKind.Changed, sequence);
            found ??= Differs(entry, head, AuditBreakKind.HeadDiffers) ?? Differs(entry, expected, AuditBreakKind.ExpectedDiffers);
            if (found is not null)
                break;
            sealedBefore |= entry.Mac is not null;
            (previousMac, previousHash) = (entry.Mac ?? entry.Hash, entry.Hash);
            verified = new AuditHead(sequence, entry.Mac ?? entry.Hash);
        }
        if (suspect is not null)
            found = await NameAsync(db, suspect, key!, previousMac, head, cancellationToken);
        else if (found is null && unsealed is { } first)
            found = new AuditBreak(AuditBreakKind.Unsealed, first);
        else if (found is null && head is { } h && h.Sequence > verified.Sequence)
            found = new AuditBreak(AuditBreakKind.HeadCut, verified.Sequence, h.Sequence);
        else if (found is null && expected is { } x && x.Sequence > verified.Sequence)
            found = new AuditBreak(AuditBreakKind.ExpectedCut, verified.Sequence, x.Sequence);
        return new AuditVerification(count, verified, found);
    }

    /// <summary>
    /// An entry without a seal: after a sealed one, slipped in (forged past the head); in an old chain, where that
    /// chain breaks, or else noted and the walk goes on, so a break further down is the one named.
    /// </summary>
    private static AuditBreak? Unsealed(AuditEntry entry, bool sealedBefore, AuditHead? head, string previousHash, ref long? firstUnsealed)
    {
        if (sealedBefore)
            return new AuditBreak(head is null || entry.Sequence > head.Value.Sequence ? AuditBreakKind.Forged : AuditBreakKind.Unsealed, entry.Sequence);
        if (entry.PreviousHash != previousHash || entry.ComputeHash() != entry.Hash)
            return new AuditBreak(AuditBreakKind.OldChainBroken, entry.Sequence);
        firstUnsealed ??= entry.Sequence;
        return null;
    }

    private static AuditBreak? Differs(AuditEntry entry, AuditHead? head, AuditBreakKind kind) =>
        head is { } h && h.Sequence == entry.Sequence && h.Mac != entry.Mac ? new AuditBreak(kind, entry.Sequence) : null;

    /// <summary>
    /// Why an entry's seal does not hold where it stands: sealed where another entry now is (moved), after the head
    /// and not sealed with the key (forged), or changed since it was written.
    /// </summary>
    private static async Task<AuditBreak> NameAsync(KimberliteDb db, AuditEntry entry, byte[] key, string previousMac, AuditHead? head, CancellationToken cancellationToken)
    {
        if (entry.PreviousMac is { } link && link != previousMac && link != AuditEntry.Genesis)
        {
            var before = await db.AuditEntries.AsNoTracking().Where(e => e.Mac == link).Select(e => (long?)e.Sequence).FirstOrDefaultAsync(cancellationToken);
            if (before is { } b && entry.ComputeMac(key, link, b + 1) == entry.Mac)
                return new AuditBreak(AuditBreakKind.Moved, entry.Sequence, b + 1);
        }
        if (entry.PreviousMac != previousMac && entry.ComputeMac(key, entry.PreviousMac!, entry.Sequence) == entry.Mac)
            return new AuditBreak(AuditBreakKind.Unlinked, entry.Sequence);
        return head is null || entry.Sequence > head.Value.Sequence
            ? new AuditBreak(AuditBreakKind.Forged, entry.Sequence)
            : new AuditBreak(AuditBreakKind.Changed, entry.Sequence);
    }

    /// <summary>
    /// Seals a chain written before the audit key, once, at start: only when no entry has a MAC and no head file
    /// exists (a keyed chain whose seals were wiped is for verify to report, never to launder). The old plain
    /// chain is checked on the way; if it breaks, nothing is sealed and verify names the entry.
    /// </summary>
    public async Task<long> SealOldChainAsync(KimberliteDb db, CancellationToken cancellationToken = default)
    {
        if (Seal.ReadHead().Exists || !await db.AuditEntries.AnyAsync(e => e.Mac == null, cancellationToken))
            return 0;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Checked again inside the transaction: on SQLite a second process starting at once waits here for the first.
        if (await db.AuditEntries.AnyAsync(e => e.Mac != null, cancellationToken))
            return 0;
        var key = Seal.Key();
        var (previousMac, previousHash, sequence) = (AuditEntry.Genesis, AuditEntry.Genesis, 0L);
        while (true)
        {
            var entries = await db.AuditEntries.Where(e => e.Sequence > sequence).OrderBy(e => e.Sequence).Take(Page).ToListAsync(cancellationToken);
            if (entries.Count == 0)
                break;
            foreach (var entry in entries)
            {
                if (entry.Mac is not null)
                    return 0; // another server sealed it meanwhile
                if (entry.Sequence != sequence + 1 || entry.PreviousHash != previousHash || entry.ComputeHash() != entry.Hash)
                {
                    logger.LogError("The audit chain written before the audit key breaks at entry {Sequence}: it is not sealed; `audit verify` names the entry", sequence + 1);
                    return 0;
                }
                entry.PreviousMac = previousMac;
                entry.Mac = entry.ComputeMac(key, previousMac, entry.Sequence);
                (previousMac, previousHash, sequence) = (entry.Mac, entry.Hash, entry.Sequence);
            }
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
        // Two servers starting at once: the second waits for the first's transaction, then finds the chain sealed.
        if (await db.AuditEntries.CountAsync(e => e.Mac != null, cancellationToken) != sequence
            || await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.ChainSealed, cancellationToken))
            return 0;
        await AppendInAsync(db, "kimberlite (start)", AuditActions.ChainSealed, "audit", $"audit chain sealed: {sequence} entries", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Audit chain sealed with the audit key: {Count} entries", sequence);
        return sequence;
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length];
}
