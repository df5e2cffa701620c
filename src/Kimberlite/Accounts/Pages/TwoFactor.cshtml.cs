using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QRCoder;

namespace Kimberlite.Accounts.Pages;

/// <summary>Turns on sign-in with an authenticator app (TOTP): the key as text and as a QR code drawn here, no third party.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class TwoFactorModel(UserManager<User> users, SignInManager<User> signIn, AuditLog audit) : PageModel
{
    public bool Enabled { get; private set; }
    public string Key { get; private set; } = "";
    public string QrSvg { get; private set; } = "";
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() is null ? Challenge() : Page();

    public async Task<IActionResult> OnPostEnableAsync(string? code, CancellationToken cancellationToken)
    {
        if (await LoadAsync() is not { } user)
            return Challenge();
        var valid = await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, (code ?? "").Replace(" ", "", StringComparison.Ordinal));
        if (!valid)
        {
            Error = "TwoFactor_WrongCode";
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        await audit.AppendAsync(User.Actor(), AuditActions.TwoFactorEnabled, AccountService.Target(user), "authenticator app", cancellationToken);
        // The new principal carries the rights that waited for two-factor sign-in.
        await signIn.RefreshSignInAsync(user);
        return Redirect("/account");
    }

    public async Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync() is not { } user)
            return Challenge();
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await audit.AppendAsync(User.Actor(), AuditActions.TwoFactorDisabled, AccountService.Target(user), "", cancellationToken);
        await signIn.RefreshSignInAsync(user);
        return Redirect("/account");
    }

    private async Task<User?> LoadAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
            return null;
        Enabled = user.TwoFactorEnabled;
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user) ?? "";
        }
        Key = string.Join(' ', key.Chunk(4).Select(c => new string(c)));
        var uri = $"otpauth://totp/Kimberlite:{Uri.EscapeDataString(user.Email ?? "")}?secret={key}&issuer=Kimberlite&digits=6";
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        QrSvg = new SvgQRCode(data).GetGraphic(4);
        return user;
    }
}
