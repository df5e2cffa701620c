using System.ComponentModel.DataAnnotations;

namespace Kimberlite.Accounts;

/// <summary>Settings of the `Kimberlite:Accounts` section.</summary>
public sealed class AccountsOptions
{
    public const string Section = "Kimberlite:Accounts";

    /// <summary>Administrators and coordinators act as such only once they sign in with an authenticator app.</summary>
    public bool RequireTwoFactorForAdministratorsAndCoordinators { get; set; } = true;

    /// <summary>How long a setup or invitation link stays usable.</summary>
    [Range(1, 24 * 30)]
    public int SetupLinkHours { get; set; } = 72;

    /// <summary>The address people reach Kimberlite at, for the links the command line prints.</summary>
    [Required]
    public string PublicAddress { get; set; } = Infrastructure.Web.WebRegistration.DefaultUrl;

    /// <summary>Where messages to people are written as .eml files, for any mail server to pick up; relative to the data directory.</summary>
    [Required]
    public string MailPickupDirectory { get; set; } = "mail";

    /// <summary>The longest life a personal access token may be given.</summary>
    [Range(1, 3650)]
    public int MaxTokenDays { get; set; } = 365;

    /// <summary>Sign-in and setup attempts allowed per minute from one address.</summary>
    [Range(1, 100_000)]
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>
    /// The key that seals the audit trail, relative to the keys directory; the head of the chain is kept beside it
    /// (<c>audit.head</c>). Without this key no seal can be checked again.
    /// </summary>
    [Required]
    public string AuditKeyFile { get; set; } = "audit.key";

    [Range(3, 100)]
    public int LockoutAfterFailures { get; set; } = 5;

    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;
}
