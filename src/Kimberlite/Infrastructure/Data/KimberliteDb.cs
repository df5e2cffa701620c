using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using Microsoft.EntityFrameworkCore.Metadata.Conventions.Infrastructure;
using Kimberlite.Accounts;
using Kimberlite.Analysis;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Comtrade;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Infrastructure.Data;

/// <summary>The observatory's database. One subclass per provider carries its own migrations.</summary>
public class KimberliteDb(DbContextOptions options) : IdentityDbContext<User, IdentityRole<int>, int>(options), IDataProtectionKeyContext
{
    public DbSet<Dataset> Datasets => Set<Dataset>();
    public DbSet<Figure> Figures => Set<Figure>();
    public DbSet<ImportIssue> ImportIssues => Set<ImportIssue>();
    public DbSet<TradeFlow> TradeFlows => Set<TradeFlow>();
    public DbSet<TradeTotalsBlock> TradeTotalsBlocks => Set<TradeTotalsBlock>();
    public DbSet<Finding> Findings => Set<Finding>();
    public DbSet<FindingEvent> FindingEvents => Set<FindingEvent>();
    public DbSet<Analysis.Rates.LegalRate> LegalRates => Set<Analysis.Rates.LegalRate>();
    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Field.MiningSite> MiningSites => Set<Field.MiningSite>();
    public DbSet<Field.Incident> Incidents => Set<Field.Incident>();
    public DbSet<Field.SiteVisit> SiteVisits => Set<Field.SiteVisit>();
    public DbSet<Field.EvidenceFile> EvidenceFiles => Set<Field.EvidenceFile>();
    public DbSet<Field.FieldRevision> FieldRevisions => Set<Field.FieldRevision>();
    /// <summary>Evidence files and waiting uploads, where `Kimberlite:Files:Store` is Database (the default).</summary>
    public DbSet<Files.StoredFile> StoredFiles => Set<Files.StoredFile>();
    public DbSet<Imports.PendingUpload> PendingUploads => Set<Imports.PendingUpload>();
    public DbSet<Advocacy.Meeting> Meetings => Set<Advocacy.Meeting>();
    public DbSet<Advocacy.AdvocacyItem> AdvocacyItems => Set<Advocacy.AdvocacyItem>();
    public DbSet<Advocacy.StatusChange> StatusChanges => Set<Advocacy.StatusChange>();
    public DbSet<Advocacy.ItemEvidence> ItemEvidence => Set<Advocacy.ItemEvidence>();
    public DbSet<Advocacy.Comment> Comments => Set<Advocacy.Comment>();
    public DbSet<Advocacy.CommentNotice> CommentNotices => Set<Advocacy.CommentNotice>();
    public DbSet<Library.LibraryDocument> Documents => Set<Library.LibraryDocument>();
    public DbSet<Library.DocumentPage> DocumentPages => Set<Library.DocumentPage>();
    public DbSet<Library.PageTerm> PageTerms => Set<Library.PageTerm>();
    public DbSet<Library.DocumentMention> DocumentMentions => Set<Library.DocumentMention>();
    public DbSet<Library.DocumentCitation> DocumentCitations => Set<Library.DocumentCitation>();
    /// <summary>ASP.NET Core's Data Protection keys, shared by every web server of one database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The dataset already holding a file with these bytes, if any: what makes every import idempotent.</summary>
    public Task<int?> DatasetIdWithShaAsync(string sha256, CancellationToken cancellationToken) =>
        Datasets.AsNoTracking().Where(d => d.Sha256 == sha256).Select(d => (int?)d.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Every date is stored in UTC and read back as UTC, so the API writes it with its Z; trade records get no index on their dataset.</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Conventions.Replace<ForeignKeyIndexConvention>(services =>
            new Statistics.Comtrade.ForeignKeyIndexExceptTradeFlows(services.GetRequiredService<ProviderConventionSetBuilderDependencies>()));
    }

    private sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(KimberliteDb).Assembly);
    }
}

public sealed class SqliteKimberliteDb(DbContextOptions<SqliteKimberliteDb> options) : KimberliteDb(options);

public sealed class PostgresKimberliteDb(DbContextOptions<PostgresKimberliteDb> options) : KimberliteDb(options);
