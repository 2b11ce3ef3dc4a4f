using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Hosts;

// How the connection's comings and goings decide the command in flight. Nothing in flight is ever re-sent:
// after a reconnect the agent's own reports and heartbeat say whether it still runs the command or how it ended.
public sealed partial class HostGrain
{
    /// <summary>The agent (re-)registered: finish what waited for it, then deliver the queue.</summary>
    private async Task OnAgentRegisteredAsync()
    {
        if (Book.Current is { } c && Book.Flight is { } f && f.ConnectionId != _live.ConnectionId)
        {
            // After a dashboard restart only an exit the agent reported before it counts as known.
            var known = !f.Recovered || f.ExitedAt is not null;
            if (known && CommandOps.EndByReconnect.Contains(c.Op))
                await EndAsync(c, CommandPhase.Succeeded, $"the agent is back after {c.Op}");
            else if (known && CommandOps.Switching.Contains(c.Op) && f.ExitedAt is not null)
                await EndAsync(c, CommandPhase.Succeeded, "exit 0 and the agent re-registered");
            else
            {
                f.AwaitHeartbeat = true;
                f.ReRegistered = true;
                f.AgentDropped = false;
                f.DroppedAt = null;
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
                // The agent still runs it: from here on it is followed as any running command.
                f.Recovered = false;
                await PersistAsync();
                await MarkRunningAsync();
                return;
            }
            // An exit reported on this connection before this heartbeat (replayed by the agent) is decided below.
            if (f.ExitedAt is null)
            {
                await EndWithoutTheAgentAsync(c, f, heartbeat);
                return;
            }
        }
        if (f.ExitedAt is not null && heartbeat.PendingCommand is null)
        {
            if (c.Op == "pull" && heartbeat.Compartments is { Git.CheckedAt: { } checkedAt } comp && checkedAt >= f.ExitedAt)
                await DecidePullAsync(comp);
            else if (CommandOps.Switching.Contains(c.Op) && f.ConnectionId == _live.ConnectionId)
            {
                // The agent reported exit 0 on this connection and runs nothing: nothing more to wait for.
                await EndAsync(c, CommandPhase.Succeeded,
                    f.Recovered ? "exit 0, reported by the agent after the dashboard restarted"
                    : f.ReRegistered ? "exit 0, reported by the agent after it re-registered"
                    : "exit 0; the agent kept running");
                await PersistAsync();
                await DispatchNextAsync();
            }
            return;
        }
        if (c.Phase == CommandPhase.Dispatched && heartbeat.PendingCommand == c.Op) await MarkRunningAsync();
    }

    /// <summary>The agent came back, runs nothing and reported no end for the command.</summary>
    private async Task EndWithoutTheAgentAsync(CommandRecord c, InFlight f, HostHeartbeat heartbeat)
    {
        // A switch whose system check is fresh and ok did its job (agents that send no command id cannot say more).
        // After a dashboard restart only the agent's report by command id counts.
        var systemOk = heartbeat.Compartments?.System is { Status: "ok", CheckedAt: { } at } && at >= c.DispatchedAt;
        if (f.Recovered)
            await EndAsync(c, CommandPhase.Interrupted,
                "the dashboard restarted while the command was in flight and the agent came back without reporting it; outcome unknown, not re-run");
        else if (CommandOps.Switching.Contains(c.Op) && systemOk)
            await EndAsync(c, CommandPhase.Succeeded, "the agent came back after the switch and reports the system up to date");
        else
            await EndAsync(c, CommandPhase.Interrupted, "the agent reconnected and no longer runs the command; outcome unknown, not re-run");
        await PersistAsync();
        await DispatchNextAsync();
    }

    /// <summary>
    /// Whether a dropped agent gets the reconnect window rather than the op's hard limit. A command being stopped does
    /// not: the stop escalation ends it at once when the agent is gone.
    /// </summary>
    private static bool WaitsForReconnect(CommandRecord c, InFlight f) =>
        f.Recovered || f.StopAskedAt is null && (CommandOps.Switching.Contains(c.Op) || CommandOps.EndByReconnect.Contains(c.Op));

    /// <summary>The reconnect window passed without the agent: timed_out, or interrupted when the dashboard restarted.</summary>
    private async Task MissedReconnectAsync(CommandRecord c, InFlight f)
    {
        var window = $"{CmdOptions.ReconnectWithin.TotalSeconds:0} s";
        if (f.Recovered)
            await EndAsync(c, CommandPhase.Interrupted,
                $"the dashboard restarted while the command was in flight and the agent was not back within {window}; outcome unknown, not re-run");
        else if (f.ExitedAt is not null)
            await EndAsync(c, CommandPhase.TimedOut, $"exit 0 but the agent was not back within {window}");
        else
            await EndAsync(c, CommandPhase.TimedOut, $"the agent dropped during {c.Op} and was not back within {window}");
        await PersistAsync();
        await DispatchNextAsync();
    }

    /// <summary>The host went offline (synchronous: the caller persists right after).</summary>
    private void OnAgentGone()
    {
        if (Book.Flight is { } f)
        {
            f.AgentDropped = true;
            f.DroppedAt ??= clock.GetUtcNow();
        }
        var expires = clock.GetUtcNow() + CmdOptions.OfflineExpiry;
        for (var i = 0; i < Book.Queue.Count; i++)
            if (Book.Queue[i].ExpiresAt is null) Book.Queue[i] = Book.Queue[i] with { ExpiresAt = expires };
        EnsureCommandTimer();
    }
}
