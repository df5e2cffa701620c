using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Kimberlite.Infrastructure.Files;

/// <summary>Files as objects of one bucket of an S3-compatible store (AWS, MinIO, Garage, Ceph), under an optional prefix.</summary>
public sealed class S3FileStore(IAmazonS3 client, S3StoreOptions options) : IFileStore
{
    public async Task PutAsync(string name, byte[] content, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(content, writable: false);
        // Names are content hashes or fresh identifiers: writing one again writes the same bytes, so no read comes first.
        await client.PutObjectAsync(new PutObjectRequest { BucketName = options.Bucket, Key = Key(name), InputStream = body, AutoCloseStream = false }, cancellationToken);
    }

    public async Task<byte[]?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetObjectAsync(options.Bucket, Key(name), cancellationToken);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        client.DeleteObjectAsync(options.Bucket, Key(name), cancellationToken);

    private string Key(string name) => string.IsNullOrEmpty(options.Prefix) ? name : $"{options.Prefix.TrimEnd('/')}/{name}";

    /// <summary>A client for the settings: path-style addressing by default, as self-hosted stores expect.</summary>
    public static IAmazonS3 CreateClient(S3StoreOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.PathStyle,
            // Checksums only where S3 demands them: several compatible stores refuse the newer trailing checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }
        else
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        return new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }
}
