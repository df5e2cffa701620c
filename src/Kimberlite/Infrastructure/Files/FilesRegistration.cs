using Amazon.S3;
using Microsoft.Extensions.Options;

namespace Kimberlite.Infrastructure.Files;

public static class FilesRegistration
{
    /// <summary>The file store chosen by `Kimberlite:Files:Store`, refused at start-up when its settings are incomplete.</summary>
    public static IHostApplicationBuilder AddKimberliteFiles(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FileStoreOptions>()
            .BindConfiguration(FileStoreOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => !o.Problems().Any(), $"{FileStoreOptions.Section}:Store is S3: set {FileStoreOptions.Section}:S3:Bucket, AccessKey, SecretKey and Region (and ServiceUrl for a store other than AWS).")
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(FileStoreOptions.Section).Get<FileStoreOptions>() ?? new FileStoreOptions();
        if (options.Store == FileStoreKind.S3)
        {
            builder.Services.AddSingleton<IAmazonS3>(s => S3FileStore.CreateClient(s.GetRequiredService<IOptions<FileStoreOptions>>().Value.S3));
            builder.Services.AddScoped<IFileStore>(s => new S3FileStore(s.GetRequiredService<IAmazonS3>(), s.GetRequiredService<IOptions<FileStoreOptions>>().Value.S3));
        }
        else
            builder.Services.AddScoped<IFileStore, DatabaseFileStore>();
        return builder;
    }
}
