using System.ComponentModel;
using System.Globalization;
using System.Security.Claims;
using Kimberlite.Infrastructure.Api;
using Kimberlite.Statistics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kimberlite.Library;

/// <summary>A search as the query string says it, read by <see cref="LibrarySearchApi.Read"/>.</summary>
public sealed record SearchRequest(string Text, SearchQuery Query, DocumentFilter Filter, int Page, int PageSize);

public static class LibrarySearchApi
{
    public const int DefaultPageSize = 20;

    public static IEndpointRouteBuilder MapLibrarySearchApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/documents").WithTags("Library");
        group.MapGet("/", List).AllowAnonymous().WithName("SearchDocuments")
            .WithSummary("Searches the library's documents the reader may see, or lists them newest first when there is no `q`")
            .WithDescription("`q`: words that must all be on one page (accents, case and French, English or Portuguese endings do not matter), "
                + "\"a phrase\" whose words follow each other, -word to leave out the documents that hold it. Filters: `country` (ISO3), `type` "
                + "(report, law, decree, contract, minutes, press, other), `language` (fr, en or pt), `year` (of publication), `publisher`. "
                + "Each result gives its best page, a passage (`passageHtml` marks the matched words) and the address that opens the document there; "
                + "`facets` counts the documents of each filter value for the query. `?format=csv` for CSV.");
        return app;
    }

    /// <summary>Reads the query string, or says which parameter is wrong and how to write it.</summary>
    public static (SearchRequest Request, Dictionary<string, string[]> Errors) Read(string? q, string? country, string? type, string? language, string? year,
        string? publisher, string? page, string? pageSize)
    {
        var errors = new Dictionary<string, string[]>();
        var text = q?.Trim() ?? "";
        if (text.Length > SearchQuery.LongestQuery)
            errors["q"] = [$"The query has {text.Length} characters: keep it to {SearchQuery.LongestQuery}."];
        string? code = null;
        if (!string.IsNullOrWhiteSpace(country))
        {
            code = country.Trim().ToUpperInvariant();
            if (!CountryCodes.IsKnown(code) || CountryCodes.IsAggregate(code))
                errors["country"] = [$"'{country}' is not a country: use an ISO 3166 three-letter code such as CAF."];
        }
        var documentType = ApiCodes.Parse<DocumentType>(type);
        if (!string.IsNullOrWhiteSpace(type) && documentType is null)
            errors["type"] = [$"'{type}' is not a document type: use {ApiCodes.Names<DocumentType>()}."];
        var lang = string.IsNullOrWhiteSpace(language) ? null : language.Trim().ToLowerInvariant();
        if (lang is not null and not ("fr" or "en" or "pt"))
            errors["language"] = [$"'{language}' is not a language of the library: use fr, en or pt."];
        var y = Number(year, "year", 1800, 2200, "a year of publication such as 2019", errors);
        var p = Number(page, "page", 1, 100_000, "a page number from 1", errors) ?? 1;
        var size = Number(pageSize, "pageSize", 1, LibrarySearch.MaxPageSize, $"a number of results per page from 1 to {LibrarySearch.MaxPageSize}", errors) ?? DefaultPageSize;
        var query = errors.ContainsKey("q") ? SearchQuery.Parse(null) : SearchQuery.Parse(text);
        var filter = new DocumentFilter(code, documentType, lang, y, string.IsNullOrWhiteSpace(publisher) ? null : publisher.Trim());
        return (new SearchRequest(text, query, filter, p, size), errors);
    }

    private static int? Number(string? text, string name, int min, int max, string what, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
            return n;
        errors[name] = [$"'{text}' is not {what}."];
        return null;
    }

    private static async Task<Results<Ok<SearchResults>, FileContentHttpResult, ValidationProblem>> List(
        [Description("Words, \"a phrase\", -word; empty lists every document")] string? q,
        [Description("ISO3 code of a country the document concerns")] string? country,
        [Description("report, law, decree, contract, minutes, press or other")] string? type,
        [Description("fr, en or pt")] string? language,
        [Description("Year of publication")] string? year,
        [Description("The publisher, as the facets write it")] string? publisher,
        [Description("Page of results, from 1")] string? page,
        [Description($"Results per page, 1 to 100 (20 unless said)")] string? pageSize,
        [Description("json (default) or csv")] string? format,
        ClaimsPrincipal user, LibrarySearch search, CancellationToken cancellationToken)
    {
        var (request, errors) = Read(q, country, type, language, year, publisher, page, pageSize);
        var listFormat = ListFormats.Parse(format);
        if (listFormat is null)
            errors["format"] = [ListFormats.Error(format)];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        var results = await search.SearchAsync(user, request.Query, request.Filter, request.Page, request.PageSize, cancellationToken);
        if (listFormat == ListFormat.Csv)
            return CsvOutput.File(results.Documents, "documents.csv",
                ("id", d => d.Id), ("title", d => d.Title), ("type", d => d.Type), ("countries", d => string.Join(';', d.Countries)),
                ("published_on", d => d.PublishedOn), ("language", d => d.Language), ("publisher", d => d.Publisher), ("page", d => d.Page),
                ("passage", d => d.Passage), ("score", d => d.Score), ("url", d => d.Url));
        return TypedResults.Ok(results);
    }
}
