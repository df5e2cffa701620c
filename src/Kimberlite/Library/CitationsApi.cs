using System.Security.Claims;
using Kimberlite.Accounts;
using Kimberlite.Advocacy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kimberlite.Library;

/// <summary>Findings and incidents citing document pages, and what cites a document.</summary>
public static class CitationsApi
{
    public static IEndpointRouteBuilder MapCitationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Citations");
        group.MapPost("/findings/{id:int}/citations", (int id, CitationInput input, Citations citations, ClaimsPrincipal user, CancellationToken ct) =>
                AddAsync(CitingKind.Finding, id, input, citations, user, ct))
            .RequireAuthorization(Policies.Analyst).WithName("CiteDocumentForFinding")
            .WithSummary("Cites a document page as evidence of a finding (analysts)")
            .WithDescription("Body `{documentId, page, note}`; the document must be one you may read. The same document and page cited again answers the existing citation.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/incidents/{id:int}/citations", (int id, CitationInput input, Citations citations, ClaimsPrincipal user, CancellationToken ct) =>
                AddAsync(CitingKind.Incident, id, input, citations, user, ct))
            .RequireAuthorization(Policies.Analyst).WithName("CiteDocumentForIncident")
            .WithSummary("Cites a document page as evidence of an incident (analysts of its organisation)")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/citations/{id:long}", RemoveAsync).RequireAuthorization(Policies.Analyst).WithName("RemoveCitation")
            .WithSummary("Removes a citation (analysts who may cite for its item)")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/documents/{id:int}/citations", CitingAsync).AllowAnonymous().WithName("DocumentCitations")
            .WithSummary("What cites a document: findings, incidents and recommendations you may read")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<CitedDocumentDto>, Ok<CitedDocumentDto>, ValidationProblem, ProblemHttpResult>> AddAsync(
        CitingKind kind, int id, CitationInput input, Citations citations, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var result = await citations.AddAsync(user, kind, id, input, cancellationToken);
        switch (result.Outcome)
        {
            case BookOutcome.Done or BookOutcome.Repeated:
                var c = result.Value!;
                var dto = (await citations.CitedByAsync(user, kind, id, cancellationToken)).First(d => d.CitationId == c.Id);
                return result.Outcome == BookOutcome.Done ? TypedResults.Created($"/api/v1/documents/{c.DocumentId}/citations", dto) : TypedResults.Ok(dto);
            case BookOutcome.Invalid:
                return TypedResults.ValidationProblem(result.Errors);
            case BookOutcome.Forbidden:
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "You may not cite for this item",
                    detail: kind == CitingKind.Finding ? "Analysts cite documents for findings." : "Analysts of the incident's organisation cite documents for it.");
            default:
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No {Citations.Code(kind)} {id}",
                    detail: kind == CitingKind.Finding ? "GET /api/v1/findings lists the findings and their ids." : "GET /api/v1/field/incidents lists the incidents you may read.");
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(long id, Citations citations, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await citations.RemoveAsync(user, id, cancellationToken) switch
        {
            BookOutcome.Done => TypedResults.NoContent(),
            BookOutcome.Forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "You may not remove this citation",
                detail: "Analysts remove a finding's citations; analysts of its organisation an incident's or a recommendation's."),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No citation {id}", detail: "GET /api/v1/documents/{id}/citations lists a document's citations."),
        };

    private static async Task<Results<Ok<List<CitingDto>>, ProblemHttpResult>> CitingAsync(int id, Citations citations, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await citations.CitingAsync(user, id, cancellationToken) is { } citing
            ? TypedResults.Ok(citing)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No document {id}", detail: "GET /api/v1/documents lists the documents you may read.");
}
