using NixFleet.Grains.Interfaces.Fleet;

namespace NixFleet.Web.Live;

/// <summary>
/// The fleet page's filter (text, status, location, type): shown rows and "select all matching" in a bulk action
/// use the same test, so a confirmation names exactly the hosts the operator was looking at.
/// </summary>
public sealed record FleetFilter(string? Query, string? Status, string? Location, string? Type)
{
    public static string StateOf(HostSummary h) => !h.Online ? "offline" : h.PendingCommand is null ? "online" : "busy";

    public bool Matches(HostSummary h) =>
        (string.IsNullOrWhiteSpace(Query) || h.Hostname.Contains(Query.Trim(), StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrEmpty(Status) || Status == StateOf(h) || (Status == "online" && h.Online))
        && (string.IsNullOrWhiteSpace(Location) || string.Equals(h.Location, Location.Trim(), StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrWhiteSpace(Type) || string.Equals(h.HostType, Type.Trim(), StringComparison.OrdinalIgnoreCase)
            || string.Equals(h.DeviceType, Type.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The filter as query-string pairs, empty ones left out.</summary>
    public IEnumerable<(string Name, string Value)> Pairs() =>
        new[] { ("q", Query), ("status", Status), ("location", Location), ("type", Type) }
            .Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => (p.Item1, p.Item2!));
}
