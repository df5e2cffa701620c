namespace Kimberlite.Advocacy.Pages;

/// <summary>The items a list shows, and the day that decides which are overdue.</summary>
public sealed record ItemList(IReadOnlyList<AdvocacyItem> Items, DateOnly Today);
