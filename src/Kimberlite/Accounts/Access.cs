using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Kimberlite.Accounts;

/// <summary>The claims Kimberlite puts on a signed-in person (cookie or token).</summary>
public static class KimberliteClaims
{
    public const string Administrator = "kimberlite:admin";
    /// <summary>One per membership: "organisationId:Role".</summary>
    public const string Member = "kimberlite:member";
    /// <summary>On a token's principal only: read or write.</summary>
    public const string Scope = "kimberlite:scope";
    /// <summary>Set when administrator or coordinator rights wait for two-factor sign-in to be turned on.</summary>
    public const string TwoFactorPending = "kimberlite:2fa-pending";
}

/// <summary>The policy names of docs/ACCESS.md; every endpoint and page declares one of them or AllowAnonymous.</summary>
public static class Policies
{
    public const string Viewer = "Viewer", Monitor = "Monitor", Analyst = "Analyst", Coordinator = "Coordinator", Administrator = "Administrator";
    /// <summary>Any signed-in person, whatever their roles (their own profile and tokens).</summary>
    public const string SignedIn = "SignedIn";

    public static readonly string[] All = [SignedIn, Viewer, Monitor, Analyst, Coordinator, Administrator];
}

public static class PrincipalExtensions
{
    public static int? UserId(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static bool IsAdministrator(this ClaimsPrincipal user) => user.HasClaim(KimberliteClaims.Administrator, "true");

    /// <summary>Each organisation the person belongs to, with their role in it.</summary>
    public static IEnumerable<(int Organisation, MemberRole Role)> Memberships(this ClaimsPrincipal user) =>
        user.FindAll(KimberliteClaims.Member)
            .Select(c => c.Value.Split(':'))
            .Where(p => p.Length == 2 && int.TryParse(p[0], CultureInfo.InvariantCulture, out _) && Enum.TryParse<MemberRole>(p[1], out _))
            .Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), Enum.Parse<MemberRole>(p[1])));

    public static MemberRole? RoleIn(this ClaimsPrincipal user, int organisationId) =>
        user.Memberships().Where(m => m.Organisation == organisationId).Select(m => (MemberRole?)m.Role).FirstOrDefault();

    public static bool HasRole(this ClaimsPrincipal user, MemberRole atLeast) => user.Memberships().Any(m => m.Role >= atLeast);

    public static bool HasRoleIn(this ClaimsPrincipal user, int organisationId, MemberRole atLeast) => user.RoleIn(organisationId) >= atLeast;

    /// <summary>The organisations where the person holds at least this role.</summary>
    public static IReadOnlyList<int> OrganisationsWith(this ClaimsPrincipal user, MemberRole atLeast) =>
        user.Memberships().Where(m => m.Role >= atLeast).Select(m => m.Organisation).ToList();

    /// <summary>How the audit trail names the person: their e-mail and number, never a secret.</summary>
    public static string Actor(this ClaimsPrincipal user) =>
        user.UserId() is { } id ? $"{user.Identity?.Name} (#{id})" : "anonymous";
}

/// <summary>A role held in at least one organisation; an administrator's platform role is its own requirement.</summary>
public sealed class AccessRequirement(MemberRole? role, bool administrator) : IAuthorizationRequirement
{
    public MemberRole? Role { get; } = role;
    public bool Administrator { get; } = administrator;
}

/// <summary>
/// Grants a request when the person holds the role; a token with the read scope never changes
/// anything, whatever its owner's role.
/// </summary>
public sealed class AccessHandler(IHttpContextAccessor http) : AuthorizationHandler<AccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AccessRequirement requirement)
    {
        var user = context.User;
        if (user.UserId() is null)
            return Task.CompletedTask;
        var method = http.HttpContext?.Request.Method;
        if (user.FindFirstValue(KimberliteClaims.Scope) == nameof(TokenScope.Read).ToLowerInvariant()
            && method is not null && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
            return Task.CompletedTask;
        var granted = requirement.Administrator ? user.IsAdministrator()
            : requirement.Role is not { } role || user.HasRole(role);
        if (granted)
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
