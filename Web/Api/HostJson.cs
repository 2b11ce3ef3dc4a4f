using NixFleet.Grains.Interfaces.Fleet;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Web.Api;

/// <summary>
/// A host in the JSON API. The first fields are NixFleet's own names (<c>id</c>, <c>hostname</c>, <c>host_type</c>,
/// <c>agent_version</c>, <c>os_version</c>, <c>nixpkgs_version</c>, <c>generation</c>, <c>last_seen</c>, <c>status</c>
/// online/offline/running, <c>pending_command</c>, <c>comment</c>), so scripts written against it keep working; the
/// rest is ours. The list comes from the fleet index, which does not keep os/nixpkgs versions: null there.
/// </summary>
public sealed record HostJson(
    string Id, string Hostname, string HostType, string? AgentVersion, string? OsVersion, string? NixpkgsVersion,
    string? Generation, DateTimeOffset? LastSeen, string Status, string? PendingCommand, string? Comment,
    bool Online, string Location, string DeviceType, string ThemeColor, HostMetrics? Metrics, StatusCompartments Checks,
    DateTimeOffset? FirstSeen = null, string? RepoUrl = null, string? RepoDir = null, IReadOnlyList<string>? Capabilities = null)
{
    public static string StatusOf(bool online, string? pending) => !online ? "offline" : pending is not null ? "running" : "online";

    public static HostJson From(HostSummary s) => new(s.Hostname, s.Hostname, s.HostType, s.AgentVersion, null, null, s.Generation,
        s.LastSeen, StatusOf(s.Online, s.PendingCommand), s.PendingCommand, null, s.Online, s.Location, s.DeviceType, s.ThemeColor,
        s.Metrics, s.Compartments);

    public static HostJson From(HostView v)
    {
        var r = v.Registration!;
        var pending = v.LastHeartbeat?.PendingCommand;
        return new(v.Hostname, v.Hostname, r.HostType, r.AgentVersion, r.OsVersion, v.LastHeartbeat?.NixpkgsVersion ?? r.NixpkgsVersion,
            v.Generation, v.LastSeen, StatusOf(v.Online, v.Online ? pending : null), v.Online ? pending : null, null, v.Online,
            r.Location, r.DeviceType, r.ThemeColor, v.LastHeartbeat?.Metrics, v.Compartments, v.FirstSeen, r.RepoUrl, r.RepoDir, r.Capabilities);
    }
}

/// <summary><c>GET /api/hosts</c>: NixFleet's <c>{"hosts": […]}</c>.</summary>
public sealed record HostList(IReadOnlyList<HostJson> Hosts);

/// <summary><c>DELETE /api/hosts/{id}</c>, with NixFleet's field names.</summary>
public sealed record HostDeleted(string Status, string HostId);
