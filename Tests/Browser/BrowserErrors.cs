using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace NixFleet.Tests.Browser;

/// <summary>
/// Script errors and console errors of a page (CSP violations show up there). Not counted: a missing favicon, a form page refused on purpose (401 sign-in, 409, 422), and
/// htmx noting that a new fleet row's delete-before-append found nothing to delete (it exists to prevent duplicates).
/// </summary>
public static class BrowserErrors
{
    private static readonly string[] Refused = ["status of 401", "status of 409", "status of 422"];

    public static ConcurrentQueue<string> Collect(IPage page)
    {
        var errors = new ConcurrentQueue<string>();
        page.PageError += (_, e) => errors.Enqueue(e);
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Text.Contains("404") && !Refused.Any(m.Text.Contains) && !m.Text.StartsWith("htmx:oobErrorNoTarget")) errors.Enqueue(m.Text);
        };
        return errors;
    }
}
