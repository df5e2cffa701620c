using System.Globalization;
using System.Runtime.CompilerServices;
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
/// fobvalue, isReported, isAggregate). It streams in one pass: every row is checked (all or nothing, every problem
/// listed) as it is written through the provider's bulk path, the file's SHA-256 computed from the same
/// bytes, and the yearly totals the analysis reads added up and kept in blocks.
/// </summary>
public sealed class ComtradeImporter(KimberliteDb db, IBulkWriter writer, TimeProvider clock, ILogger<ComtradeImporter> logger)
{
    private static readonly string[] Required = ["reporteriso", "partneriso", "flowcode", "cmdcode", "primaryvalue"];

    /// <summary>Problems beyond this many are counted, not listed: a wrong file can have millions.</summary>
    public const int MaxListedProblems = 1000;

    public async Task<ImportResult> ImportAsync(string path, Provenance provenance, CancellationToken cancellationToken = default)
    {
        // A new file is fingerprinted as it is read rather than in a pass of its own before. A file imported
        // already would then be found only at the end, after all its rows were written and rolled back, with
        // SQLite's write lock held all along: when a file of the same name was imported before, it is
        // fingerprinted first, as any file was before (docs/decisions/011-import-in-one-pass.md).
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        string? sha256 = null;
        var fileName = Path.GetFileName(path);
        if (await db.Datasets.AnyAsync(d => d.FileName == fileName, cancellationToken))
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
            if (await db.DatasetIdWithShaAsync(sha256, cancellationToken) is { } existing)
                return new ImportResult(ImportOutcome.AlreadyImported, existing, StatisticsFormat.Comtrade, 0, 0, 0, []);
            file.Position = 0;
        }
        using var hash = SHA256.Create();
        await using var hashed = new CryptoStream(file, hash, CryptoStreamMode.Read, leaveOpen: true);
        var problems = new List<ImportProblem>();
        var rows = 0;
        var totals = new TradeFlowTotals();
        var dataset = new Dataset
        {
            Title = provenance.Title ?? Path.GetFileNameWithoutExtension(path),
            Publisher = provenance.Publisher ?? "United Nations Statistics Division (UN Comtrade)",
            Address = provenance.Address ?? "https://comtradeplus.un.org/",
            RetrievedOn = provenance.RetrievedOn,
            FileName = fileName,
            Sha256 = $"pending-{Guid.NewGuid():N}",
            Format = StatisticsFormat.Comtrade,
            ImportedAtUtc = clock.GetUtcNow().UtcDateTime,
        };

        // One pass: rows are checked as they are written, inside a transaction that a single problem rolls back.
        IEnumerable<TradeFlow> Checked()
        {
            foreach (var (flow, rowProblems) in Read(hashed))
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
                totals.Add(flow);
                yield return flow;
            }
        }

        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Datasets.Add(dataset);
            await db.SaveChangesAsync(cancellationToken);
            await writer.WriteAsync(db, TradeFlowTables.Flows, Checked(), cancellationToken);
            if (rows == 0 && problems.Count == 0)
                problems.Add(new ImportProblem(2, "(row)", null, ImportIssueKind.Refused, "Import_NoRows"));
            if (problems.Count > 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return new ImportResult(ImportOutcome.Refused, null, StatisticsFormat.Comtrade, rows, 0, 0, problems);
            }
            await hashed.CopyToAsync(Stream.Null, cancellationToken); // whatever the reader left, so the hash is the whole file's
            sha256 = Convert.ToHexStringLower(hash.Hash!);
            if (await db.DatasetIdWithShaAsync(sha256, cancellationToken) is { } existing)
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return new ImportResult(ImportOutcome.AlreadyImported, existing, StatisticsFormat.Comtrade, 0, 0, 0, []);
            }
            dataset.Sha256 = sha256;
            await SaveAsync(totals, dataset.Id, cancellationToken);
            dataset.RowsRead = dataset.RowsLoaded = rows;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (sha256 is not null && await db.DatasetIdWithShaAsync(sha256, cancellationToken) is { } raced)
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

    /// <summary>
    /// Makes the yearly totals of the Comtrade datasets that have none, from their stored records, as their
    /// import would have: those imported before totals were kept in blocks (the first start after that
    /// upgrade pays for it, once). Returns how many datasets it made them for.
    /// </summary>
    public async Task<int> AddMissingTotalsAsync(CancellationToken cancellationToken = default)
    {
        var missing = await db.Datasets
            .Where(d => d.Format == StatisticsFormat.Comtrade && !db.TradeTotalsBlocks.Any(b => b.DatasetId == d.Id))
            .OrderBy(d => d.Id).Select(d => d.Id).ToListAsync(cancellationToken);
        var made = 0;
        foreach (var id in missing)
        {
            var totals = new TradeFlowTotals();
            await foreach (var flow in db.TradeFlows.AsNoTracking().Where(f => f.DatasetId == id).AsAsyncEnumerable().WithCancellation(cancellationToken))
                totals.Add(flow);
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await SaveAsync(totals, id, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Made the yearly totals of Comtrade dataset {DatasetId}", id);
                made++;
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
                // Another server made them at the same moment; any other failure must not pass for that.
                if (!await db.TradeTotalsBlocks.AnyAsync(b => b.DatasetId == id, cancellationToken))
                    throw;
            }
        }
        return made;
    }

    private async Task SaveAsync(TradeFlowTotals totals, int datasetId, CancellationToken cancellationToken)
    {
        foreach (var block in totals.Blocks(datasetId))
        {
            db.TradeTotalsBlocks.Add(block);
            await db.SaveChangesAsync(cancellationToken);
            db.Entry(block).State = EntityState.Detached; // megabytes each: not kept past their write
        }
    }

    /// <summary>What the CSV reader throws on a file it cannot read, as opposed to a failure of the database.</summary>
    private static bool IsUnreadable(Exception e) =>
        e is Sylvan.Data.Csv.CsvFormatException or FormatException or InvalidDataException or DecoderFallbackException
        || e.GetType().Namespace == "Sylvan.Data.Csv";

    /// <summary>Each row as a flow, or as the problems that refuse it.</summary>
    private static IEnumerable<(TradeFlow? Flow, List<ImportProblem>? Problems)> Read(Stream file)
    {
        using var text = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        using var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true, BufferSize = 1 << 16 });
        if (csv.FieldCount > Table.MaxColumns)
        {
            yield return (null, [new ImportProblem(1, "(header)", $"{csv.FieldCount}", ImportIssueKind.Refused, "File_TooManyColumns")]);
            yield break;
        }
        // A header that names a column twice: the first is read, as everywhere else.
        var columns = Enumerable.Range(0, csv.FieldCount).GroupBy(i => csv.GetName(i).Trim().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First());
        var missing = Required.Where(c => !columns.ContainsKey(c)).ToList();
        if (!columns.ContainsKey("refyear") && !columns.ContainsKey("period"))
            missing.Add("refYear");
        if (missing.Count > 0)
        {
            yield return (null, missing.Select(c => new ImportProblem(1, c, null, ImportIssueKind.Refused, "Import_MissingColumn")).ToList());
            yield break;
        }
        var row = new Row(csv, columns);
        while (csv.Read())
            yield return row.Next();
    }

    /// <summary>
    /// Reads one row after another on spans of the reader's buffer: a bulk file repeats the same few
    /// codes millions of times, so each distinct code is checked once and its string reused.
    /// </summary>
    private sealed class Row(CsvDataReader csv, Dictionary<string, int> columns)
    {
        private const int MaxRemembered = 10_000;
        private readonly int _reporter = columns.GetValueOrDefault("reporteriso", -1), _partner = columns.GetValueOrDefault("partneriso", -1), _flowCode = columns.GetValueOrDefault("flowcode", -1),
            _cmd = columns.GetValueOrDefault("cmdcode", -1), _value = columns.GetValueOrDefault("primaryvalue", -1), _refYear = columns.GetValueOrDefault("refyear", -1), _refMonth = columns.GetValueOrDefault("refmonth", -1),
            _period = columns.GetValueOrDefault("period", -1), _freq = columns.GetValueOrDefault("freqcode", -1), _unit = columns.GetValueOrDefault("qtyunitabbr", -1), _qty = columns.GetValueOrDefault("qty", -1),
            _netWgt = columns.GetValueOrDefault("netwgt", -1), _cif = columns.GetValueOrDefault("cifvalue", -1), _fob = columns.GetValueOrDefault("fobvalue", -1), _reported = columns.GetValueOrDefault("isreported", -1),
            _aggregate = columns.GetValueOrDefault("isaggregate", -1);
        private static readonly Func<string, string?> Flow = f => f.Length is > 0 and <= 4 && f.All(char.IsAsciiLetter) ? f.ToUpperInvariant() : null,
            Commodity = c => c.StartsWith("7102", StringComparison.Ordinal) && c.Length <= 12 && c.All(char.IsAsciiDigit) ? c : null,
            Unit = u => u[..Math.Min(20, u.Length)];
        private readonly Codes _reporters = new(Country), _partners = new(Country), _flows = new(Flow), _commodities = new(Commodity), _units = new(Unit);
        private readonly TradeFlow _row = new() { ReporterIso3 = "", PartnerIso3 = "", FlowCode = "", CommodityCode = "" };
        private int _line = 1;
        private List<ImportProblem>? _problems;


        // Runs once per row of millions: compiled fully optimised at once rather than through the tiers.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public (TradeFlow? Flow, List<ImportProblem>? Problems) Next()
        {
            _line++;
            _problems = null;
            var reporterCode = _reporters.Read(Text(_reporter));
            if (reporterCode is null or "WLD")
                Refuse(_reporter, "Import_UnknownCountryCode");
            var partnerText = Text(_partner);
            var partnerCode = _partners.Read(partnerText);
            if (partnerText.IsEmpty)
                Refuse(_partner, "Import_Required");
            var flow = _flows.Read(Text(_flowCode));
            if (flow is null)
                Refuse(_flowCode, "Import_UnknownFlow");
            var commodity = _commodities.Read(Text(_cmd));
            if (commodity is null)
                Refuse(_cmd, "Import_NotRoughDiamonds");
            var (year, month) = When(Int(_refYear), Int(_refMonth), Text(_period), Text(_freq));
            if (year is null)
                Refuse(_refYear >= 0 ? _refYear : _period, "Import_PeriodNotUnderstood");
            var quantity = Number(_qty);
            var weight = Number(_netWgt);
            var primary = Number(_value);
            if (primary is null && Text(_value).IsEmpty)
                Refuse(_value, "Import_Required");
            var cifValue = Number(_cif);
            var fobValue = Number(_fob);
            var unit = _units.Read(Text(_unit));

            if (_problems is not null)
                return (null, _problems);
            var partnerIsAggregate = partnerCode is null || CountryCodes.IsAggregate(partnerCode) || Flag(Text(_aggregate)) == true;
            // One object refilled for every row: the bulk writers write a row before asking for the next,
            // and millions of short-lived rows would keep the collector busy beside SQLite.
            var row = _row;
            row.Line = _line;
            row.ReporterIso3 = reporterCode!;
            row.PartnerIso3 = partnerCode ?? partnerText.ToString().ToUpperInvariant()[..Math.Min(3, partnerText.Length)];
            row.PartnerIsAggregate = partnerIsAggregate;
            row.Year = year!.Value;
            row.Month = month;
            row.FlowCode = flow!;
            row.CommodityCode = commodity!;
            row.QtyUnit = unit;
            row.Qty = quantity;
            row.NetWeightKg = weight;
            row.PrimaryValue = primary;
            row.CifValue = cifValue;
            row.FobValue = fobValue;
            row.IsReported = Flag(Text(_reported));
            return (row, null);
        }

        private ReadOnlySpan<char> Text(int i) => i >= 0 && i < csv.RowFieldCount ? csv.GetFieldSpan(i).Trim() : default;

        private int? Int(int i) => int.TryParse(Text(i), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

        private decimal? Number(int i)
        {
            var (value, refusal) = NumberReader.Read(Text(i));
            if (refusal != NumberReader.Refusal.None)
                Refuse(i, $"Import_Number_{refusal}");
            return value;
        }

        private void Refuse(int i, string reason) =>
            (_problems ??= []).Add(new ImportProblem(_line, i >= 0 ? csv.GetName(i) : "(row)", i >= 0 ? Text(i).ToString() : null, ImportIssueKind.Refused, reason));

        /// <summary>An ISO3 code; Comtrade writes the world W00.</summary>
        private static string? Country(string text)
        {
            var code = text.ToUpperInvariant();
            if (code is "W00" or "WLD")
                return "WLD";
            return code.Length == 3 && CountryCodes.IsKnown(code) ? code : null;
        }

        private static (int? Year, int? Month) When(int? refYear, int? refMonth, ReadOnlySpan<char> period, ReadOnlySpan<char> freq)
        {
            static int? Int(ReadOnlySpan<char> s) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
            var year = refYear ?? (period.Length >= 4 ? Int(period[..4]) : null);
            var month = refMonth ?? (period.Length == 6 ? Int(period[4..]) : null);
            if (year is not (>= 1900 and <= 2100))
                return (null, null);
            var monthly = freq.Equals("M", StringComparison.OrdinalIgnoreCase) || freq.IsEmpty && month is >= 1 and <= 12;
            if (!monthly)
                return (year, null);
            return month is >= 1 and <= 12 ? (year, month) : (null, null);
        }

        private static bool? Flag(ReadOnlySpan<char> text) =>
            text.Equals("true", StringComparison.OrdinalIgnoreCase) || text is "1" ? true
            : text.Equals("false", StringComparison.OrdinalIgnoreCase) || text is "0" ? false
            : null;

        /// <summary>
        /// One column of codes, read on the reader's spans: a string is made and checked only the first time a
        /// code is met, and a run of the same code (bulk files come sorted) is not even looked up.
        /// </summary>
        private sealed class Codes(Func<string, string?> check)
        {
            private readonly Dictionary<string, string?>.AlternateLookup<ReadOnlySpan<char>> _known = new Dictionary<string, string?>().GetAlternateLookup<ReadOnlySpan<char>>();
            private string _lastText = "";
            private string? _lastCode;

            /// <summary>What a code reads as (null when refused); empty text reads as null.</summary>
            public string? Read(ReadOnlySpan<char> text)
            {
                if (text.IsEmpty)
                    return null;
                if (text.SequenceEqual(_lastText))
                    return _lastCode;
                if (!_known.TryGetValue(text, out var key, out var code))
                {
                    key = text.ToString();
                    code = check(key);
                    if (_known.Dictionary.Count < MaxRemembered)
                        _known.Dictionary[key] = code;
                }
                (_lastText, _lastCode) = (key, code);
                return code;
            }
        }
    }
}
