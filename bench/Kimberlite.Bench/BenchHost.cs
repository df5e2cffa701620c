using Kimberlite.Accounts;
using Kimberlite.Advocacy;
using Kimberlite.Analysis;
using Kimberlite.Field;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Kimberlite.Library;
using Kimberlite.Statistics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kimberlite.Bench;

/// <summary>The observatory's services as its command line builds them, on a database brought up to date, for the bench and the fuzz run.</summary>
internal static class BenchHost
{
    public static async Task<IHost> StartAsync(IDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddKimberliteData();
        builder.AddKimberliteLocalization();
        builder.AddKimberliteAccounts();
        builder.AddKimberliteStatistics();
        builder.AddKimberliteAnalysis();
        builder.AddKimberliteField();
        builder.AddKimberliteAdvocacy();
        builder.AddKimberliteLibrarySearch();
        var host = builder.Build();
        using (var scope = host.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return host;
    }
}
