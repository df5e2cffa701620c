using Kimberlite.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Tests;

public sealed class MigrationTests
{
    [Fact]
    public async Task TheMigrationsOfTheProviderUnderTestMatchTheModel()
    {
        await using var app = new EmptyKimberliteApp();

        var (pendingChanges, pendingMigrations, applied) = await app.WithDb(async db =>
            (db.Database.HasPendingModelChanges(), (await db.Database.GetPendingMigrationsAsync()).Count(), (await db.Database.GetAppliedMigrationsAsync()).Count()));

        Assert.False(pendingChanges, "The model has changes that no migration captures: add a migration for each provider.");
        Assert.Equal(0, pendingMigrations);
        Assert.True(applied > 0);
        Assert.Equal(TestDatabase.IsPostgres ? "Npgsql.EntityFrameworkCore.PostgreSQL" : "Microsoft.EntityFrameworkCore.Sqlite",
            await app.WithDb(db => Task.FromResult(db.Database.ProviderName)));
    }

    [Fact]
    public async Task ANewDatabaseIsLaidOutForBulkImports()
    {
        await using var app = new EmptyKimberliteApp();

        // SQLite: 16 KB pages in write-ahead logging (docs/decisions/013-lean-trade-records.md); PostgreSQL:
        // blocks of trade totals stored as they are, not compressed again (docs/decisions/012-trade-totals-in-blocks.md).
        var layout = await app.WithDb(db => TestDatabase.IsPostgres
            ? db.Database.SqlQueryRaw<string>("""SELECT attstorage::text AS "Value" FROM pg_attribute WHERE attrelid = '"TradeTotalsBlocks"'::regclass AND attname = 'Data'""").SingleAsync()
            : db.Database.SqlQueryRaw<string>("""SELECT CAST(page_size AS TEXT) || ' ' || journal_mode AS "Value" FROM pragma_page_size(), pragma_journal_mode()""").SingleAsync());

        Assert.Equal(TestDatabase.IsPostgres ? "e" : $"{DatabaseInitializer.SqlitePageSize} wal", layout);
    }
}
