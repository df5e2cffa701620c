using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using DocumentFormat.OpenXml.Packaging;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace Kimberlite.Library;

/// <summary>Why a file was not taken into the library; the API says it in English, the pages through <c>Doc_Refused_{Reason}</c>.</summary>
public enum Refusal { Empty, UnknownFormat, UnreadablePdf, BrokenPackage, NotUtf8 }

/// <summary>What a file was recognised as from its content, and the title its own metadata gives, if any.</summary>
public sealed record Inspection(string? Format, string? Title, Refusal? Refusal, string? Detail)
{
    public static string English(Refusal refusal, string? detail) => refusal switch
    {
        Library.Refusal.Empty => "The file is empty.",
        Library.Refusal.UnknownFormat => "The file is not a PDF, DOCX, ODT, HTML or UTF-8 text file (its content was checked, not its name).",
        Library.Refusal.UnreadablePdf => $"The PDF cannot be opened: {detail}",
        Library.Refusal.BrokenPackage => $"The DOCX or ODT file is damaged: {detail}",
        _ => "The text file is not valid UTF-8: save it as UTF-8 and upload it again.",
    };
}

/// <summary>One page's text as read from the file, before it is saved.</summary>
public sealed record ReadPage(int Number, string Text, PageSource Source);

/// <summary>Recognises a document by its content and reads its text page by page: PdfPig for PDF (Tesseract for scanned pages), Open XML for DOCX, content.xml for ODT.</summary>
public sealed class DocumentReader(Ocr ocr)
{
    private const string OdtMimetype = "application/vnd.oasis.opendocument.text";
    private static readonly XNamespace Text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
    private static readonly XNamespace Office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Inspection Inspect(byte[] content)
    {
        if (content.Length == 0 || content.All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
            return new(null, null, Refusal.Empty, null);
        if (content.AsSpan().StartsWith("%PDF-"u8))
            return InspectPdf(content);
        if (content.AsSpan().StartsWith("PK\u0003\u0004"u8))
            return InspectPackage(content);
        string text;
        try
        {
            text = StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return new(null, null, LooksBinary(content) ? Refusal.UnknownFormat : Refusal.NotUtf8, null);
        }
        if (text.Contains('\0') || text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t' or '\f')))
            return new(null, null, Refusal.UnknownFormat, null);
        var start = text.TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
        if (start.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || start.StartsWith("<html", StringComparison.OrdinalIgnoreCase))
        {
            var html = new HtmlParser().ParseDocument(text);
            return new("html", Clean(html.Title), null, null);
        }
        return new("txt", null, null, null);
    }

    private static bool LooksBinary(byte[] content) => content.Take(4096).Count(b => b == 0) > 0;

    private static Inspection InspectPdf(byte[] content)
    {
        try
        {
            using var pdf = UglyToad.PdfPig.PdfDocument.Open(content);
            if (pdf.NumberOfPages < 1)
                return new(null, null, Refusal.UnreadablePdf, "it has no page.");
            // Reading the first page proves more than the trailer does: a truncated file fails here.
            _ = pdf.GetPage(1).Text;
            return new("pdf", Clean(pdf.Information.Title), null, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new(null, null, Refusal.UnreadablePdf, e.Message);
        }
    }

    private static Inspection InspectPackage(byte[] content)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(content), ZipArchiveMode.Read);
            if (zip.GetEntry("word/document.xml") is not null)
            {
                using var word = WordprocessingDocument.Open(new MemoryStream(content), false);
                _ = word.MainDocumentPart?.Document?.Body ?? throw new InvalidDataException("it has no body.");
                return new("docx", Clean(word.PackageProperties.Title), null, null);
            }
            if (zip.GetEntry("mimetype") is { } mimetype && new StreamReader(mimetype.Open()).ReadToEnd().Trim() == OdtMimetype)
            {
                var contentXml = zip.GetEntry("content.xml") ?? throw new InvalidDataException("content.xml is missing.");
                using (var stream = contentXml.Open())
                    _ = XDocument.Load(stream);
                string? title = null;
                if (zip.GetEntry("meta.xml") is { } meta)
                {
                    using var stream = meta.Open();
                    title = Clean(XDocument.Load(stream).Descendants(Dc + "title").FirstOrDefault()?.Value);
                }
                return new("odt", title, null, null);
            }
            return new(null, null, Refusal.UnknownFormat, null);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or System.Xml.XmlException or OpenXmlPackageException or FileFormatException)
        {
            return new(null, null, Refusal.BrokenPackage, e.Message);
        }
    }

    private static string? Clean(string? title) => string.IsNullOrWhiteSpace(title) ? null : title.Trim() is { Length: > 500 } t ? t[..500] : title.Trim();

    /// <summary>The document's pages in order, each as soon as it is read.</summary>
    public IAsyncEnumerable<ReadPage> ReadAsync(byte[] content, string format, CancellationToken cancellationToken) => format switch
    {
        "pdf" => ReadPdfAsync(content, cancellationToken),
        "docx" => ReadDocx(content).ToAsyncEnumerable(),
        "odt" => ReadOdt(content).ToAsyncEnumerable(),
        "html" => ReadHtml(content).ToAsyncEnumerable(),
        _ => ReadText(content).ToAsyncEnumerable(),
    };

    /// <summary>How many pages the document has, as far as it says before it is read (PDF); null otherwise.</summary>
    public static int? CountPages(byte[] content, string format)
    {
        if (format != "pdf")
            return null;
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(content);
        return pdf.NumberOfPages;
    }

    private async IAsyncEnumerable<ReadPage> ReadPdfAsync(byte[] content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(content);
        foreach (var page in pdf.GetPages())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var text = PageText(page);
            if (!string.IsNullOrWhiteSpace(text))
            {
                yield return new(page.Number, text, PageSource.Text);
                continue;
            }
            // No text layer: what the page's images say, where Tesseract is installed.
            var read = new List<string>();
            foreach (var image in page.GetImages())
                if (ImageFile(image) is { } file && await ocr.ReadAsync(file.Bytes, file.Extension, cancellationToken) is { Length: > 0 } words)
                    read.Add(words);
            yield return read.Count > 0 ? new(page.Number, string.Join("\n\n", read), PageSource.Ocr) : new(page.Number, "", PageSource.Scanned);
        }
    }

    /// <summary>Words joined by spaces, lines by new lines, so a phrase search finds words the layout put side by side.</summary>
    private static string PageText(UglyToad.PdfPig.Content.Page page)
    {
        var words = page.GetWords().ToList();
        if (words.Count == 0)
            return page.Text.Trim();
        var text = new StringBuilder();
        UglyToad.PdfPig.Content.Word? previous = null;
        foreach (var word in words)
        {
            if (previous is not null)
                text.Append(Math.Abs(word.BoundingBox.Bottom - previous.BoundingBox.Bottom) > previous.BoundingBox.Height * 0.6 ? '\n' : ' ');
            text.Append(word.Text);
            previous = word;
        }
        return text.ToString().Trim();
    }

    /// <summary>An image as a file Tesseract reads: PNG as PdfPig decodes it, JPEG and JPEG 2000 as stored.</summary>
    private static (byte[] Bytes, string Extension)? ImageFile(UglyToad.PdfPig.Content.IPdfImage image)
    {
        if (image.WidthInSamples < 16 || image.HeightInSamples < 16)
            return null;
        if (image.TryGetPng(out var png))
            return (png, ".png");
        var filter = image.ImageDictionary.TryGet(UglyToad.PdfPig.Tokens.NameToken.Filter, out var token) ? token.ToString() ?? "" : "";
        if (filter.Contains("DCTDecode", StringComparison.Ordinal))
            return (image.RawBytes.ToArray(), ".jpg");
        if (filter.Contains("JPXDecode", StringComparison.Ordinal))
            return (image.RawBytes.ToArray(), ".jp2");
        return null;
    }

    /// <summary>Paragraphs; a page break (`w:br w:type="page"`) or a break Word rendered (`lastRenderedPageBreak`) starts a new page.</summary>
    private static IEnumerable<ReadPage> ReadDocx(byte[] content)
    {
        using var word = WordprocessingDocument.Open(new MemoryStream(content), false);
        var body = word.MainDocumentPart?.Document?.Body;
        var pages = new List<StringBuilder> { new() };
        foreach (var paragraph in body?.Descendants<W.Paragraph>() ?? [])
        {
            var line = new StringBuilder();
            foreach (var element in paragraph.Descendants())
            {
                switch (element)
                {
                    case W.Text t:
                        line.Append(t.Text);
                        break;
                    case W.TabChar:
                        line.Append(' ');
                        break;
                    case W.Break br when br.Type?.Value == W.BreakValues.Page:
                    case W.LastRenderedPageBreak:
                        Flush(pages[^1], line);
                        pages.Add(new StringBuilder());
                        break;
                    case W.Break:
                        line.Append('\n');
                        break;
                }
            }
            Flush(pages[^1], line);
        }
        return Numbered(pages.Select(p => p.ToString()));
    }

    private static void Flush(StringBuilder page, StringBuilder line)
    {
        if (line.Length == 0)
            return;
        if (page.Length > 0)
            page.Append('\n');
        page.Append(line.ToString().Trim());
        line.Clear();
    }

    /// <summary>text:p and text:h of content.xml; a soft page break LibreOffice wrote, or a paragraph style breaking the page before or after it, starts a new page.</summary>
    private static IEnumerable<ReadPage> ReadOdt(byte[] content)
    {
        using var zip = new ZipArchive(new MemoryStream(content), ZipArchiveMode.Read);
        XDocument xml;
        using (var stream = zip.GetEntry("content.xml")!.Open())
            xml = XDocument.Load(stream);
        var styles = new List<XDocument> { xml };
        if (zip.GetEntry("styles.xml") is { } stylesEntry)
            using (var stream = stylesEntry.Open())
                styles.Add(XDocument.Load(stream));
        var before = BreakingStyles(styles, "break-before");
        var after = BreakingStyles(styles, "break-after");
        var pages = new List<StringBuilder> { new() };
        var text = xml.Descendants(Office + "text").FirstOrDefault();
        foreach (var element in text?.Descendants() ?? [])
        {
            var paragraph = (element.Name == Text + "p" || element.Name == Text + "h") && !element.Ancestors(Office + "annotation").Any();
            var style = element.Attribute(Text + "style-name")?.Value ?? "";
            if (element.Name == Text + "soft-page-break" || paragraph && before.Contains(style) && pages[^1].Length > 0)
                pages.Add(new StringBuilder());
            if (!paragraph)
                continue;
            Flush(pages[^1], new StringBuilder(OdtText(element)));
            if (after.Contains(style))
                pages.Add(new StringBuilder());
        }
        return Numbered(pages.Select(p => p.ToString()));
    }

    /// <summary>The paragraph styles, automatic or common, whose properties break the page before or after the paragraph.</summary>
    private static HashSet<string> BreakingStyles(IEnumerable<XDocument> documents, string property)
    {
        XNamespace style = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
        XNamespace fo = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0";
        return documents.SelectMany(d => d.Descendants(style + "style"))
            .Where(s => s.Elements(style + "paragraph-properties").Any(p => p.Attribute(fo + property)?.Value == "page"))
            .Select(s => s.Attribute(style + "name")?.Value).OfType<string>().ToHashSet();
    }

    /// <summary>A paragraph's own text: spaces and tabs as written, notes and annotations left out.</summary>
    private static string OdtText(XElement paragraph)
    {
        var text = new StringBuilder();
        foreach (var node in paragraph.Nodes())
        {
            switch (node)
            {
                case XText t:
                    text.Append(t.Value);
                    break;
                case XElement e when e.Name == Text + "s":
                    text.Append(' ', int.TryParse(e.Attribute(Text + "c")?.Value, out var c) ? c : 1);
                    break;
                case XElement e when e.Name == Text + "tab":
                    text.Append(' ');
                    break;
                case XElement e when e.Name == Text + "line-break":
                    text.Append('\n');
                    break;
                case XElement e when e.Name == Office + "annotation" || e.Name == Text + "note" || e.Name == Text + "p" || e.Name == Text + "h":
                    break;
                case XElement e:
                    text.Append(OdtText(e));
                    break;
            }
        }
        return text.ToString();
    }

    /// <summary>The text a browser shows: no script, style or template; one page.</summary>
    private static IEnumerable<ReadPage> ReadHtml(byte[] content)
    {
        var document = new HtmlParser().ParseDocument(Encoding.UTF8.GetString(content));
        foreach (var hidden in document.QuerySelectorAll("script, style, noscript, template, head").ToList())
            hidden.Remove();
        var blocks = new StringBuilder();
        foreach (var block in document.Body?.QuerySelectorAll("h1, h2, h3, h4, h5, h6, p, li, td, th, pre, blockquote, dt, dd, figcaption").Where(b => !InsideBlock(b)) ?? [])
        {
            var line = string.Join(' ', block.TextContent.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
            if (line.Length > 0)
                blocks.Append(line).Append('\n');
        }
        var text = blocks.Length > 0 ? blocks.ToString() : document.Body?.TextContent ?? "";
        return Numbered([text.Trim()]);
    }

    private static bool InsideBlock(AngleSharp.Dom.IElement element)
    {
        for (var parent = element.ParentElement; parent is not null; parent = parent.ParentElement)
            if (parent.LocalName is "p" or "li" or "td" or "th" or "blockquote" or "dd")
                return true;
        return false;
    }

    /// <summary>A form feed starts a new page, as printers read it.</summary>
    private static IEnumerable<ReadPage> ReadText(byte[] content) =>
        Numbered(Encoding.UTF8.GetString(content).TrimStart('\uFEFF').Replace("\r\n", "\n").Split('\f'));

    /// <summary>Pages numbered from 1; an empty last page (a break at the very end) is not a page.</summary>
    private static IEnumerable<ReadPage> Numbered(IEnumerable<string> pages)
    {
        var list = pages.Select(p => p.Trim()).ToList();
        while (list.Count > 1 && list[^1].Length == 0)
            list.RemoveAt(list.Count - 1);
        return list.Select((text, i) => new ReadPage(i + 1, text, PageSource.Text));
    }
}
