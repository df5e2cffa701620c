using Kimberlite.Infrastructure.Data;

namespace Kimberlite.Library;

public static class SearchRegistration
{
    /// <summary>The analyzer's hook on extraction, the search and the full-text index of the configured database.</summary>
    public static IHostApplicationBuilder AddKimberliteLibrarySearch(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(KimberliteOptions.Section).Get<KimberliteOptions>() ?? new KimberliteOptions();
        if (options.Database.Provider == DatabaseProvider.Postgres)
            builder.Services.AddSingleton<IFullTextIndex, PostgresFullTextIndex>();
        else
            builder.Services.AddSingleton<IFullTextIndex, SqliteFullTextIndex>();
        builder.Services.AddScoped<IPagesExtracted, SearchIndex>();
        builder.Services.AddScoped<LibrarySearch>();
        builder.Services.AddSingleton<SearchStatistics>();
        return builder;
    }
}
