using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Analysis.Labels;

/// <summary>Every label meaning, in force and undone: how the analysis reads the sources' own words. Analysts set and undo them here.</summary>
[AllowAnonymous]
public sealed class LabelsModel(LabelMeanings labels, KimberliteDb db, IAuthorizationService authorization, IStringLocalizer<Texts> texts) : PageModel
{
    public IReadOnlyList<LabelMeaning> Meanings { get; private set; } = [];
    public bool CanSet { get; private set; }
    public bool ShowActors { get; private set; }
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    /// <summary>Sets a meaning (of a left-out figure's label, or of a label typed here), or undoes one; analysts only, audited (docs/ACCESS.md).</summary>
    public async Task<IActionResult> OnPostAsync(int? undo, long? figureId, string? kind, string? label, string? value, string? country, bool countryOnly,
        string? reason, string? returnUrl, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, Policies.Analyst)).Succeeded)
            return User.UserId() is null ? Challenge() : Forbid();
        LabelResult result;
        if (undo is { } id)
            result = await labels.UndoAsync(id, User.Actor(), cancellationToken);
        else
        {
            if (figureId is { } figure)
            {
                // The label and the country come from the figure itself: the form cannot name a text it does not carry.
                var stored = await db.Figures.AsNoTracking().FirstOrDefaultAsync(f => f.Id == figure, cancellationToken);
                if (stored is null)
                    return NotFound();
                label = LabelValues.KindOf(kind) is { } k ? LeftOutSection.LabelOf(stored, k) : null;
                country = countryOnly ? stored.CountryIso3 : null;
            }
            result = await labels.SetAsync(kind, label, value, country, reason, User.Actor(), cancellationToken);
        }
        if (result.Outcome is LabelOutcome.Refused or LabelOutcome.NotFound)
        {
            Problem = result.Outcome == LabelOutcome.NotFound ? texts["Labels_Cli_NoSuchMeaning", undo ?? 0] : texts[result.Problem!, result.Arguments ?? []];
            await LoadAsync(cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        return LocalRedirect(returnUrl is { Length: > 0 } back && Url.IsLocalUrl(back) ? back : "/labels");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Meanings = await labels.AllAsync(cancellationToken);
        CanSet = (await authorization.AuthorizeAsync(User, Policies.Analyst)).Succeeded;
        ShowActors = User.HasRole(MemberRole.Viewer);
    }
}
