using Microsoft.AspNetCore.Identity;

namespace Kimberlite.Accounts;

public enum SignInOutcome { SignedIn, NeedsCode, Refused }

/// <summary>
/// Sign-in by e-mail and password that answers an unknown account, a wrong password and a locked account alike, after
/// the same work: each of them verifies exactly one password hash. Only the audit trail says which it was.
/// </summary>
public sealed class PasswordSignIn(SignInManager<User> signIn, UserManager<User> users, IPasswordHasher<User> hasher, AuditLog audit)
{
    // A hash of a secret nobody holds, made once by the same hasher, so that checking against it costs what a real check costs.
    private static string? _decoy;

    public async Task<SignInOutcome> SignInAsync(string? email, string? password, CancellationToken cancellationToken)
    {
        var user = string.IsNullOrEmpty(email) ? null : await users.FindByEmailAsync(email);
        if (user is null || string.IsNullOrEmpty(password) || user.PasswordHash is null)
        {
            SpendOneCheck(password);
            await audit.AppendAsync(email is { Length: > 0 } ? email : "(no e-mail)", AuditActions.SignInFailed,
                user is null ? "(unknown account)" : AccountService.Target(user), user is null ? "no such account" : "no password given or set", cancellationToken);
            return SignInOutcome.Refused;
        }
        var target = AccountService.Target(user);
        // Identity answers a locked account without looking at the password: look at one all the same.
        if (await users.IsLockedOutAsync(user))
        {
            SpendOneCheck(password);
            await audit.AppendAsync(target, AuditActions.LockedOut, target, "sign-in while locked", cancellationToken);
            return SignInOutcome.Refused;
        }
        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            await audit.AppendAsync(target, AuditActions.SignIn, target, "password", cancellationToken);
            return SignInOutcome.SignedIn;
        }
        if (result.RequiresTwoFactor)
            return SignInOutcome.NeedsCode;
        await audit.AppendAsync(target, result.IsLockedOut ? AuditActions.LockedOut : AuditActions.SignInFailed, target,
            result.IsLockedOut ? "too many failed sign-ins" : "wrong password", cancellationToken);
        return SignInOutcome.Refused;
    }

    private void SpendOneCheck(string? password)
    {
        var decoy = _decoy ??= hasher.HashPassword(new User(), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        hasher.VerifyHashedPassword(new User(), decoy, password ?? "");
    }
}
