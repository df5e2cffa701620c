using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kimberlite.Accounts.Pages;

[Authorize(Policy = Policies.SignedIn)]
public sealed class SignOutModel(SignInManager<User> signIn, AuditLog audit) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await audit.AppendAsync(User.Actor(), AuditActions.SignOut, User.Actor(), "", cancellationToken);
        await signIn.SignOutAsync();
        return Redirect("/");
    }
}
