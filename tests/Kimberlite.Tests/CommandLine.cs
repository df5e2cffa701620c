using System.Globalization;
using Kimberlite.Infrastructure.Commands;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Tests;

/// <summary>The command line, in-process, on a test app's database, in English.</summary>
public static class CommandLine
{
    public static async Task<(int Exit, string Output, string Errors)> RunAsync(KimberliteApp app, params string[] args)
    {
        var configuration = app.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        var settings = new[] { "Kimberlite:DataDirectory", "Kimberlite:Database:Provider", "Kimberlite:Database:ConnectionString", "Kimberlite:LoadBundledData" }
            .Where(k => configuration[k] is not null).Select(k => $"--{k}={configuration[k]}");
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");
        try
        {
            var output = new StringWriter();
            var errors = new StringWriter();
            var exit = await KimberliteCommands.RunAsync([.. args, .. settings], output, errors);
            return (exit, output.ToString(), errors.ToString());
        }
        finally
        {
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = culture;
        }
    }
}
