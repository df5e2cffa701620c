namespace Kimberlite.Imports;

public static class ImportsRegistration
{
    /// <summary>The one import workflow the /import page and the command line share.</summary>
    public static IHostApplicationBuilder AddKimberliteImports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ImportStages>();
        builder.Services.AddScoped<ImportWorkflow>();
        return builder;
    }
}
