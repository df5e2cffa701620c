namespace Kimberlite.Statistics.Import;

/// <summary>
/// The layouts `import statistics` reads, recognised by their header: the four files of the bundled
/// collection and the Kimberley Process public statistics table. Each maps a row to the figures it states.
/// </summary>
internal static class StatisticsFormats
{
    private static readonly string[] KpProductionColumns = ["country_iso3", "year", "carats", "usd", "usd_per_carat_published", "source", "source_publisher", "as_published", "precision", "notes"];
    private static readonly string[] KpTradeColumns = ["reporter_iso3", "partner_iso3", "year", "period", "flow", "flow_detail", "carats", "usd", "share_pct", "source", "source_publisher", "as_published", "precision", "data_origin", "notes"];
    private static readonly string[] NationalColumns = ["country_iso3", "year", "period", "metric", "segment", "carats", "value", "currency", "source", "source_publisher", "as_published", "precision", "notes"];
    private static readonly string[] FiscalColumns = ["country_iso3", "year", "item", "amount", "currency", "rate_pct", "source", "source_publisher", "as_published", "notes"];

    /// <summary>Canonical names of the Kimberley Process table, each with the words its headers may use.</summary>
    private static readonly (string Canonical, string[][] Words)[] KpTableColumns =
    [
        ("production_usd_per_carat", [["production", "$/ct"], ["production", "per carat"], ["production", "/ct"]]),
        ("import_usd_per_carat", [["import", "$/ct"], ["import", "per carat"], ["import", "/ct"]]),
        ("export_usd_per_carat", [["export", "$/ct"], ["export", "per carat"], ["export", "/ct"]]),
        ("country", [["country"], ["participant"], ["pays"]]),
        ("period", [["period"], ["periode"], ["période"]]),
        ("year", [["year"], ["annee"], ["année"]]),
        ("production_carats", [["production", "volume"], ["production", "carat"], ["production", "ct"]]),
        ("production_usd", [["production", "value"], ["production", "usd"], ["production", "us$"]]),
        ("import_carats", [["import", "volume"], ["import", "carat"], ["import", "ct"]]),
        ("import_usd", [["import", "value"], ["import", "usd"], ["import", "us$"]]),
        ("import_certificates", [["import", "certificate"], ["import", "kpc"]]),
        ("export_carats", [["export", "volume"], ["export", "carat"], ["export", "ct"]]),
        ("export_usd", [["export", "value"], ["export", "usd"], ["export", "us$"]]),
        ("export_certificates", [["export", "certificate"], ["export", "kpc"]]),
    ];

    private static readonly IReadOnlyDictionary<StatisticsFormat, string[]> KnownColumns = new Dictionary<StatisticsFormat, string[]>
    {
        [StatisticsFormat.KpProduction] = KpProductionColumns,
        [StatisticsFormat.KpTrade] = KpTradeColumns,
        [StatisticsFormat.NationalStatistics] = NationalColumns,
        [StatisticsFormat.FiscalRevenue] = FiscalColumns,
    };

    public static readonly IReadOnlyDictionary<StatisticsFormat, string[]> RequiredColumns = new Dictionary<StatisticsFormat, string[]>
    {
        [StatisticsFormat.KpProduction] = ["country_iso3", "year", "carats", "usd"],
        [StatisticsFormat.KpTrade] = ["reporter_iso3", "partner_iso3", "year", "flow", "carats", "usd"],
        [StatisticsFormat.NationalStatistics] = ["country_iso3", "year", "metric", "carats", "value", "currency"],
        [StatisticsFormat.FiscalRevenue] = ["country_iso3", "year", "item", "amount", "currency"],
        [StatisticsFormat.KpPublicTable] = ["country"],
    };

    /// <summary>Recognises a layout and maps its header names to column indexes under canonical names.</summary>
    public static (StatisticsFormat? Format, Dictionary<string, int> Columns) Detect(IReadOnlyList<string> headers)
    {
        var plain = headers.Select((h, i) => (Name: h.Trim().ToLowerInvariant(), Index: i))
            .GroupBy(h => h.Name).ToDictionary(g => g.Key, g => g.First().Index);

        StatisticsFormat? format =
            plain.ContainsKey("usd_per_carat_published") ? StatisticsFormat.KpProduction
            : plain.ContainsKey("reporter_iso3") && plain.ContainsKey("flow") ? StatisticsFormat.KpTrade
            : plain.ContainsKey("metric") && plain.ContainsKey("segment") ? StatisticsFormat.NationalStatistics
            : plain.ContainsKey("item") && plain.ContainsKey("amount") ? StatisticsFormat.FiscalRevenue
            : null;
        if (format is not null)
        {
            var known = KnownColumns[format.Value];
            return (format, plain.Where(c => known.Contains(c.Key)).ToDictionary());
        }

        var table = new Dictionary<string, int>();
        for (var i = 0; i < headers.Count; i++)
        {
            var words = headers[i].ToLowerInvariant().Replace('_', ' ');
            foreach (var (canonical, alternatives) in KpTableColumns)
                if (!table.ContainsKey(canonical) && alternatives.Any(all => all.All(words.Contains)))
                {
                    table[canonical] = i;
                    break;
                }
        }
        var hasFigures = table.Keys.Any(k => k.EndsWith("_carats") || k.EndsWith("_usd"));
        return table.ContainsKey("country") && hasFigures && (table.ContainsKey("period") || table.ContainsKey("year"))
            ? (StatisticsFormat.KpPublicTable, table)
            : (null, plain);
    }

    public static IEnumerable<Figure> Map(StatisticsFormat format, RowReader row) => format switch
    {
        StatisticsFormat.KpProduction => KpProduction(row),
        StatisticsFormat.KpTrade => KpTrade(row),
        StatisticsFormat.NationalStatistics => National(row),
        StatisticsFormat.FiscalRevenue => Fiscal(row),
        StatisticsFormat.KpPublicTable => KpTable(row),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private static IEnumerable<Figure> KpProduction(RowReader row)
    {
        var country = row.Country("country_iso3", required: true);
        var period = row.Period("year", null);
        var carats = row.Quantity("carats");
        var usd = row.Quantity("usd");
        var perCarat = row.Quantity("usd_per_carat_published");
        if (row.Refused)
            yield break;
        yield return Sourced(row, new Figure
        {
            CountryIso3 = country!, Metric = Metric.Production, MetricText = "production",
            YearText = row.Text("year")!, Carats = carats, Value = usd, Currency = usd is null ? null : "USD",
            UsdPerCaratPublished = perCarat, SourceKind = SourceKind.KimberleyProcess,
        }, period);
    }

    private static IEnumerable<Figure> KpTrade(RowReader row)
    {
        var reporter = row.Country("reporter_iso3", required: true);
        var partner = row.Country("partner_iso3", required: false);
        var period = row.Period("year", "period");
        var flow = row.Required("flow");
        var metric = flow?.ToLowerInvariant() switch { "export" => Metric.Export, "import" => Metric.Import, _ => (Metric?)null };
        if (flow is not null && metric is null)
            row.Refuse("flow", flow, "Import_UnknownFlow");
        var carats = row.Quantity("carats");
        var usd = row.Quantity("usd");
        var share = row.Quantity("share_pct");
        if (row.Refused)
            yield break;
        var origin = row.Text("data_origin");
        yield return Sourced(row, new Figure
        {
            CountryIso3 = reporter!, PartnerIso3 = partner, Metric = metric!.Value, MetricText = flow!.ToLowerInvariant(),
            FlowDetail = row.Text("flow_detail"), YearText = row.Text("year") ?? "", PeriodText = row.Text("period"),
            Carats = carats, Value = usd, Currency = usd is null ? null : "USD", SharePct = share,
            DataOrigin = origin, SourceKind = KindOfOrigin(origin),
        }, period);
    }

    private static IEnumerable<Figure> National(RowReader row)
    {
        var country = row.Country("country_iso3", required: true);
        var period = row.Period("year", "period");
        var metricText = row.Required("metric");
        var carats = row.Quantity("carats");
        var value = row.Quantity("value");
        var currency = row.Currency("currency", value);
        if (row.Refused)
            yield break;
        var metric = MetricOf(metricText!);
        if (metric == Metric.Other)
            row.Note("metric", metricText, "Import_MetricKeptAsOther");
        yield return Sourced(row, new Figure
        {
            CountryIso3 = country!, Metric = metric, MetricText = metricText!, Segment = row.Text("segment"),
            YearText = row.Text("year") ?? "", PeriodText = row.Text("period"),
            Carats = carats, Value = value, Currency = currency, SourceKind = SourceKind.National,
        }, period);
    }

    private static IEnumerable<Figure> Fiscal(RowReader row)
    {
        var country = row.Country("country_iso3", required: true);
        var period = row.Period("year", null);
        var item = row.Required("item");
        var amount = row.Quantity("amount");
        var currency = row.Currency("currency", amount);
        var rate = row.Quantity("rate_pct");
        if (row.Refused)
            yield break;
        var publisher = row.Text("source_publisher") ?? "";
        yield return Sourced(row, new Figure
        {
            CountryIso3 = country!, Metric = Metric.Fiscal, MetricText = item!, YearText = row.Text("year") ?? "",
            Value = amount, Currency = currency, RatePct = rate,
            SourceKind = publisher.Contains("EITI", StringComparison.OrdinalIgnoreCase) ? SourceKind.Eiti : SourceKind.Other,
        }, period);
    }

    /// <summary>One row of the Kimberley Process table states up to three figures: production, imports and exports.</summary>
    private static IEnumerable<Figure> KpTable(RowReader row)
    {
        var country = row.Country("country", required: true, acceptNames: true);
        var period = row.Text("year") is not null ? row.Period("year", "period") : row.Period("period", null);
        var figures = new List<Figure>();
        foreach (var (metric, prefix) in new[] { (Metric.Production, "production"), (Metric.Import, "import"), (Metric.Export, "export") })
        {
            var carats = row.Quantity($"{prefix}_carats");
            var usd = row.Quantity($"{prefix}_usd");
            var perCarat = row.Quantity($"{prefix}_usd_per_carat");
            var certificates = metric == Metric.Production ? null : row.Count($"{prefix}_certificates");
            if (carats is null && usd is null && perCarat is null && certificates is null)
                continue;
            figures.Add(new Figure
            {
                CountryIso3 = country ?? "", Metric = metric, MetricText = prefix,
                YearText = row.Text("year") ?? row.Text("period") ?? "", PeriodText = row.Text("year") is null ? null : row.Text("period"),
                Carats = carats, Value = usd, Currency = usd is null ? null : "USD", UsdPerCaratPublished = perCarat, Certificates = certificates,
                SourceKind = SourceKind.KimberleyProcess, Precision = "as published",
            });
        }
        if (row.Refused)
            yield break;
        foreach (var figure in figures)
            yield return WithPeriod(row, figure, period);
    }

    private static Figure Sourced(RowReader row, Figure figure, Period period)
    {
        figure.SourceAddress = row.Text("source");
        figure.SourcePublisher = row.Text("source_publisher");
        figure.AsPublished = row.Text("as_published");
        figure.Precision = row.Text("precision");
        figure.Notes = row.Text("notes");
        return WithPeriod(row, figure, period);
    }

    private static Figure WithPeriod(RowReader row, Figure figure, Period period)
    {
        figure.Line = row.Line;
        figure.PeriodKind = period.Kind;
        figure.Year = period.Year;
        figure.EndYear = period.EndYear;
        figure.StartMonth = period.StartMonth;
        figure.EndMonth = period.EndMonth;
        return figure;
    }

    private static Metric MetricOf(string text) => text.Trim().ToLowerInvariant() switch
    {
        "production" => Metric.Production,
        "export" or "exports" => Metric.Export,
        "import" or "imports" => Metric.Import,
        "sales" => Metric.Sales,
        _ => Metric.Other,
    };

    private static SourceKind KindOfOrigin(string? origin) => origin?.Trim().ToLowerInvariant() switch
    {
        null => SourceKind.Other,
        var o when o == "kp" || o.StartsWith("kp ") => SourceKind.KimberleyProcess,
        var o when o.StartsWith("national") => SourceKind.National,
        var o when o.StartsWith("eiti") => SourceKind.Eiti,
        _ => SourceKind.Other,
    };
}
