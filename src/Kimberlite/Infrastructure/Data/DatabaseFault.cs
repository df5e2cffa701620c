using System.Net.Sockets;
using Kimberlite.Infrastructure.Localization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Localization;
using Npgsql;

namespace Kimberlite.Infrastructure.Data;

/// <summary>
/// Why the database cannot be used, in words an operator can act on: the setting to change, the host and port or the
/// file that was tried, and what to check. Never the password, never a stack (docs/decisions/027-faults-in-words.md).
/// </summary>
public sealed record DatabaseFault(string TextKey, params object[] Arguments)
{
    public const string ProviderSetting = "Kimberlite:Database:Provider";
    public const string ConnectionStringSetting = "Kimberlite:Database:ConnectionString";
    public const string DataDirectorySetting = "Kimberlite:DataDirectory";

    /// <summary>One paragraph, in the reader's language.</summary>
    public string Describe(IStringLocalizer texts) => texts[TextKey, Arguments];

    /// <summary>What is wrong with the settings themselves, found before anything connects; null when they can be used.</summary>
    public static DatabaseFault? OfSettings(IConfiguration configuration, IHostEnvironment environment)
    {
        var provider = configuration[ProviderSetting];
        if (!string.IsNullOrWhiteSpace(provider) && !(Enum.TryParse<DatabaseProvider>(provider, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)))
            return new("Fault_DatabaseProvider", provider);
        var connectionString = configuration[ConnectionStringSetting];
        if (IsPostgres(configuration))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
                return new("Fault_DatabaseNoConnectionString");
            try
            {
                _ = new NpgsqlConnectionStringBuilder(connectionString);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                // The parser's message names a keyword or a position, never a value: no password can leak through it.
                return new("Fault_DatabaseMalformed", e.Message.TrimEnd('.'));
            }
            return null;
        }
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            try
            {
                _ = new SqliteConnectionStringBuilder(connectionString);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                return new("Fault_DatabaseMalformed", e.Message.TrimEnd('.'));
            }
        }
        return null;
    }

    /// <summary>The fault an exception stands for, or null when it is not about reaching or opening the database.</summary>
    public static DatabaseFault? Of(Exception exception, IConfiguration configuration, IHostEnvironment environment)
    {
        if (OfSettings(configuration, environment) is { } settings)
            return settings;
        foreach (var e in Chain(exception))
        {
            switch (e)
            {
                case DatabaseFaultException known:
                    return known.Fault;
                // Authentication (28xxx), a database that does not exist (3D000) and a missing right (42501) are the server saying no.
                case PostgresException p when p.SqlState.StartsWith("28", StringComparison.Ordinal) || p.SqlState is PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.InsufficientPrivilege:
                    return new("Fault_DatabaseRefused", PostgresAddress(configuration), new NpgsqlConnectionStringBuilder(configuration[ConnectionStringSetting]).Username ?? "", p.MessageText);
                case PostgresException p when p.SqlState is PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections:
                    return new("Fault_DatabaseUnreachable", PostgresAddress(configuration));
                case NpgsqlException n when n is not PostgresException && (n.IsTransient || n.InnerException is SocketException or TimeoutException or IOException):
                case SocketException:
                    return new("Fault_DatabaseUnreachable", PostgresAddress(configuration));
                // Cannot open (14), read-only (8), not a database (26).
                case SqliteException s when s.SqliteErrorCode is 14 or 8 or 26:
                    return new("Fault_DatabaseSqliteFile", SqliteFile(configuration, environment), s.Message.TrimEnd('.'));
            }
        }
        return null;
    }

    /// <summary>Where PostgreSQL was looked for, as host:port (the port PostgreSQL uses when none is given).</summary>
    private static string PostgresAddress(IConfiguration configuration)
    {
        var settings = new NpgsqlConnectionStringBuilder(configuration[ConnectionStringSetting]);
        return $"{settings.Host ?? "localhost"}:{settings.Port}";
    }

    private static string SqliteFile(IConfiguration configuration, IHostEnvironment environment) =>
        configuration[ConnectionStringSetting] is { Length: > 0 } connectionString
            ? new SqliteConnectionStringBuilder(connectionString).DataSource
            : Path.Combine(DataDirectory(configuration, environment), "kimberlite.db");

    private static string DataDirectory(IConfiguration configuration, IHostEnvironment environment) =>
        Path.GetFullPath(Path.Combine(environment.ContentRootPath, configuration[DataDirectorySetting] is { Length: > 0 } folder ? folder : "App_Data"));

    private static bool IsPostgres(IConfiguration configuration) =>
        string.Equals(configuration[ProviderSetting], nameof(DatabaseProvider.Postgres), StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var e))
        {
            yield return e;
            if (e is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions)
                    pending.Push(inner);
            else if (e.InnerException is { } inner)
                pending.Push(inner);
        }
    }
}

/// <summary>A fault of the database settings, found before the host is built: the settings cannot be used as they are.</summary>
public sealed class DatabaseFaultException(DatabaseFault fault) : Exception(fault.TextKey)
{
    public DatabaseFault Fault => fault;
}

/// <summary>The texts before the host exists, for what goes wrong while it is being built.</summary>
public static class StandaloneTexts
{
    public static IStringLocalizer<Texts> Create() => new StringLocalizer<Texts>(new ResourceManagerStringLocalizerFactory(
        Microsoft.Extensions.Options.Options.Create(new LocalizationOptions()), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
}
