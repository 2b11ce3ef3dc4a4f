namespace NixFleet.Web.Auth;

/// <summary>
/// The fleet-wide shared agent token, for the agent gateway: NIXFLEET_AGENT_TOKEN when set, else the hash stored
/// at first start. Never matches an API token (<see cref="ApiTokenFormat.Prefix"/>), and never matches anything
/// when NIXFLEET_ALLOW_SHARED_AGENT_TOKEN=false.
/// </summary>
public interface ISharedAgentTokenSource
{
    /// <summary>SHA-256 (lower-case hex) of the shared token in force, or null when there is none or it is disabled.</summary>
    Task<string?> GetHashAsync(CancellationToken ct = default);

    /// <summary>Whether <paramref name="presented"/> (the bearer value) is the shared agent token; constant time.</summary>
    Task<bool> MatchesAsync(string presented, CancellationToken ct = default);
}
