using Kimberlite.Infrastructure.Data;

namespace Kimberlite.Library;

/// <summary>
/// What runs once a document's pages are extracted, in the extraction's scope and before it saves: the search index
/// writes each page's terms, the mention finder lists what the pages name. Registered as scoped services, run by Order.
/// </summary>
public interface IPagesExtracted
{
    int Order { get; }

    Task OnExtractedAsync(KimberliteDb db, LibraryDocument document, IReadOnlyList<DocumentPage> pages, CancellationToken cancellationToken);
}
