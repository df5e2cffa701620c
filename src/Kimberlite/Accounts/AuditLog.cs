using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kimberlite.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kimberlite.Accounts;

/// <summary>
/// One entry of the audit trail. Each entry's hash covers the previous entry's hash and this entry's
/// canonical form, so changing or removing any entry breaks every hash after it.
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

    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The text the hash covers; a change to any field changes it.</summary>
    public string Canonical() => string.Join('\n',
        Sequence.ToString(CultureInfo.InvariantCulture), AtUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        Escape(Actor), Escape(Action), Escape(Target), Escape(Summary), PreviousHash);

    public string ComputeHash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(PreviousHash + "\n" + Canonical())));

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
    }
}

/// <summary>The actions the trail records, so pages and filters name them the same way.</summary>
public static class AuditActions
{
    public const string SignIn = "sign-in", SignInFailed = "sign-in-failed", LockedOut = "locked-out", SignOut = "sign-out";
    public const string PasswordSet = "password-set", TwoFactorEnabled = "two-factor-enabled", TwoFactorDisabled = "two-factor-disabled";
    public const string UserCreated = "user-created", AdministratorGranted = "administrator-granted";
    public const string MemberAdded = "member-added", MemberRoleChanged = "member-role-changed", MemberRemoved = "member-removed", MemberInvited = "member-invited";
    public const string TokenCreated = "token-created", TokenRevoked = "token-revoked";
    public const string OrganisationCreated = "organisation-created", OrganisationChanged = "organisation-changed";
    public const string Import = "import", ImportRefused = "import-refused", FindingDecided = "finding-decided", Analysis = "analysis";
    public const string IncidentSubmitted = "incident-submitted", IncidentStatusChanged = "incident-status-changed", ReporterRead = "reporter-read", EvidenceAdded = "evidence-added";
    public const string SiteCreated = "site-created", SiteChanged = "site-changed";
    public const string LabelSet = "label-set", LabelUndone = "label-undone";

    public static readonly string[] All =
    [
        SignIn, SignInFailed, LockedOut, SignOut, PasswordSet, TwoFactorEnabled, TwoFactorDisabled, UserCreated, AdministratorGranted,
        MemberAdded, MemberRoleChanged, MemberRemoved, MemberInvited, TokenCreated, TokenRevoked, OrganisationCreated, OrganisationChanged,
        Import, ImportRefused, FindingDecided, Analysis, IncidentSubmitted, IncidentStatusChanged, ReporterRead, EvidenceAdded, SiteCreated, SiteChanged,
        LabelSet, LabelUndone,
    ];
}

/// <summary>What <c>audit verify</c> found: how many entries, and the first that does not match, if any.</summary>
public sealed record AuditVerification(long Entries, long? FirstBrokenSequence, string? Problem);

/// <summary>
/// Appends to the audit trail and checks it. Nothing here edits or deletes an entry, and nothing else
/// in the application writes to the table.
/// </summary>
public sealed class AuditLog(IServiceScopeFactory scopes, TimeProvider clock, ILogger<AuditLog> logger)
{
    private const int Attempts = 20;

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
    /// must be saved already: only the entry is written here.
    /// </summary>
    public async Task AppendInAsync(KimberliteDb db, string actor, string action, string target, string summary, CancellationToken cancellationToken = default)
    {
        if (db.Database.CurrentTransaction is null)
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

    /// <summary>The entry that follows the last one stored, its hash computed on what will be stored.</summary>
    private async Task<AuditEntry> NextAsync(KimberliteDb db, string actor, string action, string target, string summary, CancellationToken cancellationToken)
    {
        var last = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var entry = new AuditEntry
        {
            Sequence = (last?.Sequence ?? 0) + 1,
            // Milliseconds: both databases keep them exactly, so the hash is computed on what is stored.
            AtUtc = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc),
            Actor = Clip(actor, 300), Action = Clip(action, 100), Target = Clip(target, 300), Summary = Clip(summary, 2000),
            PreviousHash = last?.Hash ?? AuditEntry.Genesis, Hash = "",
        };
        entry.Hash = entry.ComputeHash();
        return entry;
    }

    /// <summary>Walks the whole chain in order and names the first entry whose hash or link does not match.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KimberliteDb>();
        var previous = AuditEntry.Genesis;
        long expected = 1, count = 0;
        await foreach (var entry in db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            if (entry.Sequence != expected)
                return new AuditVerification(count, expected, $"entry {expected} is missing (next is {entry.Sequence})");
            if (entry.PreviousHash != previous)
                return new AuditVerification(count, entry.Sequence, "its link to the previous entry does not match");
            if (entry.ComputeHash() != entry.Hash)
                return new AuditVerification(count, entry.Sequence, "its content does not match its hash");
            previous = entry.Hash;
            expected++;
        }
        return new AuditVerification(count, null, null);
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length];
}
