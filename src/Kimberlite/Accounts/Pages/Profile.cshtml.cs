using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kimberlite.Accounts.Pages;

/// <summary>A person's own page: their organisations and roles, two-factor sign-in, and their API tokens.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class ProfileModel(KimberliteDb db, UserManager<User> users, AccountService accounts, IOptions<AccountsOptions> options) : PageModel
{
    public User Account { get; private set; } = null!;
    public IReadOnlyList<Membership> Memberships { get; private set; } = [];
    public IReadOnlyList<ApiToken> Tokens { get; private set; } = [];
    public string? NewSecret { get; private set; }
    public string? Error { get; private set; }
    public int MaxDays => options.Value.MaxTokenDays;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : Challenge();

    public async Task<IActionResult> OnPostCreateAsync(string? name, TokenScope scope, int days, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return Challenge();
        if (!Enum.IsDefined(scope))
            scope = TokenScope.Read;
        var result = await accounts.CreateTokenAsync(Account, name ?? "", scope, days, User.Actor(), cancellationToken);
        if (result.Succeeded)
            NewSecret = result.Secret;
        else
            Error = result.Error;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return Challenge();
        await accounts.RevokeTokenAsync(Account.Id, id, User.Actor(), cancellationToken);
        return RedirectToPage();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await users.GetUserAsync(User) is not { } account)
            return false;
        Account = account;
        Memberships = await db.Memberships.AsNoTracking().Include(m => m.Organisation).Where(m => m.UserId == account.Id)
            .OrderBy(m => m.Organisation!.Acronym).ToListAsync(cancellationToken);
        Tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == account.Id).OrderByDescending(t => t.CreatedAtUtc).ToListAsync(cancellationToken);
        return true;
    }
}
