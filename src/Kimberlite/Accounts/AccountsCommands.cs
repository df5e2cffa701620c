using System.CommandLine;
using System.Globalization;
using Kimberlite.Infrastructure.Commands;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kimberlite.Accounts;

/// <summary>
/// `kimberlite users add`, `kimberlite tokens create`, `kimberlite audit verify`: the first administrator,
/// API tokens for scripts, and the audit trail's check. What they change is audited by AccountService,
/// under the command line's name.
/// </summary>
public static class AccountsCommands
{
    public static IEnumerable<Command> Create(CommandContext context)
    {
        var users = context.Command("users", "Cli_Help_Users");
        users.Add(UsersAdd(context));
        users.Add(UsersReset(context));
        yield return users;

        var tokens = context.Command("tokens", "Cli_Help_Tokens");
        tokens.Add(TokensCreate(context));
        yield return tokens;

        var audit = context.Command("audit", "Cli_Help_Audit");
        var verify = context.Command("verify", "Cli_Help_AuditVerify");
        var expect = context.Option<string>("--expect", "Chain_Help_Expect", "SEQ:MAC");
        verify.Add(expect);
        verify.SetAction((line, cancellationToken) => VerifyAuditAsync(context, line.GetValue(expect), cancellationToken));
        audit.Add(verify);
        yield return audit;
    }

    private static Command UsersAdd(CommandContext context)
    {
        var email = context.Argument("email", "Cli_Arg_Email", "Cli_Help_Email");
        var role = context.Option<string>("--role", "Cli_Help_Role", "admin|coordinator|analyst|monitor|viewer", required: true);
        var organisation = context.Option<string>("--org", "Cli_Help_Org", context.Texts["Cli_Arg_Acronym"]);
        var add = context.Command("add", "Cli_Help_UsersAdd");
        add.Add(email);
        add.Add(role);
        add.Add(organisation);
        add.SetAction((line, cancellationToken) =>
            AddUserAsync(context, line.GetRequiredValue(email), line.GetValue(role), line.GetValue(organisation), cancellationToken));
        return add;
    }

    private static Command UsersReset(CommandContext context)
    {
        var email = context.Argument("email", "Cli_Arg_Email", "Cli_Help_Email");
        var reset = context.Command("reset", "Lo_CliHelpReset");
        reset.Add(email);
        reset.SetAction((line, cancellationToken) => ResetAsync(context, line.GetRequiredValue(email), cancellationToken));
        return reset;
    }

    /// <summary>A forgotten password where no coordinator can help (the first administrator): the same audited one-time link.</summary>
    private static async Task<int> ResetAsync(CommandContext context, string email, CancellationToken cancellationToken)
    {
        await using var scope = await context.OpenDatabaseAsync(cancellationToken);
        var options = scope.ServiceProvider.GetRequiredService<IOptions<AccountsOptions>>().Value;
        if (await scope.ServiceProvider.GetRequiredService<UserManager<User>>().FindByEmailAsync(email.Trim()) is not { } user)
        {
            context.Errors.WriteLine(context.Texts["Lo_CliNoSuchUser", email]);
            return 1;
        }
        var result = await scope.ServiceProvider.GetRequiredService<AccountService>()
            .IssueResetLinkAsync(user, null, CommandContext.Actor, options.PublicAddress, cancellationToken);
        context.Output.WriteLine(context.Texts["Cli_SetupLink", options.SetupLinkHours]);
        context.Output.WriteLine(result.Link);
        return 0;
    }

    private static Command TokensCreate(CommandContext context)
    {
        var user = context.Option<string>("--user", "Cli_Help_TokenUser", context.Texts["Cli_Arg_Email"], required: true);
        var scope = context.Option<string>("--scope", "Cli_Help_TokenScope", "read|write");
        var expires = context.Option<string>("--expires", "Cli_Help_TokenExpires", "30d");
        var name = context.Option<string>("--name", "Cli_Help_TokenName", context.Texts["Cli_Arg_Name"]);
        var create = context.Command("create", "Cli_Help_TokensCreate");
        create.Add(user);
        create.Add(scope);
        create.Add(expires);
        create.Add(name);
        create.SetAction((line, cancellationToken) =>
            CreateTokenAsync(context, line.GetRequiredValue(user), line.GetValue(scope) ?? "read", line.GetValue(expires) ?? "30d", line.GetValue(name), cancellationToken));
        return create;
    }

    private static async Task<int> AddUserAsync(CommandContext context, string email, string? roleText, string? organisation, CancellationToken cancellationToken)
    {
        var texts = context.Texts;
        var administrator = string.Equals(roleText, "admin", StringComparison.OrdinalIgnoreCase) || string.Equals(roleText, "administrator", StringComparison.OrdinalIgnoreCase);
        MemberRole? role = null;
        if (!administrator)
        {
            if (organisation is null || !Enum.TryParse<MemberRole>(roleText, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                context.Errors.WriteLine(texts["Cli_UsersUsage"]);
                return 2;
            }
            role = parsed;
        }
        await using var scope = await context.OpenDatabaseAsync(cancellationToken);
        var address = scope.ServiceProvider.GetRequiredService<IOptions<AccountsOptions>>().Value;
        var result = await scope.ServiceProvider.GetRequiredService<AccountService>()
            .AddUserAsync(email, administrator, administrator ? null : organisation, role, CommandContext.Actor, address.PublicAddress, cancellationToken);
        if (!result.Succeeded)
        {
            context.Errors.WriteLine(texts[result.Error!]);
            return 1;
        }
        context.Output.WriteLine(administrator ? texts["Cli_UserAddedAdmin", email] : texts["Cli_UserAdded", email, texts[$"Role_{role}"], organisation!.ToUpperInvariant()]);
        if (result.Link is { } link)
        {
            context.Output.WriteLine(texts["Cli_SetupLink", address.SetupLinkHours]);
            context.Output.WriteLine(link);
        }
        else
            context.Output.WriteLine(texts["Cli_HasPassword"]);
        return 0;
    }

    private static async Task<int> CreateTokenAsync(CommandContext context, string email, string scopeText, string expiresText, string? name, CancellationToken cancellationToken)
    {
        var texts = context.Texts;
        if (!Enum.TryParse<TokenScope>(scopeText, ignoreCase: true, out var tokenScope) || !Enum.IsDefined(tokenScope)
            || !int.TryParse(expiresText.TrimEnd('d', 'D'), NumberStyles.None, CultureInfo.InvariantCulture, out var days))
        {
            context.Errors.WriteLine(texts["Cli_TokensUsage"]);
            return 2;
        }
        await using var scope = await context.OpenDatabaseAsync(cancellationToken);
        if (await scope.ServiceProvider.GetRequiredService<UserManager<User>>().FindByEmailAsync(email) is not { } user)
        {
            context.Errors.WriteLine(texts["Cli_NoSuchUser", email]);
            return 1;
        }
        var result = await scope.ServiceProvider.GetRequiredService<AccountService>()
            .CreateTokenAsync(user, name ?? "command line", tokenScope, days, CommandContext.Actor, cancellationToken);
        if (!result.Succeeded)
        {
            context.Errors.WriteLine(texts[result.Error!, scope.ServiceProvider.GetRequiredService<IOptions<AccountsOptions>>().Value.MaxTokenDays]);
            return 1;
        }
        // The token alone on standard output, for scripts; what it is goes to standard error.
        context.Errors.WriteLine(texts["Cli_TokenCreated", email, texts[$"Scope_{tokenScope}"], days]);
        context.Output.WriteLine(result.Secret);
        return 0;
    }

    private static async Task<int> VerifyAuditAsync(CommandContext context, string? expectText, CancellationToken cancellationToken)
    {
        AuditHead? expected = null;
        if (expectText is not null && !AuditHead.TryParse(expectText, out expected))
        {
            context.Errors.WriteLine(context.Texts["Chain_ExpectUsage"]);
            return 2;
        }
        await (await context.OpenDatabaseAsync(cancellationToken)).DisposeAsync();
        var verification = await context.Services.GetRequiredService<AuditLog>().VerifyAsync(expected, cancellationToken);
        if (verification.Break is { } problem)
        {
            context.Errors.WriteLine(Describe(context.Texts, problem));
            context.Errors.WriteLine(context.Texts["Chain_VerifiedUpTo", verification.Entries, verification.Head]);
            return 1;
        }
        context.Output.WriteLine(context.Texts["Cli_AuditIntact", verification.Entries]);
        context.Output.WriteLine(context.Texts["Chain_Head", verification.Head]);
        return 0;
    }

    /// <summary>The sentence that names what was done to the chain, and where.</summary>
    public static string Describe(Microsoft.Extensions.Localization.IStringLocalizer texts, AuditBreak problem) =>
        texts[$"Chain_{problem.Kind}", problem.Sequence, problem.Other, problem.Other - 1];
}
