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
}
