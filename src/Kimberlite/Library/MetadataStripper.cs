using System.IO.Compression;
using System.Xml.Linq;
using UglyToad.PdfPig.Writer;

namespace Kimberlite.Library;

/// <summary>
/// A copy of a file without what names its authors and their software: a PDF rebuilt page by page by PdfPig without
/// its Info dictionary and XMP stream; a DOCX without docProps/core.xml, app.xml and custom.xml; an ODT with an empty meta.xml.
/// </summary>
public static class MetadataStripper
{
    private static readonly string[] OfficeProperties = ["docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"];

    public static byte[] Strip(byte[] content, string format) => format switch
    {
        "pdf" => StripPdf(content),
        "docx" => StripPackage(content, docx: true),
        "odt" => StripPackage(content, docx: false),
        _ => content,
    };

    private static byte[] StripPdf(byte[] content)
    {
        using var source = UglyToad.PdfPig.PdfDocument.Open(content);
        // A new file holds only the pages: the catalogue's /Metadata and the trailer's /Info are not copied.
        using var builder = new PdfDocumentBuilder { IncludeDocumentInformation = false };
        for (var page = 1; page <= source.NumberOfPages; page++)
            builder.AddPage(source, page);
        return builder.Build();
    }

    private static byte[] StripPackage(byte[] content, bool docx)
    {
        using var input = new ZipArchive(new MemoryStream(content), ZipArchiveMode.Read);
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries)
            {
                if (docx && OfficeProperties.Contains(entry.FullName, StringComparer.OrdinalIgnoreCase) || entry.FullName.StartsWith("Thumbnails/", StringComparison.Ordinal))
                    continue;
                // ODF wants its mimetype first and stored, uncompressed.
                var copy = zip.CreateEntry(entry.FullName, entry.FullName == "mimetype" ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
                copy.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using var to = copy.Open();
                using var from = entry.Open();
                if (!docx && entry.FullName == "meta.xml")
                    EmptyMeta(from).Save(to);
                else if (docx && entry.FullName is "[Content_Types].xml" or "_rels/.rels")
                    WithoutProperties(from).Save(to);
                else if (!docx && entry.FullName == "META-INF/manifest.xml")
                    WithoutThumbnails(from).Save(to);
                else
                    from.CopyTo(to);
            }
        }
        return output.ToArray();
    }

    /// <summary>An ODF meta.xml with an empty office:meta: no generator, author, dates or statistics.</summary>
    private static XDocument EmptyMeta(Stream from)
    {
        var xml = XDocument.Load(from);
        foreach (var meta in xml.Descendants(XName.Get("meta", "urn:oasis:names:tc:opendocument:xmlns:office:1.0")))
            meta.RemoveNodes();
        return xml;
    }

    /// <summary>The package's parts list and relationships without the removed property parts, so Word opens the copy without complaint.</summary>
    private static XDocument WithoutProperties(Stream from)
    {
        var xml = XDocument.Load(from);
        xml.Root?.Elements().Where(e => (e.Attribute("PartName")?.Value ?? e.Attribute("Target")?.Value ?? "").TrimStart('/') is var part
            && OfficeProperties.Contains(part, StringComparer.OrdinalIgnoreCase)).Remove();
        return xml;
    }

    private static XDocument WithoutThumbnails(Stream from)
    {
        var xml = XDocument.Load(from);
        xml.Root?.Elements().Where(e => e.Attributes().Any(a => a.Name.LocalName == "full-path" && a.Value.StartsWith("Thumbnails/", StringComparison.Ordinal))).Remove();
        return xml;
    }
}
