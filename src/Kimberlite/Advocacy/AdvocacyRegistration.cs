namespace Kimberlite.Advocacy;

public static class AdvocacyRegistration
{
    public static IHostApplicationBuilder AddKimberliteAdvocacy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<AdvocacyBook>();
        builder.Services.AddScoped<BundledMeetings>();
        builder.Services.AddScoped<AdvocacyViews>();
        builder.Services.AddScoped<RecommendationImporter>();
        builder.Services.AddScoped<Discussion>();
        return builder;
    }
}
