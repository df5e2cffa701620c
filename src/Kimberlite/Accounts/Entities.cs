using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kimberlite.Accounts;

/// <summary>A person who signs in. Administrator is a platform role; every other role is held in an organisation.</summary>
public sealed class User : IdentityUser<int>
{
    public string? DisplayName { get; set; }
    public bool IsAdministrator { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public List<Membership> Memberships { get; set; } = [];

    public string Label => string.IsNullOrWhiteSpace(DisplayName) ? Email ?? UserName ?? $"#{Id}" : DisplayName;
}

/// <summary>A member organisation of the coalition.</summary>
public sealed class Organisation
{
    public int Id { get; set; }
    public required string Acronym { get; set; }
    public required string Name { get; set; }
    public required string CountryIso3 { get; set; }
    public List<Membership> Memberships { get; set; } = [];

    /// <summary>
    /// The coalition that set up the framework Kimberlite comes from (../shared/seeds), loaded into a new
    /// database. Full names only where the seed document gives them; an administrator completes the others.
    /// </summary>
    public static IReadOnlyList<Organisation> Coalition() =>
    [
        new() { Acronym = "RELUFA", Name = "Réseau de lutte contre la faim", CountryIso3 = "CMR" },
        new() { Acronym = "CRAGG", Name = "CRAGG", CountryIso3 = "CAF" },
        new() { Acronym = "CENADEP", Name = "Centre national d'appui au développement et à la participation populaire", CountryIso3 = "COD" },
        new() { Acronym = "GAERN", Name = "GAERN", CountryIso3 = "COD" },
        new() { Acronym = "OSCJ", Name = "OSCJ", CountryIso3 = "AGO" },
        new() { Acronym = "Muyissi", Name = "Muyissi Environnement", CountryIso3 = "GAB" },
        new() { Acronym = "CDHD", Name = "CDHD", CountryIso3 = "COG" },
    ];
}

/// <summary>What a member may do in their organisation; each role includes the ones before it (docs/ACCESS.md).</summary>
public enum MemberRole { Viewer = 1, Monitor = 2, Analyst = 3, Coordinator = 4 }

public sealed class Membership
{
    public int Id { get; set; }
    public int UserId { get; set; }
    public User? User { get; set; }
    public int OrganisationId { get; set; }
    public Organisation? Organisation { get; set; }
    public MemberRole Role { get; set; }
    public DateTime SinceUtc { get; set; }
}

public enum TokenScope { Read = 1, Write = 2 }

/// <summary>A personal access token for the API: shown once, stored as its SHA-256, with an expiry and a scope.</summary>
public sealed class ApiToken
{
    public int Id { get; set; }
    public int UserId { get; set; }
    public User? User { get; set; }
    public required string Name { get; set; }
    /// <summary>The first characters, kept to recognise a token in a list; never enough to use it.</summary>
    public required string Prefix { get; set; }
    public required string Hash { get; set; }
    public TokenScope Scope { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime ExpiresAtUtc { get; set; }
    public DateTime? RevokedAtUtc { get; set; }
    public DateTime? LastUsedAtUtc { get; set; }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(200);
        b.Ignore(u => u.Label);
    }
}

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> b)
    {
        b.Property(o => o.Acronym).HasMaxLength(40);
        b.Property(o => o.Name).HasMaxLength(300);
        b.Property(o => o.CountryIso3).HasMaxLength(3);
        b.HasIndex(o => o.Acronym).IsUnique();
    }
}

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> b)
    {
        b.HasIndex(m => new { m.UserId, m.OrganisationId }).IsUnique();
        b.HasOne(m => m.User).WithMany(u => u.Memberships).HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(m => m.Organisation).WithMany(o => o.Memberships).HasForeignKey(m => m.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.Property(t => t.Name).HasMaxLength(100);
        b.Property(t => t.Prefix).HasMaxLength(16);
        b.Property(t => t.Hash).HasMaxLength(64);
        b.HasIndex(t => t.Hash).IsUnique();
        b.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
