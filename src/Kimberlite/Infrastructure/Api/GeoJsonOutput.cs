using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kimberlite.Infrastructure.Api;

/// <summary>Lists of places as GeoJSON (RFC 7946) for `?format=geojson`: a point per row, the row's other fields as properties.</summary>
public static class GeoJsonOutput
{
    public static FileContentHttpResult File<T>(IEnumerable<T> rows, string fileName, Func<T, (double Latitude, double Longitude)> point)
    {
        var features = new JsonArray();
        foreach (var row in rows)
        {
            var (latitude, longitude) = point(row);
            features.Add(new JsonObject
            {
                ["type"] = "Feature",
                ["geometry"] = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(longitude, latitude) },
                ["properties"] = JsonSerializer.SerializeToNode(row, JsonSerializerOptions.Web),
            });
        }
        var collection = new JsonObject { ["type"] = "FeatureCollection", ["features"] = features };
        return TypedResults.File(JsonSerializer.SerializeToUtf8Bytes(collection), "application/geo+json", fileName);
    }
}
