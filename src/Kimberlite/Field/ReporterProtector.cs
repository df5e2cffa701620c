using System.Security.Cryptography;
using System.Text;

namespace Kimberlite.Field;

/// <summary>
/// Encrypts a reporter's name and contact with AES-GCM under a key kept in a file, not in the database:
/// a copy of the database alone reveals nobody. The incident's identifier is bound in, so a ciphertext
/// moved to another incident does not decrypt.
/// </summary>
public sealed class ReporterProtector(string keyFile)
{
    private readonly Lazy<byte[]> _key = new(() => LoadOrCreate(keyFile));

    public string? Protect(string? text, Guid incident)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var plain = Encoding.UTF8.GetBytes(text.Trim());
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var cipher = new byte[plain.Length];
        using var aes = new AesGcm(_key.Value, tag.Length);
        aes.Encrypt(nonce, plain, cipher, tag, incident.ToByteArray());
        return Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    public string? Reveal(string? stored, Guid incident)
    {
        if (stored is null)
            return null;
        var bytes = Convert.FromBase64String(stored);
        var (nonceSize, tagSize) = (AesGcm.NonceByteSizes.MaxSize, AesGcm.TagByteSizes.MaxSize);
        var plain = new byte[bytes.Length - nonceSize - tagSize];
        using var aes = new AesGcm(_key.Value, tagSize);
        aes.Decrypt(bytes.AsSpan(0, nonceSize), bytes.AsSpan(nonceSize + tagSize), bytes.AsSpan(nonceSize, tagSize), plain, incident.ToByteArray());
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var key = File.ReadAllBytes(path);
            return key.Length == 32 ? key : throw new InvalidDataException($"{path} must hold 32 bytes.");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var created = RandomNumberGenerator.GetBytes(32);
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            file.Write(created);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made it first: theirs is the key.
            return LoadOrCreate(path);
        }
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return created;
    }
}
