using NixFleet.Grains.Interfaces.Commands;

namespace NixFleet.Grains.Interfaces.Hosts;

/// <summary>One managed machine, keyed by hostname. The only writer of that host's state.</summary>
public interface IHostGrain : IGrainWithStringKey
{
    /// <summary>An agent registered over <paramref name="connectionId"/>; newest registration wins.</summary>
    Task RegisterAsync(HostRegistration registration, string connectionId, IAgentConnection connection);

    /// <summary>
    /// A heartbeat. False when the grain knows no live connection (it was reactivated, or declared the host
    /// offline): the gateway then registers again with the registration it keeps. A heartbeat over a connection
    /// that a newer one replaced is ignored (true): that socket is being closed.
    /// </summary>
    Task<bool> HeartbeatAsync(HostHeartbeat heartbeat, string connectionId);

    /// <summary>The socket closed or went silent. Ignored unless it is the current connection.</summary>
    Task DisconnectedAsync(string connectionId);

    /// <summary>
    /// The silo's silence watch heard nothing on this connection for 3 heartbeat intervals (at least 15 s): unless a
    /// heartbeat came meanwhile, the grain closes it and the host goes offline. Ignored unless it is the current one.
    /// </summary>
    Task SilentAsync(string connectionId);

    /// <summary>
    /// Output lines of the running command, in the order the agent sent them. Stored behind the call, in order, then
    /// published and acknowledged; a failed write is reported by the next call (which throws).
    /// </summary>
    Task OutputAsync(string connectionId, IReadOnlyList<OutputLine> lines);

    Task CommandStatusAsync(string connectionId, CommandStatusReport report);

    Task CommandCompleteAsync(string connectionId, CommandCompleteReport report);

    Task CommandRejectedAsync(string connectionId, CommandRejection rejection);

    Task ProgressAsync(string connectionId, CommandProgress progress);

    Task<HostView> GetAsync();

    /// <summary>Validate and accept (run now or queue) a command, or refuse it with a code.</summary>
    Task<SubmitResult> SubmitCommandAsync(CommandRequest request);

    /// <summary>Stop the command in flight: kill_command, then the agent's stop; it ends stopped.</summary>
    Task<CommandActionResult> StopCommandAsync(string commandId, string requestedBy);

    /// <summary>Remove a queued command; it ends cancelled.</summary>
    Task<CommandActionResult> CancelCommandAsync(string commandId, string requestedBy);

    /// <summary>Queued, in-flight and recent commands, newest first.</summary>
    Task<CommandPage> GetCommandsAsync(int offset, int limit);

    Task<CommandRecord?> GetCommandAsync(string commandId);

    /// <summary>Metrics of the last hour, oldest first (kept in memory: a restart starts a new hour).</summary>
    Task<IReadOnlyList<MetricSample>> GetMetricsAsync();

    /// <summary>Forget the host: state cleared, tokens revoked, removed from the fleet index.</summary>
    Task DeleteAsync();
}
