using System.Text.Json;

namespace Kimberlite.Infrastructure.Api;

/// <summary>
/// How the API and the forms write an enum (camelCase: underReview, humanRightsAbuse) and read one back,
/// also as a person may type it (human-rights-abuse, HumanRightsAbuse); never as a number.
/// </summary>
public static class ApiCodes
{
    public static string Code(Enum value) => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public static string Code<T>(T value) where T : struct, Enum => Code((Enum)value);

    public static T? Parse<T>(string? text) where T : struct, Enum
    {
        var name = text?.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        return name is { Length: > 0 } && !char.IsAsciiDigit(name[0]) && Enum.TryParse<T>(name, ignoreCase: true, out var value) && Enum.IsDefined(value) ? value : null;
    }

    /// <summary>The codes an error message lists: "violence, humanRightsAbuse, …".</summary>
    public static string Names<T>(params T[] except) where T : struct, Enum =>
        string.Join(", ", Enum.GetValues<T>().Where(v => !except.Contains(v)).Select(Code));
}
