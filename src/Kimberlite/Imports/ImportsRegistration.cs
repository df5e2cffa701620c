namespace Kimberlite.Imports;

public static class ImportsRegistration
{
    /// <summary>The one import workflow the /import page and the command line share, and the uploads waiting between check and import.</summary>
    public static IHostApplicationBuilder AddKimberliteImports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ImportStages>();
        builder.Services.AddScoped<ImportWorkflow>();
        builder.Services.AddScoped<PendingUploads>();
        builder.Services.AddSingleton<PendingUploadCleanup>();
        builder.Services.AddHostedService(s => s.GetRequiredService<PendingUploadCleanup>());
        return builder;
    }
}
