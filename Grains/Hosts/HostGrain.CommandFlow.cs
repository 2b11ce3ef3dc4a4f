using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Grains.Interfaces.Rollouts;

namespace NixFleet.Grains.Hosts;

// The command in flight: dispatch, transitions, ends. State is persisted before anything is sent to the
// agent, so a crash can lose a send but never repeat one (exactly once, or interrupted).
public sealed partial class HostGrain
{
    private CommandOptions? _cmdOptions;
    private ICommandLog? _cmdLog;
    private ICommandAuditSink? _auditSink;
    private IGrainTimer? _commandTimer;

    private CommandOptions CmdOptions => _cmdOptions ??= ServiceProvider.GetService<CommandOptions>() ?? new CommandOptions();
    private ICommandLog CmdLog => _cmdLog ??= ServiceProvider.GetRequiredService<ICommandLog>();
    private ICommandAuditSink AuditSink => _auditSink ??= ServiceProvider.GetRequiredService<ICommandAuditSink>();

    private bool AgentHas(string capability) => state.State.Registration?.Capabilities.Contains(capability) == true;

    /// <summary>
    /// Called on activation: a command in flight before a restart has an unknown outcome. It is never sent again; its agent
    /// has the reconnect window to come back and report it by command id, else it ends interrupted.
    /// </summary>
    private async Task RecoverCommandsAsync()
    {
        var changed = false;
        if (Book.Current is not null)
        {
            var f = Book.Flight ??= new InFlight();
            f.Recovered = true;
            f.AgentDropped = true;
            f.AwaitHeartbeat = false;
            f.ConnectionId = null;
            f.DroppedAt = clock.GetUtcNow();
            changed = true;
        }
        changed |= await ExpireQueuedAsync(clock.GetUtcNow(), persist: false);
        if (changed) await PersistAsync();
        EnsureCommandTimer();
    }

    private async Task DispatchNextAsync()
    {
        while (Book.Current is null && AgentConnected && Book.Queue.Count > 0)
        {
            var next = Book.Queue[0];
            Book.Queue.RemoveAt(0);
            if (next.ExpiresAt is { } e && e <= clock.GetUtcNow())
            {
                await EndAsync(next, CommandPhase.Expired, "the host did not come back before the command expired");
                await PersistAsync();
                continue;
            }
            await SendAsync(next);
        }
    }

    /// <summary>stop, restart, reboot: accepted by the agent while another command runs, so never queued behind it.</summary>
    private async Task RunInterruptingAsync(CommandRecord record)
    {
        if (record.Op == "stop")
        {
            if (Book.Current is not null) MarkStopAsked(CommandPhase.Stopped, 1);
            var sent = record with { Phase = CommandPhase.Dispatched, DispatchedAt = clock.GetUtcNow(), GenerationBefore = state.State.Generation };
            _live.Connection!.SendAsync(AgentInstruction.Run("stop", null)).Ignore();
            await EndAsync(sent, CommandPhase.Succeeded, Book.Current is { } c ? $"stop sent for {c.Op} ({c.Id})" : "stop sent; nothing was running");
            await PersistAsync();
            return;
        }
        if (Book.Current is { } running)
            await EndAsync(running, CommandPhase.Interrupted, $"the host was sent {record.Op} ({record.Id}) while this ran");
        await SendAsync(record);
    }

    private async Task SendAsync(CommandRecord record)
    {
        var withId = AgentHas("command_id");
        var sent = record with
        {
            Phase = CommandPhase.Dispatched,
            DispatchedAt = clock.GetUtcNow(),
            SentWithId = withId,
            GenerationBefore = state.State.Generation,
        };
        Book.Current = sent;
        Book.Flight = new InFlight { ConnectionId = _live.ConnectionId };
        await PersistAsync();
        _live.Connection!.SendAsync(AgentInstruction.Run(sent.Op, withId ? sent.Id : null, withId ? sent.Args : null)).Ignore();
        await PublishStateAsync(sent);
        EnsureCommandTimer();
    }

    private async Task MarkRunningAsync()
    {
        if (Book.Current is not { Phase: CommandPhase.Dispatched } c) return;
        var running = c with { Phase = CommandPhase.Running, StartedAt = clock.GetUtcNow() };
        Book.Current = running;
        await PersistAsync();
        await PublishStateAsync(running);
    }

    private void MarkStopAsked(CommandPhase endsAs, int stage)
    {
        var f = Book.Flight ??= new InFlight();
        f.StopAskedAt ??= clock.GetUtcNow();
        f.StopEndsAs = endsAs == CommandPhase.TimedOut ? endsAs : f.StopEndsAs;
        f.StopStage = Math.Max(f.StopStage, stage);
    }

    /// <summary>SIGTERM now; the timer escalates to the agent's stop, then SIGKILL, then gives up waiting.</summary>
    private async Task AskStopAsync(CommandPhase endsAs, string why)
    {
        if (Book.Current is not { } c) return;
        if (!AgentConnected)
        {
            await EndAsync(c, endsAs == CommandPhase.TimedOut ? CommandPhase.TimedOut : CommandPhase.Interrupted,
                $"{why}; the agent is offline, so the outcome is unknown");
            await PersistAsync();
            await DispatchNextAsync();
            return;
        }
        var first = Book.Flight?.StopAskedAt is null;
        MarkStopAsked(endsAs, 0);
        Book.Current = c with { Message = why };
        await PersistAsync();
        if (first) _live.Connection!.SendAsync(AgentInstruction.KillCommand("SIGTERM")).Ignore();
        await PublishAsync(CommandEvent.Stopping, Book.Current);
        EnsureCommandTimer();
    }

    /// <summary>Ends a command (current or queued) and tells everyone. The caller persists.</summary>
    private async Task<CommandRecord> EndAsync(CommandRecord record, CommandPhase phase, string? message, int? exitCode = null)
    {
        var ended = record with
        {
            Phase = phase,
            EndedAt = clock.GetUtcNow(),
            Message = message ?? record.Message,
            ExitCode = exitCode ?? record.ExitCode,
            LastSeq = Book.Current?.Id == record.Id ? Math.Max(record.LastSeq, Book.Current.LastSeq) : record.LastSeq,
        };
        if (Book.Current?.Id == record.Id)
        {
            Book.Current = null;
            Book.Flight = null;
        }
        Book.History.Add(ended);
        if (Book.History.Count > CmdOptions.HistoryLimit) Book.History.RemoveRange(0, Book.History.Count - CmdOptions.HistoryLimit);
        _seqCounters.Remove(record.Id);
        LogCommandEnded(Hostname, ended.Op, ended.Id, phase.Name(), message);
        await RecordEndedAsync(ended); // before the event: who hears of the end finds it in the log
        await PublishStateAsync(ended);
        await OutputSettledAsync(); // the final batch comes after every line received before the end
        await PublishOutputAsync(new OutputBatch(ended.Id, [], Final: true));
        if (ended.RolloutId is { } rollout) GrainFactory.GetGrain<IRolloutGrain>(rollout).CommandEndedAsync(ended).Ignore();
        return ended;
    }

    /// <summary>The command log keeps every ended command; grain state only the last <see cref="CommandOptions.HistoryLimit"/>.</summary>
    private async Task RecordEndedAsync(CommandRecord ended)
    {
        try
        {
            await CmdLog.RecordEndedAsync(ended);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRecordFailed(e, Hostname, ended.Id); // the grain's own history still has it
        }
    }

    /// <returns>Whether a queued command expired.</returns>
    private async Task<bool> ExpireQueuedAsync(DateTimeOffset now, bool persist = true)
    {
        var expired = Book.Queue.Where(q => q.ExpiresAt is { } e && e <= now).ToList();
        foreach (var q in expired)
        {
            Book.Queue.Remove(q);
            await EndAsync(q, CommandPhase.Expired, "the host did not come back before the command expired");
        }
        if (expired.Count > 0 && persist) await PersistAsync();
        return expired.Count > 0;
    }

    [LoggerMessage(LogLevel.Warning, "Host {Host}: recording the end of {CommandId} in the command log failed")]
    private partial void LogRecordFailed(Exception e, string host, string commandId);

    [LoggerMessage(LogLevel.Information, "Host {Host}: {Op} ({Id}) ended {Phase}: {Message}")]
    private partial void LogCommandEnded(string host, string op, string id, string phase, string? message);
}
