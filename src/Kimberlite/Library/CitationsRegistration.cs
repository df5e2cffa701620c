namespace Kimberlite.Library;

public static class CitationsRegistration
{
    /// <summary>The mention finder (run after each extraction, after the search index) and the citations.</summary>
    public static IHostApplicationBuilder AddKimberliteCitations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<MentionFinder>();
        builder.Services.AddScoped<IPagesExtracted>(s => s.GetRequiredService<MentionFinder>());
        builder.Services.AddScoped<Citations>();
        builder.Services.AddScoped<DocumentMentions>();
        return builder;
    }
}
