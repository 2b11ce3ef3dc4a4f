using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Hosts;

// Deadlines: warning and hard limit per op, stop escalation, waits after an exit or for a reconnect, queue expiry. A timer
// ticks only while there is something to watch, and compares deadlines with the grain's clock.
public sealed partial class HostGrain
{
    private void EnsureCommandTimer()
    {
        var needed = Book.Current is not null || Book.Queue.Any(q => q.ExpiresAt is not null);
        if (needed && _commandTimer is null)
            _commandTimer = this.RegisterGrainTimer(CommandTickAsync, CmdOptions.TickPeriod, CmdOptions.TickPeriod);
        else if (!needed && _commandTimer is not null)
        {
            _commandTimer.Dispose();
            _commandTimer = null;
        }
    }

    private async Task CommandTickAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await ExpireQueuedAsync(now);
        if (Book.Current is { DispatchedAt: { } since } c && Book.Flight is { } f)
        {
            var limits = CmdOptions.TimeoutFor(c.Op);
            if (f.AgentDropped && !AgentConnected && WaitsForReconnect(c, f))
            {
                // Away after (or during) a switch, restart or reboot, or since a dashboard restart: only the window counts.
                if (now - (f.DroppedAt ?? f.ExitedAt ?? since) >= CmdOptions.ReconnectWithin) await MissedReconnectAsync(c, f);
            }
            else if (f.ExitedAt is { } exited)
                await AfterExitAsync(c, f.ConnectionId == _live.ConnectionId && !f.AgentDropped, now - exited);
            else if (f.StopAskedAt is { } asked)
                await EscalateStopAsync(c, now - asked);
            else if (now - since >= limits.Limit)
            {
                if (CommandOps.EndByReconnect.Contains(c.Op))
                {
                    await EndAsync(c, CommandPhase.TimedOut, $"the agent was not back {limits.Limit.TotalMinutes:0} min after {c.Op}");
                    await PersistAsync();
                    await DispatchNextAsync();
                }
                else await AskStopAsync(CommandPhase.TimedOut, $"hard limit of {limits.Limit.TotalMinutes:0.#} min reached");
            }
            else if (now - since >= limits.Warning && c.WarnedAt is null)
            {
                Book.Current = c with { WarnedAt = now };
                await PersistAsync();
                await PublishAsync(CommandEvent.Warning, Book.Current);
            }
        }
        EnsureCommandTimer();
    }

    private async Task AfterExitAsync(CommandRecord c, bool sameConnection, TimeSpan sinceExit)
    {
        if (c.Op == "pull" && sinceExit >= CmdOptions.OutcomeGrace)
            await DecidePullAsync(state.State.Compartments);
        else if (sinceExit >= CmdOptions.ReconnectWithin)
        {
            if (sameConnection && AgentConnected)
                await EndAsync(c, CommandPhase.Succeeded, "exit 0; the agent kept running");
            else
                await EndAsync(c, CommandPhase.TimedOut, $"exit 0 but the agent was not back within {CmdOptions.ReconnectWithin.TotalSeconds:0} s");
            await PersistAsync();
            await DispatchNextAsync();
        }
    }

    private async Task EscalateStopAsync(CommandRecord c, TimeSpan sinceAsked)
    {
        var f = Book.Flight!;
        var step = CmdOptions.StopStep;
        if (!AgentConnected || sinceAsked >= step * 4)
        {
            var why = AgentConnected ? "the agent did not confirm the stop" : "the agent went offline while stopping";
            await EndAsync(c, f.StopEndsAs == CommandPhase.TimedOut ? CommandPhase.TimedOut : CommandPhase.Interrupted, $"{c.Message}; {why}");
            await PersistAsync();
            await DispatchNextAsync();
        }
        else if (f.StopStage == 0 && sinceAsked >= step)
        {
            f.StopStage = 1;
            _live.Connection!.SendAsync(AgentInstruction.Run("stop", null)).Ignore();
            await PersistAsync();
        }
        else if (f.StopStage == 1 && sinceAsked >= step * 2)
        {
            f.StopStage = 2;
            _live.Connection!.SendAsync(AgentInstruction.KillCommand("SIGKILL")).Ignore();
            await PersistAsync();
        }
    }
}
