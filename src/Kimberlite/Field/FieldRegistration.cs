using Kimberlite.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace Kimberlite.Field;

public static class FieldRegistration
{
    public static IHostApplicationBuilder AddKimberliteField(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FieldOptions>().BindConfiguration(FieldOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(s =>
        {
            var (environment, options) = (s.GetRequiredService<IHostEnvironment>(), s.GetRequiredService<IOptions<KimberliteOptions>>().Value);
            var keyFile = Path.Combine(DataRegistration.KeysDirectory(environment, options), s.GetRequiredService<IOptions<FieldOptions>>().Value.ReporterKeyFile);
            ReporterProtector.MoveOutOfDataFolder(Path.Combine(DataRegistration.DataDirectory(environment, options), "keys", "reporter.key"), keyFile);
            return new ReporterProtector(keyFile);
        });
        builder.Services.AddScoped<FieldSubmissions>();
        builder.Services.AddScoped<BundledSites>();
        builder.Services.AddScoped<KoboImporter>();
        builder.Services.AddScoped<IncidentReview>();
        builder.Services.AddScoped<SiteEditor>();
        builder.Services.AddScoped<EvidenceStore>();
        return builder;
    }
}
