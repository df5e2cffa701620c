namespace Kimberlite.Infrastructure.Data;

/// <summary>
/// The data folder, readable by the service's own user alone: the folder and every folder in it 0700, every file 0600,
/// as new files are made (<see cref="PrivateFiles"/>) and as older versions left them, put right at start-up.
/// </summary>
public static class DataFolder
{
    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates the folder 0700 if missing and takes group and others off everything inside.</summary>
    public static void Secure(string path)
    {
        PrivateFiles.CreateFolder(path);
        if (OperatingSystem.IsWindows())
            return;
        Restrict(path);
        foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            Restrict(entry.FullName);
    }

    /// <summary>
    /// A new, empty SQLite file 0600 before SQLite makes one 0644; its -wal and -shm files take the same mode from it.
    /// A folder that is not there is not made: a volume not mounted yet must fail as SQLite would, not fill a new folder.
    /// </summary>
    public static void CreateSqliteFile(string path)
    {
        if (File.Exists(path) || !Directory.Exists(Path.GetDirectoryName(path)))
            return;
        try
        {
            PrivateFiles.Open(path, FileMode.CreateNew, FileAccess.Write).Dispose();
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made it first.
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Restrict(string path)
    {
        try
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & GroupOrOthers) != 0)
                File.SetUnixFileMode(path, mode & ~GroupOrOthers);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file another user owns, or one gone meanwhile: left as it is.
        }
    }
}
