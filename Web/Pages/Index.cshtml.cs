using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NixFleet.Grains.Interfaces.Fleet;
using NixFleet.Web.Live;

namespace NixFleet.Web.Pages;

/// <summary>The fleet page: every host, filtered and sorted on the server, then kept live over SSE.</summary>
public sealed class IndexModel(FleetLiveHub hub, FailedCommands failed, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")] public string? Query { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Location { get; set; }
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }

    public long Version { get; private set; }
    public DateTimeOffset Now { get; private set; }
    public FleetView Fleet { get; private set; } = FleetView.From([]);
    public IReadOnlyList<HostSummary> Hosts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        await hub.WaitReadyAsync(ct);
        // Read together: the page's live updates start right after what it shows, so no row is sent to it as new again.
        (Version, var all) = hub.Page();
        Now = clock.GetUtcNow();
        Fleet = FleetView.From(all, failed.Count);
        Hosts = Order(all.Where(Matches)).ToList();
    }

    public FleetFilter Filter => new(Query, Status, Location, Type);

    public string SortQuery(string column) =>
        string.Join('&', Filter.Pairs().Append(("sort", column)).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));

    private bool Matches(HostSummary h) => Filter.Matches(h);

    private IEnumerable<HostSummary> Order(IEnumerable<HostSummary> hosts) => Sort switch
    {
        "status" => hosts.OrderBy(h => h.Online ? 0 : 1).ThenBy(h => h.Hostname, StringComparer.Ordinal),
        "type" => hosts.OrderBy(h => h.HostType).ThenBy(h => h.Hostname, StringComparer.Ordinal),
        "seen" => hosts.OrderByDescending(h => h.LastSeen),
        _ => hosts.OrderBy(h => h.Hostname, StringComparer.Ordinal),
    };
}
