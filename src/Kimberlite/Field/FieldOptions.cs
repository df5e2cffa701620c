using System.ComponentModel.DataAnnotations;

namespace Kimberlite.Field;

/// <summary>Settings of the `Kimberlite:Field` section.</summary>
public sealed class FieldOptions
{
    public const string Section = "Kimberlite:Field";

    /// <summary>Published incidents are shown at the centre of a grid cell this many degrees wide (0.1° is about 11 km).</summary>
    [Range(0.01, 5)]
    public double PublicGridDegrees { get; set; } = 0.1;

    /// <summary>Optional: a tile address such as https://tile.example.org/{z}/{x}/{y}.png for deployments that are online (its host is then allowed for images by the content security policy).</summary>
    public string? MapTileAddress { get; set; }

    /// <summary>The 32-byte key that encrypts reporters' names and contacts, relative to the keys directory; made on first use.</summary>
    [Required]
    public string ReporterKeyFile { get; set; } = "reporter.key";
}
