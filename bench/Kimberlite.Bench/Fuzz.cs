using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Kimberlite.Analysis;
using Kimberlite.Field;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics.Comtrade;
using Kimberlite.Statistics.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kimberlite.Bench;

/// <summary>Which importer a file is for.</summary>
public enum FuzzTarget { Statistics, Comtrade, Kobo }

/// <summary>A real file (or a hand-made one in a source's published shape) that the fuzzer mutates.</summary>
public sealed record FuzzSeed(string Name, FuzzTarget Target, byte[] Content);

/// <summary>What one mutated file did: its outcome, and whatever broke a rule the importers must keep.</summary>
public sealed record FuzzCase(string Name, string Mutation, FuzzTarget Target, string Outcome, double Seconds, long AllocatedBytes, string? Failure);

public sealed record FuzzReport(IReadOnlyList<FuzzCase> Cases, long PeakWorkingSetBytes)
{
    public IEnumerable<FuzzCase> Failures => Cases.Where(c => c.Failure is not null);
}

/// <summary>
/// Mutates real files of every layout (byte flips, truncation, huge cells, digits and spaces of other
/// scripts, 30-digit numbers, forged cell references, damaged zip structure) and drives the real importers
/// on a real database with each, checking that no exception escapes, that a refused file leaves nothing
/// behind, and that the analysis still runs after an accepted one. The same seed gives the same files.
/// </summary>
public sealed class Fuzzer(IServiceProvider services, int seed)
{
    private static readonly string[] Mutations =
        ["flip", "truncate", "hugeCell", "unicodeDigits", "unicodeSpaces", "hugeNumber", "forgedReference", "damagedZip", "manyColumns", "loneQuote", "reencode"];

    private readonly Random _random = new(seed);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"kimberlite-fuzz-{seed}-{Guid.NewGuid():N}");

    /// <summary>The files of data/ and docs/field, and small Comtrade files in the shapes Comtrade publishes.</summary>
    public static List<FuzzSeed> Seeds(string repository)
    {
        var seeds = new List<FuzzSeed>();
        foreach (var name in new[] { "kp_production.csv", "kp_trade.csv", "national_stats.csv", "fiscal_revenue.csv", "kp_production_halfyear_2003-2024.xlsx" })
            if (File.Exists(Path.Combine(repository, "data", name)))
                seeds.Add(new FuzzSeed(name, FuzzTarget.Statistics, File.ReadAllBytes(Path.Combine(repository, "data", name))));
        var kobo = Path.Combine(repository, "docs", "field", "kobo-incident-export-sample.csv");
        if (File.Exists(kobo))
        {
            var csv = File.ReadAllBytes(kobo);
            seeds.Add(new FuzzSeed("kobo-incident-export-sample.csv", FuzzTarget.Kobo, csv));
            seeds.Add(new FuzzSeed("kobo-incident-export-sample.json", FuzzTarget.Kobo, KoboJson(csv)));
        }
        seeds.Add(new FuzzSeed("comtrade-plus.csv", FuzzTarget.Comtrade, ComtradeSamples.PlusCsv()));
        seeds.Add(new FuzzSeed("comtrade-bulk.csv", FuzzTarget.Comtrade, ComtradeSamples.BulkCsv()));
        seeds.Add(new FuzzSeed("comtrade-legacy.csv", FuzzTarget.Comtrade, ComtradeSamples.LegacyCsv()));
        seeds.Add(new FuzzSeed("comtrade-api.json", FuzzTarget.Comtrade, ComtradeSamples.ApiJson()));
        return seeds;
    }

    /// <summary>The Kobo sample as KoboToolbox's API gives it: {"results": [{field: value}]}.</summary>
    private static byte[] KoboJson(byte[] csv)
    {
        var table = Table.Read(csv, "sample.csv");
        var results = table.Rows.Select(r => table.Headers.Select((h, i) => (h, r.Cells[i])).Where(p => p.Item2.Length > 0).ToDictionary(p => p.h, p => p.Item2));
        return System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { count = table.Rows.Count, results });
    }

    /// <summary>The mapping of docs/field, which the Kobo files are imported with.</summary>
    public static KoboMapping Mapping(string repository) =>
        KoboMapping.Read(File.ReadAllBytes(Path.Combine(repository, "docs", "field", "kobo-incident-mapping.json")));

    public async Task<FuzzReport> RunAsync(IReadOnlyList<FuzzSeed> seeds, int files, KoboMapping mapping, Action<FuzzCase>? progress = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(_folder);
        var cases = new List<FuzzCase>(files);
        try
        {
            for (var i = 0; i < files; i++)
            {
                var original = seeds[i % seeds.Count];
                var mutation = Mutations[_random.Next(Mutations.Length)];
                var content = Mutate(original, mutation);
                var name = $"fuzz-{seed}-{i}{Path.GetExtension(original.Name)}";
                var result = await RunOneAsync(original.Target, content, name, mapping, cancellationToken);
                var fuzzCase = result with { Name = $"{original.Name}#{i}", Mutation = mutation };
                cases.Add(fuzzCase);
                progress?.Invoke(fuzzCase);
            }
        }
        finally
        {
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        }
        return new FuzzReport(cases, Process.GetCurrentProcess().PeakWorkingSet64);
    }

    private async Task<FuzzCase> RunOneAsync(FuzzTarget target, byte[] content, string name, KoboMapping mapping, CancellationToken cancellationToken)
    {
        var before = await CountsAsync(cancellationToken);
        var allocated = GC.GetTotalAllocatedBytes();
        var clock = Stopwatch.StartNew();
        string outcome;
        int? datasetId = null;
        string? failure = null;
        try
        {
            await using var scope = services.CreateAsyncScope();
            switch (target)
            {
                case FuzzTarget.Statistics:
                {
                    var result = await scope.ServiceProvider.GetRequiredService<StatisticsImporter>()
                        .ImportAsync(content, name, new Provenance("Fuzz", "Fuzz"), cancellationToken: cancellationToken);
                    (outcome, datasetId) = (result.Outcome.ToString(), result.DatasetId);
                    break;
                }
                case FuzzTarget.Comtrade:
                {
                    var path = Path.Combine(_folder, name);
                    await File.WriteAllBytesAsync(path, content, cancellationToken);
                    var result = await scope.ServiceProvider.GetRequiredService<ComtradeImporter>().ImportAsync(path, new Provenance("Fuzz"), cancellationToken);
                    File.Delete(path);
                    (outcome, datasetId) = (result.Outcome.ToString(), result.DatasetId);
                    break;
                }
                default:
                {
                    var result = await scope.ServiceProvider.GetRequiredService<KoboImporter>().ImportAsync(content, name, mapping, "fuzz", cancellationToken);
                    outcome = result.Imported ? nameof(ImportOutcome.Imported) : nameof(ImportOutcome.Refused);
                    break;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            outcome = "Exception";
            failure = $"import: {e.GetType().Name}: {First(e.Message)} at {First(e.StackTrace)}";
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var bytes = GC.GetTotalAllocatedBytes() - allocated;

        if (failure is null && outcome == nameof(ImportOutcome.Refused) && await CountsAsync(cancellationToken) != before)
            failure = $"refused, yet left records behind: {before} before, {await CountsAsync(cancellationToken)} after";
        if (failure is null && outcome == nameof(ImportOutcome.Imported))
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<FindingsEngine>().AnalyzeAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failure = $"analysis after an accepted file: {e.GetType().Name}: {First(e.Message)} at {First(e.StackTrace)}";
            }
        }
        if (datasetId is { } id)
        {
            // Each file is judged alone: what an accepted one stored is removed before the next.
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KimberliteDb>();
            await db.Findings.ExecuteDeleteAsync(cancellationToken);
            await db.Datasets.Where(d => d.Id == id).ExecuteDeleteAsync(cancellationToken);
        }
        return new FuzzCase(name, "", target, outcome, seconds, bytes, failure);
    }

    private static string First(string? text) => (text ?? "").Split('\n')[0].Trim();

    private async Task<(int Datasets, int Figures, int Flows, int Blocks, int Incidents)> CountsAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KimberliteDb>();
        return (await db.Datasets.CountAsync(cancellationToken), await db.Figures.CountAsync(cancellationToken), await db.TradeFlows.CountAsync(cancellationToken),
            await db.TradeTotalsBlocks.CountAsync(cancellationToken), await db.Incidents.CountAsync(cancellationToken));
    }

    public byte[] Mutate(FuzzSeed original, string mutation)
    {
        var content = original.Content;
        var isZip = content.Length > 4 && content[0] == 'P' && content[1] == 'K';
        return mutation switch
        {
            "flip" => Flip(content),
            "truncate" => content[.._random.Next(content.Length)],
            "damagedZip" => isZip ? DamageZip(content) : Flip(content),
            "reencode" when !isZip => Reencode(content),
            _ when isZip => MutateXml(content, mutation),
            _ => Encoding.UTF8.GetBytes(MutateText(Encoding.UTF8.GetString(content), mutation)),
        };
    }

    private byte[] Flip(byte[] content)
    {
        var copy = (byte[])content.Clone();
        for (var n = _random.Next(1, 9); n > 0 && copy.Length > 0; n--)
        {
            var at = _random.Next(copy.Length);
            copy[at] = _random.Next(2) == 0 ? (byte)(copy[at] ^ (1 << _random.Next(8))) : (byte)_random.Next(256);
        }
        return copy;
    }

    private static readonly string[] HugeNumbers =
        ["79228162514264337593543950335", "123456789012345678901234567890", "999999999999999999999999999999.99", "1e308", "0.0000000000000000000000000001", "-79228162514264337593543950335", "1E+30", "18446744073709551616"];
    private static readonly char[] DigitZeros = ['０', '٠', '۰', '०', '০', '๐'];
    private static readonly string[] UnicodeSpaces = ["\u00A0", "\u202F", "\u2007", "\u3000", "\u2009", "\u200B", "\uFEFF", "\t"];

    private string MutateText(string text, string mutation)
    {
        switch (mutation)
        {
            case "hugeCell":
            {
                var at = NextBoundary(text);
                return text[..at] + new string('9', _random.Next(2) == 0 ? 40_000 : 1_000_000) + text[at..];
            }
            case "unicodeDigits":
            {
                var zero = DigitZeros[_random.Next(DigitZeros.Length)];
                var builder = new StringBuilder(text.Length);
                var share = _random.NextDouble();
                foreach (var c in text)
                    builder.Append(char.IsAsciiDigit(c) && _random.NextDouble() < share ? char.ConvertFromUtf32(char.ConvertToUtf32(zero.ToString(), 0) + (c - '0')) : c.ToString());
                return builder.ToString();
            }
            case "unicodeSpaces":
            {
                var space = UnicodeSpaces[_random.Next(UnicodeSpaces.Length)];
                var builder = new StringBuilder(text.Length);
                foreach (var c in text)
                {
                    if (char.IsAsciiDigit(c) && _random.Next(20) == 0)
                        builder.Append(space);
                    builder.Append(c == ' ' && _random.Next(2) == 0 ? space : c.ToString());
                }
                return builder.ToString();
            }
            case "hugeNumber":
            {
                var builder = new StringBuilder(text);
                for (var n = _random.Next(1, 4); n > 0; n--)
                {
                    var numbers = System.Text.RegularExpressions.Regex.Matches(builder.ToString(), "[0-9]+(\\.[0-9]+)?");
                    if (numbers.Count == 0)
                        break;
                    var m = numbers[_random.Next(numbers.Count)];
                    builder.Remove(m.Index, m.Length).Insert(m.Index, HugeNumbers[_random.Next(HugeNumbers.Length)]);
                }
                return builder.ToString();
            }
            case "manyColumns":
            {
                var at = NextBoundary(text);
                var delimiter = text.Count(c => c == ';') > text.Count(c => c == ',') ? ';' : ',';
                return text[..at] + new string(delimiter, _random.Next(2) == 0 ? 17_000 : 200_000) + text[at..];
            }
            case "loneQuote":
            {
                var at = _random.Next(text.Length + 1);
                return text[..at] + "\"" + text[at..];
            }
            case "forgedReference":
            default:
            {
                // A text file has no cell references: its lines are cut and joined instead.
                var lines = text.Split('\n').ToList();
                if (lines.Count > 2)
                    lines.RemoveAt(_random.Next(1, lines.Count));
                if (lines.Count > 2)
                    lines.Insert(_random.Next(lines.Count), lines[_random.Next(lines.Count)] + lines[_random.Next(lines.Count)]);
                return string.Join('\n', lines);
            }
        }
    }

    private int NextBoundary(string text)
    {
        var at = _random.Next(text.Length + 1);
        while (at < text.Length && text[at] is not (',' or ';' or '\n' or '"' or ':'))
            at++;
        return Math.Min(at + 1, text.Length);
    }

    private byte[] Reencode(byte[] content)
    {
        var text = Encoding.UTF8.GetString(content);
        return _random.Next(3) switch
        {
            0 => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
            1 => Encoding.Unicode.GetBytes(text),
            _ => TextEncodings.Windows1252.GetBytes(text.Normalize().Where(c => c < 0x2000 || c == '€').ToArray()),
        };
    }

    private static readonly string[] ForgedReferences =
        ["ZZZZZ1", "AAAAAAA1", "XFD1", "XFE1", "A1048577", "A0", "", "1A", "A99999999999", "ZZZ1", "A-1", "AA"];

    /// <summary>The mutation applied to the XML of a workbook's sheet or shared strings, the workbook zipped again.</summary>
    private byte[] MutateXml(byte[] content, string mutation)
    {
        try
        {
            using var input = new ZipArchive(new MemoryStream(content), ZipArchiveMode.Read);
            var parts = input.Entries.Select(e =>
            {
                using var s = e.Open();
                using var m = new MemoryStream();
                s.CopyTo(m);
                return (e.FullName, Data: m.ToArray());
            }).ToList();
            var targets = parts.Select((p, i) => (p, i)).Where(x => x.p.FullName.Contains("worksheets/sheet") || x.p.FullName.EndsWith("sharedStrings.xml")).ToList();
            if (targets.Count == 0)
                return Flip(content);
            var (part, index) = targets[_random.Next(targets.Count)];
            var xml = Encoding.UTF8.GetString(part.Data);
            xml = mutation switch
            {
                "forgedReference" => ForgeReferences(xml),
                "hugeCell" => Replace(xml, "<t>", "<t>" + new string('x', _random.Next(2) == 0 ? 40_000 : 2_000_000), "<v>", "<v>" + new string('9', 40_000)),
                "manyColumns" => Replace(xml, "</row>", string.Concat(Enumerable.Range(0, 200).Select(n => $"<c r=\"{Column(_random.Next(16_384))}1\"><v>1</v></c>")) + "</row>", "<sst", "<sst count=\"2147483647\" uniqueCount=\"2147483647\""),
                "loneQuote" => Replace(xml, "<dimension ref=\"", "<dimension ref=\"A1:XFD1048576\" x=\"", "<row ", "<row spans=\"1:16384\" "),
                _ => MutateText(xml, mutation),
            };
            parts[index] = (part.FullName, Encoding.UTF8.GetBytes(xml));
            return Zip(parts);
        }
        catch (InvalidDataException)
        {
            return Flip(content);
        }
    }

    private string ForgeReferences(string xml)
    {
        var matches = System.Text.RegularExpressions.Regex.Matches(xml, " r=\"[A-Z]+[0-9]+\"");
        if (matches.Count == 0)
            return xml;
        var builder = new StringBuilder(xml);
        // From the end, so the positions of the earlier matches stay right.
        foreach (var m in matches.OrderByDescending(m => m.Index).Where(_ => _random.Next(Math.Max(1, matches.Count / 4)) == 0).Take(8))
            builder.Remove(m.Index, m.Length).Insert(m.Index, $" r=\"{ForgedReferences[_random.Next(ForgedReferences.Length)]}\"");
        return builder.ToString();
    }

    private string Replace(string xml, string find, string by, string otherFind, string otherBy)
    {
        var (f, b) = _random.Next(2) == 0 ? (find, by) : (otherFind, otherBy);
        var at = xml.IndexOf(f, StringComparison.Ordinal);
        if (at < 0)
            (f, b, at) = (find, by, xml.IndexOf(find, StringComparison.Ordinal));
        return at < 0 ? xml : xml[..at] + b + xml[(at + f.Length)..];
    }

    private static string Column(int index)
    {
        var name = "";
        for (index++; index > 0; index = (index - 1) / 26)
            name = (char)('A' + (index - 1) % 26) + name;
        return name;
    }

    /// <summary>A zip whose structure is damaged: bytes of its directory changed, an entry's declared sizes forged, a part missing, or a bomb.</summary>
    private byte[] DamageZip(byte[] content)
    {
        var copy = (byte[])content.Clone();
        switch (_random.Next(5))
        {
            case 0: // the central directory, near the end
                for (var n = _random.Next(1, 6); n > 0; n--)
                    copy[Math.Max(0, copy.Length - 1 - _random.Next(Math.Min(copy.Length, 600)))] ^= (byte)(1 << _random.Next(8));
                return copy;
            case 1: // every declared uncompressed size in the directory forged
                for (var i = 0; i + 46 < copy.Length; i++)
                    if (copy[i] == 'P' && copy[i + 1] == 'K' && copy[i + 2] == 1 && copy[i + 3] == 2)
                        BitConverter.TryWriteBytes(copy.AsSpan(i + 24, 4), _random.Next(2) == 0 ? uint.MaxValue : 1u);
                return copy;
            case 2: // a part left out
            {
                using var input = new ZipArchive(new MemoryStream(content), ZipArchiveMode.Read);
                var parts = input.Entries.Select(e => { using var s = e.Open(); using var m = new MemoryStream(); s.CopyTo(m); return (e.FullName, Data: m.ToArray()); }).ToList();
                parts.RemoveAt(_random.Next(parts.Count));
                return Zip(parts);
            }
            case 3: // a bomb: a sheet of blank rows that compresses a thousandfold
            {
                using var input = new ZipArchive(new MemoryStream(content), ZipArchiveMode.Read);
                var parts = input.Entries.Select(e => { using var s = e.Open(); using var m = new MemoryStream(); s.CopyTo(m); return (e.FullName, Data: m.ToArray()); }).ToList();
                var sheet = parts.FindIndex(p => p.FullName.Contains("worksheets/sheet"));
                if (sheet < 0)
                    return Flip(content);
                var xml = Encoding.UTF8.GetString(parts[sheet].Data);
                var at = xml.IndexOf("<sheetData>", StringComparison.Ordinal);
                if (at < 0)
                    return Flip(content);
                parts[sheet] = (parts[sheet].FullName, Encoding.UTF8.GetBytes(xml[..(at + 11)] + new string(' ', 60_000_000) + xml[(at + 11)..]));
                return Zip(parts);
            }
            default: // bytes of a local entry's compressed data
                for (var n = _random.Next(1, 20); n > 0; n--)
                    copy[_random.Next(copy.Length)] = (byte)_random.Next(256);
                return copy;
        }
    }

    private static byte[] Zip(List<(string FullName, byte[] Data)> parts)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, data) in parts)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                stream.Write(data);
            }
        return output.ToArray();
    }

    public static string Summary(FuzzReport report)
    {
        var culture = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            "| importer | files | imported | refused | other | failures | seconds a file: median, 99th percentile, most | MB allocated a file: median, 99th percentile, most |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        };
        static double At(IEnumerable<double> values, double share)
        {
            var sorted = values.Order().ToList();
            return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(share * sorted.Count))];
        }
        foreach (var group in report.Cases.GroupBy(c => c.Target).OrderBy(g => g.Key))
        {
            var seconds = group.Select(c => c.Seconds).ToList();
            var megabytes = group.Select(c => c.AllocatedBytes / 1e6).ToList();
            lines.Add(string.Create(culture, $"| {group.Key} | {group.Count():N0} | {group.Count(c => c.Outcome == "Imported"):N0} | {group.Count(c => c.Outcome == "Refused"):N0} | {group.Count(c => c.Outcome is not ("Imported" or "Refused")):N0} | {group.Count(c => c.Failure is not null)} | {At(seconds, 0.5):N3}, {At(seconds, 0.99):N2}, {seconds.Max():N2} | {At(megabytes, 0.5):N1}, {At(megabytes, 0.99):N0}, {megabytes.Max():N0} |"));
        }
        lines.Add(string.Create(culture, $"\n{report.Cases.Count:N0} files, {report.Failures.Count()} failures; process peak working set {report.PeakWorkingSetBytes / 1e6:N0} MB"));
        foreach (var f in report.Failures.Take(30))
            lines.Add($"FAIL {f.Name} ({f.Mutation}): {f.Failure}");
        return string.Join('\n', lines);
    }
}

/// <summary>Small Comtrade files in the shapes Comtrade publishes, rows of HS 7102 between real reporters.</summary>
public static class ComtradeSamples
{
    private static readonly string[] PlusColumns =
    [
        "typeCode", "freqCode", "refPeriodId", "refYear", "refMonth", "period", "reporterCode", "reporterISO", "reporterDesc", "flowCode", "flowDesc",
        "partnerCode", "partnerISO", "partnerDesc", "partner2Code", "partner2ISO", "partner2Desc", "classificationCode", "classificationSearchCode",
        "isOriginalClassification", "cmdCode", "cmdDesc", "aggrLevel", "isLeaf", "customsCode", "customsDesc", "mosCode", "motCode", "motDesc",
        "qtyUnitCode", "qtyUnitAbbr", "qty", "isQtyEstimated", "altQtyUnitCode", "altQtyUnitAbbr", "altQty", "isAltQtyEstimated", "netWgt",
        "isNetWgtEstimated", "grossWgt", "isGrossWgtEstimated", "cifvalue", "fobvalue", "primaryValue", "legacyEstimationFlag", "isReported", "isAggregate",
    ];

    private static readonly (int Code, string Iso, string Name, string Flow, int PartnerCode, string Partner, string PartnerName, string Cmd, decimal Carats, decimal Usd)[] Rows =
    [
        (72, "BWA", "Botswana", "X", 784, "ARE", "United Arab Emirates", "710210", 1523.5m, 4210000m),
        (72, "BWA", "Botswana", "X", 56, "BEL", "Belgium", "710231", 88211.25m, 120455321.4m),
        (784, "ARE", "United Arab Emirates", "M", 72, "BWA", "Botswana", "710210", 1600m, 4500000m),
        (56, "BEL", "Belgium", "M", 72, "BWA", "Botswana", "710231", 80100m, 131000000m),
        (140, "CAF", "Central African Rep.", "X", 0, "W00", "World", "7102", 12044m, 2100000m),
    ];

    private static IEnumerable<string[]> PlusRows() => Rows.Select(r => new[]
    {
        "C", "A", "20220101", "2022", "52", "2022", $"{r.Code}", r.Iso, r.Name, r.Flow, r.Flow == "X" ? "Export" : "Import",
        $"{r.PartnerCode}", r.Partner, r.PartnerName, "0", "W00", "World", "H6", "HS", "TRUE", r.Cmd, "Diamonds", $"{r.Cmd.Length}", "TRUE", "C00", "TOTAL CPC",
        "0", "0", "TOTAL MOT", "13", "carat", Invariant(r.Carats), "FALSE", "-1", "N/A", "0", "FALSE", Invariant(r.Carats / 5000m), "FALSE", "0", "FALSE",
        r.Flow == "M" ? Invariant(r.Usd) : "0", r.Flow == "X" ? Invariant(r.Usd) : "0", Invariant(r.Usd), "0", "TRUE", r.Partner == "W00" ? "TRUE" : "FALSE",
    });

    private static string Invariant(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    /// <summary>The Comtrade Plus web download: every field quoted, a trailing comma, CRLF, Windows-1252.</summary>
    public static byte[] PlusCsv() => TextEncodings.Windows1252.GetBytes(
        string.Concat(new[] { PlusColumns }.Concat(PlusRows()).Select(cells => string.Join(",", cells.Select(c => $"\"{c}\"")) + ",\r\n")));

    /// <summary>The bulk shape Kimberlite first read: the same names, plain CSV.</summary>
    public static byte[] BulkCsv() => Encoding.UTF8.GetBytes(
        string.Concat(new[] { PlusColumns }.Concat(PlusRows()).Select(cells => string.Join(",", cells) + "\n")));

    /// <summary>The legacy Comtrade CSV (comtrade.un.org before 2023).</summary>
    public static byte[] LegacyCsv()
    {
        var header = "Classification,Year,Period,Period Desc.,Aggregate Level,Is Leaf Code,Trade Flow Code,Trade Flow,Reporter Code,Reporter,Reporter ISO,Partner Code,Partner,Partner ISO,2nd Partner Code,2nd Partner,2nd Partner ISO,Customs Proc. Code,Customs,Mode of Transport Code,Mode of Transport,Commodity Code,Commodity,Qty Unit Code,Qty Unit,Qty,Alt Qty Unit Code,Alt Qty Unit,Alt Qty,Netweight (kg),Gross weight (kg),Trade Value (US$),CIF Trade Value (US$),FOB Trade Value (US$),Flag";
        var rows = Rows.Select(r => string.Join(",",
            "H5", "2019", "2019", "2019", $"{r.Cmd.Length}", "1", r.Flow == "X" ? "2" : "1", r.Flow == "X" ? "Export" : "Import", $"{r.Code}", $"\"{r.Name}\"", r.Iso,
            $"{r.PartnerCode}", $"\"{r.PartnerName}\"", r.Partner == "W00" ? "WLD" : r.Partner, "", "", "", "", "", "", "", r.Cmd, "\"Diamonds, unsorted\"", "13", "Number of carats",
            Invariant(r.Carats), "", "", "", Invariant(r.Carats / 5000m), "", Invariant(r.Usd), "", "", "0"));
        return Encoding.UTF8.GetBytes(string.Join("\n", new[] { header }.Concat(rows)) + "\n");
    }

    /// <summary>The Comtrade Plus API's answer: {"elapsedTime", "count", "data": [...], "error"}.</summary>
    public static byte[] ApiJson()
    {
        var data = PlusRows().Select(cells => PlusColumns.Select((c, i) => (c, cells[i])).ToDictionary(p => p.c, p => (object?)(decimal.TryParse(p.Item2, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && p.c is not ("cmdCode" or "period" or "refPeriodId") ? d : p.Item2 is "TRUE" ? true : p.Item2 is "FALSE" ? false : p.Item2)));
        return System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { elapsedTime = "0.21 secs", count = Rows.Length, data, error = "" });
    }
}
