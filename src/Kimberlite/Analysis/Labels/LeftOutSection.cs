using System.Security.Claims;
using Kimberlite.Accounts;
using Kimberlite.Statistics;
using Microsoft.AspNetCore.Authorization;

namespace Kimberlite.Analysis.Labels;

/// <summary>
/// What a dataset or country page lists under "figures the analysis cannot use": each left-out figure with its
/// reason, and each figure read through a meaning with that meaning; analysts also get the forms to set and undo.
/// </summary>
public sealed record LeftOutSection(IReadOnlyList<LeftOutFigure> LeftOut, IReadOnlyList<MeantFigure> Meant, bool CanSet, bool ShowActors, string ReturnUrl)
{
    public static async Task<LeftOutSection> BuildAsync(LabelMeanings labels, IAuthorizationService authorization, ClaimsPrincipal user,
        IReadOnlyCollection<string> countries, Func<Figure, bool> shown, string returnUrl, CancellationToken cancellationToken)
    {
        var uses = await labels.UsesAsync(countries, cancellationToken);
        return new LeftOutSection(
            uses.LeftOut.Where(l => shown(l.Figure)).ToList(),
            uses.Meant.Where(m => shown(m.Stored)).OrderBy(m => m.Stored.DatasetId).ThenBy(m => m.Stored.Line).ToList(),
            (await authorization.AuthorizeAsync(user, Policies.Analyst)).Succeeded,
            // Who set a meaning is for the coalition's members, as who decided a finding is.
            user.HasRole(MemberRole.Viewer),
            returnUrl);
    }

    /// <summary>The kind of label a reason asks about, to offer first in the form.</summary>
    public static LabelKind KindFor(LeftOutReason reason) => reason switch
    {
        LeftOutReason.PeriodNotUnderstood or LeftOutReason.SeveralYears => LabelKind.Period,
        _ => LabelKind.Segment,
    };

    /// <summary>The text of a figure that a meaning of this kind reads.</summary>
    public static string? LabelOf(Figure f, LabelKind kind) => kind switch
    {
        LabelKind.Segment => f.Segment,
        LabelKind.Period => f.PeriodText,
        _ => f.SourcePublisher,
    };
}
