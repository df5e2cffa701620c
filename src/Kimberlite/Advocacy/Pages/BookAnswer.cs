using Microsoft.AspNetCore.Mvc;

namespace Kimberlite.Advocacy.Pages;

/// <summary>How a page answers what the book did: done goes to the record's page; null means the form is shown again with its errors.</summary>
internal static class BookAnswer
{
    public static IActionResult? For<T>(BookResult<T> result, Func<T, string> address) where T : class => result.Outcome switch
    {
        BookOutcome.Done or BookOutcome.Repeated => new RedirectResult(address(result.Value!)),
        BookOutcome.NotFound => new NotFoundResult(),
        BookOutcome.Forbidden => new ForbidResult(),
        _ => null,
    };
}
