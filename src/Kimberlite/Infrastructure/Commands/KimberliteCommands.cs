using System.Globalization;
using Kimberlite.Accounts;
using Kimberlite.Analysis;
using Kimberlite.Field;
using Kimberlite.Imports;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Kimberlite.Statistics;
using Kimberlite.Statistics.Comtrade;
using Kimberlite.Statistics.Import;
using Microsoft.Extensions.Localization;

namespace Kimberlite.Infrastructure.Commands;

/// <summary>
/// The command line of the same executable as the web app: `kimberlite import statistics FILE`,
/// `kimberlite import comtrade FILE`, `kimberlite analyze`, `kimberlite findings`, `kimberlite db migrate`.
/// Every command first brings the database up to date, as the web app does.
/// </summary>
public static class KimberliteCommands
{
    private static readonly string[] Commands = ["import", "db", "analyze", "findings", "users", "tokens", "audit", "help", "--help", "-h"];

    /// <summary>A setting such as --Kimberlite:DataDirectory=/srv/k, accepted anywhere on the line.</summary>
    private static bool IsSetting(string arg) =>
        arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=') is > 2 and var eq && arg[..eq].Contains(':');

    public static bool IsCommand(string[] args) => args.FirstOrDefault(a => !IsSetting(a)) is { } first && Commands.Contains(first);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        if (CultureInfo.CurrentUICulture.Equals(CultureInfo.InvariantCulture))
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("fr");

        var builder = Host.CreateApplicationBuilder(args.Where(IsSetting).ToArray());
        // A command speaks through its output; the log says only what went wrong, whatever appsettings.json says.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning", ["Logging:LogLevel:Kimberlite"] = "Warning" });
        builder.AddKimberliteData();
        builder.AddKimberliteLocalization();
        builder.AddKimberliteAccounts();
        builder.AddKimberliteField();
        builder.AddKimberliteStatistics();
        builder.AddKimberliteAnalysis();
        builder.AddKimberliteImports();
        using var host = builder.Build();
        var texts = host.Services.GetRequiredService<IStringLocalizer<Texts>>();
        var positional = args.Where(a => !IsSetting(a)).ToArray();

        switch (positional)
        {
            case ["help" or "--help" or "-h", ..]:
                output.WriteLine(texts["Cli_Usage"]);
                return 0;
            case ["db", "migrate"]:
                return await MigrateAsync(host.Services, texts, output);
            case ["import", "statistics", var file, .. var options]:
                return await ImportAsync(host.Services, texts, file, options, output, errors, comtrade: false);
            case ["import", "kobo", var file, "--mapping", var mappingFile, ..]:
                return await ImportKoboAsync(host.Services, texts, file, mappingFile, output, errors);
            case ["import", "comtrade", var file, .. var options]:
                return await ImportAsync(host.Services, texts, file, options, output, errors, comtrade: true);
            case ["analyze"]:
                return await AnalyzeAsync(host.Services, texts, output);
            case ["findings"]:
            case ["findings", "--format", "json" or "csv"]:
                return await PrintFindingsAsync(host.Services, positional.Length == 3 ? positional[2] : "json", output);
            case ["users", "add", var email, .. var options]:
                return await AddUserAsync(host.Services, texts, email, options, output, errors);
            case ["tokens", "create", .. var options]:
                return await CreateTokenAsync(host.Services, texts, options, output, errors);
            case ["audit", "verify"]:
                return await VerifyAuditAsync(host.Services, texts, output, errors);
            default:
                errors.WriteLine(texts["Cli_UnknownCommand", string.Join(' ', positional)]);
                errors.WriteLine(texts["Cli_Usage"]);
                return 2;
        }
    }

    /// <summary>How the audit trail names whoever runs a command: the machine account, never a person's secret.</summary>
    private static string CommandActor => $"command line ({Environment.UserName})";

    private static string? Option(string[] options, string name) =>
        options.SkipWhile(o => o != name).Skip(1).FirstOrDefault();

    private static async Task<int> AddUserAsync(IServiceProvider services, IStringLocalizer<Texts> texts, string email, string[] options, TextWriter output, TextWriter errors)
    {
        var roleText = Option(options, "--role");
        var organisation = Option(options, "--org");
        var administrator = string.Equals(roleText, "admin", StringComparison.OrdinalIgnoreCase) || string.Equals(roleText, "administrator", StringComparison.OrdinalIgnoreCase);
        MemberRole? role = null;
        if (!administrator)
        {
            if (organisation is null || !Enum.TryParse<MemberRole>(roleText, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                errors.WriteLine(texts["Cli_UsersUsage"]);
                return 2;
            }
            role = parsed;
        }
        using var scope = services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var address = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<AccountsOptions>>().Value;
        var result = await scope.ServiceProvider.GetRequiredService<AccountService>()
            .AddUserAsync(email, administrator, administrator ? null : organisation, role, CommandActor, address.PublicAddress);
        if (!result.Succeeded)
        {
            errors.WriteLine(texts[result.Error!]);
            return 1;
        }
        output.WriteLine(administrator ? texts["Cli_UserAddedAdmin", email] : texts["Cli_UserAdded", email, texts[$"Role_{role}"], organisation!.ToUpperInvariant()]);
        if (result.Link is { } link)
        {
            output.WriteLine(texts["Cli_SetupLink", address.SetupLinkHours]);
            output.WriteLine(link);
        }
        else
            output.WriteLine(texts["Cli_HasPassword"]);
        return 0;
    }

    private static async Task<int> CreateTokenAsync(IServiceProvider services, IStringLocalizer<Texts> texts, string[] options, TextWriter output, TextWriter errors)
    {
        var email = Option(options, "--user");
        var scopeText = Option(options, "--scope") ?? "read";
        var expires = (Option(options, "--expires") ?? "30d").TrimEnd('d', 'D');
        if (email is null || !Enum.TryParse<TokenScope>(scopeText, ignoreCase: true, out var tokenScope) || !Enum.IsDefined(tokenScope)
            || !int.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var days))
        {
            errors.WriteLine(texts["Cli_TokensUsage"]);
            return 2;
        }
        using var scope = services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<User>>();
        if (await users.FindByEmailAsync(email) is not { } user)
        {
            errors.WriteLine(texts["Cli_NoSuchUser", email]);
            return 1;
        }
        var result = await scope.ServiceProvider.GetRequiredService<AccountService>()
            .CreateTokenAsync(user, Option(options, "--name") ?? "command line", tokenScope, days, CommandActor);
        if (!result.Succeeded)
        {
            errors.WriteLine(texts[result.Error!, scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<AccountsOptions>>().Value.MaxTokenDays]);
            return 1;
        }
        // The token alone on standard output, for scripts; what it is goes to standard error.
        errors.WriteLine(texts["Cli_TokenCreated", email, texts[$"Scope_{tokenScope}"], days]);
        output.WriteLine(result.Secret);
        return 0;
    }

    private static async Task<int> VerifyAuditAsync(IServiceProvider services, IStringLocalizer<Texts> texts, TextWriter output, TextWriter errors)
    {
        using (var scope = services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var verification = await services.GetRequiredService<AuditLog>().VerifyAsync();
        if (verification.FirstBrokenSequence is { } broken)
        {
            errors.WriteLine(texts["Cli_AuditBroken", broken, verification.Problem ?? ""]);
            return 1;
        }
        output.WriteLine(texts["Cli_AuditIntact", verification.Entries]);
        return 0;
    }

    private static async Task<int> ImportKoboAsync(IServiceProvider services, IStringLocalizer<Texts> texts, string file, string mappingFile, TextWriter output, TextWriter errors)
    {
        if (Locate(file) is not { } path || Locate(mappingFile) is not { } mappingPath)
        {
            errors.WriteLine(texts["Cli_FileNotFound", Locate(file) is null ? file : mappingFile]);
            return 2;
        }
        using var scope = services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var run = await scope.ServiceProvider.GetRequiredService<ImportWorkflow>().ImportAsync(
            new ImportFile(path, Path.GetFileName(path), await File.ReadAllBytesAsync(mappingPath)), new Provenance { ImportedBy = CommandActor });
        if (run.MappingError is { } mappingError)
        {
            errors.WriteLine(texts["Cli_KoboBadMapping", Path.GetFileName(mappingPath), mappingError]);
            return 2;
        }
        var result = run.Kobo!;
        if (!result.Imported)
        {
            errors.WriteLine(texts["Cli_Refused", Path.GetFileName(path), result.Problems.Count]);
            foreach (var p in result.Problems)
                errors.WriteLine(Describe(texts, p));
            return 1;
        }
        output.WriteLine(texts["Cli_KoboImported", Path.GetFileName(path), result.Created, result.Repeated]);
        return 0;
    }

    private static async Task<int> MigrateAsync(IServiceProvider services, IStringLocalizer<Texts> texts, TextWriter output)
    {
        using var scope = services.CreateScope();
        var applied = await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        output.WriteLine(texts["Cli_Database", services.DescribeDatabase(texts)]);
        output.WriteLine(applied.Count == 0 ? texts["Cli_MigrateNothing"] : texts["Cli_MigrateApplied", applied.Count, string.Join(", ", applied)]);
        return 0;
    }

    private static async Task<int> ImportAsync(
        IServiceProvider services, IStringLocalizer<Texts> texts, string file, string[] options, TextWriter output, TextWriter errors, bool comtrade)
    {
        var (provenance, optionError) = ReadProvenance(options, texts);
        if (optionError is not null)
        {
            errors.WriteLine(optionError);
            return 2;
        }
        if (Locate(file) is not { } path)
        {
            errors.WriteLine(texts["Cli_FileNotFound", file]);
            return 2;
        }
        file = path;

        using var scope = services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        // The same workflow as the /import page: it chooses the importer from the file, audits, and analyses afterwards.
        var run = await scope.ServiceProvider.GetRequiredService<ImportWorkflow>().ImportAsync(
            new ImportFile(file, Path.GetFileName(file)), provenance! with { ImportedBy = CommandActor });
        var result = run.Result!;
        if (run.Kind != (comtrade ? ImportKind.Comtrade : ImportKind.Statistics))
            errors.WriteLine(texts["Door_CliChosen", texts[$"Door_Kind_{run.Kind}"], texts[run.ChoiceReason]]);

        switch (result.Outcome)
        {
            case ImportOutcome.AlreadyImported:
                output.WriteLine(texts["Cli_AlreadyImported", result.DatasetId!]);
                if (run.Analysis is { } pendingRun)
                    output.WriteLine(texts["Cli_AnalysisDone", pendingRun.Raised, pendingRun.Changed, pendingRun.Resolved, pendingRun.Active.Count]);
                return 0;
            case ImportOutcome.Refused when run.PublisherNeeded && result.Problems.All(p => p.Reason == "Door_PublisherNotStated"):
                errors.WriteLine(texts["Door_CliPublisherRequired", Path.GetFileName(file), run.SuggestedPublisher!]);
                return 2;
            case ImportOutcome.Refused:
                var refusals = result.Refusals.ToList();
                errors.WriteLine(texts["Cli_Refused", Path.GetFileName(file), run.ProblemCount]);
                foreach (var p in refusals)
                    errors.WriteLine(Describe(texts, p));
                return 1;
            default:
                output.WriteLine(texts["Cli_Imported", result.DatasetId!, Path.GetFileName(file), texts[$"Format_{result.Format}"], result.RowsRead, result.RowsLoaded, result.FiguresLoaded]);
                foreach (var p in result.Problems)
                    output.WriteLine(Describe(texts, p));
                // Findings follow the figures: every import is followed by a new analysis.
                if (run.Analysis is { } summary)
                    output.WriteLine(texts["Cli_AnalysisDone", summary.Raised, summary.Changed, summary.Resolved, summary.Active.Count]);
                else
                    errors.WriteLine(texts["Door_AnalysisPending"]);
                return run.AnalysisPending ? 1 : 0;
        }
    }

    private static async Task<int> AnalyzeAsync(IServiceProvider services, IStringLocalizer<Texts> texts, TextWriter output)
    {
        using var scope = services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        var summary = await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(default, (db, counts, token) =>
            audit.AppendInAsync(db, CommandActor, AuditActions.Analysis, "findings", $"{counts.Raised} raised, {counts.Changed} changed, {counts.Resolved} resolved", token));
        output.WriteLine(texts["Cli_AnalysisDone", summary.Raised, summary.Changed, summary.Resolved, summary.Active.Count]);
        var rules = summary.Active.Select(f => f.Rule).Distinct().Order().ToList();
        var countries = summary.Active.Select(f => f.CountryIso3).Distinct().Order().ToList();
        if (summary.Active.Count == 0)
            return 0;
        // A table: one line per rule, one column per country, the number of active findings in each cell.
        var width = Math.Max(rules.Max(r => texts[$"Rule_{r}"].Value.Length), texts["Cli_Total"].Value.Length) + 2;
        output.WriteLine(texts["Cli_Rule"].Value.PadRight(width) + string.Concat(countries.Select(c => c.PadLeft(6))) + texts["Cli_Total"].Value.PadLeft(8));
        foreach (var rule in rules)
        {
            var line = texts[$"Rule_{rule}"].Value.PadRight(width)
                + string.Concat(countries.Select(c => summary.Active.Count(f => f.Rule == rule && f.CountryIso3 == c).ToString(CultureInfo.InvariantCulture).PadLeft(6)))
                + summary.Active.Count(f => f.Rule == rule).ToString(CultureInfo.InvariantCulture).PadLeft(8);
            output.WriteLine(line);
        }
        output.WriteLine(texts["Cli_Total"].Value.PadRight(width)
            + string.Concat(countries.Select(c => summary.Active.Count(f => f.CountryIso3 == c).ToString(CultureInfo.InvariantCulture).PadLeft(6)))
            + summary.Active.Count.ToString(CultureInfo.InvariantCulture).PadLeft(8));
        return 0;
    }

    private static async Task<int> PrintFindingsAsync(IServiceProvider services, string format, TextWriter output)
    {
        using var scope = services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var findings = await FindingsApi.QueryAsync(scope.ServiceProvider.GetRequiredService<KimberliteDb>(), new FindingFilter(), CancellationToken.None);
        if (format == "csv")
            await output.WriteAsync(FindingsApi.Csv(findings, scope.ServiceProvider.GetRequiredService<FindingTexts>()));
        else
            await output.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(
                findings.Select(f => FindingDto.From(f, scope.ServiceProvider.GetRequiredService<FindingTexts>())), FindingsApi.JsonOptions));
        return 0;
    }

    /// <summary>
    /// A relative path is read from the shell's directory ($PWD) first: `dotnet run --project` starts
    /// the program in the project's folder, not where the user typed the command.
    /// </summary>
    private static string? Locate(string file)
    {
        if (Path.IsPathRooted(file))
            return File.Exists(file) ? file : null;
        var shell = Environment.GetEnvironmentVariable("PWD");
        return new[] { shell, Directory.GetCurrentDirectory() }
            .OfType<string>()
            .Select(folder => Path.GetFullPath(Path.Combine(folder, file)))
            .FirstOrDefault(File.Exists);
    }

    public static string Describe(IStringLocalizer<Texts> texts, ImportProblem p) =>
        texts[p.Kind == ImportIssueKind.Refused ? "Cli_ProblemRefused" : "Cli_ProblemNote", p.Line, p.Column, p.Value ?? "", texts[p.Reason]];

    private static (Provenance? Provenance, string? Error) ReadProvenance(string[] options, IStringLocalizer<Texts> texts)
    {
        string? title = null, publisher = null, url = null;
        DateOnly? retrieved = null;
        for (var i = 0; i < options.Length; i++)
        {
            var value = i + 1 < options.Length && !options[i + 1].StartsWith("--", StringComparison.Ordinal) ? options[i + 1] : null;
            if (options[i] is "--title" or "--publisher" or "--url" or "--retrieved" && value is null)
                return (null, texts["Cli_OptionNeedsValue", options[i]]);
            switch (options[i])
            {
                case "--title" when value is not null: title = value; i++; break;
                case "--publisher" when value is not null: publisher = value; i++; break;
                case "--url" when value is not null: url = value; i++; break;
                case "--retrieved" when value is not null:
                    if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                        return (null, texts["Cli_BadDate", value]);
                    retrieved = date; i++; break;
                default:
                    return (null, texts["Cli_UnknownOption", options[i]] + Environment.NewLine + texts["Cli_Usage"]);
            }
        }
        return (new Provenance(title, publisher, url, retrieved), null);
    }
}
