using System.Security.Claims;
using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kimberlite.Accounts;

/// <summary>
/// Puts a person's memberships and platform role on their principal. Administrator and coordinator
/// rights are withheld until the person signs in with an authenticator app, when the setting asks for it.
/// </summary>
public sealed class KimberlitePrincipalFactory(
    UserManager<User> users, IOptions<IdentityOptions> identity, KimberliteDb db, IOptions<AccountsOptions> accounts)
    : UserClaimsPrincipalFactory<User>(users, identity)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(User user)
    {
        var claims = await base.GenerateClaimsAsync(user);
        var memberships = await db.Memberships.AsNoTracking().Where(m => m.UserId == user.Id)
            .Select(m => new { m.OrganisationId, m.Role }).ToListAsync();
        var elevatedAllowed = !accounts.Value.RequireTwoFactorForAdministratorsAndCoordinators || user.TwoFactorEnabled;
        var pending = false;
        foreach (var m in memberships)
        {
            var role = m.Role;
            if (role == MemberRole.Coordinator && !elevatedAllowed)
            {
                role = MemberRole.Analyst;
                pending = true;
            }
            claims.AddClaim(new Claim(KimberliteClaims.Member, $"{m.OrganisationId}:{role}"));
        }
        if (user.IsAdministrator)
        {
            if (elevatedAllowed)
                claims.AddClaim(new Claim(KimberliteClaims.Administrator, "true"));
            else
                pending = true;
        }
        if (pending)
            claims.AddClaim(new Claim(KimberliteClaims.TwoFactorPending, "true"));
        return claims;
    }
}
