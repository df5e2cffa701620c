using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
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
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
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
