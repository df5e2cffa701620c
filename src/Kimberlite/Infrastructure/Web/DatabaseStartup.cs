using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Infrastructure.Web;

/// <summary>Whether the database is ready for requests and, until it is, why not.</summary>
public sealed class DatabaseStatus
{
    private volatile DatabaseFault? _fault;
    private volatile bool _ready;

    public bool Ready => _ready;
    /// <summary>Why the last try failed; null before the first try ends, and once ready.</summary>
    public DatabaseFault? Fault => _fault;

    internal void Succeeded() => (_ready, _fault) = (true, null);
    internal void Failed(DatabaseFault fault) => _fault = fault;
}

/// <summary>
/// Brings the database up to date when the web app starts: a first try before the app listens, then, while it
/// cannot be reached, again in the background after 1, 2, 4… up to 60 seconds. Until it succeeds, every page and API
/// request but /health answers 503 (docs/decisions/027-faults-in-words.md): nothing runs on an unmigrated database.
/// </summary>
internal sealed class DatabaseStartup(IServiceProvider services, DatabaseStatus status, IConfiguration configuration, IHostEnvironment environment,
    IStringLocalizer<Texts> texts, TimeProvider clock, IServer server, IHostApplicationLifetime lifetime, ILogger<DatabaseStartup> logger) : IHostedService
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(60);
    // Never disposed: the host may stop its services twice (WebApplicationFactory does), and cancelling twice is harmless.
    private readonly CancellationTokenSource _stopping = new();
    private Task _retrying = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var where = services.DescribeDatabase(texts);
        lifetime.ApplicationStarted.Register(() =>
            Console.WriteLine($"Kimberlite: {where} · {string.Join(", ", server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])}"));
        if (!await TryAsync(cancellationToken))
            _retrying = RetryAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _retrying.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping while it waits to try again.
        }
    }


    private async Task RetryAsync(CancellationToken cancellationToken)
    {
        for (var delay = FirstDelay; ; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestDelay.Ticks)))
        {
            await Task.Delay(delay, clock, cancellationToken);
            if (await TryAsync(cancellationToken))
                return;
        }
    }

    private async Task<bool> TryAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);
            if (status.Fault is not null)
                logger.LogWarning("{Database}: reached, Kimberlite is ready", services.DescribeDatabase(texts));
            status.Succeeded();
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var known = DatabaseFault.Of(e, configuration, environment);
            var fault = known ?? new DatabaseFault("Fault_DatabaseFailed", e.Message);
            status.Failed(fault);
            // A fault of the environment is said in words; anything else is a bug, whose stack belongs in the log.
            if (known is null)
                logger.LogError(e, "{Cause}", fault.Describe(texts));
            else
                logger.LogError("{Cause}", fault.Describe(texts));
            return false;
        }
    }
}
