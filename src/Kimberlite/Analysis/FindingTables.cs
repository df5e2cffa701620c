using Kimberlite.Infrastructure.Data;

namespace Kimberlite.Analysis;

/// <summary>How new findings are written in bulk (after a world-wide import they run to thousands): every column the model maps.</summary>
internal static class FindingTables
{
    public static readonly BulkTable<Finding> Findings = new();
}
