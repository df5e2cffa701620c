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
/// Imports a UN Comtrade download of HS 7102 in any of the shapes a user gets (docs/IMPORTS.md, "UN Comtrade"):
/// Comtrade Plus CSV (web download or API, with or without descriptions) and JSON, and the legacy Comtrade CSV.
/// Countries are read from their ISO3 code, else from Comtrade's numeric code (<see cref="M49"/>); a partner is an
/// area because of its code. It streams in one pass: every row is checked (all or nothing, every problem counted)
/// as it is written through the provider's bulk path, the file's SHA-256 computed from the same bytes, and the
/// yearly totals the analysis reads added up and kept in blocks, from the rows that are totals only.
/// </summary>
public sealed class ComtradeImporter(KimberliteDb db, IBulkWriter writer, TimeProvider clock, ILogger<ComtradeImporter> logger)
{
    /// <summary>Who publishes Comtrade: suggested to the user, never applied unstated.</summary>
    public const string SuggestedPublisher = "United Nations Statistics Division (UN Comtrade)";

    /// <summary>Problems beyond this many are counted, not listed: a wrong file can have millions.</summary>
    public const int MaxListedProblems = 1000;

    /// <summary>Whether a file is a Comtrade download, in any of its shapes, or a message Comtrade saved in place of one.</summary>
    public static bool Recognises(ReadOnlySpan<byte> head, string fileName) => ComtradeLayouts.Recognises(head, fileName);

    /// <summary>
    /// Imports a file whole or refuses it; with <c>checkOnly</c>, the same pass and report, nothing kept (the import
    /// page's preview). <c>beforeCommit</c> runs inside the import's transaction, so its audit entry commits with the data.
    /// </summary>
    public async Task<ImportResult> ImportAsync(string path, Provenance provenance, CancellationToken cancellationToken = default,
        bool checkOnly = false, BeforeCommit? beforeCommit = null, string? fileName = null)
    {
        // The name the user knows the file by: an upload waits under a name of its own.
        fileName = Path.GetFileName(fileName ?? path);
        // Nothing goes out under a publisher's name that the user did not state; a preview only suggests one.
        if (!checkOnly && string.IsNullOrWhiteSpace(provenance.Publisher))
            return Result(ImportOutcome.Refused, null, 0, [new ImportProblem(1, "(publisher)", SuggestedPublisher, ImportIssueKind.Refused, "Import_PublisherNotStated")]);

        // A new file is fingerprinted as it is read rather than in a pass of its own before. A file imported
        // already would then be found only at the end, after all its rows were written and rolled back, with
        // SQLite's write lock held all along: when a file of the same name was imported before, it is
        // fingerprinted first, as any file was before (docs/decisions/011-import-in-one-pass.md).
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var head = new byte[1 << 16];
        var headLength = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        file.Position = 0;
        var (encoding, encodingName, preamble) = TextEncodings.Detect(head.AsSpan(0, headLength), complete: headLength < head.Length);
        string? sha256 = null;
        if (await db.Datasets.AnyAsync(d => d.FileName == fileName, cancellationToken))
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
            if (await db.DatasetIdWithShaAsync(sha256, cancellationToken) is { } existing)
                return Result(ImportOutcome.AlreadyImported, existing, 0, []) with { Encoding = encodingName };
            file.Position = 0;
        }
        using var hash = SHA256.Create();
        await using var hashed = new CryptoStream(file, hash, CryptoStreamMode.Read, leaveOpen: true);
        var problems = new List<ImportProblem>();
        var problemCount = 0;
        var (rows, breakdowns) = (0, 0);
        var totals = new TradeFlowTotals();
        var dataset = new Dataset
        {
            Title = provenance.Title ?? Path.GetFileNameWithoutExtension(fileName),
            Publisher = provenance.Publisher ?? SuggestedPublisher,
            Address = provenance.Address ?? "https://comtradeplus.un.org/",
            RetrievedOn = provenance.RetrievedOn,
            FileName = fileName,
            Sha256 = $"pending-{Guid.NewGuid():N}",
            Format = StatisticsFormat.Comtrade,
            ImportedAtUtc = clock.GetUtcNow().UtcDateTime,
            ImportedBy = provenance.ImportedBy,
            ImportedByOrganisationId = provenance.ImportedByOrganisationId,
            Encoding = encodingName,
        };
        var text = encoding.GetString(head, preamble, headLength - preamble).TrimStart();
        var source = new Source(hashed, encoding, preamble, json: text.StartsWith('{') || text.StartsWith('['), headIsWhole: headLength < head.Length ? text : null);

        void Problem(ImportProblem p)
        {
            problemCount++;
            if (problems.Count < MaxListedProblems)
                problems.Add(p);
        }

        // One pass: rows are checked as they are written, inside a transaction that a single problem rolls back.
        IEnumerable<TradeFlow> Checked()
        {
            foreach (var (flow, rowProblems, breakdown) in source.Rows())
            {
                rows++;
                if (rowProblems is not null)
                {
                    foreach (var p in rowProblems)
                        Problem(p);
                    continue;
                }
                if (problemCount > 0)
                    continue; // the file is refused already: read on only to count every problem
                flow!.DatasetId = dataset.Id;
                // A breakdown (by mode of transport, customs procedure or second partner) is kept as a record but
                // never added to a total: the file's total row for the same flow holds it already.
                if (breakdown)
                    breakdowns++;
                else
                    totals.Add(flow);
                yield return flow;
            }
        }

        // Whatever the file says once it is read: a message in place of data, or no data at all.
        void Finish()
        {
            foreach (var p in source.Finish())
                Problem(p);
            if (rows == 0 && problemCount == 0)
                Problem(new ImportProblem(2, "(row)", null, ImportIssueKind.Refused, "Import_NoRows"));
        }

        ImportResult Refused() => Result(ImportOutcome.Refused, null, rows, problems) with { ProblemCount = problemCount, Encoding = encodingName };

        try
        {
            if (checkOnly)
            {
                foreach (var _ in Checked())
                {
                }
                Finish();
                if (problemCount > 0)
                    return Refused();
                await hashed.CopyToAsync(Stream.Null, cancellationToken);
                sha256 = Convert.ToHexStringLower(hash.Hash!);
                if (await db.DatasetIdWithShaAsync(sha256, cancellationToken) is { } known)
                    return Result(ImportOutcome.AlreadyImported, known, 0, []) with { Encoding = encodingName };
                return Result(ImportOutcome.Checked, null, rows, Notes(breakdowns)) with { RowsLoaded = rows, FiguresLoaded = rows, Encoding = encodingName };
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Datasets.Add(dataset);
            await db.SaveChangesAsync(cancellationToken);
            await writer.WriteAsync(db, TradeFlowTables.Flows, Checked(), cancellationToken);
            Finish();
            if (problemCount > 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return Refused();
            }
            await hashed.CopyToAsync(Stream.Null, cancellationToken); // whatever the reader left, so the hash is the whole file's
            sha256 = Convert.ToHexStringLower(hash.Hash!);
            if (await db.DatasetIdWithShaAsync(sha256, cancellationToken) is { } existing)
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return Result(ImportOutcome.AlreadyImported, existing, 0, []) with { Encoding = encodingName };
            }
            dataset.Sha256 = sha256;
            await SaveAsync(totals, dataset.Id, cancellationToken);
            dataset.RowsRead = dataset.RowsLoaded = rows;
            await db.SaveChangesAsync(cancellationToken);
            if (beforeCommit is not null)
                await beforeCommit(db, Result(ImportOutcome.Imported, dataset.Id, rows, Notes(breakdowns)) with { RowsLoaded = rows, FiguresLoaded = rows, Encoding = encodingName }, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (sha256 is not null && await db.DatasetIdWithShaAsync(sha256, cancellationToken) is { } raced)
                return Result(ImportOutcome.AlreadyImported, raced, 0, []);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException and not DbUpdateException && IsUnreadable(e))
        {
            db.ChangeTracker.Clear();
            logger.LogInformation("Unreadable Comtrade file {File}: {Error}", fileName, e.GetType().Name);
            Problem(new ImportProblem(rows + 1, "(file)", e.Message, ImportIssueKind.Refused, "Import_UnreadableFile"));
            return Refused();
        }
        db.ChangeTracker.Clear();
        logger.LogInformation("Imported Comtrade dataset {DatasetId}: {Rows} rows", dataset.Id, rows);
        return Result(ImportOutcome.Imported, dataset.Id, rows, Notes(breakdowns)) with { RowsLoaded = rows, FiguresLoaded = rows, Encoding = encodingName };
    }

    private static ImportResult Result(ImportOutcome outcome, int? datasetId, int rows, IReadOnlyList<ImportProblem> problems) =>
        new(outcome, datasetId, StatisticsFormat.Comtrade, rows, 0, 0, problems) { ProblemCount = problems.Count(p => p.Kind == ImportIssueKind.Refused), SuggestedPublisher = SuggestedPublisher };

    private static List<ImportProblem> Notes(int breakdowns) =>
        breakdowns == 0 ? [] : [new ImportProblem(1, "(rows)", breakdowns.ToString(CultureInfo.InvariantCulture), ImportIssueKind.Note, "Comtrade_BreakdownsKept")];

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

    /// <summary>What the readers throw on a file they cannot read, as opposed to a failure of the database.</summary>
    private static bool IsUnreadable(Exception e) =>
        e is Sylvan.Data.Csv.CsvFormatException or FormatException or InvalidDataException or DecoderFallbackException or System.Text.Json.JsonException
        || e.GetType().Namespace == "Sylvan.Data.Csv";

    /// <summary>
    /// A Comtrade file, CSV or JSON, as rows: each as a flow, or as the problems that refuse it, and whether it is a
    /// breakdown of a total the file also holds.
    /// </summary>
    private sealed class Source(Stream file, Encoding encoding, int preamble, bool json, string? headIsWhole)
    {
        private ComtradeJson? _json;
        private readonly List<ImportProblem> _after = [];

        public IEnumerable<(TradeFlow? Flow, List<ImportProblem>? Problems, bool Breakdown)> Rows() => json ? JsonRows() : CsvRows();

        private IEnumerable<(TradeFlow?, List<ImportProblem>?, bool)> CsvRows()
        {
            using var text = new StreamReader(file, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
            using var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true, BufferSize = 1 << 16 });
            if (csv.FieldCount > Table.MaxColumns)
            {
                yield return (null, [new ImportProblem(1, "(header)", $"{csv.FieldCount}", ImportIssueKind.Refused, "File_TooManyColumns")], false);
                yield break;
            }
            var headers = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetName(i)).ToList();
            var columns = ComtradeLayouts.Columns(headers);
            if (!ComtradeLayouts.LooksLikeTrade(columns))
            {
                // Nothing of a Comtrade table: a message saved in place of the data, or another kind of file.
                yield return (null, [headIsWhole is not null && ComtradeLayouts.IsMessage(headIsWhole)
                    ? new ImportProblem(1, "(file)", ComtradeLayouts.Shorten(headIsWhole), ImportIssueKind.Refused, "Comtrade_ErrorBody")
                    : new ImportProblem(1, "(header)", string.Join(", ", headers.Where(h => h.Trim().Length > 0)), ImportIssueKind.Refused, "Comtrade_UnknownLayout")], false);
                yield break;
            }
            var missing = ComtradeLayouts.Missing(columns, headers);
            if (missing.Count > 0)
            {
                yield return (null, missing.Select(c => new ImportProblem(1, c, null, ImportIssueKind.Refused, "Import_MissingColumn")).ToList(), false);
                yield break;
            }
            var row = new Row(csv, null, columns, i => csv.GetName(i));
            while (csv.Read())
                yield return row.Next();
        }

        private IEnumerable<(TradeFlow?, List<ImportProblem>?, bool)> JsonRows()
        {
            for (var i = 0; i < preamble; i++)
                file.ReadByte(); // the byte-order mark, which the JSON reader does not take
            var utf8 = encoding is UTF8Encoding ? file : Encoding.CreateTranscodingStream(file, encoding, Encoding.UTF8, leaveOpen: true);
            _json = new ComtradeJson(utf8);
            // A JSON record gives its fields by name: each field is its own column, named as Comtrade Plus names it.
            var columns = Enum.GetValues<ComtradeField>().ToDictionary(f => f, f => (int)f);
            var row = new Row(null, _json, columns, i => ComtradeLayouts.PlusNames[i]);
            while (_json.Read())
                yield return row.Next();
        }

        /// <summary>What the file says once read: a JSON answer's error, or a refused query's message, in place of data.</summary>
        public IEnumerable<ImportProblem> Finish()
        {
            if (_json is null)
                yield break;
            if (!string.IsNullOrWhiteSpace(_json.Error) || !_json.HasData && !string.IsNullOrWhiteSpace(_json.Message))
            {
                var message = !string.IsNullOrWhiteSpace(_json.Error) ? _json.Error : _json.StatusCode is null ? _json.Message! : $"{_json.StatusCode}: {_json.Message}";
                yield return new ImportProblem(1, "(file)", ComtradeLayouts.Shorten(message), ImportIssueKind.Refused, "Comtrade_ErrorBody");
            }
            else if (!_json.HasData)
                yield return new ImportProblem(1, "(file)", headIsWhole is null ? null : ComtradeLayouts.Shorten(headIsWhole), ImportIssueKind.Refused, "Comtrade_UnknownLayout");
        }
    }

    /// <summary>
    /// Reads one row after another on spans of the reader's buffer: a bulk file repeats the same few
    /// codes millions of times, so each distinct code is checked once and its string reused.
    /// </summary>
    private sealed class Row(CsvDataReader? csv, ComtradeJson? json, Dictionary<ComtradeField, int> columns, Func<int, string> name)
    {
        private const int MaxRemembered = 10_000;
        private readonly int _reporterIso = Column(columns, ComtradeField.ReporterIso), _reporterCode = Column(columns, ComtradeField.ReporterCode),
            _partnerIso = Column(columns, ComtradeField.PartnerIso), _partnerCode = Column(columns, ComtradeField.PartnerCode),
            _partner2Iso = Column(columns, ComtradeField.Partner2Iso), _partner2Code = Column(columns, ComtradeField.Partner2Code),
            _flowCode = Column(columns, ComtradeField.Flow), _cmd = Column(columns, ComtradeField.Commodity), _value = Column(columns, ComtradeField.PrimaryValue),
            _refYear = Column(columns, ComtradeField.RefYear), _refMonth = Column(columns, ComtradeField.RefMonth), _period = Column(columns, ComtradeField.Period),
            _freq = Column(columns, ComtradeField.Freq), _unit = Column(columns, ComtradeField.UnitAbbr), _unitCode = Column(columns, ComtradeField.UnitCode),
            _qty = Column(columns, ComtradeField.Qty), _netWgt = Column(columns, ComtradeField.NetWeight), _cif = Column(columns, ComtradeField.CifValue),
            _fob = Column(columns, ComtradeField.FobValue), _reported = Column(columns, ComtradeField.IsReported),
            _mot = Column(columns, ComtradeField.MotCode), _customs = Column(columns, ComtradeField.CustomsCode);
        private static readonly Func<string, string?> Flow = f => f switch
            {
                // Legacy Comtrade numbers its flows: 1 imports, 2 exports, 3 re-exports, 4 re-imports.
                "1" => "M", "2" => "X", "3" => "RX", "4" => "RM",
                _ => f.Length is > 0 and <= 4 && f.All(char.IsAsciiLetter) ? f.ToUpperInvariant() : null,
            },
            Commodity = c => c.StartsWith("7102", StringComparison.Ordinal) && c.Length <= 12 && c.All(char.IsAsciiDigit) ? c : null,
            // Legacy Comtrade writes its units out in words; the two that matter here are stored as Comtrade Plus abbreviates them.
            Unit = u => u.Equals("Weight in carats", StringComparison.OrdinalIgnoreCase) ? "carat"
                : u.Equals("Weight in kilograms", StringComparison.OrdinalIgnoreCase) ? "kg"
                : u[..Math.Min(20, u.Length)];
        private readonly Codes<string> _flows = new(Flow), _commodities = new(Commodity), _units = new(Unit);
        private readonly Codes<M49.Entry> _reporterIsos = new(ByKey), _reporterCodes = new(ByCode), _partnerIsos = new(ByKey), _partnerCodes = new(ByCode);
        private readonly TradeFlow _row = new() { ReporterIso3 = "", PartnerIso3 = "", FlowCode = "", CommodityCode = "" };
        private int _line = 1;
        private List<ImportProblem>? _problems;

        private static int Column(Dictionary<ComtradeField, int> columns, ComtradeField field) => columns.GetValueOrDefault(field, -1);

        // Runs once per row of millions: compiled fully optimised at once rather than through the tiers.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public (TradeFlow? Flow, List<ImportProblem>? Problems, bool Breakdown) Next()
        {
            _line = json is null ? _line + 1 : json.Records;
            _problems = null;
            var reporter = Place(_reporterIsos, _reporterIso, _reporterCodes, _reporterCode);
            if (reporter is null)
                Refuse(Given(_reporterIso) ? _reporterIso : _reporterCode, Given(_reporterIso) || Given(_reporterCode) ? "Comtrade_UnknownCountryCode" : "Import_Required");
            else if (reporter.Kind is M49.Kind.World or M49.Kind.Area)
                Refuse(Given(_reporterIso) ? _reporterIso : _reporterCode, "Comtrade_ReporterIsArea");
            var partner = Place(_partnerIsos, _partnerIso, _partnerCodes, _partnerCode);
            if (partner is null)
                Refuse(Given(_partnerIso) ? _partnerIso : _partnerCode, Given(_partnerIso) || Given(_partnerCode) ? "Comtrade_UnknownCountryCode" : "Import_Required");
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
            var unit = _units.Read(Text(_unit)) ?? UnitOfCode(Text(_unitCode));

            if (_problems is not null)
                return (null, _problems, false);
            // One object refilled for every row: the bulk writers write a row before asking for the next,
            // and millions of short-lived rows would keep the collector busy beside SQLite.
            var row = _row;
            row.Line = _line;
            row.ReporterIso3 = reporter!.Key;
            row.PartnerIso3 = partner!.Key;
            // An area because of its code, never because of isAggregate (which Comtrade sets on rows it aggregated).
            row.PartnerIsAggregate = partner.IsAggregate;
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
            return (row, null, IsBreakdown());
        }

        /// <summary>
        /// A row that splits a total by mode of transport (motCode other than 0, all modes), customs procedure
        /// (customsCode other than C00, all procedures) or second partner (partner2Code other than 0, the world).
        /// </summary>
        private bool IsBreakdown()
        {
            static bool Other(ReadOnlySpan<char> code, string total) => !code.IsEmpty && !code.Equals(total, StringComparison.OrdinalIgnoreCase) && code is not "-1";
            return Other(Text(_mot), "0") || Other(Text(_customs), "C00")
                || (_partner2Code >= 0 ? Other(Text(_partner2Code), "0") : Other(Text(_partner2Iso), "W00") && Other(Text(_partner2Iso), "WLD"));
        }

        /// <summary>A country or area by its ISO3 code where the file gives one Kimberlite knows, else by Comtrade's number.</summary>
        private M49.Entry? Place(Codes<M49.Entry> isos, int iso, Codes<M49.Entry> codes, int code) =>
            isos.Read(Text(iso)) ?? codes.Read(Text(code));

        private bool Given(int i) => !Text(i).IsEmpty;

        private static M49.Entry? ByKey(string text)
        {
            if (M49.FindKey(text) is { } entry)
                return entry;
            // A code Kimberlite knows without Comtrade's table (ISO 3166-1), under the code as written.
            var code = text.ToUpperInvariant();
            return code.Length == 3 && CountryCodes.IsKnown(code) ? new M49.Entry(-1, code, CountryCodes.IsAggregate(code) ? M49.Kind.Group : M49.Kind.Country, code) : null;
        }

        private static M49.Entry? ByCode(string text) => M49.Find(text);

        /// <summary>Comtrade's quantity unit number where the file gives no abbreviation: 13 carats, 8 kilograms.</summary>
        private static string? UnitOfCode(ReadOnlySpan<char> code) => code is "13" ? "carat" : code is "8" ? "kg" : null;

        private ReadOnlySpan<char> Text(int i) =>
            i < 0 ? default
            : csv is not null ? i < csv.RowFieldCount ? csv.GetFieldSpan(i).Trim() : default
            : json!.Field(i).Trim();

        private int? Int(int i) => int.TryParse(Text(i), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

        /// <summary>A quantity or value; NumberReader refuses what no diamond statistic can be (decision 016).</summary>
        private decimal? Number(int i)
        {
            var (value, refusal) = NumberReader.Read(Text(i));
            if (refusal != NumberReader.Refusal.None)
                Refuse(i, $"Import_Number_{refusal}");
            return value;
        }

        private void Refuse(int i, string reason) =>
            (_problems ??= []).Add(new ImportProblem(_line, i >= 0 ? name(i) : "(row)", i >= 0 ? Text(i).ToString() : null, ImportIssueKind.Refused, reason));

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
        private sealed class Codes<T>(Func<string, T?> check) where T : class
        {
            private readonly Dictionary<string, T?>.AlternateLookup<ReadOnlySpan<char>> _known = new Dictionary<string, T?>().GetAlternateLookup<ReadOnlySpan<char>>();
            private string _lastText = "";
            private T? _lastCode;

            /// <summary>What a code reads as (null when refused); empty text reads as null.</summary>
            public T? Read(ReadOnlySpan<char> text)
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
