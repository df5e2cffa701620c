using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kimberlite.Accounts.Pages;

/// <summary>Where a one-time setup or invitation link leads: the person chooses their password, and the link is spent.</summary>
[AllowAnonymous]
public sealed class SetupModel(UserManager<User> users, SignInManager<User> signIn, AuditLog audit, IOptions<AccountsOptions> options,
    IStringLocalizer<Infrastructure.Localization.Texts> texts) : PageModel
{
    public bool Invalid { get; private set; }
    public int UserId { get; private set; }
    public string Code { get; private set; } = "";
    public string? Email { get; private set; }
    public List<string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(int user, string? code)
    {
        await LoadAsync(user, code);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int user, string? code, string? password, string? confirm, CancellationToken cancellationToken)
    {
        if (await LoadAsync(user, code) is not { } account)
            return Page();
        if (password != confirm)
        {
            Errors.Add(texts["Setup_Mismatch"]);
            return Page();
        }
        var result = await users.ResetPasswordAsync(account, Code, password ?? "");
        if (!result.Succeeded)
        {
            Errors.AddRange(result.Errors.Select(e => texts[$"Identity_{e.Code}"].ResourceNotFound ? e.Description : texts[$"Identity_{e.Code}"].Value));
            Invalid = result.Errors.Any(e => e.Code == "InvalidToken");
            return Page();
        }
        account.EmailConfirmed = true;
        await users.UpdateAsync(account);
        var target = AccountService.Target(account);
        await audit.AppendAsync(target, AuditActions.PasswordSet, target, "setup link used", cancellationToken);
        await signIn.SignInAsync(account, isPersistent: false);
        await audit.AppendAsync(target, AuditActions.SignIn, target, "after setup", cancellationToken);
        var needsTwoFactor = options.Value.RequireTwoFactorForAdministratorsAndCoordinators && !account.TwoFactorEnabled
            && (account.IsAdministrator || await users.Users.AnyAsync(u => u.Id == account.Id && u.Memberships.Any(m => m.Role == MemberRole.Coordinator), cancellationToken));
        return Redirect(needsTwoFactor ? "/account/two-factor" : "/account");
    }

    private async Task<User?> LoadAsync(int user, string? code)
    {
        UserId = user;
        Code = code ?? "";
        var account = user > 0 ? await users.FindByIdAsync(user.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;
        if (account is null || Code.Length == 0
            || !await users.VerifyUserTokenAsync(account, users.Options.Tokens.PasswordResetTokenProvider, UserManager<User>.ResetPasswordTokenPurpose, Code))
        {
            Invalid = true;
            return null;
        }
        Email = account.Email;
        return account;
    }
}
