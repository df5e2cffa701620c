using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Text.RegularExpressions;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Api;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Infrastructure.Localization;
using Microsoft.AspNetCore.Html;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kimberlite.Advocacy;

/// <summary>
/// A comment as a member writes it: `audience` organisation or coalition; `parentId` the comment it answers;
/// `organisation` the acronym it speaks for, needed only from a member of several on an item without an organisation (a finding).
/// </summary>
public sealed record CommentInput(Guid? ClientId, string? Text, string? Audience, int? ParentId, string? Organisation);

public sealed record CommentTextInput(string? Text);

public sealed record HideInput(string? Reason);

public sealed record RevisionDto(string Text, DateTime ReplacedAtUtc);

/// <summary>A comment as its reader sees it: a hidden one has no text and no earlier versions, only the coordinator's reason.</summary>
public sealed record CommentDto(
    int Id, int? ParentId, string Target, int TargetId, string Author, string Organisation, string Audience, string? Text,
    DateTime CreatedAtUtc, DateTime? EditedAtUtc, bool Hidden, string? HiddenReason, IReadOnlyList<RevisionDto> Revisions, bool Mine, bool CanHide);

/// <summary>A mention of the reader, or a reply to them, with where to read it.</summary>
public sealed record NoticeDto(long Id, int CommentId, string Target, int TargetId, string Address, string Author, bool IsReply, DateTime AtUtc, bool Read);

/// <summary>What the comment box needs: the comments the reader may read and the choices the form offers them.</summary>
public sealed record CommentThread(
    CommentTarget Target, int TargetId, string? ItemOrganisation, bool OrganisationAudienceOpen, IReadOnlyList<string> MyOrganisations, IReadOnlyList<CommentDto> Comments);

/// <summary>Where a page puts the discussion of one item (the partial Advocacy/Pages/_Comments.cshtml).</summary>
public sealed record CommentsBox(CommentTarget Target, int TargetId);

/// <summary>
/// Members' discussion of findings, incidents, recommendations and meetings (docs/decisions/031-discussion.md).
/// A comment is read only by members who may see its item, and, when its author chose, only by the members of its organisation;
/// the public never reads one. Pages and API go through here; each change is audited without the comment's text.
/// </summary>
public sealed partial class Discussion(
    KimberliteDb db, AdvocacyBook book, AuditLog audit, IMailSender mail, TimeProvider clock, IOptions<AccountsOptions> accounts,
    IStringLocalizer<Texts> texts, ILogger<Discussion> logger)
{
    public const int MaxText = 10_000, MaxReason = 1_000;

    /// <summary>An item as the discussion needs it: the organisation whose it is, if any.</summary>
    private sealed record Item(CommentTarget Target, int Id, int? OrganisationId);

    public static string Code(CommentTarget target) => ApiCodes.Code(target);

    /// <summary>Where a member reads the discussion of an item.</summary>
    public static string Address(CommentTarget target, int id) => target switch
    {
        CommentTarget.Finding => $"/findings/{id}#discussion",
        CommentTarget.Recommendation => $"/advocacy/recommendations/{id}#discussion",
        CommentTarget.Meeting => $"/advocacy/meetings/{id}#discussion",
        _ => $"/comments?target={Code(target)}&id={id}",
    };

    /// <summary>The item, if the reader may see it: null for the public, for a missing item, and for another organisation's unpublished incident.</summary>
    private async Task<Item?> ItemAsync(ClaimsPrincipal reader, CommentTarget target, int id, CancellationToken cancellationToken)
    {
        var mine = reader.OrganisationsWith(MemberRole.Viewer);
        if (mine.Count == 0)
            return null;
        switch (target)
        {
            case CommentTarget.Finding:
                return await db.Findings.AnyAsync(f => f.Id == id, cancellationToken) ? new Item(target, id, null) : null;
            case CommentTarget.Incident:
                var incident = await db.Incidents.AsNoTracking().Where(i => i.Id == id).Select(i => new { i.OrganisationId, i.Status }).FirstOrDefaultAsync(cancellationToken);
                return incident is not null && (mine.Contains(incident.OrganisationId) || incident.Status == Field.IncidentStatus.Published)
                    ? new Item(target, id, incident.OrganisationId) : null;
            case CommentTarget.Recommendation:
                var item = await book.Visible(reader).Where(i => i.Id == id).Select(i => new { i.OrganisationId }).FirstOrDefaultAsync(cancellationToken);
                return item is null ? null : new Item(target, id, item.OrganisationId);
            case CommentTarget.Meeting:
                var meeting = await book.VisibleMeetings(reader).Where(m => m.Id == id).Select(m => new { m.OrganisationId }).FirstOrDefaultAsync(cancellationToken);
                return meeting is null ? null : new Item(target, id, meeting.OrganisationId);
            default:
                return null;
        }
    }

    /// <summary>Whether the reader, who may see the item, reads this comment: a coalition comment, or one for their organisation.</summary>
    private static bool MayRead(ClaimsPrincipal reader, Comment comment) =>
        comment.Audience == CommentAudience.Coalition || reader.RoleIn(comment.OrganisationId) is not null;

    private IQueryable<Comment> Readable(ClaimsPrincipal reader, CommentTarget target, int id)
    {
        var mine = reader.OrganisationsWith(MemberRole.Viewer);
        return db.Comments.AsNoTracking().Where(c => c.Target == target && c.TargetId == id && (c.Audience == CommentAudience.Coalition || mine.Contains(c.OrganisationId)));
    }

    /// <summary>The comments the reader may read on an item, oldest first; null when they may not see the item.</summary>
    public async Task<IReadOnlyList<CommentDto>?> ListAsync(ClaimsPrincipal reader, CommentTarget target, int id, CancellationToken cancellationToken)
    {
        if (await ItemAsync(reader, target, id, cancellationToken) is null)
            return null;
        return await CommentsAsync(reader, target, id, cancellationToken);
    }

    private async Task<List<CommentDto>> CommentsAsync(ClaimsPrincipal reader, CommentTarget target, int id, CancellationToken cancellationToken)
    {
        var comments = await Readable(reader, target, id).Include(c => c.Revisions).OrderBy(c => c.CreatedAtUtc).ThenBy(c => c.Id).AsSplitQuery().ToListAsync(cancellationToken);
        return await ToDtosAsync(reader, comments, cancellationToken);
    }

    /// <summary>The thread and the form's choices for the comment box; null when the reader may not see the item.</summary>
    public async Task<CommentThread?> ThreadAsync(ClaimsPrincipal reader, CommentTarget target, int id, CancellationToken cancellationToken)
    {
        var item = await ItemAsync(reader, target, id, cancellationToken);
        if (item is null)
            return null;
        var comments = await CommentsAsync(reader, target, id, cancellationToken);
        var mine = reader.OrganisationsWith(MemberRole.Viewer);
        var acronyms = await db.Organisations.AsNoTracking().Where(o => mine.Contains(o.Id) || o.Id == item.OrganisationId).ToDictionaryAsync(o => o.Id, o => o.Acronym, cancellationToken);
        var itemOrganisation = item.OrganisationId is { } owner ? acronyms[owner] : null;
        return new CommentThread(target, id, itemOrganisation, item.OrganisationId is not { } o || mine.Contains(o),
            [.. mine.Select(m => acronyms[m]).Order(StringComparer.Ordinal)], comments);
    }

    /// <summary>How many comments the reader may read on each of these items (a list links to each discussion).</summary>
    public async Task<IReadOnlyDictionary<int, int>> CountsAsync(ClaimsPrincipal reader, CommentTarget target, IReadOnlyCollection<int> ids, CancellationToken cancellationToken)
    {
        var mine = reader.OrganisationsWith(MemberRole.Viewer);
        if (mine.Count == 0 || ids.Count == 0)
            return new Dictionary<int, int>();
        return await db.Comments.AsNoTracking()
            .Where(c => c.Target == target && ids.Contains(c.TargetId) && (c.Audience == CommentAudience.Coalition || mine.Contains(c.OrganisationId)))
            .GroupBy(c => c.TargetId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
    }

    /// <summary>Posts a comment or a reply, or finds the one a repeated request (same `clientId`) already posted.</summary>
    public async Task<BookResult<CommentDto>> PostAsync(ClaimsPrincipal user, CommentTarget target, int targetId, CommentInput input, CancellationToken cancellationToken)
    {
        var item = await ItemAsync(user, target, targetId, cancellationToken);
        if (item is null || user.UserId() is not { } me)
            return BookResult<CommentDto>.Fail(BookOutcome.NotFound);
        if (input.ClientId is { } clientId && clientId != Guid.Empty
            && await db.Comments.AsNoTracking().Include(c => c.Revisions).FirstOrDefaultAsync(c => c.ClientId == clientId, cancellationToken) is { } same)
            return same.AuthorId == me && same.Target == target && same.TargetId == targetId
                ? new(BookOutcome.Repeated, (await ToDtosAsync(user, [same], cancellationToken))[0], [])
                : BookResult<CommentDto>.Fail(BookOutcome.Invalid, "clientId", "This clientId names another comment: a new comment needs a new identifier.");

        var errors = new Dictionary<string, string[]>();
        if (input.ClientId is null || input.ClientId == Guid.Empty)
            errors["clientId"] = ["Give an identifier for this comment (a UUID you make): a request sent again with the same one posts it once."];
        var text = CheckText(input.Text, errors);
        var audience = ApiCodes.Parse<CommentAudience>(input.Audience);
        if (audience is null)
            errors["audience"] = ["Say who reads it: organisation (the item's organisation only) or coalition (every member who may see the item)."];
        Comment? parent = null;
        if (input.ParentId is { } parentId)
        {
            parent = await Readable(user, target, targetId).FirstOrDefaultAsync(c => c.Id == parentId, cancellationToken);
            if (parent is null)
                errors["parentId"] = [$"No comment {parentId} that you may read on this {Code(target)}: answer one of its comments, or leave parentId out."];
        }
        int? organisation = null;
        if (parent is { Audience: CommentAudience.Organisation })
        {
            // An answer to an organisation-only comment stays within that organisation, whatever the form said.
            audience = CommentAudience.Organisation;
            organisation = parent.OrganisationId;
        }
        else if (item.OrganisationId is { } owner)
            organisation = owner;
        else
            organisation = await SpeakingForAsync(user, input.Organisation, errors, cancellationToken);
        if (audience == CommentAudience.Organisation && organisation is { } only && user.RoleIn(only) is null)
        {
            var acronym = await db.Organisations.Where(o => o.Id == only).Select(o => o.Acronym).FirstAsync(cancellationToken);
            errors["audience"] = [$"Only the members of {acronym} read an organisation-only comment on this {Code(target)}, and you are not one of them: choose coalition."];
        }
        if (errors.Count > 0)
            return new(BookOutcome.Invalid, null, errors);

        var now = clock.GetUtcNow().UtcDateTime;
        var comment = new Comment
        {
            ClientId = input.ClientId!.Value, Target = target, TargetId = targetId, ParentId = parent?.Id, AuthorId = me, OrganisationId = organisation!.Value,
            Audience = audience!.Value, Text = text!, CreatedAtUtc = now,
        };
        db.Comments.Add(comment);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.SaveUnlessRepeatedAsync(transaction, cancellationToken))
        {
            var other = await db.Comments.AsNoTracking().Include(c => c.Revisions).FirstOrDefaultAsync(c => c.ClientId == comment.ClientId, cancellationToken);
            return other is null ? throw new InvalidOperationException("A comment failed to save for another reason than a repeat.")
                : new(BookOutcome.Repeated, (await ToDtosAsync(user, [other], cancellationToken))[0], []);
        }
        return await FinishAsync(user, AuditActions.CommentPosted, comment, item, parent?.AuthorId, transaction, cancellationToken);
    }

    /// <summary>The author changes their comment; the earlier text is kept as a revision and stays readable.</summary>
    public async Task<BookResult<CommentDto>> EditAsync(ClaimsPrincipal user, int id, CommentTextInput input, CancellationToken cancellationToken)
    {
        var (comment, item) = await ReadableAsync(user, id, cancellationToken);
        if (comment is null || item is null)
            return BookResult<CommentDto>.Fail(BookOutcome.NotFound);
        if (comment.AuthorId != user.UserId())
            return BookResult<CommentDto>.Fail(BookOutcome.Forbidden);
        if (comment.HiddenAtUtc is not null)
            return BookResult<CommentDto>.Fail(BookOutcome.Conflict, "text", "A coordinator hid this comment: it stays as it was hidden.");
        var errors = new Dictionary<string, string[]>();
        var text = CheckText(input.Text, errors);
        if (errors.Count > 0)
            return new(BookOutcome.Invalid, null, errors);
        if (text == comment.Text)
            return new(BookOutcome.Repeated, (await ToDtosAsync(user, [comment], cancellationToken))[0], []);

        var now = clock.GetUtcNow().UtcDateTime;
        comment.Revisions.Add(new CommentRevision { Text = comment.Text, ReplacedAtUtc = now });
        comment.Text = text!;
        comment.EditedAtUtc = now;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var parentAuthor = comment.ParentId is { } p ? await db.Comments.Where(c => c.Id == p).Select(c => (int?)c.AuthorId).FirstOrDefaultAsync(cancellationToken) : null;
        return await FinishAsync(user, AuditActions.CommentEdited, comment, item, parentAuthor, transaction, cancellationToken);
    }

    /// <summary>After a comment is saved: its notices and audit entry in the same transaction, then the mails once committed.</summary>
    private async Task<BookResult<CommentDto>> FinishAsync(
        ClaimsPrincipal user, string action, Comment comment, Item item, int? parentAuthor, IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        var notices = await NotifyAsync(comment, item, parentAuthor, cancellationToken);
        await audit.AppendInAsync(db, user.Actor(), action, $"comment {comment.Id}", await SummaryAsync(comment, cancellationToken), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        await MailAsync(user, comment, notices, cancellationToken);
        return new(BookOutcome.Done, (await ToDtosAsync(user, [comment], cancellationToken))[0], []);
    }

    /// <summary>A coordinator of the comment's organisation hides it, with a reason members read in its place.</summary>
    public async Task<BookResult<CommentDto>> HideAsync(ClaimsPrincipal user, int id, HideInput input, CancellationToken cancellationToken)
    {
        var (comment, _) = await ReadableAsync(user, id, cancellationToken);
        if (comment is null)
            return BookResult<CommentDto>.Fail(BookOutcome.NotFound);
        if (!user.HasRoleIn(comment.OrganisationId, MemberRole.Coordinator))
            return BookResult<CommentDto>.Fail(BookOutcome.Forbidden);
        if (comment.HiddenAtUtc is not null)
            return new(BookOutcome.Repeated, (await ToDtosAsync(user, [comment], cancellationToken))[0], []);
        var reason = Clean(input.Reason);
        if (reason is null || reason.Length > MaxReason)
            return BookResult<CommentDto>.Fail(BookOutcome.Invalid, "reason", "Say why the comment is hidden (up to 1,000 characters): members read it in the comment's place.");
        comment.HiddenAtUtc = clock.GetUtcNow().UtcDateTime;
        comment.HiddenById = user.UserId();
        comment.HiddenReason = reason;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendInAsync(db, user.Actor(), AuditActions.CommentHidden, $"comment {comment.Id}", $"{await SummaryAsync(comment, cancellationToken)}; reason: {reason}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new(BookOutcome.Done, (await ToDtosAsync(user, [comment], cancellationToken))[0], []);
    }

    /// <summary>The reader's mentions and replies, newest first, only those they may still read.</summary>
    public async Task<IReadOnlyList<NoticeDto>> NoticesAsync(ClaimsPrincipal reader, CancellationToken cancellationToken)
    {
        if (reader.UserId() is not { } me)
            return [];
        var rows = await (from n in db.CommentNotices.AsNoTracking()
                          join c in db.Comments.AsNoTracking() on n.CommentId equals c.Id
                          join u in db.Users.AsNoTracking() on c.AuthorId equals u.Id
                          where n.UserId == me
                          orderby c.CreatedAtUtc descending, n.Id descending
                          select new { Notice = n, Comment = c, Author = u.DisplayName ?? u.Email ?? u.UserName })
            .Take(200).ToListAsync(cancellationToken);
        var seen = new Dictionary<(CommentTarget, int), bool>();
        var notices = new List<NoticeDto>();
        foreach (var row in rows)
        {
            var key = (row.Comment.Target, row.Comment.TargetId);
            if (!seen.TryGetValue(key, out var visible))
                seen[key] = visible = await ItemAsync(reader, key.Target, key.TargetId, cancellationToken) is not null;
            if (visible && MayRead(reader, row.Comment))
                notices.Add(new NoticeDto(row.Notice.Id, row.Comment.Id, Code(row.Comment.Target), row.Comment.TargetId, $"{Address(row.Comment.Target, row.Comment.TargetId)}",
                    row.Author ?? "", row.Notice.IsReply, row.Comment.EditedAtUtc ?? row.Comment.CreatedAtUtc, row.Notice.ReadAtUtc is not null));
        }
        return notices;
    }

    public async Task<int> UnreadAsync(ClaimsPrincipal reader, CancellationToken cancellationToken) =>
        reader.UserId() is { } me ? await db.CommentNotices.CountAsync(n => n.UserId == me && n.ReadAtUtc == null, cancellationToken) : 0;

    public async Task MarkReadAsync(ClaimsPrincipal reader, CancellationToken cancellationToken)
    {
        if (reader.UserId() is not { } me)
            return;
        var now = clock.GetUtcNow().UtcDateTime;
        await db.CommentNotices.Where(n => n.UserId == me && n.ReadAtUtc == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAtUtc, now), cancellationToken);
    }

    /// <summary>Encodes markup but leaves letters of every language readable, as the pages' own encoder does.</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>Plain text as HTML: everything encoded, http(s) addresses as links that pass no credit, @mentions emphasised.</summary>
    public static IHtmlContent Render(string text)
    {
        var html = new StringBuilder();
        var at = 0;
        foreach (Match m in Linkable().Matches(text))
        {
            var token = m.Value;
            var trailing = m.Groups["url"].Success ? token.Length - token.TrimEnd('.', ',', ';', ':', '!', '?', ')', '\'', '"').Length : 0;
            token = token[..^trailing];
            html.Append(Encoder.Encode(text[at..m.Index]));
            var encoded = Encoder.Encode(token);
            html.Append(m.Groups["url"].Success ? $"<a href=\"{encoded}\" rel=\"nofollow noopener ugc\">{encoded}</a>" : $"<strong class=\"mention\">{encoded}</strong>");
            at = m.Index + token.Length;
        }
        html.Append(Encoder.Encode(text[at..]));
        return new HtmlString(html.ToString());
    }

    /// <summary>The handles a text names: `@marie` (the part of an address before @) or `@marie@relufa.org`, lower case.</summary>
    public static IReadOnlyList<string> Mentions(string text) =>
        [.. Linkable().Matches(text).Where(m => m.Groups["handle"].Success).Select(m => m.Groups["handle"].Value.TrimEnd('.').ToLowerInvariant()).Distinct().Take(50)];

    [GeneratedRegex(@"(?<url>https?://[^\s<>""]+)|(?<![\w.@])@(?<handle>[\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Linkable();

    /// <summary>
    /// Notices for the people the comment names and the author of the comment it answers, each only if they may read the comment:
    /// their memberships as the database holds them decide, the same rules as for the reader.
    /// </summary>
    private async Task<List<(CommentNotice Notice, string Email)>> NotifyAsync(Comment comment, Item item, int? parentAuthor, CancellationToken cancellationToken)
    {
        var handles = Mentions(comment.Text);
        var wanted = new Dictionary<int, (bool IsReply, string Email)>();
        if (handles.Count > 0)
        {
            var people = await db.Users.AsNoTracking().Where(u => u.Email != null).Select(u => new { u.Id, u.Email }).ToListAsync(cancellationToken);
            foreach (var person in people)
            {
                var email = person.Email!.ToLowerInvariant();
                if (handles.Any(h => h == email || h == email.Split('@')[0]))
                    wanted[person.Id] = (false, person.Email!);
            }
        }
        if (parentAuthor is { } answered && await db.Users.Where(u => u.Id == answered).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken) is { } parentEmail)
            wanted[answered] = (true, parentEmail);
        wanted.Remove(comment.AuthorId);
        var already = await db.CommentNotices.Where(n => n.CommentId == comment.Id).Select(n => n.UserId).ToListAsync(cancellationToken);
        var added = new List<(CommentNotice, string)>();
        foreach (var (person, (isReply, email)) in wanted.Where(w => !already.Contains(w.Key)))
        {
            var memberships = await db.Memberships.AsNoTracking().Where(m => m.UserId == person).Select(m => new { m.OrganisationId, m.Role }).ToListAsync(cancellationToken);
            var reader = new ClaimsPrincipal(new ClaimsIdentity(
                memberships.Select(m => new Claim(KimberliteClaims.Member, $"{m.OrganisationId.ToString(CultureInfo.InvariantCulture)}:{m.Role}"))
                    .Append(new Claim(ClaimTypes.NameIdentifier, person.ToString(CultureInfo.InvariantCulture))), "database"));
            if (await ItemAsync(reader, item.Target, item.Id, cancellationToken) is null || !MayRead(reader, comment))
                continue;
            var notice = new CommentNotice { CommentId = comment.Id, UserId = person, IsReply = isReply };
            db.CommentNotices.Add(notice);
            added.Add((notice, email));
        }
        if (added.Count > 0)
            await db.SaveChangesAsync(cancellationToken);
        return added;
    }

    /// <summary>
    /// A short mail in the three languages to each person noticed: who, on what, and the address to read it, never the comment's
    /// text (a mailbox is outside the coalition's hands). A mail that fails leaves the notice in the app.
    /// </summary>
    private async Task MailAsync(ClaimsPrincipal author, Comment comment, List<(CommentNotice Notice, string Email)> notices, CancellationToken cancellationToken)
    {
        if (notices.Count == 0)
            return;
        var address = accounts.Value.PublicAddress.TrimEnd('/') + Address(comment.Target, comment.TargetId);
        var who = author.Identity?.Name ?? "";
        foreach (var (notice, email) in notices)
        {
            var body = string.Join("\n\n", AccountService.Languages.Select(language => AccountService.In(language, () =>
                texts[notice.IsReply ? "Cmt_MailReply" : "Cmt_MailMention", who, texts[$"Cmt_Target_{comment.Target}"], comment.TargetId, address].Value)));
            try
            {
                var subject = string.Join(" / ", AccountService.Languages.Select(language => AccountService.In(language, () => texts[notice.IsReply ? "Cmt_MailSubjectReply" : "Cmt_MailSubjectMention"].Value)));
                await mail.SendAsync(email, $"Kimberlite — {subject}", body, cancellationToken);
                await db.CommentNotices.Where(n => n.Id == notice.Id).ExecuteUpdateAsync(s => s.SetProperty(n => n.MailedAtUtc, clock.GetUtcNow().UtcDateTime), cancellationToken);
            }
            catch (IOException failure)
            {
                logger.LogWarning("The mail for notice {Notice} could not be written: {Reason}", notice.Id, failure.Message);
            }
        }
    }

    private async Task<(Comment? Comment, Item? Item)> ReadableAsync(ClaimsPrincipal user, int id, CancellationToken cancellationToken)
    {
        var comment = await db.Comments.Include(c => c.Revisions).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (comment is null || !MayRead(user, comment))
            return (null, null);
        var item = await ItemAsync(user, comment.Target, comment.TargetId, cancellationToken);
        return item is null ? (null, null) : (comment, item);
    }

    /// <summary>What the audit trail says of a comment: where and for whom, never its text.</summary>
    private async Task<string> SummaryAsync(Comment comment, CancellationToken cancellationToken)
    {
        var acronym = await db.Organisations.Where(o => o.Id == comment.OrganisationId).Select(o => o.Acronym).FirstAsync(cancellationToken);
        return $"on {Code(comment.Target)} {comment.TargetId}, " + (comment.Audience == CommentAudience.Coalition ? $"for the coalition ({acronym})" : $"for {acronym} only")
            + (comment.ParentId is { } parent ? $", answering comment {parent}" : "");
    }

    private async Task<int?> SpeakingForAsync(ClaimsPrincipal user, string? acronym, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var mine = user.OrganisationsWith(MemberRole.Viewer);
        var candidates = await db.Organisations.AsNoTracking().Where(o => mine.Contains(o.Id)).Select(o => new { o.Id, o.Acronym }).ToListAsync(cancellationToken);
        var wanted = Clean(acronym)?.ToUpperInvariant();
        var organisation = wanted is not null ? candidates.FirstOrDefault(o => o.Acronym.ToUpperInvariant() == wanted)?.Id : candidates.Count == 1 ? candidates[0].Id : null;
        if (organisation is null)
            errors["organisation"] = [candidates.Count > 1 && wanted is null
                ? $"You belong to several organisations: say which one this comment speaks for ({string.Join(", ", candidates.Select(c => c.Acronym).Order(StringComparer.Ordinal))})."
                : $"Give the acronym of one of your organisations ({string.Join(", ", candidates.Select(c => c.Acronym).Order(StringComparer.Ordinal))})."];
        return organisation;
    }

    private static string? CheckText(string? text, Dictionary<string, string[]> errors)
    {
        var clean = Clean(text);
        if (clean is null || clean.Length > MaxText)
            errors["text"] = ["Write the comment as plain text, up to 10,000 characters; addresses starting with http:// or https:// become links."];
        return clean;
    }

    private async Task<List<CommentDto>> ToDtosAsync(ClaimsPrincipal reader, List<Comment> comments, CancellationToken cancellationToken)
    {
        var people = comments.Select(c => c.AuthorId).Distinct().ToList();
        var organisations = comments.Select(c => c.OrganisationId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName ?? u.Email ?? u.UserName ?? $"#{u.Id}", cancellationToken);
        var acronyms = await db.Organisations.AsNoTracking().Where(o => organisations.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Acronym, cancellationToken);
        var me = reader.UserId();
        return [.. comments.Select(c =>
        {
            var hidden = c.HiddenAtUtc is not null;
            return new CommentDto(c.Id, c.ParentId, Code(c.Target), c.TargetId, names.GetValueOrDefault(c.AuthorId, $"#{c.AuthorId}"), acronyms[c.OrganisationId],
                ApiCodes.Code(c.Audience), hidden ? null : c.Text, c.CreatedAtUtc, c.EditedAtUtc, hidden, c.HiddenReason,
                hidden ? [] : [.. c.Revisions.OrderBy(r => r.ReplacedAtUtc).ThenBy(r => r.Id).Select(r => new RevisionDto(r.Text, r.ReplacedAtUtc))],
                c.AuthorId == me, !hidden && reader.HasRoleIn(c.OrganisationId, MemberRole.Coordinator));
        })];
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
