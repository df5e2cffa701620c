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

    public string? Protect(string? text, Guid incident) =>
        string.IsNullOrWhiteSpace(text) ? null : Convert.ToBase64String(Protect(Encoding.UTF8.GetBytes(text.Trim()), incident));

    public string? Reveal(string? stored, Guid incident) =>
        stored is null ? null : Encoding.UTF8.GetString(Reveal(Convert.FromBase64String(stored), incident));

    /// <summary>Bytes sealed under the key and bound to <paramref name="owner"/> (an incident, a waiting upload): nonce, tag, then ciphertext.</summary>
    public byte[] Protect(ReadOnlySpan<byte> plain, Guid owner)
    {
        var (nonceSize, tagSize) = (AesGcm.NonceByteSizes.MaxSize, AesGcm.TagByteSizes.MaxSize);
        var sealedBytes = new byte[nonceSize + tagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, nonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key.Value, tagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(nonceSize + tagSize), sealedBytes.AsSpan(nonceSize, tagSize), owner.ToByteArray());
        return sealedBytes;
    }

    /// <summary>The bytes <see cref="Protect(ReadOnlySpan{byte}, Guid)"/> sealed; a ciphertext changed, or bound to another owner, throws.</summary>
    public byte[] Reveal(ReadOnlySpan<byte> stored, Guid owner)
    {
        var (nonceSize, tagSize) = (AesGcm.NonceByteSizes.MaxSize, AesGcm.TagByteSizes.MaxSize);
        var plain = new byte[stored.Length - nonceSize - tagSize];
        using var aes = new AesGcm(_key.Value, tagSize);
        aes.Decrypt(stored[..nonceSize], stored[(nonceSize + tagSize)..], stored.Slice(nonceSize, tagSize), plain, owner.ToByteArray());
        return plain;
    }

    /// <summary>
    /// A key an earlier version kept inside the data folder moves to the keys directory, so a backup of the data
    /// folder no longer holds it beside the names it opens.
    /// </summary>
    public static void MoveOutOfDataFolder(string oldPath, string newPath)
    {
        if (!File.Exists(oldPath) || File.Exists(newPath))
            return;
        PrivateFiles.CreateFolder(Path.GetDirectoryName(newPath)!);
        File.Move(oldPath, newPath);
    }

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var key = File.ReadAllBytes(path);
            return key.Length == 32 ? key : throw new InvalidDataException($"{path} must hold 32 bytes.");
        }
        PrivateFiles.CreateFolder(Path.GetDirectoryName(path)!);
        var created = RandomNumberGenerator.GetBytes(32);
        try
        {
            using var file = PrivateFiles.CreateFile(path);
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
