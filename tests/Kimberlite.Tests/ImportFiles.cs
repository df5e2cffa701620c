using System.Text;

namespace Kimberlite.Tests;

/// <summary>Files to import, built from the bundled data's real rows and headers.</summary>
public static class ImportFiles
{
    public static string Bundled(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    public const string ProductionHeader = "country_iso3,year,carats,usd,usd_per_carat_published,source,source_publisher,as_published,precision,notes";
    public const string NationalHeader = "country_iso3,year,period,metric,segment,carats,value,currency,source,source_publisher,as_published,precision,notes";

    public static byte[] Csv(string header, params string[] rows) =>
        Encoding.UTF8.GetBytes(string.Join("\n", new[] { header }.Concat(rows)) + "\n");

    /// <summary>A file of its own in a temporary folder, for the command line.</summary>
    public static string Write(byte[] content, string name)
    {
        var path = Path.Combine(NewFolder(), name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>An empty folder of its own under the temporary folder.</summary>
    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "kimberlite-files", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}
