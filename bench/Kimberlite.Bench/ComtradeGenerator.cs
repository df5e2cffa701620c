using System.Globalization;
using System.Text;

namespace Kimberlite.Bench;

/// <summary>
/// Writes a synthetic UN Comtrade bulk file of HS 7102 from a seed: each reporter's exports (X) to its
/// partners, and each partner's imports (M) of the same flow, over the years and the five HS 7102
/// subheadings. Honest mirrors differ by less than 5 % (and CIF adds 3 % to import values), well inside
/// the 15 % tolerance; a planted anomaly inflates the importer's carats by half. Every tenth country is a
/// producer, exporting twenty times what the others do. Beside it, the production of every reporter in
/// the Kimberley Process layout, which the balance rule reads with the trade. The numbers planted are known.
/// </summary>
public sealed class ComtradeGenerator(int reporters, int partnersPerReporter, int firstYear, int years, int seed, double plantedShare)
{
    public static readonly string[] Subheadings = ["710210", "710221", "710229", "710231", "710239"];
    private const int ProducerEvery = 10, ProducerScale = 20, BalancePlantedEvery = 5, MostCaratsPerRecord = 101_000;

    // What each reporter declared it exported and imported each year, in carats, as the file says it.
    private readonly decimal[,] _exported = new decimal[reporters, years], _imported = new decimal[reporters, years];

    public long Rows => (long)reporters * partnersPerReporter * years * Subheadings.Length * 2;

    /// <summary>Writes the file and returns the planted mirror gaps: (exporter, importer, year).</summary>
    public IReadOnlyList<(string Exporter, string Importer, int Year)> Write(string path, IReadOnlyList<string> countries)
    {
        var random = new Random(seed);
        var planted = new List<(string, string, int)>();
        Array.Clear(_exported);
        Array.Clear(_imported);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,reporterDesc,flowCode,flowDesc,partnerCode,partnerISO,partnerDesc,cmdCode,cmdDesc,qtyUnitCode,qtyUnitAbbr,qty,netWgt,cifvalue,fobvalue,primaryValue,isReported,isAggregate\n");
        var line = new StringBuilder(256);
        for (var r = 0; r < reporters; r++)
        for (var k = 1; k <= partnersPerReporter; k++)
        {
            var exporter = countries[r];
            var importerIndex = (r + k) % reporters;
            var importer = countries[importerIndex];
            var scale = r % ProducerEvery == 0 ? ProducerScale : 1;
            for (var y = 0; y < years; y++)
            {
                var year = firstYear + y;
                var anomaly = random.NextDouble() < plantedShare;
                if (anomaly)
                    planted.Add((exporter, importer, year));
                foreach (var code in Subheadings)
                {
                    var carats = Math.Round((decimal)(1000 + random.NextDouble() * (MostCaratsPerRecord - 1000)) * scale, 2);
                    var usd = Math.Round(carats * (decimal)(20 + random.NextDouble() * 200), 0);
                    var noise = 1 + (decimal)((random.NextDouble() - 0.5) * 0.08);
                    var imported = Math.Round(carats * noise * (anomaly ? 1.5m : 1m), 2);
                    var cif = Math.Round(usd * noise * 1.03m, 0);
                    Append(writer, line, year, exporter, "X", importer, code, carats, fob: usd, cif: null);
                    Append(writer, line, year, importer, "M", exporter, code, imported, fob: null, cif: cif);
                    _exported[r, y] += carats;
                    _imported[importerIndex, y] += imported;
                }
            }
        }
        return planted;
    }

    /// <summary>
    /// Writes each reporter's yearly production in the layout of the bundled kp_production.csv, after
    /// <see cref="Write"/>: the same every year, the most it could export in a year, so production covers exports; except in one year of five of each producer, when production
    /// falls to 60 % of exports less imports. Returns those planted (country, year): their exports exceed
    /// production plus imports by two thirds.
    /// </summary>
    public IReadOnlyList<(string Country, int Year)> WriteProduction(string path, IReadOnlyList<string> countries)
    {
        var planted = new List<(string, int)>();
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.Write("country_iso3,year,carats,usd,usd_per_carat_published,source,source_publisher,as_published,precision,notes\n");
        for (var r = 0; r < reporters; r++)
        for (var y = 0; y < years; y++)
        {
            var (country, year) = (countries[r], firstYear + y);
            var (exported, imported) = (_exported[r, y], _imported[r, y]);
            decimal carats = (r % ProducerEvery == 0 ? ProducerScale : 1) * partnersPerReporter * Subheadings.Length * MostCaratsPerRecord;
            if (r % ProducerEvery == 0 && (r / ProducerEvery + y) % BalancePlantedEvery == 0 && imported < exported / 2)
            {
                carats = Math.Round(exported * 0.6m - imported, 2);
                planted.Add((country, year));
            }
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{country},{year},{carats},{Math.Round(carats * 100m, 0)},,synthetic,Kimberlite bench,,exact,\n"));
        }
        return planted;
    }

    private static void Append(StreamWriter writer, StringBuilder line, int year, string reporter, string flow, string partner, string code, decimal carats, decimal? fob, decimal? cif)
    {
        var primary = fob ?? cif!.Value;
        line.Clear();
        line.Append(CultureInfo.InvariantCulture, $"C,A,{year}0101,{year},52,{year},0,{reporter},,{flow},,0,{partner},,{code},,13,carat,{carats},{Math.Round(carats / 5000m, 3)},{cif},{fob},{primary},True,False\n");
        writer.Write(line);
    }
}
