using Kimberlite.Statistics;

namespace Kimberlite.Analysis.Labels;

/// <summary>The values a meaning may give, by kind of label, and what each one makes of a figure.</summary>
public static class LabelValues
{
    /// <summary>The whole country, one of the two segments that make it, or some other part of it (one company, some zones).</summary>
    public const string Total = "total", Artisanal = "artisanal", Industrial = "industrial", Part = "part";

    public static readonly string[] Segments = [Total, Artisanal, Industrial, Part];

    /// <summary>The kinds of source of docs/decisions/004, as a meaning names them.</summary>
    public static readonly IReadOnlyDictionary<string, SourceKind> Publishers = new Dictionary<string, SourceKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["kimberley-process"] = SourceKind.KimberleyProcess,
        ["national"] = SourceKind.National,
        ["eiti"] = SourceKind.Eiti,
        ["other"] = SourceKind.Other,
    };

    public static readonly string[] Kinds = ["segment", "period", "publisher"];

    public static LabelKind? KindOf(string? word) => word?.Trim().ToLowerInvariant() switch
    {
        "segment" => LabelKind.Segment,
        "period" => LabelKind.Period,
        "publisher" => LabelKind.Publisher,
        _ => null,
    };

    public static string Word(LabelKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The value as stored, or null when the kind does not take it (a period Period.Parse does not understand).</summary>
    public static string? Normalise(LabelKind kind, string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
            return null;
        return kind switch
        {
            LabelKind.Segment => Segments.FirstOrDefault(s => string.Equals(s, text, StringComparison.OrdinalIgnoreCase)),
            LabelKind.Publisher => Publishers.ContainsKey(text) ? text.ToLowerInvariant() : null,
            // Any year will do: the value says which part of a year, the figure's own year text says which year.
            _ => Period.Parse("2000", text).Kind is PeriodKind.Unknown ? null : text,
        };
    }

    /// <summary>The values a kind takes, as the messages list them.</summary>
    public static string Allowed(LabelKind kind) => kind switch
    {
        LabelKind.Segment => string.Join(", ", Segments),
        LabelKind.Publisher => string.Join(", ", Publishers.Keys),
        _ => "year, H1, Q3, Jan, Jan-Sep",
    };
}
