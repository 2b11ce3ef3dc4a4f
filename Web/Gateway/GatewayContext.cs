using NixFleet.Silo.Storage;

namespace NixFleet.Web.Gateway;

/// <summary>What every agent session needs from the process, gathered once.</summary>
internal sealed class GatewayContext(
    IGrainFactory grains,
    AgentTokenStore tokens,
    AgentSessions sessions,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<AgentSession> logger)
{
    public IGrainFactory Grains { get; } = grains;
    public AgentTokenStore Tokens { get; } = tokens;
    public AgentSessions Sessions { get; } = sessions;
    public TimeProvider Clock { get; } = clock;
    public ILogger<AgentSession> Logger { get; } = logger;
    public bool Stopping => lifetime.ApplicationStopping.IsCancellationRequested;
}
