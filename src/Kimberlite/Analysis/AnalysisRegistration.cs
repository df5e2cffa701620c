using Kimberlite.Analysis.Rules;

namespace Kimberlite.Analysis;

public static class AnalysisRegistration
{
    public static IHostApplicationBuilder AddKimberliteAnalysis(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AnalysisOptions>()
            .BindConfiguration(AnalysisOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.WarningFromPercent <= o.SeriousFromPercent, "Kimberlite:Analysis:WarningFromPercent must not exceed SeriousFromPercent.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IFindingRule, SourceConflictRule>();
        builder.Services.AddSingleton<IFindingRule, BalanceRule>();
        builder.Services.AddSingleton<IFindingRule, MirrorGapRule>();
        builder.Services.AddSingleton<IFindingRule, ValuationGapRule>();
        builder.Services.AddSingleton<IFindingRule, SuddenChangeRule>();
        builder.Services.AddSingleton<IFindingRule, PartsAndTotalRule>();
        builder.Services.AddSingleton<IFindingRule, TradingHubRule>();
        builder.Services.AddSingleton<IFindingRule, OvervaluationRule>();
        builder.Services.AddScoped<Rates.LegalRateStore>();
        builder.Services.AddScoped<FindingsEngine>();
        builder.Services.AddScoped<FindingTexts>();
        builder.Services.AddScoped<Labels.LabelMeanings>();
        return builder;
    }
}
