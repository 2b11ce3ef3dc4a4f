using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NixFleet.Web.Audit;

namespace NixFleet.Web.Pages;

/// <summary>The audit trail, newest first, 50 a page (keyset paging by id), filtered by actor and action.</summary>
public sealed class AuditModel(IAuditLog audit) : PageModel
{
    public const int PageSize = 50, MaxFilter = 200;

    [BindProperty(SupportsGet = true)] public string? Actor { get; set; }
    [BindProperty(SupportsGet = true, Name = "action")] public string? ActionFilter { get; set; }
    [BindProperty(SupportsGet = true)] public string? Before { get; set; }

    public IReadOnlyList<AuditRecord> Entries { get; private set; } = [];
    public long? Next { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Actor = string.IsNullOrWhiteSpace(Actor) ? null : Actor.Trim();
        ActionFilter = string.IsNullOrWhiteSpace(ActionFilter) ? null : ActionFilter.Trim();
        long? before = null;
        if (Before is not null)
        {
            if (!long.TryParse(Before, out var b) || b < 1) return Refused("The page cursor is not an entry id.");
            before = b;
        }
        if (Actor is { Length: > MaxFilter } || ActionFilter is { Length: > MaxFilter })
            return Refused($"Filters are at most {MaxFilter} characters.");
        Entries = await audit.QueryAsync(new AuditFilter(Action: ActionFilter, Actor: Actor), before, PageSize, ct);
        Next = Entries.Count == PageSize ? Entries[^1].Id : null;
        return Page();
    }

    public string NextQuery() =>
        string.Join('&', new[] { ("actor", Actor), ("action", ActionFilter), ("before", Next?.ToString()) }
            .Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));

    private PageResult Refused(string error)
    {
        Error = error;
        Actor = ActionFilter = null;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
