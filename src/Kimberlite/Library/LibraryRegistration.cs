namespace Kimberlite.Library;

public static class LibraryRegistration
{
    public static IHostApplicationBuilder AddKimberliteLibrary(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LibraryOptions>().BindConfiguration(LibraryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<DocumentLibrary>();
        builder.Services.AddScoped<DocumentExtractor>();
        builder.Services.AddSingleton<DocumentReader>();
        builder.Services.AddSingleton<Ocr>();
        // Web servers extract in the background; the command line never starts its host, and extracts what it imports itself.
        builder.Services.AddHostedService<DocumentExtraction>();
        // What reads the extracted pages: the search index, then the mentions; and citations of pages as evidence.
        builder.AddKimberliteLibrarySearch();
        builder.AddKimberliteCitations();
        return builder;
    }
}
