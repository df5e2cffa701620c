using System.ComponentModel.DataAnnotations;

namespace Kimberlite.Infrastructure.Data;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>The `Kimberlite` configuration section.</summary>
public sealed class KimberliteOptions
{
    public const string Section = "Kimberlite";

    /// <summary>Where the SQLite database and other local files live.</summary>
    [Required]
    public string DataDirectory { get; set; } = "App_Data";

    /// <summary>
    /// Where the keys live (the reporter key, the audit key and the audit chain's head): outside the data folder, so a
    /// backup of the data never holds the keys that open it. Empty means a folder beside the data folder, named after it
    /// with ".keys" (App_Data.keys). Several web servers must share the same keys.
    /// </summary>
    public string? KeysDirectory { get; set; }

    /// <summary>Load the bundled public dataset into a new database (false starts empty).</summary>
    public bool LoadBundledData { get; set; } = true;

    [Required]
    public DatabaseOptions Database { get; set; } = new();
}

public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Required for PostgreSQL; for SQLite the default is a file in the data directory.</summary>
    public string? ConnectionString { get; set; }
}
