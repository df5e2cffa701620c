using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Library.Pages;

/// <summary>An analyst adds a document with its metadata; it opens on its own page while its text is extracted, or says why it was not taken.</summary>
[Authorize(Policy = Policies.Analyst)]
[Infrastructure.Web.UploadLimit(DocumentLibrary.MaxUploadBytes)]
public sealed class UploadModel(DocumentLibrary library, KimberliteDb db) : PageModel
{
    /// <summary>The organisations the analyst may upload for.</summary>
    public IReadOnlyList<(int Id, string Acronym)> Organisations { get; private set; } = [];
    /// <summary>Why the file was refused, in the reader's language.</summary>
    public IReadOnlyList<string> Problems { get; private set; } = [];
    /// <summary>The file is in the library already: this document.</summary>
    public LibraryDocument? Existing { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        var texts = HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<Infrastructure.Localization.Texts>>();
        if (file is null)
        {
            Problems = [texts["Doc_Upload_NoFile"]];
            return Page();
        }
        var errors = new Dictionary<string, string[]>();
        var metadata = DocumentsApi.ReadForm(Request.Form, errors);
        if (errors.Count > 0)
        {
            Problems = errors.Keys.Select(k => texts[$"Doc_Field_{k}"].Value).ToList();
            return Page();
        }
        byte[] content;
        using (var memory = new MemoryStream())
        {
            await file.CopyToAsync(memory, cancellationToken);
            content = memory.ToArray();
        }
        var result = await library.UploadAsync(content, file.FileName, metadata, Librarian.Of(User), cancellationToken);
        switch (result.Outcome)
        {
            case DocumentUploadOutcome.Created:
                return Redirect($"/library/{result.Document!.Id}");
            case DocumentUploadOutcome.Repeated:
                Existing = result.Document;
                return Page();
            case DocumentUploadOutcome.Refused:
                Problems = [LibraryCommands.Refusal(texts, result.Refusal!.Value, result.Detail)];
                return Page();
            default:
                Problems = result.Problems!.Select(p => texts[p.Key].Value).ToList();
                return Page();
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var mine = User.OrganisationsWith(MemberRole.Analyst);
        Organisations = (await db.Organisations.AsNoTracking().Where(o => mine.Contains(o.Id)).OrderBy(o => o.Acronym)
            .Select(o => new { o.Id, o.Acronym }).ToListAsync(cancellationToken)).Select(o => (o.Id, o.Acronym)).ToList();
    }
}
