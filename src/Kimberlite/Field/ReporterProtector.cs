using System.Security.Cryptography;
using System.Text;
using Kimberlite.Infrastructure.Data;

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

    /// <summary>
    /// A key an earlier version kept inside the data folder moves to the keys directory, so a backup of the data
    /// folder no longer holds it beside the names it opens.
    /// </summary>
    public static void MoveOutOfDataFolder(string oldPath, string newPath)
    {
        if (!File.Exists(oldPath) || File.Exists(newPath))
            return;
        KeysFolder.Create(Path.GetDirectoryName(newPath)!);
        File.Move(oldPath, newPath);
    }

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var key = File.ReadAllBytes(path);
            return key.Length == 32 ? key : throw new InvalidDataException($"{path} must hold 32 bytes.");
        }
        KeysFolder.Create(Path.GetDirectoryName(path)!);
        var created = RandomNumberGenerator.GetBytes(32);
        try
        {
            using var file = KeysFolder.CreateFile(path);
            file.Write(created);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made it first: theirs is the key.
            return LoadOrCreate(path);
        }
        return created;
    }
}
