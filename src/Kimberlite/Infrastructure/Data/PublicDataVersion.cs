using System.Data.Common;
using System.Runtime.CompilerServices;
using Kimberlite.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kimberlite.Infrastructure.Data;

/// <summary>
/// One row counting the changes to what the public reads. Every web server polls it, so that a change made through any
/// server (or the command line) empties every server's output cache (docs/decisions/028-public-output-cache.md).
/// </summary>
public sealed class PublicDataVersion
{
    public const int RowId = 1;

    public int Id { get; set; }
    public long Version { get; set; }
}

internal sealed class PublicDataVersionConfiguration : IEntityTypeConfiguration<PublicDataVersion>
{
    public void Configure(EntityTypeBuilder<PublicDataVersion> builder)
    {
        builder.ToTable("PublicDataVersion");
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.HasData(new PublicDataVersion { Id = PublicDataVersion.RowId, Version = 0 });
    }
}

/// <summary>Changes committed by this process, counted so that its own output cache forgets them at once, before any poll.</summary>
public sealed class LocalPublicChanges
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Raised after the commit of a change the public reads.</summary>
    public event Action? Committed;

    internal void Raise()
    {
        Interlocked.Increment(ref _count);
        Committed?.Invoke();
    }
}

/// <summary>
/// Bumps the public data version with every change the public could read: inside the transaction of the change where
/// there is one, so that no server can see the new version before the new data. A save bumps it unless it touched only
/// accounts, tokens, audit entries or keys, which no public page shows; a transaction the application opens (imports,
/// analysis, labels, rates, Kobo) bumps it at its commit, with whatever it wrote in bulk beside its saves.
/// </summary>
public sealed class PublicDataChanges(LocalPublicChanges local) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private sealed class State
    {
        public bool Saving, PublicSave, SaveCommitted, Bumped, TransactionWork;
    }

    private static readonly HashSet<Type> PrivateTypes = [typeof(User), typeof(Membership), typeof(ApiToken), typeof(AuditEntry), typeof(PublicDataVersion)];

    private readonly ConditionalWeakTable<DbContext, State> _states = [];

    /// <summary>Whether a row of this type can change a public page: Identity's and Data Protection's own tables cannot.</summary>
    public static bool IsPublic(Type type) =>
        !PrivateTypes.Contains(type) && type.Namespace?.StartsWith("Microsoft.", StringComparison.Ordinal) != true;

    private void Starting(DbContext? context)
    {
        if (context is null)
            return;
        var state = _states.GetOrCreateValue(context);
        state.Saving = true;
        state.SaveCommitted = false;
        var changed = context.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).Select(e => e.Metadata.ClrType).ToList();
        state.PublicSave = changed.Any(IsPublic);
        // Inside a transaction the application opened, a save of nothing marks work written in bulk beside it (findings).
        if (context.Database.CurrentTransaction is not null && (state.PublicSave || changed.Count == 0))
            state.TransactionWork = true;
    }

    /// <summary>True when the save has committed a public change outside any transaction: it is bumped right after.</summary>
    private bool Finished(DbContext? context)
    {
        if (context is null || !_states.TryGetValue(context, out var state))
            return false;
        state.Saving = false;
        return state.PublicSave && !state.SaveCommitted && context.Database.CurrentTransaction is null;
    }

    private bool BumpsAtCommit(DbContext? context, out State? state)
    {
        state = null;
        if (context is null)
            return false;
        state = _states.GetOrCreateValue(context);
        // A save's own transaction bumps for public rows; a transaction the application opened, for a save of public rows
        // or of nothing inside it (migrations save nothing through the change tracker, so they never bump).
        return state.Saving ? state.PublicSave : state.TransactionWork;
    }

    private static IQueryable<PublicDataVersion> Row(DbContext context) =>
        context.Set<PublicDataVersion>().Where(v => v.Id == PublicDataVersion.RowId);

    private void Committed(DbContext? context)
    {
        if (context is null || !_states.TryGetValue(context, out var state))
            return;
        if (state.Saving)
            state.SaveCommitted = true;
        else
            state.TransactionWork = false;
        if (!state.Bumped)
            return;
        state.Bumped = false;
        local.Raise();
    }

    private void Abandoned(DbContext? context)
    {
        if (context is not null && _states.TryGetValue(context, out var state))
            (state.Bumped, state.TransactionWork) = (false, false);
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Starting(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Starting(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (Finished(eventData.Context))
        {
            Row(eventData.Context!).ExecuteUpdate(u => u.SetProperty(v => v.Version, v => v.Version + 1));
            local.Raise();
        }
        return result;
    }

    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (Finished(eventData.Context))
        {
            await Row(eventData.Context!).ExecuteUpdateAsync(u => u.SetProperty(v => v.Version, v => v.Version + 1), cancellationToken);
            local.Raise();
        }
        return result;
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Finished(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Finished(eventData.Context);
        return Task.CompletedTask;
    }

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (BumpsAtCommit(eventData.Context, out var state))
        {
            Row(eventData.Context!).ExecuteUpdate(u => u.SetProperty(v => v.Version, v => v.Version + 1));
            state!.Bumped = true;
        }
        return result;
    }

    public async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (BumpsAtCommit(eventData.Context, out var state))
        {
            await Row(eventData.Context!).ExecuteUpdateAsync(u => u.SetProperty(v => v.Version, v => v.Version + 1), cancellationToken);
            state!.Bumped = true;
        }
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Abandoned(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Abandoned(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Abandoned(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Abandoned(eventData.Context);
        return Task.CompletedTask;
    }
}

public static class PublicDataVersionRegistration
{
    /// <summary>The interceptor that bumps the public data version, for the web app and the command line alike.</summary>
    public static IHostApplicationBuilder AddKimberlitePublicDataVersion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LocalPublicChanges>();
        builder.Services.AddSingleton<PublicDataChanges>();
        builder.Services.ConfigureDbContext<SqliteKimberliteDb>((s, o) => o.AddInterceptors(s.GetRequiredService<PublicDataChanges>()));
        builder.Services.ConfigureDbContext<PostgresKimberliteDb>((s, o) => o.AddInterceptors(s.GetRequiredService<PublicDataChanges>()));
        return builder;
    }
}
