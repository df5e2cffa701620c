using System.Globalization;
using Kimberlite.Accounts;
using Kimberlite.Infrastructure.Api;
using Kimberlite.Infrastructure.Data;
using Kimberlite.Statistics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kimberlite.Advocacy.Pages;

/// <summary>What the coalition filters the board by; "overdue" is a status of its own here, and "regional" a country.</summary>
public sealed record BoardFilter(string? Country, string? Addressee, Theme? Theme, string? Status, int? Meeting)
{
    public bool Matches(AdvocacyItem item, DateOnly today) =>
        (Country is null || (Country == AdvocacyTexts.Regional ? item.CountryCodes.Count == 0 : item.CountryCodes.Contains(Country)))
        && (Addressee is null || item.Addressee.Contains(Addressee, StringComparison.CurrentCultureIgnoreCase))
        && (Theme is null || item.Theme == Theme)
        && (Status is null || (Status == "overdue" ? item.IsOverdue(today) : ApiCodes.Parse<ItemStatus>(Status) == item.Status))
        && (Meeting is null || item.MeetingId == Meeting);

    /// <summary>The same filters as a query string, for the CSV of the open data.</summary>
    public string Query() => string.Join("&", new (string, string?)[]
        {
            ("country", Country), ("addressee", Addressee), ("theme", Theme is { } t ? ApiCodes.Code(t) : null), ("status", Status),
            ("meeting", Meeting?.ToString(CultureInfo.InvariantCulture)),
        }.Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));
}

/// <summary>The count of one cell of the board: the items, those overdue, and how many stand at each status.</summary>
public sealed record BoardCell(int Total, int Overdue, IReadOnlyList<(ItemStatus Status, int Count)> ByStatus)
{
    public static BoardCell Of(IEnumerable<AdvocacyItem> items, DateOnly today)
    {
        var list = items.ToList();
        return new(list.Count, list.Count(i => i.IsOverdue(today)),
            list.GroupBy(i => i.Status).OrderBy(g => g.Key).Select(g => (g.Key, g.Count())).ToList());
    }
}

/// <summary>One status change on the board's "what changed" list; Who is the person for members, the organisation for the public.</summary>
public sealed record BoardChange(int ItemId, DateTime AtUtc, ItemStatus? From, ItemStatus To, Acknowledgement? Acknowledgement, string? Who);

/// <summary>
/// The regional board: the six countries and the regional row by theme, what changed since a date, and the items
/// the filters choose. The public sees what is published; members see everything, the unpublished marked.
/// </summary>
[AllowAnonymous]
public sealed class BoardModel(KimberliteDb db, AdvocacyBook book) : PageModel
{
    public static readonly string[] Rows = [.. CountryCodes.Coalition, AdvocacyTexts.Regional];

    public BoardFilter Filter { get; private set; } = new(null, null, null, null, null);
    public DateOnly Since { get; private set; }
    public DateOnly Today { get; private set; }
    public Dictionary<(string Row, Theme Theme), BoardCell> Cells { get; } = [];
    public Dictionary<string, BoardCell> RowTotals { get; } = [];
    public IReadOnlyList<AdvocacyItem> Items { get; private set; } = [];
    public Dictionary<int, AdvocacyItem> ById { get; private set; } = [];
    public IReadOnlyList<BoardChange> Changes { get; private set; } = [];
    public IReadOnlyList<(int Id, string Title, string Language)> Meetings { get; private set; } = [];

    public async Task OnGetAsync(string? country, string? addressee, string? theme, string? status, int? meeting, string? since, CancellationToken cancellationToken)
    {
        Today = book.Today;
        var iso3 = country?.Trim().ToUpperInvariant();
        Filter = new BoardFilter(
            string.IsNullOrEmpty(iso3) ? null : AdvocacyBook.IsRegional(iso3) ? AdvocacyTexts.Regional : iso3,
            string.IsNullOrWhiteSpace(addressee) ? null : addressee.Trim(),
            ApiCodes.Parse<Theme>(theme),
            status == "overdue" ? status : ApiCodes.Parse<ItemStatus>(status) is { } s ? ApiCodes.Code(s) : null,
            meeting);
        Since = DateOnly.TryParseExact(since, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : Today.AddDays(-90);

        // A board holds hundreds of items, not millions: counted in memory, where the comma-separated countries are easy to read.
        var all = await book.Visible(User).Include(i => i.Translations).AsSplitQuery().ToListAsync(cancellationToken);
        ById = all.ToDictionary(i => i.Id);
        foreach (var row in Rows)
        {
            var inRow = all.Where(i => row == AdvocacyTexts.Regional ? i.CountryCodes.Count == 0 : i.CountryCodes.Contains(row)).ToList();
            foreach (var t in Enum.GetValues<Theme>())
                Cells[(row, t)] = BoardCell.Of(inRow.Where(i => i.Theme == t), Today);
            RowTotals[row] = BoardCell.Of(inRow, Today);
        }
        Items = all.Where(i => Filter.Matches(i, Today))
            .OrderByDescending(i => i.IsOverdue(Today)).ThenBy(i => i.DueOn ?? DateOnly.MaxValue).ThenByDescending(i => i.StatusChangedAtUtc).ToList();

        var start = Since.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var member = User.HasRole(MemberRole.Viewer);
        var acronyms = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Acronym, cancellationToken);
        var changes = await (from c in db.StatusChanges.AsNoTracking()
                             join i in book.Visible(User) on c.ItemId equals i.Id
                             where c.AtUtc >= start
                             orderby c.AtUtc descending, c.Id descending
                             select new { c.ItemId, c.AtUtc, c.From, c.To, c.Acknowledgement, c.Actor, c.ActorOrganisationId }).Take(200).ToListAsync(cancellationToken);
        Changes = changes.Select(c => new BoardChange(c.ItemId, c.AtUtc, c.From, c.To, c.Acknowledgement,
            member ? c.Actor : c.ActorOrganisationId is { } o ? acronyms.GetValueOrDefault(o) : null)).ToList();
        Meetings = (await book.VisibleMeetings(User).OrderByDescending(m => m.StartsOn).ThenBy(m => m.Title).Select(m => new { m.Id, m.Title, m.Language }).ToListAsync(cancellationToken))
            .Select(m => (m.Id, m.Title, m.Language)).ToList();
    }

    /// <summary>The board's own address with one filter changed, for the links of its cells.</summary>
    public static string CellLink(string row, Theme? theme) =>
        $"/advocacy?country={row}" + (theme is { } t ? $"&theme={ApiCodes.Code(t)}" : "") + "#items";
}
