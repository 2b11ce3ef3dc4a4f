using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Hosts;

/// <summary>The host's live connection, kept in memory only: it means nothing after a restart.</summary>
/// <remarks>When it was last heard from is kept by <see cref="HostSilenceWatch"/>.</remarks>
internal sealed record HostLiveness(string? ConnectionId, IAgentConnection? Connection)
{
    public static readonly HostLiveness None = new(null, null);
}
