using System.Globalization;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kimberlite.Accounts;

/// <summary>What an account operation did: an error key of the resources, or its outcome — a setup link, a token's secret (shown once).</summary>
public sealed record AccountResult(bool Succeeded, string? Error = null, string? Link = null, User? User = null, string? Secret = null)
{
    public static AccountResult Fail(string error) => new(false, error);
}

/// <summary>
/// What the command line and the pages do to people, memberships and tokens, each step written to the
/// audit trail. There is no default password: a new person gets a one-time setup link.
/// </summary>
public sealed class AccountService(
    KimberliteDb db, UserManager<User> users, AuditLog audit, IMailSender mail, TimeProvider clock, IOptions<AccountsOptions> options,
    IStringLocalizer<Texts> texts)
{
    /// <summary>Adds a person (or finds them), as administrator or as a member of an organisation, and makes their setup link.</summary>
    public async Task<AccountResult> AddUserAsync(
        string email, bool administrator, string? organisationAcronym, MemberRole? role, string actor, string baseAddress, CancellationToken cancellationToken = default)
    {
        email = email.Trim();
        if (!System.Net.Mail.MailAddress.TryCreate(email, out _))
            return AccountResult.Fail("Account_InvalidEmail");
        Organisation? organisation = null;
        if (organisationAcronym is not null)
        {
            organisation = await FindOrganisationAsync(organisationAcronym, cancellationToken);
            if (organisation is null)
                return AccountResult.Fail("Account_UnknownOrganisation");
            if (role is null)
                return AccountResult.Fail("Account_RoleRequired");
        }
        else if (!administrator)
            return AccountResult.Fail("Account_RoleRequired");

        var user = await users.FindByEmailAsync(email);
        var created = user is null;
        if (user is null)
        {
            user = new User { UserName = email, Email = email, EmailConfirmed = false, CreatedAtUtc = clock.GetUtcNow().UtcDateTime };
            var result = await users.CreateAsync(user);
            if (!result.Succeeded)
                return AccountResult.Fail($"Identity_{result.Errors.First().Code}");
            await audit.AppendAsync(actor, AuditActions.UserCreated, Target(user), "new account, no password until the setup link is used", cancellationToken);
        }
        if (administrator && !user.IsAdministrator)
        {
            user.IsAdministrator = true;
            await users.UpdateAsync(user);
            await users.UpdateSecurityStampAsync(user);
            await audit.AppendAsync(actor, AuditActions.AdministratorGranted, Target(user), "platform administrator", cancellationToken);
        }
        if (organisation is not null)
            await SetMembershipAsync(user, organisation, role!.Value, actor, cancellationToken);
        var link = created || !await users.HasPasswordAsync(user) ? await SetupLinkAsync(user, baseAddress) : null;
        return new AccountResult(true, Link: link, User: user);
    }

    /// <summary>A coordinator invites a person into their organisation: the link is shown to hand over, and dropped in the mail pickup folder.</summary>
    public async Task<AccountResult> InviteAsync(int organisationId, string email, MemberRole role, string actor, string baseAddress, CancellationToken cancellationToken = default)
    {
        var organisation = await db.Organisations.FindAsync([organisationId], cancellationToken);
        if (organisation is null)
            return AccountResult.Fail("Account_UnknownOrganisation");
        var result = await AddUserAsync(email, false, organisation.Acronym, role, actor, baseAddress, cancellationToken);
        if (!result.Succeeded)
            return result;
        await audit.AppendAsync(actor, AuditActions.MemberInvited, $"{Target(result.User!)} in {organisation.Acronym}", $"invited as {role}", cancellationToken);
        // The person's language is not known yet: the message says it in the three.
        var body = string.Join("\n\n", Languages.Select(language => In(language, () => result.Link is { } link
            ? texts["Mail_Invitation", texts[$"Role_{role}"], organisation.Acronym, link, options.Value.SetupLinkHours]
            : texts["Mail_NewRole", texts[$"Role_{role}"], organisation.Acronym])));
        await mail.SendAsync(result.User!.Email!, $"Kimberlite — {organisation.Acronym}", body, cancellationToken);
        return result;
    }

    public async Task SetMembershipAsync(User user, Organisation organisation, MemberRole role, string actor, CancellationToken cancellationToken = default)
    {
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.UserId == user.Id && m.OrganisationId == organisation.Id, cancellationToken);
        if (membership?.Role == role)
            return;
        if (membership is null)
        {
            db.Memberships.Add(new Membership { UserId = user.Id, OrganisationId = organisation.Id, Role = role, SinceUtc = clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(actor, AuditActions.MemberAdded, $"{Target(user)} in {organisation.Acronym}", $"role {role}", cancellationToken);
        }
        else
        {
            var before = membership.Role;
            membership.Role = role;
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(actor, AuditActions.MemberRoleChanged, $"{Target(user)} in {organisation.Acronym}", $"role {before} → {role}", cancellationToken);
        }
        // Signed-in sessions pick up the new role at their next check, within a minute.
        await users.UpdateSecurityStampAsync(user);
    }

    public async Task<bool> RemoveMembershipAsync(int organisationId, int userId, string actor, CancellationToken cancellationToken = default)
    {
        var membership = await db.Memberships.Include(m => m.User).Include(m => m.Organisation)
            .FirstOrDefaultAsync(m => m.UserId == userId && m.OrganisationId == organisationId, cancellationToken);
        if (membership is null)
            return false;
        db.Memberships.Remove(membership);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor, AuditActions.MemberRemoved, $"{Target(membership.User!)} in {membership.Organisation!.Acronym}", $"was {membership.Role}", cancellationToken);
        await users.UpdateSecurityStampAsync(membership.User!);
        return true;
    }

    public async Task<AccountResult> CreateTokenAsync(User user, string name, TokenScope scope, int days, string actor, CancellationToken cancellationToken = default)
    {
        if (days < 1 || days > options.Value.MaxTokenDays)
            return AccountResult.Fail("Token_BadExpiry");
        name = string.IsNullOrWhiteSpace(name) ? "token" : name.Trim()[..Math.Min(100, name.Trim().Length)];
        var secret = ApiTokens.New();
        var now = clock.GetUtcNow().UtcDateTime;
        var token = new ApiToken
        {
            UserId = user.Id, Name = name, Prefix = ApiTokens.PrefixOf(secret), Hash = ApiTokens.HashOf(secret), Scope = scope,
            CreatedAtUtc = now, ExpiresAtUtc = now.AddDays(days),
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor, AuditActions.TokenCreated, $"{Target(user)} token {token.Prefix}…", $"{name}, {scope.ToString().ToLowerInvariant()}, expires {token.ExpiresAtUtc:yyyy-MM-dd}", cancellationToken);
        return new AccountResult(true, User: user, Secret: secret);
    }

    public async Task<bool> RevokeTokenAsync(int userId, int tokenId, string actor, CancellationToken cancellationToken = default)
    {
        var token = await db.ApiTokens.Include(t => t.User).FirstOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId, cancellationToken);
        if (token is null || token.RevokedAtUtc is not null)
            return false;
        token.RevokedAtUtc = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor, AuditActions.TokenRevoked, $"{Target(token.User!)} token {token.Prefix}…", token.Name, cancellationToken);
        return true;
    }

    public Task<Organisation?> FindOrganisationAsync(string acronym, CancellationToken cancellationToken = default)
    {
        var upper = acronym.Trim().ToUpperInvariant();
        return db.Organisations.FirstOrDefaultAsync(o => o.Acronym.ToUpper() == upper, cancellationToken);
    }

    /// <summary>
    /// A forgotten password: a one-time link to choose a new one, issued by a coordinator for a member of their organisation
    /// (or from the command line), audited, shown to hand over and dropped in the mail pickup folder as an invitation is.
    /// </summary>
    public async Task<AccountResult> IssueResetLinkAsync(User user, string? organisationAcronym, string actor, string baseAddress, CancellationToken cancellationToken = default)
    {
        var link = await SetupLinkAsync(user, baseAddress);
        await audit.AppendAsync(actor, AuditActions.PasswordResetIssued, Target(user) + (organisationAcronym is null ? "" : $" in {organisationAcronym}"),
            $"one-time link, {options.Value.SetupLinkHours} h", cancellationToken);
        var body = string.Join("\n\n", Languages.Select(language => In(language, () => texts["Lo_MailReset", link, options.Value.SetupLinkHours].Value)));
        await mail.SendAsync(user.Email!, "Kimberlite — " + texts["Lo_MailResetSubject"], body, cancellationToken);
        return new AccountResult(true, Link: link, User: user);
    }

    /// <summary>A one-time link to choose a password: Identity's reset token, void once used or after the setting's hours.</summary>
    public async Task<string> SetupLinkAsync(User user, string baseAddress)
    {
        var code = await users.GeneratePasswordResetTokenAsync(user);
        return $"{baseAddress.TrimEnd('/')}/account/setup?user={user.Id}&code={Uri.EscapeDataString(code)}";
    }

    public static string Target(User user) => $"{user.Email} (#{user.Id})";

    /// <summary>The languages a mail is written in, one after the other (the reader's own is not known).</summary>
    internal static readonly string[] Languages = ["fr", "en", "pt"];

    internal static string In(string language, Func<string> text)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
        try
        {
            return text();
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
