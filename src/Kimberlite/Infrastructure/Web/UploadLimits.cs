using Kimberlite.Infrastructure.Localization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Infrastructure.Web;

/// <summary>
/// The largest file a request to this page or endpoint may carry. A larger one is not read: a page is shown again with
/// its own message, status 413; an API endpoint (or a page handler its script calls, with <see cref="Problem"/>) answers
/// a 413 ProblemDetails. Both say the limit in the reader's language (docs/decisions/027-faults-in-words.md).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class UploadLimitAttribute(long bytes) : Attribute
{
    public long Bytes => bytes;

    /// <summary>Answer a ProblemDetails rather than show the page again.</summary>
    public bool Problem { get; init; }

    /// <summary>The limit as a reader says it: 25 for 25 MB.</summary>
    public long Megabytes => bytes / 1024 / 1024;
}

public static class UploadLimits
{
    /// <summary>Every other request body: forms and JSON, never a file.</summary>
    public const long OtherRequests = 4 * 1024 * 1024;

    /// <summary>Room for the form around the file (its other fields, a mapping file, the multipart boundaries).</summary>
    private const long Envelope = 1024 * 1024;

    private const string RefusedKey = "Kimberlite.UploadRefused";

    /// <summary>The page's message when the upload it was sent was too large, else null.</summary>
    public static string? TooLargeMessage(this HttpContext context, IStringLocalizer<Texts> texts) =>
        context.Items[RefusedKey] is UploadLimitAttribute limit ? texts["Fault_FileTooLarge", limit.Megabytes].Value : null;

    /// <summary>After authorization, so that nobody unknown gets a large body read.</summary>
    public static WebApplication UseUploadLimits(this WebApplication app)
    {
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            if (!HttpMethods.IsPost(context.Request.Method) || context.GetEndpoint()?.Metadata.GetMetadata<UploadLimitAttribute>() is not { } limit)
            {
                await next(context);
                return;
            }
            var allowed = limit.Bytes + Envelope;
            // Kestrel's own limit just above ours, so that ours is the one that speaks.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                size.MaxRequestBodySize = allowed + 1;
            if (await FitsAsync(context, allowed))
                await next(context);
            else if (limit.Problem || context.Request.Path.StartsWithSegments("/api"))
                await RefuseAsProblemAsync(context, limit);
            else
                await ShowPageAgainAsync(context, limit, next);
        });
        return app;
    }

    /// <summary>Reads the form once, counting: the endpoint then reads it from memory (or its temporary file) as usual.</summary>
    private static async Task<bool> FitsAsync(HttpContext context, long allowed)
    {
        if (context.Request.ContentLength > allowed)
            return false;
        if (!context.Request.HasFormContentType)
            return true;
        var counted = new CountingStream(context.Request.Body, allowed);
        context.Request.Body = counted;
        try
        {
            await context.Request.ReadFormAsync(context.RequestAborted);
            return true;
        }
        catch (Exception e) when (counted.Exceeded || e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return false;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // A form that cannot be read for another reason: the endpoint refuses it as it always did.
            return true;
        }
    }

    private static async Task RefuseAsProblemAsync(HttpContext context, UploadLimitAttribute limit)
    {
        var message = context.RequestServices.GetRequiredService<IStringLocalizer<Texts>>()["Fault_FileTooLarge", limit.Megabytes].Value;
        await Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [message] }, title: message,
            statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(context);
    }

    /// <summary>The page is shown again as if opened, with its message and status 413; nothing of the request is read or kept.</summary>
    private static async Task ShowPageAgainAsync(HttpContext context, UploadLimitAttribute limit, RequestDelegate next)
    {
        context.Items[RefusedKey] = limit;
        context.Request.Method = HttpMethods.Get;
        context.Request.QueryString = QueryString.Empty;
        context.Request.Body = Stream.Null;
        context.Request.ContentLength = 0;
        context.Request.ContentType = null;
        context.Features.Set<IFormFeature>(new FormFeature(FormCollection.Empty));
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        await next(context);
    }

    /// <summary>A request body that stops being read once it passes the limit.</summary>
    private sealed class CountingStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public bool Exceeded { get; private set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        private int Count(int read)
        {
            _read += read;
            if (_read <= limit)
                return read;
            Exceeded = true;
            throw new InvalidDataException($"The request body is larger than {limit} bytes.");
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
