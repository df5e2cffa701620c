using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kimberlite.Accounts.Pages;

[AllowAnonymous]
public sealed class SignInModel(SignInManager<User> signIn, UserManager<User> users, AuditLog audit) : PageModel
{
    public string? Error { get; private set; }
    public string? Email { get; private set; }
    public string ReturnUrl { get; private set; } = "/account";

    public void OnGet(string? returnUrl) => ReturnUrl = Local(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? email, string? password, string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = Local(returnUrl);
        Email = email?.Trim();
        var user = string.IsNullOrEmpty(Email) ? null : await users.FindByEmailAsync(Email);
        if (user is null || string.IsNullOrEmpty(password))
        {
            await audit.AppendAsync(Email is { Length: > 0 } ? Email : "(no e-mail)", AuditActions.SignInFailed, "(unknown account)", "no such account", cancellationToken);
            Error = "SignIn_Failed";
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        var target = AccountService.Target(user);
        if (result.Succeeded)
        {
            await audit.AppendAsync(target, AuditActions.SignIn, target, "password", cancellationToken);
            return LocalRedirect(ReturnUrl);
        }
        if (result.RequiresTwoFactor)
            return RedirectToPage("SignInCode", new { returnUrl = ReturnUrl });
        if (result.IsLockedOut)
        {
            await audit.AppendAsync(target, AuditActions.LockedOut, target, "too many failed sign-ins", cancellationToken);
            Error = "SignIn_LockedOut";
            return Page();
        }
        await audit.AppendAsync(target, AuditActions.SignInFailed, target, "wrong password", cancellationToken);
        // The same words whether the account exists or not: the page tells a guesser nothing.
        Error = "SignIn_Failed";
        return Page();
    }

    private string Local(string? url) => url is { Length: > 0 } && Url.IsLocalUrl(url) ? url : "/account";
}
