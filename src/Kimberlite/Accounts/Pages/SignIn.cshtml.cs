using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kimberlite.Accounts.Pages;

[AllowAnonymous]
public sealed class SignInModel(PasswordSignIn signIn) : PageModel
{
    public string? Error { get; private set; }
    public string? Email { get; private set; }
    public string ReturnUrl { get; private set; } = "/account";

    public void OnGet(string? returnUrl) => ReturnUrl = Local(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? email, string? password, string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = Local(returnUrl);
        Email = email?.Trim();
        switch (await signIn.SignInAsync(Email, password, cancellationToken))
        {
            case SignInOutcome.SignedIn:
                return LocalRedirect(ReturnUrl);
            case SignInOutcome.NeedsCode:
                return RedirectToPage("SignInCode", new { returnUrl = ReturnUrl });
            default:
                // The same words for an unknown account, a wrong password and a locked account: the page tells a guesser nothing.
                Error = "Guard_SignInRefused";
                return Page();
        }
    }

    private string Local(string? url) => url is { Length: > 0 } && Url.IsLocalUrl(url) ? url : "/account";
}
