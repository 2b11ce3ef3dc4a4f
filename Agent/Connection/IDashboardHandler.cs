using NixFleet.Protocol;

namespace NixFleet.Agent.Connection;

/// <summary>What the connection needs from the rest of the agent.</summary>
internal interface IDashboardHandler
{
    /// <summary>The register frame, built fresh for every connection (the binary may have changed).</summary>
    Task<byte[]> RegisterFrameAsync();

    /// <summary>Called once per connection after <c>registered</c>.</summary>
    Task OnRegisteredAsync();

    void OnCommand(CommandPayload command);

    void OnKill(KillCommandPayload kill);
}
