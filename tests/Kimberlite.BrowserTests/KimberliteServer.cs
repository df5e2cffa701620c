using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kimberlite.BrowserTests;

/// <summary>
/// The real application on a real loopback port (the browser cannot reach an in-memory TestServer),
/// with its own SQLite database in a temporary folder, loaded with the bundled data on start.
/// </summary>
public sealed class KimberliteServer : WebApplicationFactory<Program>
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("kimberlite-browser-").FullName;

    public KimberliteServer()
    {
        UseKestrel(0);
        StartServer();
    }

    /// <summary>Where the browser finds the app, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address => ClientOptions.BaseAddress;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Kimberlite:DataDirectory", _dataDirectory);
        builder.UseSetting("Kimberlite:Database:Provider", "Sqlite");
        builder.UseSetting("Kimberlite:LoadBundledData", "true");
        builder.UseSetting("Kimberlite:Accounts:SignInAttemptsPerMinute", "1000");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    public const string Password = "une phrase assez longue";

    /// <summary>A member of RELUFA with the given role, made through the real account services; signs in with <see cref="Password"/>.</summary>
    public async Task<string> CreateMemberAsync(Kimberlite.Accounts.MemberRole? role, bool administrator = false)
    {
        var email = $"{(administrator ? "admin" : role.ToString()!.ToLowerInvariant())}-{Guid.NewGuid():N}@example.org";
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Kimberlite.Accounts.User>>();
        var accounts = scope.ServiceProvider.GetRequiredService<Kimberlite.Accounts.AccountService>();
        var user = new Kimberlite.Accounts.User { UserName = email, Email = email, EmailConfirmed = true, IsAdministrator = administrator };
        var created = await users.CreateAsync(user, Password);
        if (!created.Succeeded)
            throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        if (role is { } r)
            await accounts.SetMembershipAsync(user, (await accounts.FindOrganisationAsync("RELUFA"))!, r, "browser test");
        return email;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        // SQLite pools its connections: release the file before deleting the folder.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDirectory, recursive: true); }
        catch (IOException) { }
    }
}
