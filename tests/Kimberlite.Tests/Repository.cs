namespace Kimberlite.Tests;

/// <summary>The repository's folder, for tests that read its documents (docs/ACCESS.md, the samples of docs/field).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "docs", "ACCESS.md")))
            folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("The tests run outside the repository: docs/ACCESS.md is not above them.");
    }
}
