using Microsoft.Extensions.Logging;
using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Hosts;

// What agents report about the command they run. Reports without a command id (the Go agent) belong to
// the command in flight; reports naming another command are stored (output) or ignored (ends).
public sealed partial class HostGrain
{
    private readonly Dictionary<string, long> _seqCounters = new(StringComparer.Ordinal);

    public async Task OutputAsync(string connectionId, IReadOnlyList<OutputLine> lines)
    {
        if (_outputFailure is { } failed)
        {
            _outputFailure = null;
            throw new InvalidOperationException("storing earlier output failed; the agent must resend what was not acknowledged", failed);
        }
        var stored = new List<StoredOutputLine>(lines.Count);
        var acks = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var commandId = line.CommandId ?? Book.Current?.Id;
            if (commandId is null || Book.Find(commandId) is null)
            {
                LogOrphanOutput(Hostname, line.CommandId);
                continue;
            }
            long seq;
            if (line.Seq is { } s and > 0)
            {
                seq = s;
                if (line.CommandId is not null) acks[commandId] = Math.Max(acks.GetValueOrDefault(commandId), s);
            }
            else seq = await NextSeqAsync(commandId);
            stored.Add(new StoredOutputLine(commandId, seq, Hostname, line.Stream, line.IsError, line.Text, line.ReceivedAt));
        }
        if (stored.Count == 0) return;

        foreach (var group in stored.GroupBy(l => l.CommandId))
            if (Book.Current?.Id == group.Key)
                Book.Current = Book.Current with { LastSeq = Math.Max(Book.Current.LastSeq, group.Max(l => l.Seq)) };
        // Write-behind: the store's writer queue keeps order, and publishing waits for the write (a late subscriber
        // reads the store, then the stream: nothing may be published before it is stored). The agent's next lines
        // need not wait for this write, only for a backlog beyond OutputBacklogLines.
        var append = CmdLog.AppendAsync(stored);
        Interlocked.Add(ref _outputBacklog, stored.Count);
        _outputChain = PublishWhenStoredAsync(_outputChain, append, stored.Count, acks, connectionId);
        if (stored.Any(l => l.CommandId == Book.Current?.Id)) await MarkRunningAsync();
        if (Volatile.Read(ref _outputBacklog) > OutputBacklogLines) await _outputChain;
    }

    private const int OutputBacklogLines = 20_000;
    private Task _outputChain = Task.CompletedTask;
    private int _outputBacklog;
    private Exception? _outputFailure;

    /// <summary>Runs on the activation, in the order output arrived; publishes and acknowledges what was stored.</summary>
    private async Task PublishWhenStoredAsync(Task previous, Task<IReadOnlyList<StoredOutputLine>> append, int count,
        Dictionary<string, long> acks, string connectionId)
    {
        await previous;
        try
        {
            var fresh = await append;
            foreach (var group in fresh.GroupBy(l => l.CommandId))
                await PublishOutputAsync(new OutputBatch(group.Key, group.OrderBy(l => l.Seq).ToList(), false));
            // Acknowledge what is stored (new or already there) so the agent can drop its replay buffer.
            if (AgentHas("ack") && _live.ConnectionId == connectionId && _live.Connection is { } conn)
                foreach (var (id, seq) in acks) conn.SendAsync(AgentInstruction.Acknowledge(id, seq)).Ignore();
        }
        catch (Exception e)
        {
            _outputFailure = e; // told to the gateway on the next output call; nothing unacknowledged is lost
            LogOutputStoreFailed(e, Hostname);
        }
        finally
        {
            Interlocked.Add(ref _outputBacklog, -count);
        }
    }

    /// <summary>Output received so far is stored and published (before a command's end is published).</summary>
    private Task OutputSettledAsync() => _outputChain;

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        silence.Forget(Hostname, _watched);
        return _outputChain;
    }

    public async Task CommandStatusAsync(string connectionId, CommandStatusReport report)
    {
        if (Target(report.CommandId) is not { } c) return;
        if (report.Generation is { Length: > 0 } g) Book.Current = c = c with { GenerationAfter = g };
        await OnExitAsync(c, report.Status, report.ExitCode, report.Message);
    }

    public async Task CommandCompleteAsync(string connectionId, CommandCompleteReport report)
    {
        if (report.FreshStatus is { } fresh && fresh != state.State.Compartments)
        {
            state.State.Compartments = fresh;
            await PersistAsync();
        }
        if (Target(report.CommandId) is not { } c) return;
        if (Book.Flight?.ExitedAt is not null)
        {
            if (c.Op == "pull") await DecidePullAsync(report.FreshStatus ?? state.State.Compartments);
            return;
        }
        // An agent that sent no status: the exit code is the verdict.
        await OnExitAsync(c, report.ExitCode is 0 or null ? "ok" : "error", report.ExitCode, null);
    }

    public async Task CommandRejectedAsync(string connectionId, CommandRejection rejection)
    {
        if (Target(rejection.CommandId) is not { } c) return;
        var running = rejection.CurrentCommand is { Length: > 0 } cur ? $" (the agent runs {cur}, pid {rejection.CurrentPid})" : "";
        await EndAsync(c, CommandPhase.Failed, $"rejected by the agent: {rejection.Reason}{running}");
        await PersistAsync();
        await DispatchNextAsync();
    }

    public async Task ProgressAsync(string connectionId, CommandProgress progress)
    {
        if (Book.Current is null) return;
        await MarkRunningAsync();
        await PublishAsync(CommandEvent.ProgressKind, Book.Current!, progress);
    }

    private CommandRecord? Target(string? commandId) =>
        Book.Current is { } c && (commandId is null || commandId == c.Id) ? c : null;

    private async Task OnExitAsync(CommandRecord c, string status, int? exitCode, string? message)
    {
        if (c.Phase == CommandPhase.Dispatched) c = c with { StartedAt = clock.GetUtcNow() };
        Book.Current = c = c with { ExitCode = exitCode ?? c.ExitCode };
        var f = Book.Flight ??= new InFlight();
        var ok = status is "ok" or "warning" && exitCode is 0 or null;
        var verdict = CommandOutcome.FromStatus(status, exitCode, message, f.StopAskedAt is not null ? f.StopEndsAs : null);
        if (ok && f.StopAskedAt is null && (CommandOps.Switching.Contains(c.Op) || c.Op == "pull" || CommandOps.EndByReconnect.Contains(c.Op)))
        {
            // Not decided by the exit alone: pull waits for the git check, switch for the agent to come back.
            f.ExitedAt ??= clock.GetUtcNow();
            f.ExitStatus = status;
            Book.Current = c with { Phase = CommandPhase.Running, Message = message ?? c.Message };
            await PersistAsync();
            await PublishStateAsync(Book.Current);
            EnsureCommandTimer();
            return;
        }
        await EndAsync(c, verdict.Phase, verdict.Message);
        await PersistAsync();
        await DispatchNextAsync();
    }

    private async Task DecidePullAsync(StatusCompartments compartments)
    {
        if (Book.Current is not { Op: "pull" } c) return;
        var after = c.GenerationAfter ?? state.State.Generation;
        var verdict = CommandOutcome.ForPull(c.GenerationBefore, after, compartments.Git);
        await EndAsync(c with { GenerationAfter = after }, verdict.Phase, verdict.Message);
        await PersistAsync();
        await DispatchNextAsync();
    }

    private async Task<long> NextSeqAsync(string commandId)
    {
        if (!_seqCounters.TryGetValue(commandId, out var last)) last = await CmdLog.LastSeqAsync(commandId);
        _seqCounters[commandId] = ++last;
        return last;
    }

    [LoggerMessage(LogLevel.Warning, "Host {Host}: storing output failed")]
    private partial void LogOutputStoreFailed(Exception e, string host);

    [LoggerMessage(LogLevel.Debug, "Host {Host}: output for no known command ({CommandId}) dropped")]
    private partial void LogOrphanOutput(string host, string? commandId);
}
