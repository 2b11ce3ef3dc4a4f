using System.Security.Cryptography;
using System.Text;
using NixFleet.Silo.Configuration;

namespace NixFleet.Web.Gateway;

/// <summary>
/// Whether a bearer value is the fleet-wide shared agent token. The default reads NIXFLEET_AGENT_TOKEN; the
/// first-start bootstrap replaces it with one that also knows a generated token's stored hash.
/// </summary>
public interface ISharedAgentTokenCheck
{
    Task<bool> MatchesAsync(string presented, CancellationToken ct = default);
}

/// <summary>NIXFLEET_AGENT_TOKEN, compared by SHA-256 in constant time; nothing matches when it is unset or disabled.</summary>
internal sealed class ConfiguredSharedAgentToken(NixFleetOptions options) : ISharedAgentTokenCheck
{
    private readonly byte[]? _hash = options.AgentToken is { Length: > 0 } t ? SHA256.HashData(Encoding.UTF8.GetBytes(t)) : null;

    public Task<bool> MatchesAsync(string presented, CancellationToken ct = default) =>
        Task.FromResult(options.AllowSharedAgentToken && _hash is not null
            && CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(presented))));
}
