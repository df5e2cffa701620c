using Kimberlite.Accounts;
using Kimberlite.Advocacy;
using Kimberlite.Analysis;
using Kimberlite.Field;
using Kimberlite.Imports;
using Kimberlite.Infrastructure.Commands;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Kimberlite.Infrastructure.Web;
using Kimberlite.Library;
using Kimberlite.Statistics;

if (KimberliteCommands.IsCommand(args))
    return await KimberliteCommands.RunAsync(args, Console.Out, Console.Error);

var builder = WebApplication.CreateBuilder(args);
try
{
    builder.AddKimberliteData();
    builder.AddKimberliteLocalization();
    builder.AddKimberliteAccounts();
    builder.AddKimberliteAccess();
    builder.AddKimberliteWeb();
    builder.AddKimberliteStatistics();
    builder.AddKimberliteAnalysis();
    builder.AddKimberliteField();
    builder.AddKimberliteImports();
    builder.AddKimberliteAdvocacy();
    builder.AddKimberliteLibrary();

    var app = builder.Build();
    app.UseKimberliteWeb();
    app.UseKimberliteAccess();
    app.UseUploadLimits();
    app.MapHealth();
    app.MapCultureSwitch();
    app.MapStatisticsApi();
    app.MapDatasetsApi();
    app.MapFindingsApi();
    app.MapFieldApi();
    app.MapRecommendationsApi();
    app.MapMeetingsApi();
    app.MapAdvocacyFeed();
    app.MapCommentsApi();
    app.MapLibrarySearchApi();
    app.MapCitationsApi();
    app.MapDocumentsApi();
    app.MapKimberliteApiDocs();
    app.MapRazorPages();

    await app.RunAsync();
    return 0;
}
catch (Exception failure) when (failure is not HostAbortedException && StartupFailure.IsOwnProcess)
{
    return StartupFailure.Report(failure, builder, Console.Error);
}

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
