using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Accounts.Pages;

/// <summary>
/// One organisation and its members. Its members see who belongs; its coordinators (and administrators)
/// invite people, change roles and remove members.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class OrganisationModel(KimberliteDb db, AccountService accounts, UserManager<User> users, AuditLog audit, CountryNamer names) : PageModel
{
    public Organisation Organisation { get; private set; } = null!;
    public IReadOnlyList<Membership> Members { get; private set; } = [];
    public bool CanManage { get; private set; }
    public string? Error { get; private set; }
    public string? InvitationLink { get; private set; }
    public string? ResetLink { get; private set; }
    public string? ResetFor { get; private set; }
    public CountryNamer Names => names;

    public async Task<IActionResult> OnGetAsync(string acronym, CancellationToken cancellationToken) =>
        await LoadAsync(acronym, cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostInviteAsync(string acronym, string? email, MemberRole role, CancellationToken cancellationToken)
    {
        if (await LoadAsync(acronym, cancellationToken, manage: true) is { } denied)
            return denied;
        if (!Enum.IsDefined(role))
            return BadRequest();
        var result = await accounts.InviteAsync(Organisation.Id, email ?? "", role, User.Actor(), $"{Request.Scheme}://{Request.Host}", cancellationToken);
        if (result.Succeeded)
            InvitationLink = result.Link;
        else
            Error = result.Error;
        await LoadAsync(acronym, cancellationToken);
        return Page();
    }

    /// <summary>A member forgot their password: the coordinator hands them a one-time link, as for an invitation.</summary>
    public async Task<IActionResult> OnPostResetAsync(string acronym, int userId, CancellationToken cancellationToken)
    {
        if (await LoadAsync(acronym, cancellationToken, manage: true) is { } denied)
            return denied;
        if (Members.FirstOrDefault(m => m.UserId == userId)?.User is not { } member
            || await users.FindByIdAsync(member.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) is not { } user)
            return BadRequest();
        var result = await accounts.IssueResetLinkAsync(user, Organisation.Acronym, User.Actor(), $"{Request.Scheme}://{Request.Host}", cancellationToken);
        ResetLink = result.Link;
        ResetFor = user.Email;
        return Page();
    }

    public async Task<IActionResult> OnPostRoleAsync(string acronym, int userId, MemberRole role, CancellationToken cancellationToken)
    {
        if (await LoadAsync(acronym, cancellationToken, manage: true) is { } denied)
            return denied;
        if (!Enum.IsDefined(role) || await users.FindByIdAsync(userId.ToString(System.Globalization.CultureInfo.InvariantCulture)) is not { } user
            || !Members.Any(m => m.UserId == userId))
            return BadRequest();
        await accounts.SetMembershipAsync(user, Organisation, role, User.Actor(), cancellationToken);
        return RedirectToPage(new { acronym });
    }

    public async Task<IActionResult> OnPostRemoveAsync(string acronym, int userId, CancellationToken cancellationToken)
    {
        if (await LoadAsync(acronym, cancellationToken, manage: true) is { } denied)
            return denied;
        await accounts.RemoveMembershipAsync(Organisation.Id, userId, User.Actor(), cancellationToken);
        return RedirectToPage(new { acronym });
    }

    public async Task<IActionResult> OnPostEditAsync(string acronym, string? name, string? country, CancellationToken cancellationToken)
    {
        if (await LoadAsync(acronym, cancellationToken) is { } denied)
            return denied;
        if (!User.IsAdministrator())
            return Forbid();
        var code = (country ?? "").Trim().ToUpperInvariant();
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 300 || !CountryCodes.IsKnown(code))
        {
            Error = "Organisations_Invalid";
            return Page();
        }
        var organisation = await db.Organisations.FirstAsync(o => o.Id == Organisation.Id, cancellationToken);
        var before = $"{organisation.Name}, {organisation.CountryIso3}";
        organisation.Name = name.Trim();
        organisation.CountryIso3 = code;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(User.Actor(), AuditActions.OrganisationChanged, organisation.Acronym, $"{before} → {organisation.Name}, {code}", cancellationToken);
        return RedirectToPage(new { acronym });
    }

    /// <summary>Null when the person may see (or, with <paramref name="manage"/>, manage) the organisation; else the answer to give.</summary>
    private async Task<IActionResult?> LoadAsync(string acronym, CancellationToken cancellationToken, bool manage = false)
    {
        var organisation = await accounts.FindOrganisationAsync(acronym, cancellationToken);
        if (organisation is null)
            return NotFound();
        Organisation = organisation;
        CanManage = User.IsAdministrator() || User.HasRoleIn(organisation.Id, MemberRole.Coordinator);
        if (!CanManage && User.RoleIn(organisation.Id) is null || manage && !CanManage)
            return Forbid();
        Members = await db.Memberships.AsNoTracking().Include(m => m.User).Where(m => m.OrganisationId == organisation.Id)
            .OrderBy(m => m.User!.Email).ToListAsync(cancellationToken);
        return null;
    }
}
