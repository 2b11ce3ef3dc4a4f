using NixFleet.Web.Gateway;

namespace NixFleet.Web.Auth;

/// <summary>The gateway's shared-token check, answered by <see cref="ISharedAgentTokenSource"/>: NIXFLEET_AGENT_TOKEN or the first-start hash.</summary>
internal sealed class SharedAgentTokenCheck(ISharedAgentTokenSource source) : ISharedAgentTokenCheck
{
    public Task<bool> MatchesAsync(string presented, CancellationToken ct = default) => source.MatchesAsync(presented, ct);
}
