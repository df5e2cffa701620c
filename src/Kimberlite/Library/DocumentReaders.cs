using System.Security.Claims;
using Kimberlite.Accounts;

namespace Kimberlite.Library;

/// <summary>The one rule of who finds a document, used by the document pages, the search and the citations alike.</summary>
public static class DocumentReaders
{
    /// <summary>
    /// The documents this reader finds: the public, public ones; a member, also the coalition's and their own
    /// organisations'. A withdrawn document is found by nobody.
    /// </summary>
    public static IQueryable<LibraryDocument> ReadableBy(this IQueryable<LibraryDocument> documents, ClaimsPrincipal user)
    {
        var kept = documents.Where(d => d.WithdrawnAtUtc == null);
        if (!user.HasRole(MemberRole.Viewer))
            return kept.Where(d => d.Visibility == DocumentVisibility.Public);
        var mine = user.OrganisationsWith(MemberRole.Viewer).ToList();
        return kept.Where(d => d.Visibility != DocumentVisibility.Organisation || (d.OrganisationId != null && mine.Contains(d.OrganisationId.Value)));
    }

    /// <summary>What a published item shows as evidence to everyone: public documents only, whoever reads.</summary>
    public static IQueryable<LibraryDocument> Public(this IQueryable<LibraryDocument> documents) =>
        documents.Where(d => d.WithdrawnAtUtc == null && d.Visibility == DocumentVisibility.Public);
}
