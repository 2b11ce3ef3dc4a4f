using NixFleet.Silo.Configuration;
using NixFleet.Silo.Storage;

namespace NixFleet.Web.Gateway;

/// <summary>Turns a presented agent token into what it allows, or null when it is no valid agent token.</summary>
public interface IAgentTokenValidator
{
    Task<AgentCredential?> ValidateAsync(string presented, CancellationToken ct = default);
}

internal sealed class AgentTokenValidator(AgentTokenStore perHost, ISharedAgentTokenCheck shared, NixFleetOptions options) : IAgentTokenValidator
{
    public async Task<AgentCredential?> ValidateAsync(string presented, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(presented)) return null;
        if (await perHost.FindHostAsync(presented, ct) is { } host) return new AgentCredential(host);
        if (options.AllowSharedAgentToken && await shared.MatchesAsync(presented, ct)) return AgentCredential.Shared;
        return null;
    }
}
