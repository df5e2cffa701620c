using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Kimberlite.Infrastructure.Data;

/// <summary>Lets `dotnet ef migrations add` build each provider's model without starting the app.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteKimberliteDb>
{
    public SqliteKimberliteDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteKimberliteDb>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresKimberliteDb>
{
    public PostgresKimberliteDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresKimberliteDb>().UseNpgsql("Host=localhost;Database=design").Options);
}
