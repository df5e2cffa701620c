using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kimberlite.Infrastructure.Data;

namespace Kimberlite.Accounts;

/// <summary>The last entry of the chain as <c>SEQ:MAC</c>: what <c>audit verify</c> prints and <c>--expect</c> takes back.</summary>
public readonly record struct AuditHead(long Sequence, string Mac)
{
    public override string ToString() => $"{Sequence.ToString(CultureInfo.InvariantCulture)}:{Mac}";

    public static bool TryParse(string? text, [NotNullWhen(true)] out AuditHead? head)
    {
        head = null;
        var parts = text?.Trim().Split(':');
        if (parts is not [var sequence, var mac] || !long.TryParse(sequence, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || mac.Length != 64 || !mac.All(char.IsAsciiHexDigitLower))
            return false;
        head = new AuditHead(number, mac);
        return true;
    }
}

/// <summary>
/// The audit key and the head file, both in the keys directory, outside the database: whoever can write the
/// database alone can neither make a valid seal nor move the head back to hide a cut tail.
/// </summary>
public sealed class AuditSeal(string keyFile)
{
    private readonly Lock _gate = new();
    private byte[]? _key;
    private long _written;

    public string KeyFile => keyFile;
    public string HeadFile { get; } = Path.ChangeExtension(keyFile, ".head");

    /// <summary>The key, made on first use (32 random bytes, mode 0600); of two processes making it at once, one key wins for both.</summary>
    public byte[] Key() => _key ??= LoadOrCreate(keyFile);

    /// <summary>The key if it exists: checking never makes one, so a lost key is reported, not replaced.</summary>
    public byte[]? ExistingKey() => _key ?? (File.Exists(keyFile) ? _key = Load(keyFile) : null);

    public static string Mac(byte[] key, string text) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));

    /// <summary>The head as last written, null when there is none; a file that does not parse is reported as such.</summary>
    public (bool Exists, AuditHead? Head) ReadHead()
    {
        if (!File.Exists(HeadFile))
            return (false, null);
        return (true, AuditHead.TryParse(File.ReadAllText(HeadFile), out var head) ? head : null);
    }

    /// <summary>
    /// Moves the head to a committed entry, never backwards: under a lock file shared by every process, the
    /// current head is read and replaced only by a higher one, written to a temporary file and renamed over it.
    /// </summary>
    public void Advance(AuditHead head)
    {
        if (head.Sequence <= Volatile.Read(ref _written))
            return;
        lock (_gate)
        {
            if (head.Sequence <= _written)
                return;
            using var exclusive = LockFile();
            if (ReadHead() is (true, { } current) && current.Sequence >= head.Sequence)
            {
                Volatile.Write(ref _written, current.Sequence);
                return;
            }
            Write(head);
        }
    }

    /// <summary>
    /// Puts the head at a restored backup's last entry, backwards if need be: the operator chose to go back to that
    /// backup, and the entries written after it are gone with it. Only <c>kimberlite restore</c> calls this.
    /// </summary>
    public void Reset(AuditHead head)
    {
        lock (_gate)
        {
            using var exclusive = LockFile();
            Write(head);
        }
    }

    /// <summary>Writes the head to a temporary file and renames it over the head file; the caller holds the lock file.</summary>
    private void Write(AuditHead head)
    {
        var temporary = $"{HeadFile}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        // No fsync: it would add a disk flush to every append, and the database's own commit is not synced either
        // (WAL, synchronous=NORMAL); after a power cut verify may report a head past the end, never miss a cut.
        using (var file = PrivateFiles.CreateFile(temporary))
            file.Write(Encoding.ASCII.GetBytes(head + "\n"));
        File.Move(temporary, HeadFile, overwrite: true);
        Volatile.Write(ref _written, head.Sequence);
    }

    /// <summary>An exclusive lock on <c>audit.head.lock</c> (flock on Unix), waited for while another process holds it.</summary>
    private FileStream LockFile()
    {
        PrivateFiles.CreateFolder(Path.GetDirectoryName(HeadFile)!);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return PrivateFiles.Lock(HeadFile + ".lock");
            }
            catch (IOException) when (attempt < 2000)
            {
                Thread.Sleep(Math.Min(attempt, 10));
            }
        }
    }

    private static byte[] Load(string path)
    {
        var key = File.ReadAllBytes(path);
        return key.Length == 32 ? key : throw new InvalidDataException($"{path} must hold 32 bytes.");
    }

    /// <summary>
    /// A new key is written whole to a temporary file, then linked to its name without replacing anything: no
    /// process ever reads a half-written key, and a second process that loses the race reads the winner's.
    /// </summary>
    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
            return Load(path);
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var created = RandomNumberGenerator.GetBytes(32);
        using (var file = PrivateFiles.CreateFile(temporary))
        {
            file.Write(created);
            file.Flush(flushToDisk: true);
        }
        try
        {
            File.Move(temporary, path, overwrite: false);
            return created;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return Load(path);
        }
    }
}
