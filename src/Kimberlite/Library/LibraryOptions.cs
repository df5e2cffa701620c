using System.ComponentModel.DataAnnotations;

namespace Kimberlite.Library;

/// <summary>The `Kimberlite:Library` configuration section: how documents are read.</summary>
public sealed class LibraryOptions
{
    public const string Section = "Kimberlite:Library";

    /// <summary>The Tesseract program; a command that is not installed leaves scanned pages marked "scanned, not searchable".</summary>
    [Required]
    public string OcrCommand { get; set; } = "tesseract";

    /// <summary>Tesseract's languages, joined by +.</summary>
    [Required, RegularExpression("^[a-z_]+(\\+[a-z_]+)*$")]
    public string OcrLanguages { get; set; } = "fra+eng+por";

    /// <summary>A longer document is refused at extraction rather than held for hours.</summary>
    [Range(1, 100_000)]
    public int MaxPages { get; set; } = 5_000;

    /// <summary>How often the background extraction looks for waiting documents when nobody wakes it.</summary>
    [Range(1, 3_600)]
    public int PollSeconds { get; set; } = 5;

    /// <summary>How long a claim on a running document lasts without progress before another server may take it over (docs/decisions/032-library-documents.md).</summary>
    [Range(10, 86_400)]
    public int ExtractionLeaseSeconds { get; set; } = 600;
}
