using Kimberlite.Infrastructure.Files;
using Kimberlite.Statistics.Comtrade;
using Kimberlite.Statistics.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Kimberlite.Infrastructure.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kimberlite.Infrastructure.Data;

public static class DataRegistration
{
    /// <summary>The database chosen by `Kimberlite:Database:Provider`, its initializer and the importers.</summary>
    public static IHostApplicationBuilder AddKimberliteData(this IHostApplicationBuilder builder)
    {
        // Settings that cannot work are said in words before anything tries them.
        if (DatabaseFault.OfSettings(builder.Configuration, builder.Environment) is { } fault)
            throw new DatabaseFaultException(fault);
        builder.Services.AddOptions<KimberliteOptions>()
            .BindConfiguration(KimberliteOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Database.Provider != DatabaseProvider.Postgres || !string.IsNullOrWhiteSpace(o.Database.ConnectionString),
                "Kimberlite:Database:ConnectionString is required when Kimberlite:Database:Provider is Postgres.")
            .ValidateOnStart();

        var options = builder.Configuration.GetSection(KimberliteOptions.Section).Get<KimberliteOptions>() ?? new KimberliteOptions();
        var dataDirectory = DataDirectory(builder.Environment, options);
        // Reporters' names wait in uploads and the mail holds sign-in codes: the folder is the service's alone.
        try
        {
            DataFolder.Secure(dataDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatabaseFaultException(new("Fault_DatabaseFolder", dataDirectory, e.Message));
        }
        // Features add their interceptors to the services (the audit log hears of commits this way).
        if (options.Database.Provider == DatabaseProvider.Postgres)
        {
            builder.Services.AddDbContext<KimberliteDb, PostgresKimberliteDb>((s, o) => o.UseNpgsql(options.Database.ConnectionString).AddInterceptors(s.GetServices<IInterceptor>()));
            builder.Services.AddSingleton<IBulkWriter, PostgresBulkWriter>();
        }
        else
        {
            SqliteNative.UseMultiThreadMode();
            var connection = options.Database.ConnectionString ?? $"Data Source={Path.Combine(dataDirectory, "kimberlite.db")}";
            builder.Services.AddDbContext<KimberliteDb, SqliteKimberliteDb>((s, o) => o.UseSqlite(connection).AddInterceptors(s.GetServices<IInterceptor>()));
            builder.Services.AddSingleton<IBulkWriter, SqliteBulkWriter>();
        }

        builder.AddKimberlitePublicDataVersion();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<DatabaseLock>();
        builder.AddKimberliteFiles();
        builder.Services.AddScoped<DatabaseInitializer>();
        builder.Services.AddScoped<DatabaseBackup>();
        builder.Services.AddScoped<StatisticsImporter>();
        builder.Services.AddScoped<ComtradeImporter>();
        builder.Services.AddScoped<BundledData>();
        return builder;
    }

    /// <summary>The data directory as an absolute path: a relative setting is taken from the content root.</summary>
    public static string DataDirectory(IHostEnvironment environment, KimberliteOptions options) =>
        Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.DataDirectory));

    /// <summary>The keys directory as an absolute path: the setting, or the data folder's name with ".keys" beside it.</summary>
    public static string KeysDirectory(IHostEnvironment environment, KimberliteOptions options) =>
        string.IsNullOrWhiteSpace(options.KeysDirectory)
            ? DataDirectory(environment, options).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + ".keys"
            : Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.KeysDirectory));

    /// <summary>Which database, and for SQLite the folder it lives in, in the reader's language.</summary>
    public static string DescribeDatabase(this IServiceProvider services, IStringLocalizer<Texts> texts)
    {
        var options = services.GetRequiredService<IOptions<KimberliteOptions>>().Value;
        var environment = services.GetRequiredService<IHostEnvironment>();
        return options.Database.Provider == DatabaseProvider.Postgres
            ? "PostgreSQL"
            : texts["Database_SqliteIn", DataDirectory(environment, options)];
    }
}
