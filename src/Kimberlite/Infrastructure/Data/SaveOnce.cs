using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Kimberlite.Infrastructure.Data;

public static class SaveOnce
{
    /// <summary>
    /// Saves a new record named by its client's identifier; false when a unique index refused it because the same
    /// request, arriving twice at once, saved it first (the transaction is rolled back and the context cleared).
    /// </summary>
    public static async Task<bool> SaveUnlessRepeatedAsync(this KimberliteDb db, IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }
    }
}
