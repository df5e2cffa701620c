using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kimberlite.Infrastructure.Data;

/// <summary>
/// A lock by name across every process of one database, so work that several web servers start runs once at a time:
/// a PostgreSQL advisory lock on a connection of its own (released by the server if the process dies); for SQLite,
/// whose servers share one machine, an exclusive lock on a file beside the database (released by the kernel likewise).
/// </summary>
public sealed class DatabaseLock(KimberliteDb db)
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(50);

    /// <summary>Runs the work unless another process holds the lock now; false when it did not run.</summary>
    public async Task<bool> TryRunAsync(string name, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        await using var held = await AcquireAsync(name, wait: false, cancellationToken);
        if (held is null)
            return false;
        await work(cancellationToken);
        return true;
    }

    /// <summary>Runs the work once no other process holds the lock: it waits its turn, never skips.</summary>
    public async Task<T> RunAsync<T>(string name, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var held = await AcquireAsync(name, wait: true, cancellationToken) ?? throw new InvalidOperationException($"The lock {name} was not taken.");
        return await work(cancellationToken);
    }

    private Task<IAsyncDisposable?> AcquireAsync(string name, bool wait, CancellationToken cancellationToken) =>
        db.Database.IsNpgsql() ? AdvisoryAsync(name, wait, cancellationToken) : FileLockAsync(name, wait, cancellationToken);

    private async Task<IAsyncDisposable?> AdvisoryAsync(string name, bool wait, CancellationToken cancellationToken)
    {
        // Unpooled: closing the connection ends the session, and with it the lock, whatever happened to the unlock.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(wait ? "SELECT pg_advisory_lock(@key)" : "SELECT pg_try_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", Key(name));
            // pg_advisory_lock returns once the lock is this session's; pg_try_advisory_lock says whether it is.
            if (wait)
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
                return connection;
            }
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
                return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    private async Task<IAsyncDisposable?> FileLockAsync(string name, bool wait, CancellationToken cancellationToken)
    {
        var database = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        var path = Path.GetFullPath($"{database}.{name}.lock");
        while (true)
        {
            try
            {
                return PrivateFiles.Lock(path);
            }
            catch (IOException) when (wait)
            {
                await Task.Delay(Retry, cancellationToken);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    /// <summary>The 64-bit advisory key of a name: the first eight bytes of its SHA-256.</summary>
    private static long Key(string name) => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("kimberlite:" + name)), 0);
}
