using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace Kimberlite.Tests;

/// <summary>Photographs as phones send them, with the metadata Kimberlite must remove.</summary>
public static class TestImages
{
    /// <summary>A 64 × 48 JPEG whose EXIF holds a GPS latitude and the phone's model.</summary>
    public static byte[] JpegWithGps()
    {
        using var image = new Image<Rgb24>(64, 48);
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.GPSLatitude, [new Rational(4, 1), new Rational(22, 1), new Rational(160, 10)]);
        exif.SetValue(ExifTag.Model, "Tecno Spark 10");
        image.Metadata.ExifProfile = exif;
        using var jpeg = new MemoryStream();
        image.SaveAsJpeg(jpeg);
        return jpeg.ToArray();
    }
}
