using Kimberlite.Analysis;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Comtrade;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Infrastructure.Data;

/// <summary>The observatory's database. One subclass per provider carries its own migrations.</summary>
public class KimberliteDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<Dataset> Datasets => Set<Dataset>();
    public DbSet<Figure> Figures => Set<Figure>();
    public DbSet<ImportIssue> ImportIssues => Set<ImportIssue>();
    public DbSet<TradeFlow> TradeFlows => Set<TradeFlow>();
    public DbSet<Finding> Findings => Set<Finding>();
    public DbSet<FindingEvent> FindingEvents => Set<FindingEvent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(KimberliteDb).Assembly);
}

public sealed class SqliteKimberliteDb(DbContextOptions<SqliteKimberliteDb> options) : KimberliteDb(options);

public sealed class PostgresKimberliteDb(DbContextOptions<PostgresKimberliteDb> options) : KimberliteDb(options);
