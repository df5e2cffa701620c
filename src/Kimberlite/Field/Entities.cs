using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kimberlite.Field;

public enum SiteKind { Artisanal = 1, SemiIndustrial = 2, Industrial = 3 }

/// <summary>A mining site: where it is, what is dug there, and who published it.</summary>
public sealed class MiningSite
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string CountryIso3 { get; set; }
    public string? Locality { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public SiteKind Kind { get; set; }
    /// <summary>Comma-separated, in English: diamond, gold…</summary>
    public required string Minerals { get; set; }
    public string? Status { get; set; }
    /// <summary>Inside a zone the Kimberley Process declared compliant; null when not known.</summary>
    public bool? InCompliantZone { get; set; }
    /// <summary>Who published the site (IPIS for the bundled ones), with the credit its licence asks for.</summary>
    public required string Source { get; set; }
    public string? SourceId { get; set; }
    /// <summary>The organisation that recorded the site and alone may change it; null for a publisher's site (IPIS).</summary>
    public int? OrganisationId { get; set; }
}

public enum IncidentCategory { Violence = 1, HumanRightsAbuse, ChildLabour, Displacement, EnvironmentalDamage, Smuggling, Corruption, Accident, Other }

public enum IncidentSeverity { Minor = 1, Serious = 2, Critical = 3 }

public enum PerpetratorType { Unknown = 0, StateForces = 1, ArmedGroup = 2, Company = 3, Miners = 4, Traders = 5, Other = 6 }

/// <summary>Where an incident stands: submitted → under review → verified or rejected → published.</summary>
public enum IncidentStatus { Submitted = 1, UnderReview = 2, Verified = 3, Rejected = 4, Published = 5 }

/// <summary>
/// An incident reported from the field. The exact point, the description and the reporter are
/// protected: the public sees a published incident at a coarse place with its public summary only,
/// and the reporter's name and contact are stored encrypted (ReporterProtector).
/// </summary>
public sealed class Incident
{
    public int Id { get; set; }
    /// <summary>The identifier the submitting device made: the same submission sent again is the same incident.</summary>
    public Guid ClientId { get; set; }
    /// <summary>SHA-256 of the submission as received, to tell a repeat from a different body under the same identifier.</summary>
    public required string SubmissionHash { get; set; }
    public int OrganisationId { get; set; }
    /// <summary>Null when the report came in a KoboToolbox or ODK export rather than from a person's account.</summary>
    public int? SubmittedById { get; set; }
    public DateTime SubmittedAtUtc { get; set; }
    public IncidentCategory Category { get; set; }
    public DateOnly OccurredOn { get; set; }
    public required string CountryIso3 { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    /// <summary>How far from the point the incident may be, in metres, as the reporter said.</summary>
    public int? PrecisionMetres { get; set; }
    public int? SiteId { get; set; }
    public IncidentSeverity Severity { get; set; }
    public int? Killed { get; set; }
    public int? Injured { get; set; }
    public int? Affected { get; set; }
    public PerpetratorType Perpetrator { get; set; }
    public required string Description { get; set; }
    public string? PublicSummary { get; set; }
    public IncidentStatus Status { get; set; }
    public DateTime? PublishedAtUtc { get; set; }
    /// <summary>AES-GCM: nonce, tag and ciphertext, Base64; readable only with the key kept outside the database.</summary>
    public string? ReporterName { get; set; }
    public string? ReporterContact { get; set; }
}

public enum ArmedPresence { None = 0, State = 1, NonState = 2, Both = 3 }

/// <summary>What interferes with the miners' work, as IPIS records it.</summary>
[Flags]
public enum Interference { None = 0, IllegalTaxation = 1, ForcedLabour = 2, Buying = 4, Digging = 8, Monopoly = 16, Pillaging = 32 }

/// <summary>A monitor's visit to a mining site, with the fields IPIS records at each visit.</summary>
public sealed class SiteVisit
{
    public int Id { get; set; }
    public Guid ClientId { get; set; }
    public required string SubmissionHash { get; set; }
    public int OrganisationId { get; set; }
    public int? SubmittedById { get; set; }
    public DateTime SubmittedAtUtc { get; set; }
    public int SiteId { get; set; }
    public DateOnly VisitedOn { get; set; }
    public int? Workers { get; set; }
    public int? Women { get; set; }
    public int? ChildrenUnder15 { get; set; }
    public int? Children15To18 { get; set; }
    public string? ChildrenWork { get; set; }
    public ArmedPresence ArmedPresence { get; set; }
    public string? ArmedGroup { get; set; }
    public Interference Interference { get; set; }
    public bool? Mercury { get; set; }
    public string? StateServices { get; set; }
    public string? Traceability { get; set; }
    public string? Notes { get; set; }
}

/// <summary>
/// An earlier version of an incident or visit that a KoboToolbox or ODK edit replaced (meta/deprecatedID, Kobo's
/// meta/rootUuid, ODK Central's KEY): its identifier, so an older export finds it instead of adding a second record,
/// and what it said, without the reporter, who stays only encrypted on the record itself.
/// </summary>
public sealed class FieldRevision
{
    public int Id { get; set; }
    public int? IncidentId { get; set; }
    public int? SiteVisitId { get; set; }
    /// <summary>The identifier the replaced version carried (its instanceID).</summary>
    public Guid ClientId { get; set; }
    /// <summary>The identifier of the version that replaced it.</summary>
    public Guid ReplacedBy { get; set; }
    /// <summary>The replaced version's SubmissionHash; null when it never reached Kimberlite (only its successor did).</summary>
    public string? SubmissionHash { get; set; }
    /// <summary>The replaced version's fields as JSON (camelCase), reporter left out; null when it never reached Kimberlite.</summary>
    public string? Content { get; set; }
    public DateTime ReplacedAtUtc { get; set; }
}

internal sealed class FieldRevisionConfiguration : IEntityTypeConfiguration<FieldRevision>
{
    public void Configure(EntityTypeBuilder<FieldRevision> b)
    {
        b.HasIndex(r => r.ClientId).IsUnique();
        b.HasIndex(r => r.ReplacedBy);
        b.Property(r => r.SubmissionHash).HasMaxLength(64);
        b.Property(r => r.Content).HasMaxLength(20_000);
        b.HasOne<Incident>().WithMany().HasForeignKey(r => r.IncidentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<SiteVisit>().WithMany().HasForeignKey(r => r.SiteVisitId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SiteVisitConfiguration : IEntityTypeConfiguration<SiteVisit>
{
    public void Configure(EntityTypeBuilder<SiteVisit> b)
    {
        b.HasIndex(v => v.ClientId).IsUnique();
        b.Property(v => v.SubmissionHash).HasMaxLength(64);
        foreach (var text in new[] { nameof(SiteVisit.ChildrenWork), nameof(SiteVisit.ArmedGroup), nameof(SiteVisit.StateServices), nameof(SiteVisit.Traceability) })
            b.Property(text).HasMaxLength(500);
        b.Property(v => v.Notes).HasMaxLength(10_000);
        b.HasOne<MiningSite>().WithMany().HasForeignKey(v => v.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Accounts.Organisation>().WithMany().HasForeignKey(v => v.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Accounts.User>().WithMany().HasForeignKey(v => v.SubmittedById).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MiningSiteConfiguration : IEntityTypeConfiguration<MiningSite>
{
    public void Configure(EntityTypeBuilder<MiningSite> b)
    {
        b.Property(s => s.Name).HasMaxLength(200);
        b.Property(s => s.CountryIso3).HasMaxLength(3);
        b.Property(s => s.Locality).HasMaxLength(200);
        b.Property(s => s.Minerals).HasMaxLength(200);
        b.Property(s => s.Status).HasMaxLength(100);
        b.Property(s => s.Source).HasMaxLength(300);
        b.Property(s => s.SourceId).HasMaxLength(100);
        b.HasIndex(s => new { s.Source, s.SourceId }).IsUnique();
        b.HasOne<Accounts.Organisation>().WithMany().HasForeignKey(s => s.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        // One organisation records a place once under one name: a retried creation finds it instead of doubling it.
        b.HasIndex(s => new { s.OrganisationId, s.CountryIso3, s.Name, s.Latitude, s.Longitude }).IsUnique();
    }
}

internal sealed class IncidentConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> b)
    {
        b.HasIndex(i => i.ClientId).IsUnique();
        b.HasIndex(i => new { i.Status, i.OccurredOn });
        b.Property(i => i.SubmissionHash).HasMaxLength(64);
        b.Property(i => i.CountryIso3).HasMaxLength(3);
        b.Property(i => i.Description).HasMaxLength(10_000);
        b.Property(i => i.PublicSummary).HasMaxLength(2_000);
        b.Property(i => i.ReporterName).HasMaxLength(1_000);
        b.Property(i => i.ReporterContact).HasMaxLength(1_000);
        b.HasOne<Accounts.Organisation>().WithMany().HasForeignKey(i => i.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Accounts.User>().WithMany().HasForeignKey(i => i.SubmittedById).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<MiningSite>().WithMany().HasForeignKey(i => i.SiteId).OnDelete(DeleteBehavior.SetNull);
    }
}
