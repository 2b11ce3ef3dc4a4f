using NixFleet.Grains.Interfaces.Fleet;

namespace NixFleet.Web.Live;

/// <summary>What the fleet table needs besides each row: fleet-wide references for the "behind" flags, and the counters.</summary>
public sealed record FleetView(string? NewestAgentVersion, int Online, int Offline, int Busy, int Total, int Failed24h = 0)
{
    public static FleetView From(IReadOnlyCollection<HostSummary> hosts, int failed24h = 0) => new(
        hosts.Select(h => h.AgentVersion).Where(v => v is not null).MaxBy(v => Version.TryParse(v!.TrimStart('v'), out var p) ? p : new Version()),
        hosts.Count(h => h.Online),
        hosts.Count(h => !h.Online),
        hosts.Count(h => h.Online && h.PendingCommand is not null),
        hosts.Count,
        failed24h);

    public bool AgentOutdated(HostSummary h) =>
        h.AgentVersion is not null && NewestAgentVersion is not null && h.AgentVersion != NewestAgentVersion;
}
