namespace Kimberlite.Infrastructure.Data;

/// <summary>The folder of keys and the files in it: readable by the service's own user alone (0700 and 0600).</summary>
public static class KeysFolder
{
    private const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Create(string path)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, Owner | UnixFileMode.UserExecute);
    }

    /// <summary>A new file, made with mode 0600 from its first byte; it fails if the file exists.</summary>
    public static FileStream CreateFile(string path)
    {
        Create(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = Owner;
        return new FileStream(path, options);
    }
}
