using NixFleet.Silo.Configuration;

namespace NixFleet.Web.Auth;

internal sealed class SharedAgentTokenSource(NixFleetOptions options, SecretStore secrets) : ISharedAgentTokenSource
{
    public async Task<string?> GetHashAsync(CancellationToken ct = default)
    {
        if (!options.AllowSharedAgentToken) return null;
        // The environment always wins over what first start stored.
        if (options.AgentToken is { } configured) return TokenHashing.Sha256Hex(configured);
        return await secrets.GetAsync(SecretStore.AgentTokenHash, ct);
    }

    public async Task<bool> MatchesAsync(string presented, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(presented) || ApiTokenFormat.Looks(presented)) return false;
        return await GetHashAsync(ct) is { } hash && TokenHashing.MatchesHash(presented, hash);
    }
}
