using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kimberlite.Accounts.Pages;

/// <summary>The second step of sign-in, for people who turned on an authenticator app.</summary>
[AllowAnonymous]
public sealed class SignInCodeModel(SignInManager<User> signIn, AuditLog audit) : PageModel
{
    public string? Error { get; private set; }
    public string ReturnUrl { get; private set; } = "/account";

    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        ReturnUrl = Url.IsLocalUrl(returnUrl) ? returnUrl! : "/account";
        return await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("SignIn") : Page();
    }

    public async Task<IActionResult> OnPostAsync(string? code, string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = Url.IsLocalUrl(returnUrl) ? returnUrl! : "/account";
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } user)
            return RedirectToPage("SignIn");
        var target = AccountService.Target(user);
        var result = await signIn.TwoFactorAuthenticatorSignInAsync((code ?? "").Replace(" ", "", StringComparison.Ordinal), isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            await audit.AppendAsync(target, AuditActions.SignIn, target, "password and authenticator code", cancellationToken);
            return LocalRedirect(ReturnUrl);
        }
        await audit.AppendAsync(target, result.IsLockedOut ? AuditActions.LockedOut : AuditActions.SignInFailed, target, "wrong authenticator code", cancellationToken);
        Error = result.IsLockedOut ? "SignIn_LockedOut" : "SignInCode_Failed";
        return Page();
    }
}
