using System.Text.Json;

namespace Kimberlite.Field;

/// <summary>
/// How a KoboToolbox or ODK form's fields become Kimberlite's (docs/field/): the kind of record, the organisation
/// that collected it, the form field for each Kimberlite field (a path as the export writes it: `group/field`,
/// ODK Central's `group-field`, `name[0]` for an element of a list such as `_geolocation`), the form's choice names
/// for Kimberlite's where they differ, and fixed values for what the form does not ask.
/// </summary>
public sealed record KoboMapping(string? Kind, string? Organisation, Dictionary<string, string>? Fields, Dictionary<string, Dictionary<string, string>>? Values,
    Dictionary<string, string>? Constants = null)
{
    /// <summary>
    /// The Kimberlite fields a mapping may name: those of POST /api/v1/field/submissions, plus `point` (a geopoint that gives
    /// latitude, longitude and precisionMetres at once) and `replaces` (the identifier of the version an edit replaces).
    /// </summary>
    public static readonly IReadOnlySet<string> KnownFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "clientId", "replaces", "point", "category", "occurredOn", "latitude", "longitude", "precisionMetres", "countryIso3", "siteId", "severity",
        "killed", "injured", "affected", "perpetrator", "description", "reporterName", "reporterContact",
        "visitedOn", "workers", "women", "childrenUnder15", "children15To18", "childrenWork", "armedPresence", "armedGroup", "interference",
        "mercury", "stateServices", "traceability", "notes",
    };

    /// <summary>A mapping file as docs/field describes it; a JsonException says what is wrong with it.</summary>
    public static KoboMapping Read(byte[] content)
    {
        var mapping = JsonSerializer.Deserialize<KoboMapping>(content, JsonSerializerOptions.Web) ?? throw new JsonException("The mapping file is empty (null).");
        if (mapping.Fields?.FirstOrDefault(f => string.IsNullOrWhiteSpace(f.Value)) is { Key: { } field })
            throw new JsonException($"\"fields\" maps {field} to no form field: name the form field, or leave {field} out.");
        if (mapping.Values?.FirstOrDefault(v => v.Value is null || v.Value.Values.Any(string.IsNullOrWhiteSpace)) is { Key: { } values })
            throw new JsonException($"\"values\" of {values} holds an empty value: give Kimberlite's name for each of the form's choices.");
        if (mapping.Constants?.FirstOrDefault(c => string.IsNullOrWhiteSpace(c.Value)) is { Key: { } constant })
            throw new JsonException($"\"constants\" gives {constant} no value: give the value, or leave {constant} out.");
        return mapping;
    }
}
