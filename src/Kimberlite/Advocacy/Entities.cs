using Kimberlite.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kimberlite.Advocacy;

public enum MeetingKind { Workshop = 1, GovernmentDialogue = 2, KimberleyPlenary = 3, Mission = 4, Other = 5 }

/// <summary>A recommendation is what the coalition asks; a commitment is what the addressee promised.</summary>
public enum ItemKind { Recommendation = 1, Commitment = 2 }

/// <summary>
/// Proposed → presented → acknowledged → in progress → implemented, partly implemented, not implemented or abandoned;
/// withdrawn from any state, with its reason (docs/decisions/030-advocacy.md).
/// </summary>
public enum ItemStatus { Proposed = 1, Presented = 2, Acknowledged = 3, InProgress = 4, Implemented = 5, PartlyImplemented = 6, NotImplemented = 7, Abandoned = 8, Withdrawn = 9 }

/// <summary>How the addressee received it, as UPR Info records a state's response.</summary>
public enum Acknowledgement { Accepted = 1, Noted = 2 }

/// <summary>The documented list of themes (docs/ADVOCACY.md).</summary>
public enum Theme { TransparencyOfFigures = 1, Revenue = 2, CommunityRights = 3, Traceability = 4, Environment = 5, Security = 6, ArtisanalMiners = 7, RegionalCooperation = 8 }

public enum AddresseeKind { Ministry = 1, Parliament = 2, KimberleyProcess = 3, Company = 4, Other = 5 }

/// <summary>What an item or a status change rests on: a finding, an incident, a dataset, a document of the library, or an address.</summary>
public enum EvidenceKind { Finding = 1, Incident = 2, Dataset = 3, Document = 4, Link = 5 }

/// <summary>A workshop, a dialogue with a government, a Kimberley Process plenary or a mission, with what came out of it.</summary>
public sealed class Meeting
{
    public int Id { get; set; }
    /// <summary>The identifier the client chose: a request sent again finds this meeting instead of adding a second.</summary>
    public Guid ClientId { get; set; }
    /// <summary>Stable name of a bundled meeting ("seed-workshop"); null for the ones members record.</summary>
    public string? Key { get; set; }
    public MeetingKind Kind { get; set; }
    public required string Title { get; set; }
    public DateOnly? StartsOn { get; set; }
    public DateOnly? EndsOn { get; set; }
    public string? Place { get; set; }
    /// <summary>ISO3 codes separated by commas; empty when the meeting is regional.</summary>
    public string Countries { get; set; } = "";
    /// <summary>Participants outside the coalition's organisations (ministries, companies, the KP), as written.</summary>
    public string? OtherParticipants { get; set; }
    public string? Description { get; set; }
    /// <summary>What the meeting set out to do, one aim per line.</summary>
    public string? Aims { get; set; }
    public string? Minutes { get; set; }
    public string? Outcomes { get; set; }
    /// <summary>fr, en or pt: the language its texts are written in.</summary>
    public required string Language { get; set; }
    /// <summary>Where the record comes from, for a bundled meeting: the account it is copied from.</summary>
    public string? Source { get; set; }
    /// <summary>The organisation that recorded it and whose coordinators change it; null for the bundled workshop (the coalition's).</summary>
    public int? OrganisationId { get; set; }
    public bool IsPublished { get; set; }
    public DateTime? PublishedAtUtc { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public List<MeetingOrganisation> Organisations { get; set; } = [];
}

/// <summary>A coalition organisation present at a meeting.</summary>
public sealed class MeetingOrganisation
{
    public int MeetingId { get; set; }
    public int OrganisationId { get; set; }
}

/// <summary>
/// A recommendation the coalition made or a commitment an addressee made, with its status and the evidence behind it.
/// Never deleted: withdrawing keeps it, with the reason.
/// </summary>
public sealed class AdvocacyItem
{
    public int Id { get; set; }
    /// <summary>The identifier the client chose: a request sent again finds this item instead of adding a second.</summary>
    public Guid ClientId { get; set; }
    public ItemKind Kind { get; set; }
    public required string Text { get; set; }
    /// <summary>fr, en or pt: the language the text was written in; translations sit beside it.</summary>
    public required string Language { get; set; }
    public int? MeetingId { get; set; }
    public required string Addressee { get; set; }
    public AddresseeKind AddresseeKind { get; set; }
    /// <summary>ISO3 codes separated by commas; empty means regional.</summary>
    public string Countries { get; set; } = "";
    public Theme Theme { get; set; }
    public DateOnly? DueOn { get; set; }
    public ItemStatus Status { get; set; } = ItemStatus.Proposed;
    public Acknowledgement? Acknowledgement { get; set; }
    public DateTime StatusChangedAtUtc { get; set; }
    /// <summary>A commitment's maker (a minister, a company) as written.</summary>
    public string? CommittedBy { get; set; }
    /// <summary>Where a commitment is recorded: a communiqué, minutes, an address.</summary>
    public string? RecordedIn { get; set; }
    /// <summary>The organisation that recorded it: its analysts change it, its coordinators publish it.</summary>
    public int OrganisationId { get; set; }
    public bool IsPublished { get; set; }
    public DateTime? PublishedAtUtc { get; set; }
    public string? WithdrawnReason { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public List<ItemOrganisation> MadeBy { get; set; } = [];
    public List<ItemTranslation> Translations { get; set; } = [];
    public List<ItemEvidence> Evidence { get; set; } = [];
    public List<StatusChange> History { get; set; } = [];

    public IReadOnlyList<string> CountryCodes => Advocacy.Countries.Split(Countries);
    public bool IsClosed => Status is ItemStatus.Implemented or ItemStatus.PartlyImplemented or ItemStatus.NotImplemented or ItemStatus.Abandoned or ItemStatus.Withdrawn;

    /// <summary>Past its due date and not yet closed.</summary>
    public bool IsOverdue(DateOnly today) => DueOn is { } due && due < today && !IsClosed;
}

/// <summary>An organisation that made the recommendation (or recorded the commitment).</summary>
public sealed class ItemOrganisation
{
    public int ItemId { get; set; }
    public int OrganisationId { get; set; }
}

public sealed class ItemTranslation
{
    public int Id { get; set; }
    public int ItemId { get; set; }
    public required string Language { get; set; }
    public required string Text { get; set; }
}

/// <summary>
/// One piece of evidence: what motivated the item (no status change), or what a status change rests on.
/// `TargetId` names a finding, incident, dataset or document; `Url` an address.
/// </summary>
public sealed class ItemEvidence
{
    public int Id { get; set; }
    public int ItemId { get; set; }
    public long? StatusChangeId { get; set; }
    public EvidenceKind Kind { get; set; }
    public int? TargetId { get; set; }
    /// <summary>The page of a cited document, from 1.</summary>
    public int? Page { get; set; }
    public string? Url { get; set; }
    public string? Note { get; set; }
}

/// <summary>One step of an item's history: when, who, from what to what, and why.</summary>
public sealed class StatusChange
{
    public long Id { get; set; }
    public int ItemId { get; set; }
    public DateTime AtUtc { get; set; }
    /// <summary>Null for the first entry, when the item was recorded.</summary>
    public ItemStatus? From { get; set; }
    public ItemStatus To { get; set; }
    public Acknowledgement? Acknowledgement { get; set; }
    public string? Note { get; set; }
    public int? ActorId { get; set; }
    /// <summary>The organisation acting, shown to the public in place of the person.</summary>
    public int? ActorOrganisationId { get; set; }
    /// <summary>How the audit trail names the person (members only).</summary>
    public required string Actor { get; set; }
    public List<ItemEvidence> Evidence { get; set; } = [];
}

public enum CommentTarget { Finding = 1, Incident = 2, Recommendation = 3, Meeting = 4 }

/// <summary>Who reads a comment: the item's organisation, or every member of the coalition. Never the public.</summary>
public enum CommentAudience { Organisation = 1, Coalition = 2 }

/// <summary>A member's comment on a finding, an incident, a recommendation or a meeting. Plain text; edits keep the earlier text.</summary>
public sealed class Comment
{
    public int Id { get; set; }
    public Guid ClientId { get; set; }
    public CommentTarget Target { get; set; }
    public int TargetId { get; set; }
    public int? ParentId { get; set; }
    public int AuthorId { get; set; }
    /// <summary>The organisation an organisation-only comment is for: the item's, or the author's where the item has none (a finding).</summary>
    public int OrganisationId { get; set; }
    public CommentAudience Audience { get; set; }
    public required string Text { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? EditedAtUtc { get; set; }
    public DateTime? HiddenAtUtc { get; set; }
    public int? HiddenById { get; set; }
    public string? HiddenReason { get; set; }
    public List<CommentRevision> Revisions { get; set; } = [];
}

/// <summary>The text a comment had before an edit.</summary>
public sealed class CommentRevision
{
    public long Id { get; set; }
    public int CommentId { get; set; }
    public required string Text { get; set; }
    public DateTime ReplacedAtUtc { get; set; }
}

/// <summary>A person a comment names with @, or the author of the comment it answers: their "mentions and replies".</summary>
public sealed class CommentNotice
{
    public long Id { get; set; }
    public int CommentId { get; set; }
    public int UserId { get; set; }
    public bool IsReply { get; set; }
    public DateTime? ReadAtUtc { get; set; }
    public DateTime? MailedAtUtc { get; set; }
}

public static class Countries
{
    public static IReadOnlyList<string> Split(string? codes) =>
        string.IsNullOrWhiteSpace(codes) ? [] : codes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string Join(IEnumerable<string> codes) =>
        string.Join(',', codes.Select(c => c.Trim().ToUpperInvariant()).Where(c => c.Length > 0).Distinct().Order(StringComparer.Ordinal));
}

internal sealed class MeetingConfiguration : IEntityTypeConfiguration<Meeting>
{
    public void Configure(EntityTypeBuilder<Meeting> b)
    {
        b.HasIndex(m => m.Key).IsUnique();
        b.HasIndex(m => m.ClientId).IsUnique();
        b.Property(m => m.Key).HasMaxLength(100);
        b.Property(m => m.Title).HasMaxLength(500);
        b.Property(m => m.Place).HasMaxLength(300);
        b.Property(m => m.Countries).HasMaxLength(100);
        b.Property(m => m.OtherParticipants).HasMaxLength(2_000);
        b.Property(m => m.Description).HasMaxLength(10_000);
        b.Property(m => m.Aims).HasMaxLength(10_000);
        b.Property(m => m.Source).HasMaxLength(1_000);
        b.Property(m => m.Minutes).HasMaxLength(50_000);
        b.Property(m => m.Outcomes).HasMaxLength(20_000);
        b.Property(m => m.Language).HasMaxLength(5);
        b.HasOne<Organisation>().WithMany().HasForeignKey(m => m.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(m => m.Organisations).WithOne().HasForeignKey(o => o.MeetingId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MeetingOrganisationConfiguration : IEntityTypeConfiguration<MeetingOrganisation>
{
    public void Configure(EntityTypeBuilder<MeetingOrganisation> b)
    {
        b.HasKey(o => new { o.MeetingId, o.OrganisationId });
        b.HasOne<Organisation>().WithMany().HasForeignKey(o => o.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AdvocacyItemConfiguration : IEntityTypeConfiguration<AdvocacyItem>
{
    public void Configure(EntityTypeBuilder<AdvocacyItem> b)
    {
        b.HasIndex(i => i.ClientId).IsUnique();
        b.HasIndex(i => new { i.Status, i.DueOn });
        b.Property(i => i.Text).HasMaxLength(5_000);
        b.Property(i => i.Language).HasMaxLength(5);
        b.Property(i => i.Addressee).HasMaxLength(300);
        b.Property(i => i.Countries).HasMaxLength(100);
        b.Property(i => i.CommittedBy).HasMaxLength(300);
        b.Property(i => i.RecordedIn).HasMaxLength(1_000);
        b.Property(i => i.WithdrawnReason).HasMaxLength(2_000);
        b.HasOne<Meeting>().WithMany().HasForeignKey(i => i.MeetingId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Organisation>().WithMany().HasForeignKey(i => i.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(i => i.MadeBy).WithOne().HasForeignKey(o => o.ItemId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(i => i.Translations).WithOne().HasForeignKey(t => t.ItemId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(i => i.Evidence).WithOne().HasForeignKey(e => e.ItemId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(i => i.History).WithOne().HasForeignKey(s => s.ItemId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ItemOrganisationConfiguration : IEntityTypeConfiguration<ItemOrganisation>
{
    public void Configure(EntityTypeBuilder<ItemOrganisation> b)
    {
        b.HasKey(o => new { o.ItemId, o.OrganisationId });
        b.HasOne<Organisation>().WithMany().HasForeignKey(o => o.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ItemTranslationConfiguration : IEntityTypeConfiguration<ItemTranslation>
{
    public void Configure(EntityTypeBuilder<ItemTranslation> b)
    {
        b.HasIndex(t => new { t.ItemId, t.Language }).IsUnique();
        b.Property(t => t.Language).HasMaxLength(5);
        b.Property(t => t.Text).HasMaxLength(5_000);
    }
}

internal sealed class ItemEvidenceConfiguration : IEntityTypeConfiguration<ItemEvidence>
{
    public void Configure(EntityTypeBuilder<ItemEvidence> b)
    {
        b.HasIndex(e => new { e.Kind, e.TargetId });
        b.Property(e => e.Url).HasMaxLength(2_000);
        b.Property(e => e.Note).HasMaxLength(1_000);
        b.HasOne<StatusChange>().WithMany(s => s.Evidence).HasForeignKey(e => e.StatusChangeId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class StatusChangeConfiguration : IEntityTypeConfiguration<StatusChange>
{
    public void Configure(EntityTypeBuilder<StatusChange> b)
    {
        b.HasIndex(s => s.AtUtc);
        b.Property(s => s.Note).HasMaxLength(5_000);
        b.Property(s => s.Actor).HasMaxLength(300);
        b.HasOne<User>().WithMany().HasForeignKey(s => s.ActorId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Organisation>().WithMany().HasForeignKey(s => s.ActorOrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CommentConfiguration : IEntityTypeConfiguration<Comment>
{
    public void Configure(EntityTypeBuilder<Comment> b)
    {
        b.HasIndex(c => c.ClientId).IsUnique();
        b.HasIndex(c => new { c.Target, c.TargetId });
        b.Property(c => c.Text).HasMaxLength(10_000);
        b.Property(c => c.HiddenReason).HasMaxLength(1_000);
        b.HasOne<Comment>().WithMany().HasForeignKey(c => c.ParentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(c => c.AuthorId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(c => c.HiddenById).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Organisation>().WithMany().HasForeignKey(c => c.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(c => c.Revisions).WithOne().HasForeignKey(r => r.CommentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CommentRevisionConfiguration : IEntityTypeConfiguration<CommentRevision>
{
    public void Configure(EntityTypeBuilder<CommentRevision> b) => b.Property(r => r.Text).HasMaxLength(10_000);
}

internal sealed class CommentNoticeConfiguration : IEntityTypeConfiguration<CommentNotice>
{
    public void Configure(EntityTypeBuilder<CommentNotice> b)
    {
        b.HasIndex(n => new { n.UserId, n.CommentId }).IsUnique();
        b.HasOne<Comment>().WithMany().HasForeignKey(n => n.CommentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}
