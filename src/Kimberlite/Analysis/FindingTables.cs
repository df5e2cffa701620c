using Kimberlite.Infrastructure.Data;

namespace Kimberlite.Analysis;

/// <summary>How new findings are written in bulk: after a world-wide import they run to thousands.</summary>
internal static class FindingTables
{
    public static readonly BulkTable<Finding> Findings = new("Findings",
    [
        BulkColumn<Finding>.Of(nameof(Finding.Rule), f => (int)f.Rule),
        BulkColumn<Finding>.Of(nameof(Finding.Key), f => f.Key),
        BulkColumn<Finding>.Of(nameof(Finding.CountryIso3), f => f.CountryIso3),
        BulkColumn<Finding>.Of(nameof(Finding.PartnerIso3), f => f.PartnerIso3),
        BulkColumn<Finding>.Of(nameof(Finding.Year), f => f.Year),
        BulkColumn<Finding>.Of(nameof(Finding.PeriodText), f => f.PeriodText),
        BulkColumn<Finding>.Of(nameof(Finding.Metric), f => (int)f.Metric),
        BulkColumn<Finding>.Of(nameof(Finding.Measure), f => f.Measure),
        BulkColumn<Finding>.Of(nameof(Finding.Observed), f => f.Observed),
        BulkColumn<Finding>.Of(nameof(Finding.Expected), f => f.Expected),
        BulkColumn<Finding>.Of(nameof(Finding.ExpectedLow), f => f.ExpectedLow),
        BulkColumn<Finding>.Of(nameof(Finding.ExpectedHigh), f => f.ExpectedHigh),
        BulkColumn<Finding>.Of(nameof(Finding.Gap), f => f.Gap),
        BulkColumn<Finding>.Of(nameof(Finding.GapPercent), f => f.GapPercent),
        BulkColumn<Finding>.Of(nameof(Finding.TolerancePercent), f => f.TolerancePercent),
        BulkColumn<Finding>.Of(nameof(Finding.RevenueLost), f => f.RevenueLost),
        BulkColumn<Finding>.Of(nameof(Finding.RatePct), f => f.RatePct),
        BulkColumn<Finding>.Of(nameof(Finding.RateSource), f => f.RateSource),
        BulkColumn<Finding>.Of(nameof(Finding.Severity), f => (int)f.Severity),
        BulkColumn<Finding>.Of(nameof(Finding.Status), f => (int)f.Status),
        BulkColumn<Finding>.Of(nameof(Finding.StatusNote), f => f.StatusNote),
        BulkColumn<Finding>.Of(nameof(Finding.Resolved), f => f.Resolved),
        BulkColumn<Finding>.Of(nameof(Finding.Inputs), f => f.Inputs),
        BulkColumn<Finding>.Of(nameof(Finding.InputsHash), f => f.InputsHash),
        BulkColumn<Finding>.Of(nameof(Finding.RaisedAtUtc), f => f.RaisedAtUtc),
        BulkColumn<Finding>.Of(nameof(Finding.UpdatedAtUtc), f => f.UpdatedAtUtc),
    ]);
}
