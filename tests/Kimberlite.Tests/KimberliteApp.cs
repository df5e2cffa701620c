using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Kimberlite.Tests;

/// <summary>
/// Which database the suite runs on: SQLite by default, PostgreSQL when KIMBERLITE_TEST_PROVIDER=postgres
/// (with KIMBERLITE_TEST_POSTGRES giving the server). ./test.sh runs the whole suite once on each.
/// </summary>
public static class TestDatabase
{
    public static bool IsPostgres =>
        string.Equals(Environment.GetEnvironmentVariable("KIMBERLITE_TEST_PROVIDER"), "postgres", StringComparison.OrdinalIgnoreCase);

    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("KIMBERLITE_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=55432;Username=postgres";

    /// <summary>Settings for a new, empty database of the provider under test, and how to remove it afterwards.</summary>
    public static (Dictionary<string, string> Settings, Func<Task> Drop) Create()
    {
        var folder = Path.Combine(Path.GetTempPath(), "kimberlite-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        // Tests sign in hundreds of times from one address; the limit itself is the default elsewhere.
        var settings = new Dictionary<string, string> { ["Kimberlite:DataDirectory"] = folder, ["Kimberlite:Accounts:SignInAttemptsPerMinute"] = "100000" };
        if (!IsPostgres)
            return (settings, () => { TryDelete(folder); return Task.CompletedTask; });

        var name = $"kimberlite_test_{Guid.NewGuid():N}";
        settings["Kimberlite:Database:Provider"] = "Postgres";
        settings["Kimberlite:Database:ConnectionString"] = $"{PostgresServer};Database={name}";
        return (settings, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection($"{PostgresServer};Database=postgres");
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            TryDelete(folder);
        });
    }

    /// <summary>Removes the data folder and the keys folder beside it.</summary>
    private static void TryDelete(string folder)
    {
        foreach (var path in new[] { folder, folder + ".keys" })
            try { if (Directory.Exists(path)) Directory.Delete(path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The real application on a database of its own, started as a user starts it.</summary>
public class KimberliteApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string> _settings;
    private readonly Func<Task> _drop;

    public KimberliteApp() : this(loadBundledData: true) { }

    public KimberliteApp(bool loadBundledData, params (string Key, string Value)[] settings)
    {
        (_settings, _drop) = TestDatabase.Create();
        _settings["Kimberlite:LoadBundledData"] = loadBundledData ? "true" : "false";
        foreach (var (key, value) in settings)
            _settings[key] = value;
    }

    /// <summary>The app over a database a test already made (through the command line, say), left for that test to remove.</summary>
    public KimberliteApp(Dictionary<string, string> existing)
    {
        _settings = new Dictionary<string, string>(existing) { ["Kimberlite:LoadBundledData"] = "false" };
        _drop = () => Task.CompletedTask;
    }

    /// <summary>The settings the app starts with, for a second server of the same database.</summary>
    public IReadOnlyDictionary<string, string> Settings => _settings;

    /// <summary>Where the app keeps its local files, and its keys beside them.</summary>
    public string DataDirectory => _settings["Kimberlite:DataDirectory"];

    /// <summary>Every message the app logged, formatted as a log would hold it, to look for what must never be there.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Logged { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(new CollectingLoggerProvider(Logged)));
    }

    private sealed class CollectingLoggerProvider(System.Collections.Concurrent.ConcurrentQueue<string> logged) : Microsoft.Extensions.Logging.ILoggerProvider
    {
        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Collector(categoryName, logged);
        public void Dispose() { }

        private sealed class Collector(string category, System.Collections.Concurrent.ConcurrentQueue<string> logged) : Microsoft.Extensions.Logging.ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;
            public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logged.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }

    public async Task<T> WithDb<T>(Func<KimberliteDb, Task<T>> use)
    {
        await using var scope = Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<KimberliteDb>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _drop();
        GC.SuppressFinalize(this);
    }
}

/// <summary>An app with no data at all, for tests that import into an empty observatory.</summary>
public sealed class EmptyKimberliteApp() : KimberliteApp(loadBundledData: false);

/// <summary>Tests that each start one empty observatory of their own, started before any test sends work at it.</summary>
public abstract class EmptyAppTest : IAsyncLifetime
{
    protected EmptyKimberliteApp App { get; } = new();
    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _ = App.Services;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return App.DisposeAsync();
    }
}
