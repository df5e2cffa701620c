namespace Kimberlite.Infrastructure.Data;

/// <summary>
/// Folders and files readable by the service's own user alone (0700 and 0600 from their first byte): the keys, the
/// data folder, lock files and backups.
/// </summary>
public static class PrivateFiles
{
    private const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, Owner | UnixFileMode.UserExecute);
    }

    /// <summary>Opens a file, made 0600 if it is created; its folder must exist.</summary>
    public static FileStream Open(string path, FileMode mode, FileAccess access, FileShare share = FileShare.Read)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = Owner;
        return new FileStream(path, options);
    }

    /// <summary>A new file in a private folder (made if missing); it fails if the file exists.</summary>
    public static FileStream CreateFile(string path)
    {
        CreateFolder(Path.GetDirectoryName(path)!);
        return Open(path, FileMode.CreateNew, FileAccess.Write);
    }

    /// <summary>An exclusive lock (flock on Unix, held until the stream closes or the process ends); throws IOException while another holds it.</summary>
    public static FileStream Lock(string path) => Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
}
