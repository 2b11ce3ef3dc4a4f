using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Hosts;

// How the connection's comings and goings decide the command in flight. Nothing in flight is ever re-sent:
// after a reconnect the agent's own heartbeat says whether it still runs the command.
public sealed partial class HostGrain
{
    /// <summary>The agent (re-)registered: finish what waited for it, then deliver the queue.</summary>
    private async Task OnAgentRegisteredAsync()
    {
        if (Book.Current is { } c && Book.Flight is { } f && f.ConnectionId != _live.ConnectionId)
        {
            if (CommandOps.EndByReconnect.Contains(c.Op))
                await EndAsync(c, CommandPhase.Succeeded, $"the agent is back after {c.Op}");
            else if (CommandOps.Switching.Contains(c.Op) && f.ExitedAt is not null)
                await EndAsync(c, CommandPhase.Succeeded, "exit 0 and the agent re-registered");
            else
            {
                f.AwaitHeartbeat = true;
                f.AgentDropped = false;
                f.ConnectionId = _live.ConnectionId;
            }
            await PersistAsync();
        }
        await DispatchNextAsync();
        EnsureCommandTimer();
    }

    private async Task OnAgentHeartbeatAsync(HostHeartbeat heartbeat)
    {
        if (Book.Current is not { } c || Book.Flight is not { } f) return;
        if (f.AwaitHeartbeat)
        {
            f.AwaitHeartbeat = false;
            if (heartbeat.PendingCommand is { Length: > 0 })
            {
                await MarkRunningAsync();
                return;
            }
            // The agent came back without the command. A switch whose system check is fresh and ok did its job.
            var systemOk = heartbeat.Compartments?.System is { Status: "ok", CheckedAt: { } at } && at >= c.DispatchedAt;
            if (CommandOps.Switching.Contains(c.Op) && systemOk)
                await EndAsync(c, CommandPhase.Succeeded, "the agent came back after the switch and reports the system up to date");
            else
                await EndAsync(c, CommandPhase.Interrupted, "the agent reconnected and no longer runs the command; outcome unknown, not re-run");
            await PersistAsync();
            await DispatchNextAsync();
            return;
        }
        if (f.ExitedAt is not null && heartbeat.PendingCommand is null)
        {
            if (c.Op == "pull" && heartbeat.Compartments is { Git.CheckedAt: { } checkedAt } comp && checkedAt >= f.ExitedAt)
                await DecidePullAsync(comp);
            else if (CommandOps.Switching.Contains(c.Op) && f.ConnectionId == _live.ConnectionId)
            {
                // The agent survived the switch on the same connection: nothing to wait for.
                await EndAsync(c, CommandPhase.Succeeded, "exit 0; the agent kept running");
                await PersistAsync();
                await DispatchNextAsync();
            }
            return;
        }
        if (c.Phase == CommandPhase.Dispatched && heartbeat.PendingCommand == c.Op) await MarkRunningAsync();
    }

    /// <summary>The host went offline (synchronous: the caller persists right after).</summary>
    private void OnAgentGone()
    {
        if (Book.Flight is { } f) f.AgentDropped = true;
        var expires = clock.GetUtcNow() + CmdOptions.OfflineExpiry;
        for (var i = 0; i < Book.Queue.Count; i++)
            if (Book.Queue[i].ExpiresAt is null) Book.Queue[i] = Book.Queue[i] with { ExpiresAt = expires };
        EnsureCommandTimer();
    }
}
