using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kimberlite.Accounts;

/// <summary>
/// Tells the audit log when a transaction that holds its entries commits or rolls back, so the head kept outside
/// the database only ever names an entry that is there for good.
/// </summary>
public sealed class AuditCommitInterceptor(AuditLog audit) : DbTransactionInterceptor
{
    // Npgsql reuses one transaction object per connection: a new transaction starts with nothing pending.
    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        audit.Abandoned(result);
        return result;
    }

    public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        audit.Abandoned(result);
        return ValueTask.FromResult(result);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => audit.Committed(transaction);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        audit.Committed(transaction);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => audit.Abandoned(transaction);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        audit.Abandoned(transaction);
        return Task.CompletedTask;
    }

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => audit.Abandoned(transaction);

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        audit.Abandoned(transaction);
        return Task.CompletedTask;
    }
}
