using System.Security.Claims;
using Kimberlite.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kimberlite.Advocacy;

/// <summary>Members' comments on findings, incidents, recommendations and meetings; never public (docs/decisions/031-discussion.md).</summary>
public static class CommentsApi
{
    private static readonly (string Segment, CommentTarget Target)[] Targets =
        [("findings", CommentTarget.Finding), ("incidents", CommentTarget.Incident), ("recommendations", CommentTarget.Recommendation), ("meetings", CommentTarget.Meeting)];

    public static IEndpointRouteBuilder MapCommentsApi(this IEndpointRouteBuilder app)
    {
        foreach (var (segment, target) in Targets)
        {
            // A group of its own: the findings' group lets the public in, the comments never do.
            var group = app.MapGroup($"/api/v1/{segment}/{{id:int}}/comments").WithTags("Discussion").RequireAuthorization(Policies.Viewer);
            var name = Discussion.Code(target);
            group.MapGet("/", (int id, ClaimsPrincipal user, Discussion discussion, CancellationToken cancellationToken) => List(target, id, user, discussion, cancellationToken))
                .WithName($"List{target}Comments")
                .WithSummary($"The comments you may read on a {name}, oldest first: the coalition's, and those for your organisation")
                .WithDescription("A hidden comment has no text, only the coordinator's reason; an edited one lists its earlier texts in `revisions`. 404 when you may not see the item.");
            group.MapPost("/", (int id, CommentInput input, ClaimsPrincipal user, Discussion discussion, CancellationToken cancellationToken) => Post(target, id, input, user, discussion, cancellationToken))
                .WithName($"Post{target}Comment")
                .WithSummary($"Comments on a {name}, once per clientId: a repeat answers 200 with the comment already posted")
                .WithDescription("Body `{ clientId, text, audience: \"organisation\"|\"coalition\", parentId?, organisation? }`. Plain text: addresses become links, "
                    + "`@name` (the part of a member's e-mail before @, or the whole address) notifies that member if they may read the comment. "
                    + "An answer to an organisation-only comment stays organisation-only. `organisation` names the organisation you speak for where the item has none "
                    + "(a finding) and you belong to several.");
        }
        var comments = app.MapGroup("/api/v1/comments").WithTags("Discussion").RequireAuthorization(Policies.Viewer);
        comments.MapPut("/{id:int}", Edit).WithName("EditComment")
            .WithSummary("Changes your own comment (`{ text }`); the earlier text stays readable as a revision");
        comments.MapPost("/{id:int}/hide", Hide).WithName("HideComment")
            .WithSummary("Hides a comment (`{ reason }`), for the coordinators of its organisation; members read the reason in its place");
        app.MapGet("/api/v1/account/mentions", Mentions).RequireAuthorization(Policies.SignedIn).WithTags("Discussion").WithName("ListMentions")
            .WithSummary("Your mentions and replies, newest first, those you may still read; reading them here does not mark them read");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<CommentDto>>, ProblemHttpResult>> List(
        CommentTarget target, int id, ClaimsPrincipal user, Discussion discussion, CancellationToken cancellationToken) =>
        await discussion.ListAsync(user, target, id, cancellationToken) is { } comments ? TypedResults.Ok(comments) : NotFound(target, id);

    private static async Task<Results<Created<CommentDto>, Ok<CommentDto>, ValidationProblem, ProblemHttpResult>> Post(
        CommentTarget target, int id, CommentInput input, ClaimsPrincipal user, Discussion discussion, CancellationToken cancellationToken)
    {
        var result = await discussion.PostAsync(user, target, id, input, cancellationToken);
        return result.Outcome switch
        {
            BookOutcome.Done => TypedResults.Created($"/api/v1/comments/{result.Value!.Id}", result.Value),
            BookOutcome.Repeated => TypedResults.Ok(result.Value!),
            BookOutcome.NotFound => NotFound(target, id),
            _ => TypedResults.ValidationProblem(result.Errors),
        };
    }

    private static async Task<Results<Ok<CommentDto>, ValidationProblem, ProblemHttpResult>> Edit(
        int id, CommentTextInput input, ClaimsPrincipal user, Discussion discussion, CancellationToken cancellationToken) =>
        Answer(await discussion.EditAsync(user, id, input, cancellationToken), id, "Only its author changes a comment.");

    private static async Task<Results<Ok<CommentDto>, ValidationProblem, ProblemHttpResult>> Hide(
        int id, HideInput input, ClaimsPrincipal user, Discussion discussion, CancellationToken cancellationToken) =>
        Answer(await discussion.HideAsync(user, id, input, cancellationToken), id, "Only the coordinators of the comment's organisation hide it.");

    private static async Task<Ok<IReadOnlyList<NoticeDto>>> Mentions(ClaimsPrincipal user, Discussion discussion, CancellationToken cancellationToken) =>
        TypedResults.Ok(await discussion.NoticesAsync(user, cancellationToken));

    private static Results<Ok<CommentDto>, ValidationProblem, ProblemHttpResult> Answer(BookResult<CommentDto> result, int id, string forbidden) => result.Outcome switch
    {
        BookOutcome.Done or BookOutcome.Repeated => TypedResults.Ok(result.Value!),
        BookOutcome.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such comment",
            detail: $"No comment {id} that you may read: GET the item's comments to find one."),
        BookOutcome.Forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not yours to change", detail: forbidden),
        BookOutcome.Conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The comment is hidden", detail: result.Errors.Values.First()[0]),
        _ => TypedResults.ValidationProblem(result.Errors),
    };

    private static ProblemHttpResult NotFound(CommentTarget target, int id) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
        title: $"No such {Discussion.Code(target)}", detail: $"No {Discussion.Code(target)} {id} that you may see: its comments are for the members who may see it.");
}
