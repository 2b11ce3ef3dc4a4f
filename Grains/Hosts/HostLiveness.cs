using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Hosts;

/// <summary>The host's live connection, kept in memory only: it means nothing after a restart.</summary>
internal sealed record HostLiveness(string? ConnectionId, IAgentConnection? Connection, DateTimeOffset LastHeard)
{
    public static readonly HostLiveness None = new(null, null, DateTimeOffset.MinValue);
}
