using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Kimberlite.Statistics.Comtrade;

/// <summary>
/// Reads a file and computes its SHA-256 on a thread of its own, from copies of the bytes read. On this
/// project's machines (no SHA instructions) hashing took a sixth of the thread that also parses, checks
/// and encodes every row of a bulk import (docs/decisions/013-lean-trade-records.md).
/// </summary>
internal sealed class HashingStream : Stream
{
    private readonly Stream _inner;
    private readonly BlockingCollection<(byte[] Bytes, int Length)> _chunks = new(boundedCapacity: 16);
    private readonly Task<byte[]> _hash;

    public HashingStream(Stream inner)
    {
        _inner = inner;
        _hash = Task.Factory.StartNew(Hash, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The SHA-256 of every byte read, once the reading is over.</summary>
    public Task<byte[]> HashAsync()
    {
        if (!_chunks.IsAddingCompleted)
            _chunks.CompleteAdding();
        return _hash;
    }

    private byte[] Hash()
    {
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var (bytes, length) in _chunks.GetConsumingEnumerable())
            {
                sha.AppendData(bytes, 0, length);
                ArrayPool<byte>.Shared.Return(bytes);
            }
            return sha.GetHashAndReset();
        }
        finally
        {
            // Should hashing ever fail, the reader's next chunk fails too instead of waiting for room forever.
            _chunks.CompleteAdding();
        }
    }

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        if (read > 0)
        {
            var copy = ArrayPool<byte>.Shared.Rent(read);
            buffer[..read].CopyTo(copy);
            _chunks.Add((copy, read));
        }
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken);
        if (read > 0)
        {
            var copy = ArrayPool<byte>.Shared.Rent(read);
            buffer.Span[..read].CopyTo(copy);
            _chunks.Add((copy, read), cancellationToken);
        }
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The hashing thread ends with the reading, whatever stopped it.
            HashAsync().ContinueWith(_ => _chunks.Dispose(), TaskScheduler.Default);
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _inner.Length;
    public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
