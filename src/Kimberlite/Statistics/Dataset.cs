using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kimberlite.Statistics;

/// <summary>One imported file and its provenance: who published it, where, when, and its exact bytes (SHA-256).</summary>
public sealed class Dataset
{
    public int Id { get; set; }
    public required string Title { get; set; }
    public required string Publisher { get; set; }
    public string? Address { get; set; }
    public DateOnly? RetrievedOn { get; set; }
    public required string FileName { get; set; }
    public required string Sha256 { get; set; }
    public StatisticsFormat Format { get; set; }
    public DateTime ImportedAtUtc { get; set; }
    public bool Bundled { get; set; }
    public int RowsRead { get; set; }
    public int RowsLoaded { get; set; }
    public int RowsRefused { get; set; }
    /// <summary>The text encoding the file was read with ("UTF-8", "Windows-1252"), or null for a workbook.</summary>
    public string? Encoding { get; set; }
    /// <summary>The sheet read, for a workbook.</summary>
    public string? Sheet { get; set; }
    /// <summary>Who brought the file in: a person's e-mail and number, or "command line (user)"; null for the bundled collection.</summary>
    public string? ImportedBy { get; set; }
    /// <summary>The organisation the person imported for.</summary>
    public int? ImportedByOrganisationId { get; set; }
    public Accounts.Organisation? ImportedByOrganisation { get; set; }
    /// <summary>
    /// When an analysis that read this dataset's figures last finished; null while its analysis is pending. Set null in
    /// the transaction that stores the data, so a kill before the analysis ends leaves it pending and the next start runs it.
    /// </summary>
    public DateTime? AnalysedAtUtc { get; set; }
    public List<ImportIssue> Issues { get; set; } = [];
    public List<Figure> Figures { get; set; } = [];
}

/// <summary>One line of an import report: a refused row (not loaded) or a note on a loaded one.</summary>
public sealed class ImportIssue
{
    public int Id { get; set; }
    public int DatasetId { get; set; }
    public int Line { get; set; }
    public required string Column { get; set; }
    public string? Value { get; set; }
    public ImportIssueKind Kind { get; set; }
    /// <summary>Resource key of the reason, so the report reads in the reader's language.</summary>
    public required string Reason { get; set; }
}

public enum ImportIssueKind { Refused = 1, Note = 2 }

public enum StatisticsFormat
{
    KpProduction = 1,
    KpTrade = 2,
    NationalStatistics = 3,
    FiscalRevenue = 4,
    KpPublicTable = 5,
    Comtrade = 6,
    /// <summary>The Kimberley Process statistics database's own export (sheet "Production of Diamonds"), by half-year.</summary>
    KpDatabaseExport = 7,
    /// <summary>An ITC Trade Map list of exporters or importers: one row per country, one column per year.</summary>
    TradeMap = 8,
}

internal sealed class DatasetConfiguration : IEntityTypeConfiguration<Dataset>
{
    public void Configure(EntityTypeBuilder<Dataset> b)
    {
        b.Property(d => d.Title).HasMaxLength(500);
        b.Property(d => d.Publisher).HasMaxLength(500);
        b.Property(d => d.Address).HasMaxLength(2000);
        b.Property(d => d.FileName).HasMaxLength(500);
        b.Property(d => d.Sha256).HasMaxLength(64);
        b.Property(d => d.Encoding).HasMaxLength(50);
        b.Property(d => d.Sheet).HasMaxLength(200);
        b.HasIndex(d => d.Sha256).IsUnique();
        b.Property(d => d.ImportedBy).HasMaxLength(300);
        b.HasOne(d => d.ImportedByOrganisation).WithMany().HasForeignKey(d => d.ImportedByOrganisationId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(d => d.Issues).WithOne().HasForeignKey(i => i.DatasetId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(d => d.Figures).WithOne().HasForeignKey(f => f.DatasetId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ImportIssueConfiguration : IEntityTypeConfiguration<ImportIssue>
{
    public void Configure(EntityTypeBuilder<ImportIssue> b)
    {
        b.Property(i => i.Column).HasMaxLength(100);
        b.Property(i => i.Value).HasMaxLength(1000);
        b.Property(i => i.Reason).HasMaxLength(100);
        b.HasIndex(i => new { i.DatasetId, i.Line });
    }
}
