using Kimberlite.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Accounts.Pages;

/// <summary>The audit trail, newest first, for administrators; it reads, it never edits.</summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class AuditModel(KimberliteDb db, AuditLog audit) : PageModel
{
    public const int PageSize = 100;

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    /// <summary>Walking the whole chain reads every entry: done when asked, not at every page.</summary>
    public AuditVerification? Verification { get; private set; }
    public string? Action { get; private set; }
    public string? Actor { get; private set; }
    public DateOnly? From { get; private set; }
    public DateOnly? To { get; private set; }

    public async Task OnGetAsync(string? action, string? actor, DateOnly? from, DateOnly? to, long? before, bool verify, CancellationToken cancellationToken)
    {
        (Action, Actor, From, To) = (AuditActions.All.Contains(action) ? action : null, string.IsNullOrWhiteSpace(actor) ? null : actor.Trim(), from, to);
        var query = db.AuditEntries.AsNoTracking();
        if (Action is not null)
            query = query.Where(e => e.Action == Action);
        if (Actor is not null)
            query = query.Where(e => e.Actor.Contains(Actor));
        if (From is { } f)
            query = query.Where(e => e.AtUtc >= f.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        if (To is { } t)
            query = query.Where(e => e.AtUtc < t.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        if (before is { } b)
            query = query.Where(e => e.Sequence < b);
        Entries = await query.OrderByDescending(e => e.Sequence).Take(PageSize).ToListAsync(cancellationToken);
        if (verify)
            Verification = await audit.VerifyAsync(cancellationToken);
    }
}
