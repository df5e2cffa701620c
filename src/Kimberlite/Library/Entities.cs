using Kimberlite.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kimberlite.Library;

public enum DocumentType { Report = 1, Law = 2, Decree = 3, Contract = 4, Minutes = 5, Press = 6, Other = 7 }

/// <summary>Who finds a document: everyone, every member of the coalition, or the members of one organisation.</summary>
public enum DocumentVisibility { Public = 1, Coalition = 2, Organisation = 3 }

/// <summary>Where the text extraction of a document stands; a failure says why and can be retried.</summary>
public enum ExtractionState { Waiting = 1, Running = 2, Done = 3, Failed = 4 }

/// <summary>How a page's text was read: from the file's own text, by OCR, or not at all (a scan with no OCR installed).</summary>
public enum PageSource { Text = 1, Ocr = 2, Scanned = 3 }

public enum MentionKind { Country = 1, Province = 2, Site = 3, Organisation = 4, Carats = 5, Usd = 6 }

/// <summary>What cites a document page as evidence.</summary>
public enum CitingKind { Finding = 1, Incident = 2, Recommendation = 3 }

/// <summary>
/// A report, law, decree, contract, minutes or article in the library: its metadata, its file (stored once by its
/// SHA-256 in the file store) and, once extracted, its pages. Never deleted: a withdrawal keeps the record.
/// </summary>
public sealed class LibraryDocument
{
    public int Id { get; set; }
    /// <summary>SHA-256 of the file's bytes: the same file uploaded again is this document.</summary>
    public required string Sha256 { get; set; }
    /// <summary>The file's name in the file store (Infrastructure/Files).</summary>
    public required string StoredName { get; set; }
    public required string FileName { get; set; }
    /// <summary>pdf, docx, odt, html or txt.</summary>
    public required string Format { get; set; }
    public long Length { get; set; }
    public required string Title { get; set; }
    public DocumentType Type { get; set; }
    /// <summary>ISO3 codes separated by commas.</summary>
    public string Countries { get; set; } = "";
    public DateOnly? PublishedOn { get; set; }
    /// <summary>fr, en or pt as a person set it, else as detected; null when neither is known.</summary>
    public string? Language { get; set; }
    public string? DetectedLanguage { get; set; }
    public string? Publisher { get; set; }
    public string? SourceUrl { get; set; }
    public string? Licence { get; set; }
    public DocumentVisibility Visibility { get; set; }
    /// <summary>The organisation that uploaded it; for an organisation-only document, the one whose members find it.</summary>
    public int? OrganisationId { get; set; }
    /// <summary>Authors and software named in the file's metadata are removed from every copy handed out.</summary>
    public bool StripMetadata { get; set; }
    public int? UploadedById { get; set; }
    public required string UploadedBy { get; set; }
    public DateTime UploadedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public ExtractionState Extraction { get; set; } = ExtractionState.Waiting;
    public string? ExtractionError { get; set; }
    public int PageCount { get; set; }
    public int PagesDone { get; set; }
    public int Attempts { get; set; }
    /// <summary>Until when the server extracting it holds it; a running document past its lease lost its server and is claimed again.</summary>
    public DateTime? ExtractionLeaseUntilUtc { get; set; }
    public DateTime? WithdrawnAtUtc { get; set; }
    public string? WithdrawnReason { get; set; }
    public List<DocumentPage> Pages { get; set; } = [];
}

/// <summary>One page's text, and the analysed terms the search index holds for it.</summary>
public sealed class DocumentPage
{
    public long Id { get; set; }
    public int DocumentId { get; set; }
    /// <summary>From 1.</summary>
    public int Number { get; set; }
    public required string Text { get; set; }
    public PageSource Source { get; set; }
    /// <summary>
    /// The terms the analyzer made of the text (accents folded, stemmed in the three languages): a word's stems separated by
    /// one space, words by two (<see cref="TextAnalyzer.Terms"/>), so that a phrase is checked without reading the text again.
    /// </summary>
    public string Terms { get; set; } = "";
    /// <summary>How many words the page has: the length BM25 weighs a page by.</summary>
    public int WordCount { get; set; }
    /// <summary>The terms the page holds twice or more; a term it holds once has no row.</summary>
    public List<PageTerm> Repeated { get; set; } = [];
}

/// <summary>How many words of a page have this term among their stems, for a term that two or more do: what ranking reads instead of the page's terms.</summary>
public sealed class PageTerm
{
    public long PageId { get; set; }
    public required string Term { get; set; }
    public int Count { get; set; }
}

/// <summary>A country, province, mining site, organisation or sum that a page names.</summary>
public sealed class DocumentMention
{
    public long Id { get; set; }
    public int DocumentId { get; set; }
    public int Page { get; set; }
    public MentionKind Kind { get; set; }
    /// <summary>What it names: an ISO3 code, a province's name, a site's id, an organisation's acronym, a number.</summary>
    public required string Key { get; set; }
    /// <summary>The words as the page writes them.</summary>
    public required string Text { get; set; }
}

/// <summary>A finding, incident or recommendation citing a page of a document as evidence.</summary>
public sealed class DocumentCitation
{
    public long Id { get; set; }
    public int DocumentId { get; set; }
    public int? Page { get; set; }
    public CitingKind CitingKind { get; set; }
    public int CitingId { get; set; }
    public string? Note { get; set; }
    public required string CitedBy { get; set; }
    public DateTime CitedAtUtc { get; set; }
}

internal sealed class LibraryDocumentConfiguration : IEntityTypeConfiguration<LibraryDocument>
{
    public void Configure(EntityTypeBuilder<LibraryDocument> b)
    {
        b.ToTable("Documents");
        b.HasIndex(d => d.Sha256).IsUnique();
        b.HasIndex(d => d.Extraction);
        b.Property(d => d.Sha256).HasMaxLength(64);
        b.Property(d => d.StoredName).HasMaxLength(100);
        b.Property(d => d.FileName).HasMaxLength(255);
        b.Property(d => d.Format).HasMaxLength(10);
        b.Property(d => d.Title).HasMaxLength(500);
        b.Property(d => d.Countries).HasMaxLength(100);
        b.Property(d => d.Language).HasMaxLength(5);
        b.Property(d => d.DetectedLanguage).HasMaxLength(5);
        b.Property(d => d.Publisher).HasMaxLength(300);
        b.Property(d => d.SourceUrl).HasMaxLength(2_000);
        b.Property(d => d.Licence).HasMaxLength(300);
        b.Property(d => d.UploadedBy).HasMaxLength(300);
        b.Property(d => d.ExtractionError).HasMaxLength(2_000);
        b.Property(d => d.WithdrawnReason).HasMaxLength(2_000);
        b.HasOne<Organisation>().WithMany().HasForeignKey(d => d.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(d => d.UploadedById).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(d => d.Pages).WithOne().HasForeignKey(p => p.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DocumentPageConfiguration : IEntityTypeConfiguration<DocumentPage>
{
    public void Configure(EntityTypeBuilder<DocumentPage> b)
    {
        b.HasIndex(p => new { p.DocumentId, p.Number }).IsUnique();
        b.Property(p => p.Text).HasMaxLength(1_000_000);
        b.Property(p => p.Terms).HasMaxLength(2_000_000);
        b.HasMany(p => p.Repeated).WithOne().HasForeignKey(t => t.PageId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PageTermConfiguration : IEntityTypeConfiguration<PageTerm>
{
    public void Configure(EntityTypeBuilder<PageTerm> b)
    {
        b.ToTable("PageTerms");
        // Term first: ranking reads one term's pages; the page's own index serves the cascade when a page goes.
        b.HasKey(t => new { t.Term, t.PageId });
        b.HasIndex(t => t.PageId);
        b.Property(t => t.Term).HasMaxLength(240);
    }
}

internal sealed class DocumentMentionConfiguration : IEntityTypeConfiguration<DocumentMention>
{
    public void Configure(EntityTypeBuilder<DocumentMention> b)
    {
        b.HasIndex(m => new { m.Kind, m.Key });
        b.HasIndex(m => m.DocumentId);
        b.Property(m => m.Key).HasMaxLength(100);
        b.Property(m => m.Text).HasMaxLength(300);
        b.HasOne<LibraryDocument>().WithMany().HasForeignKey(m => m.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DocumentCitationConfiguration : IEntityTypeConfiguration<DocumentCitation>
{
    public void Configure(EntityTypeBuilder<DocumentCitation> b)
    {
        b.HasIndex(c => new { c.CitingKind, c.CitingId, c.DocumentId, c.Page }).IsUnique();
        b.HasIndex(c => c.DocumentId);
        b.Property(c => c.Note).HasMaxLength(1_000);
        b.Property(c => c.CitedBy).HasMaxLength(300);
        b.HasOne<LibraryDocument>().WithMany().HasForeignKey(c => c.DocumentId).OnDelete(DeleteBehavior.Restrict);
    }
}
