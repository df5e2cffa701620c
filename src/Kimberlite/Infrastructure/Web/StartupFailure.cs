using Kimberlite.Infrastructure.Data;

namespace Kimberlite.Infrastructure.Web;

/// <summary>
/// What stopped the web app before it could serve, in one paragraph in the operator's language rather than a stack:
/// exit code 3 for the database's settings, as on the command line, 1 for anything else (a port in use, a setting refused).
/// </summary>
public static class StartupFailure
{
    /// <summary>False where a test host runs Program: the failure must reach it as the exception it is.</summary>
    public static bool IsOwnProcess => System.Reflection.Assembly.GetEntryAssembly() == typeof(StartupFailure).Assembly;

    public static int Report(Exception failure, WebApplicationBuilder builder, TextWriter errors)
    {
        var texts = StandaloneTexts.Create();
        if (DatabaseFault.Of(failure, builder.Configuration, builder.Environment) is { } fault)
        {
            errors.WriteLine(fault.Describe(texts));
            return 3;
        }
        // Each message of the chain once: what failed, then why.
        var messages = new List<string>();
        for (var e = failure; e is not null; e = e.InnerException)
            if (!messages.Any(m => m.Contains(e.Message, StringComparison.Ordinal)))
                messages.Add(e.Message);
        errors.WriteLine(texts["Fault_StartFailed", string.Join(" — ", messages)]);
        return 1;
    }
}
