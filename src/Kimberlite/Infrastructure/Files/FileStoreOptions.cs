namespace Kimberlite.Infrastructure.Files;

public enum FileStoreKind { Database, S3 }

/// <summary>The `Kimberlite:Files` configuration section: where evidence files and waiting uploads are kept.</summary>
public sealed class FileStoreOptions
{
    public const string Section = "Kimberlite:Files";

    /// <summary>Database (the default: a database backup holds the files) or S3.</summary>
    public FileStoreKind Store { get; set; } = FileStoreKind.Database;

    /// <summary>How long an upload checked on /import waits for its import before it is deleted.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 7 * 24 * 60)]
    public int PendingUploadMinutes { get; set; } = 60;

    public S3StoreOptions S3 { get; set; } = new();

    /// <summary>What is missing for the chosen store, naming each setting; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        if (Store != FileStoreKind.S3)
            yield break;
        if (string.IsNullOrWhiteSpace(S3.Bucket))
            yield return $"{Section}:S3:Bucket";
        if (string.IsNullOrWhiteSpace(S3.AccessKey))
            yield return $"{Section}:S3:AccessKey";
        if (string.IsNullOrWhiteSpace(S3.SecretKey))
            yield return $"{Section}:S3:SecretKey";
        if (string.IsNullOrWhiteSpace(S3.Region))
            yield return $"{Section}:S3:Region";
        if (!string.IsNullOrWhiteSpace(S3.ServiceUrl) && !Uri.TryCreate(S3.ServiceUrl, UriKind.Absolute, out _))
            yield return $"{Section}:S3:ServiceUrl";
    }
}

public sealed class S3StoreOptions
{
    /// <summary>The store's address (http://minio:9000); empty means AWS itself, in <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }
    public string? Bucket { get; set; }
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }
    public string Region { get; set; } = "us-east-1";
    /// <summary>Addresses objects as {url}/{bucket}/{key}, as self-hosted stores expect; false for virtual-hosted buckets.</summary>
    public bool PathStyle { get; set; } = true;
    /// <summary>A folder inside the bucket, so one bucket can serve several deployments.</summary>
    public string? Prefix { get; set; }
}
