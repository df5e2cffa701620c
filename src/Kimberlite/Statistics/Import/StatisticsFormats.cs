namespace Kimberlite.Statistics.Import;

/// <summary>
/// Maps a row of each layout `import statistics` reads (StatisticsLayouts recognises them) to the figures it states.
/// </summary>
internal static partial class StatisticsFormats
{
    public static IEnumerable<Figure> Map(StatisticsFormat format, RowReader row) => format switch
    {
        StatisticsFormat.KpProduction => KpProduction(row),
        StatisticsFormat.KpTrade => KpTrade(row),
        StatisticsFormat.NationalStatistics => National(row),
        StatisticsFormat.FiscalRevenue => Fiscal(row),
        StatisticsFormat.KpPublicTable => KpTable(row),
        StatisticsFormat.KpDatabaseExport => KpDatabaseExport(row),
        StatisticsFormat.TradeMap => TradeMap(row),
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

    /// <summary>
    /// One row of the Kimberley Process database export: a country's production in one half of a year, whole
    /// (`Production`), artisanal (`ASM`) or industrial (`LSM`); `No Production` states zero.
    /// </summary>
    private static IEnumerable<Figure> KpDatabaseExport(RowReader row)
    {
        var country = row.Country("country", required: true, acceptNames: true);
        var halfText = row.Required("half");
        var half = WholeNumber(halfText) switch { "1" => "H1", "2" => "H2", _ => null };
        if (halfText is not null && half is null)
            row.Refuse("half", halfText, "Import_KpHalfUnknown");
        var period = row.Period("year", "half", half);
        var tradeType = row.Text("trade_type");
        var noProduction = string.Equals(tradeType, "No Production", StringComparison.OrdinalIgnoreCase);
        if (tradeType is not null && !noProduction && !string.Equals(tradeType, "Production", StringComparison.OrdinalIgnoreCase))
            row.Refuse("trade_type", tradeType, "Import_KpTradeTypeUnknown");
        var productionType = row.Text("production_type");
        var segment = productionType?.ToUpperInvariant() switch
        {
            null when noProduction => "total",
            "PRODUCTION" => "total",
            "ASM" => "artisanal",
            "LSM" => "industrial",
            _ => null,
        };
        if (segment is null)
            row.Refuse("production_type", productionType, productionType is null ? "Import_Required" : "Import_KpProductionTypeUnknown");
        var carats = row.Quantity("carats");
        var usd = row.Quantity("usd");
        if (row.Text("public") is { } visibility && !string.Equals(visibility, "Public", StringComparison.OrdinalIgnoreCase))
            row.Refuse("public", visibility, "Import_KpNotPublic");
        var released = ReleaseDate(row, "last_modified") ?? ReleaseDate(row, "created");
        if (row.Refused)
            yield break;
        // The database writes 0 where a participant gave carats but no value: kept, flagged, never a valuation.
        var valueNotReported = usd == 0 && carats is > 0;
        if (valueNotReported)
            row.Note("usd", row.Text("usd"), "Import_ValueNotReported");
        yield return WithPeriod(row, new Figure
        {
            CountryIso3 = country!, Metric = Metric.Production, MetricText = "production", Segment = segment,
            YearText = WholeNumber(row.Text("year")) ?? "", PeriodText = half,
            Carats = carats, Value = usd, Currency = usd is null ? null : "USD", ValueNotReported = valueNotReported,
            ReleasedAt = released, SourceKind = SourceKind.KimberleyProcess, Precision = "as published",
            AsPublished = noProduction ? tradeType : null,
        }, period);
    }

    /// <summary>"2003" or the spreadsheet number "2003.0": the whole number written; else the text as it is.</summary>
    private static string? WholeNumber(string? text) =>
        text is not null && SpreadsheetWhole().Match(text) is { Success: true } m ? m.Groups[1].Value : text;

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*([0-9]+)(?:\.0+)?\s*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex SpreadsheetWhole();

    /// <summary>The database's time stamp ("01Feb12:13:09:18"), a date, or a spreadsheet date number; anything else is noted and left out.</summary>
    private static DateTime? ReleaseDate(RowReader row, string column)
    {
        var text = row.Text(column);
        if (text is null)
            return null;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        const System.Globalization.DateTimeStyles Utc = System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal;
        if (DateTime.TryParseExact(text, ["ddMMMyy:HH:mm:ss", "yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "dd/MM/yyyy", "dd/MM/yyyy HH:mm"], invariant, Utc, out var stamp))
            return DateTime.SpecifyKind(stamp, DateTimeKind.Utc);
        // A date cell of a workbook is a day number: 40940 is 1 February 2012.
        if (double.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint, invariant, out var serial) && serial is >= 25_000 and <= 75_000)
            return DateTime.SpecifyKind(DateTime.FromOADate(serial), DateTimeKind.Utc);
        row.Note(column, text, "Import_ReleaseDateNotUnderstood");
        return null;
    }

    /// <summary>
    /// One row of an ITC Trade Map list: a country and its trade in each year, in the unit the file states.
    /// In a list of exporters (or importers) of a product the row is the reporter and its partner the world;
    /// in a list of markets of one country (its title says "exported by Portugal") the row is the partner.
    /// </summary>
    private static IEnumerable<Figure> TradeMap(RowReader row)
    {
        var rowColumn = row.Has("exporters") ? "exporters" : "importers";
        var name = row.Required(rowColumn);
        if (name is not null && TradeMapAreas.Contains(Layout.Normalize(name)))
        {
            // An area with no country code ("Area Nes", "Free Zones"): its trade is nobody's to compare.
            row.Note(rowColumn, name, "Import_TradeMapAreaLeftOut");
            yield break;
        }
        var country = row.Country(rowColumn, required: false, acceptNames: true);
        var figures = new List<Figure>();
        foreach (var column in row.ColumnNames.Where(c => c.StartsWith("exported_") || c.StartsWith("imported_")).Order())
        {
            var parts = column.Split('_');
            var export = parts[0] == "exported";
            var year = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            var factor = parts.Length > 2 ? (parts[2] == "thousand" ? 1000m : 1m) : row.Context.UnitFactor;
            var value = row.Quantity(column);
            if (value is null)
                continue;
            // The row is the reporter where it lists those who make the flow (exporters of exports), else the partner.
            var rowReports = export == (rowColumn == "exporters");
            if (!rowReports && row.Context.Reporter is null)
                continue;
            if (value.Value > decimal.MaxValue / factor)
            {
                row.Refuse(column, row.Text(column), "Import_ValueTooLarge");
                continue;
            }
            var usd = value.Value * factor;
            figures.Add(WithPeriod(row, new Figure
            {
                CountryIso3 = rowReports ? country ?? "" : row.Context.Reporter!, PartnerIso3 = rowReports ? "WLD" : country,
                Metric = export ? Metric.Export : Metric.Import, MetricText = export ? "export" : "import",
                YearText = parts[1], Value = usd, Currency = "USD", SourceKind = SourceKind.Other,
                Precision = factor == 1000m ? "rounded to US$ thousand" : "as published",
                AsPublished = factor == 1000m ? $"{row.Text(column)} (US$ thousand)" : row.Text(column),
            }, Period.WholeYear(year)));
        }
        if (row.Refused)
            yield break;
        foreach (var figure in figures)
            yield return figure;
    }

    /// <summary>Trade Map's partners that are no country, by their normalised names.</summary>
    private static readonly HashSet<string> TradeMapAreas =
        ["areanes", "areasnes", "freezones", "bunkers", "shipstoresandbunkers", "specialcategories", "othereuropenes", "otherasianes", "otherafricanes", "neutralzone"];

    /// <summary>
    /// What a Trade Map file states once for all its rows, in its title rows or header: the unit of its values
    /// and, for a country's list of markets, that country. An unstated unit is Trade Map's own, US$ thousand, and noted.
    /// </summary>
    public static ReadingContext TradeMapContext(ReadingContext context, IReadOnlyDictionary<string, int> columns, List<ImportProblem> problems)
    {
        var titles = context.Preamble.Select(Layout.Normalize).ToList();
        decimal? factor = titles.Any(t => t.Contains("usdollarthousand") || t.Contains("usdthousand") || t.Contains("thousandusd")) ? 1000m
            : titles.Any(t => t.Contains("usdollarmillion") || t.Contains("usdmillion")) ? 1_000_000m
            : titles.Any(t => t.EndsWith("unitusdollar") || t.EndsWith("unitusd")) ? 1m
            : null;
        var valueColumns = columns.Keys.Where(c => c.StartsWith("exported_") || c.StartsWith("imported_")).ToList();
        if (factor is null && valueColumns.Any(c => c.Split('_').Length == 2))
            problems.Add(new ImportProblem(1, "(unit)", null, ImportIssueKind.Note, "Import_TradeMapUnitAssumed"));

        string? reporter = null;
        var rowColumn = columns.ContainsKey("exporters") ? "exporters" : "importers";
        var rowIsPartner = valueColumns.Any(c => c.StartsWith("exported_") != (rowColumn == "exporters"));
        if (rowIsPartner)
        {
            var title = context.Preamble.Select(t => TradeMapReporter().Match(t)).FirstOrDefault(m => m.Success);
            reporter = title is null ? null : CountryNames.ToIso3(title.Groups[1].Value.Trim());
            if (reporter is null)
                problems.Add(new ImportProblem(1, "(title)", title?.Groups[1].Value.Trim(), ImportIssueKind.Refused, "Import_TradeMapReporterUnknown"));
        }
        return context with { UnitFactor = factor ?? 1000m, Reporter = reporter };
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?:exported|imported) by (.+?)(?:\s+in\s+[0-9]{4}.*)?\s*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex TradeMapReporter();

    /// <summary>
    /// Rows of the Kimberley Process export that give the same country, half and production type again: the
    /// database holds such repeats (the Democratic Republic of Congo's 2022 H1 industrial production twice,
    /// only one of them in the published total). Both are kept, as published, and each repeat is noted.
    /// </summary>
    public static IEnumerable<ImportProblem> RepeatedHalves(IEnumerable<Figure> figures, string countryHeader) =>
        figures.GroupBy(f => (f.CountryIso3, f.YearText, f.PeriodText, f.Segment))
            .Where(g => g.Count() > 1)
            .SelectMany(g => g.Skip(1).Select(f => new ImportProblem(f.Line, countryHeader,
                $"{f.CountryIso3} {f.YearText} {f.PeriodText} {f.Segment}: {g.First().Line}", ImportIssueKind.Note, "Import_KpRepeatedRow")));
}
