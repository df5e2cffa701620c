namespace Kimberlite.Statistics;

public static class StatisticsRegistration
{
    public static IHostApplicationBuilder AddKimberliteStatistics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<StatisticsReader>();
        builder.Services.AddScoped<CountryNamer>();
        return builder;
    }
}
