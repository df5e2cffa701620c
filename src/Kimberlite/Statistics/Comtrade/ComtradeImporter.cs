using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics.Import;
using Microsoft.EntityFrameworkCore;
using Sylvan.Data.Csv;

namespace Kimberlite.Statistics.Comtrade;

/// <summary>
/// Imports a UN Comtrade bulk CSV of HS 7102 with the column names Comtrade publishes (reporterISO,
/// partnerISO, refYear, refMonth, flowCode, cmdCode, qtyUnitAbbr, qty, netWgt, primaryValue, cifvalue,
/// fobvalue, isReported, isAggregate). It streams: one pass to fingerprint and check every row (all or
/// nothing, every problem listed), one pass to write, through the provider's bulk path.
/// </summary>
public sealed class ComtradeImporter(KimberliteDb db, ITradeFlowWriter writer, TimeProvider clock, ILogger<ComtradeImporter> logger)
{
    private static readonly string[] Required = ["reporteriso", "partneriso", "flowcode", "cmdcode", "primaryvalue"];
    private static readonly string[] CaratUnits = ["carat", "carats", "ct", "crt"];

    /// <summary>Problems beyond this many are counted, not listed: a wrong file can have millions.</summary>
    public const int MaxListedProblems = 1000;

    public async Task<ImportResult> ImportAsync(string path, Provenance provenance, CancellationToken cancellationToken = default)
    {
        string sha256;
        await using (var file = File.OpenRead(path))
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        if (await db.DatasetIdWithShaAsync(sha256, cancellationToken) is { } existing)
            return new ImportResult(ImportOutcome.AlreadyImported, existing, StatisticsFormat.Comtrade, 0, 0, 0, []);

        var problems = new List<ImportProblem>();
        var rows = 0;
        var dataset = new Dataset
        {
            Title = provenance.Title ?? Path.GetFileNameWithoutExtension(path),
            Publisher = provenance.Publisher ?? "United Nations Statistics Division (UN Comtrade)",
            Address = provenance.Address ?? "https://comtradeplus.un.org/",
            RetrievedOn = provenance.RetrievedOn,
            FileName = Path.GetFileName(path),
            Sha256 = sha256,
            Format = StatisticsFormat.Comtrade,
            ImportedAtUtc = clock.GetUtcNow().UtcDateTime,
        };

        // One pass: rows are checked as they are written, inside a transaction that a single problem rolls back.
        IEnumerable<TradeFlow> Checked()
        {
            foreach (var (flow, rowProblems) in Read(path))
            {
                rows++;
                if (rowProblems is not null)
                {
                    foreach (var p in rowProblems.Where(_ => problems.Count < MaxListedProblems))
                        problems.Add(p);
                    continue;
                }
                if (problems.Count > 0)
                    continue; // the file is refused already: read on only to list every problem
                flow!.DatasetId = dataset.Id;
                yield return flow;
            }
        }

        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Datasets.Add(dataset);
            await db.SaveChangesAsync(cancellationToken);
            await writer.WriteAsync(db, Checked(), cancellationToken);
            if (rows == 0 && problems.Count == 0)
                problems.Add(new ImportProblem(2, "(row)", null, ImportIssueKind.Refused, "Import_NoRows"));
            if (problems.Count > 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return new ImportResult(ImportOutcome.Refused, null, StatisticsFormat.Comtrade, rows, 0, 0, problems);
            }
            dataset.RowsRead = dataset.RowsLoaded = rows;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await db.DatasetIdWithShaAsync(sha256, cancellationToken) is { } raced)
                return new ImportResult(ImportOutcome.AlreadyImported, raced, StatisticsFormat.Comtrade, 0, 0, 0, []);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException and not DbUpdateException && IsUnreadable(e))
        {
            db.ChangeTracker.Clear();
            logger.LogInformation("Unreadable Comtrade file {File}: {Error}", Path.GetFileName(path), e.GetType().Name);
            return new ImportResult(ImportOutcome.Refused, null, StatisticsFormat.Comtrade, rows, 0, 0,
                [new ImportProblem(rows + 1, "(file)", e.Message, ImportIssueKind.Refused, "Import_UnreadableFile")]);
        }
        db.ChangeTracker.Clear();
        logger.LogInformation("Imported Comtrade dataset {DatasetId}: {Rows} rows", dataset.Id, rows);
        return new ImportResult(ImportOutcome.Imported, dataset.Id, StatisticsFormat.Comtrade, rows, rows, rows, []);
    }

    /// <summary>What the CSV reader throws on a file it cannot read, as opposed to a failure of the database.</summary>
    private static bool IsUnreadable(Exception e) =>
        e is Sylvan.Data.Csv.CsvFormatException or FormatException or InvalidDataException or DecoderFallbackException
        || e.GetType().Namespace == "Sylvan.Data.Csv";

    /// <summary>Each row as a flow, or as the problems that refuse it.</summary>
    private static IEnumerable<(TradeFlow? Flow, List<ImportProblem>? Problems)> Read(string path)
    {
        using var csv = CsvDataReader.Create(path, new CsvDataReaderOptions { HasHeaders = true, BufferSize = 1 << 16 });
        var columns = Enumerable.Range(0, csv.FieldCount).ToDictionary(i => csv.GetName(i).Trim().ToLowerInvariant(), i => i);
        var missing = Required.Where(c => !columns.ContainsKey(c)).ToList();
        if (!columns.ContainsKey("refyear") && !columns.ContainsKey("period"))
            missing.Add("refYear");
        if (missing.Count > 0)
        {
            yield return (null, missing.Select(c => new ImportProblem(1, c, null, ImportIssueKind.Refused, "Import_MissingColumn")).ToList());
            yield break;
        }
        int Column(string name) => columns.GetValueOrDefault(name, -1);
        var (reporter, partner, flowCode, cmd, value) = (Column("reporteriso"), Column("partneriso"), Column("flowcode"), Column("cmdcode"), Column("primaryvalue"));
        var (refYear, refMonth, period, freq) = (Column("refyear"), Column("refmonth"), Column("period"), Column("freqcode"));
        var (unit, qty, netWgt, cif, fob, reported, aggregate) =
            (Column("qtyunitabbr"), Column("qty"), Column("netwgt"), Column("cifvalue"), Column("fobvalue"), Column("isreported"), Column("isaggregate"));

        var line = 1;
        while (csv.Read())
        {
            line++;
            List<ImportProblem>? problems = null;
            string Text(int i) => i >= 0 && i < csv.RowFieldCount ? csv.GetString(i).Trim() : "";
            void Refuse(int i, string reason) =>
                (problems ??= []).Add(new ImportProblem(line, i >= 0 ? csv.GetName(i) : "(row)", i >= 0 ? Text(i) : null, ImportIssueKind.Refused, reason));
            decimal? Number(int i)
            {
                var (v, refusal) = NumberReader.Read(Text(i));
                if (refusal != NumberReader.Refusal.None)
                    Refuse(i, $"Import_Number_{refusal}");
                return v;
            }

            var reporterCode = Country(Text(reporter));
            if (reporterCode is null || CountryCodes.IsAggregate(reporterCode) && reporterCode == "WLD")
                Refuse(reporter, "Import_UnknownCountryCode");
            var partnerText = Text(partner);
            var partnerCode = Country(partnerText);
            if (partnerText.Length == 0)
                Refuse(partner, "Import_Required");
            var flowText = Text(flowCode).ToUpperInvariant();
            if (flowText.Length is 0 or > 4 || !flowText.All(char.IsAsciiLetterUpper))
                Refuse(flowCode, "Import_UnknownFlow");
            var commodity = Text(cmd);
            if (!commodity.StartsWith("7102", StringComparison.Ordinal) || !commodity.All(char.IsAsciiDigit))
                Refuse(cmd, "Import_NotRoughDiamonds");
            var (year, month) = When(Text(refYear), Text(refMonth), Text(period), Text(freq));
            if (year is null)
                Refuse(refYear >= 0 ? refYear : period, "Import_PeriodNotUnderstood");
            var quantity = Number(qty);
            var weight = Number(netWgt);
            var primary = Number(value);
            if (primary is null && Text(value).Length == 0)
                Refuse(value, "Import_Required");
            var cifValue = Number(cif);
            var fobValue = Number(fob);
            var unitText = Text(unit);

            if (problems is not null)
            {
                yield return (null, problems);
                continue;
            }
            var partnerIsAggregate = partnerCode is null || CountryCodes.IsAggregate(partnerCode) || Flag(Text(aggregate)) == true;
            yield return (new TradeFlow
            {
                Line = line, ReporterIso3 = reporterCode!, PartnerIso3 = partnerCode ?? partnerText.ToUpperInvariant()[..Math.Min(3, partnerText.Length)],
                PartnerIsAggregate = partnerIsAggregate, Year = year!.Value, Month = month, FlowCode = flowText, CommodityCode = commodity,
                QtyUnit = unitText.Length == 0 ? null : unitText[..Math.Min(20, unitText.Length)], Qty = quantity,
                Carats = CaratUnits.Contains(unitText.ToLowerInvariant()) ? quantity : null,
                NetWeightKg = weight, PrimaryValue = primary, CifValue = cifValue, FobValue = fobValue, IsReported = Flag(Text(reported)),
            }, null);
        }
    }

    /// <summary>An ISO3 code; Comtrade writes the world W00.</summary>
    private static string? Country(string text)
    {
        var code = text.ToUpperInvariant();
        if (code is "W00" or "WLD")
            return "WLD";
        return code.Length == 3 && CountryCodes.IsKnown(code) ? code : null;
    }

    private static (int? Year, int? Month) When(string refYear, string refMonth, string period, string freq)
    {
        static int? Int(string s) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
        var year = Int(refYear) ?? (period.Length >= 4 ? Int(period[..4]) : null);
        var month = Int(refMonth) ?? (period.Length == 6 ? Int(period[4..]) : null);
        if (year is not (>= 1900 and <= 2100))
            return (null, null);
        var monthly = freq.Equals("M", StringComparison.OrdinalIgnoreCase) || freq.Length == 0 && month is >= 1 and <= 12;
        if (!monthly)
            return (year, null);
        return month is >= 1 and <= 12 ? (year, month) : (null, null);
    }

    private static bool? Flag(string text) => text.ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => null,
    };
}
