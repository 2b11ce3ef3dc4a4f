using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;

namespace NixFleet.Grains.Hosts;

// Commands operators ask for: submit, stop, cancel, list. The flow itself is in HostGrain.CommandFlow.cs.
public sealed partial class HostGrain
{
    private CommandBook Book => state.State.Commands;

    private bool AgentConnected => _live.Connection is not null && state.State.Online;

    public async Task<SubmitResult> SubmitCommandAsync(CommandRequest request)
    {
        var now = clock.GetUtcNow();
        await ExpireQueuedAsync(now);
        if (CommandValidator.Check(request, Book, state.State.Registration is not null, AgentConnected, now, CmdOptions) is { } refused)
            return refused;

        var record = new CommandRecord(CommandIds.New(Hostname), Hostname, request.Op,
            request.Args is { Count: > 0 } a ? a : null, request.RequestedBy, CommandPhase.Queued, request.Force,
            request.RolloutId, now, AgentConnected ? null : now + CmdOptions.OfflineExpiry, GenerationBefore: state.State.Generation);
        if (request.Op == "reboot") Book.Reboots = [.. Book.Reboots.Where(t => now - t < TimeSpan.FromHours(1)), now];
        await Audit("command.dispatch", request.RequestedBy, record.Id, $"{record.Op} queue={request.Queue} force={request.Force}");

        if (AgentConnected && CommandOps.IsInterrupting(record.Op))
        {
            await RunInterruptingAsync(record);
            return SubmitResult.Ok(Book.Find(record.Id) ?? record);
        }
        if (AgentConnected && request.Force && Book.Current is { } believed)
        {
            // Force: the dashboard's belief that something runs is overridden; the agent will tell if it really does.
            await EndAsync(believed, CommandPhase.Interrupted, $"superseded by forced {record.Op} ({record.Id})");
            Book.Queue.Insert(0, record);
        }
        else Book.Queue.Add(record);

        await PublishStateAsync(record);
        // Sending persists first anyway; only a command that waits needs its own write.
        if (!(AgentConnected && Book.Current is null)) await PersistAsync();
        await DispatchNextAsync();
        EnsureCommandTimer();
        return SubmitResult.Ok(Book.Find(record.Id) ?? record);
    }

    public async Task<CommandActionResult> StopCommandAsync(string commandId, string requestedBy)
    {
        var found = Book.Find(commandId);
        if (found is null) return new(false, RefusalCodes.UnknownCommandId, $"no command {commandId} on {Hostname}.", null);
        if (Book.Current?.Id != commandId)
            return new(false, RefusalCodes.NotRunning, $"{found.Op} is {found.Phase.Name()}, not in flight.", found);
        await Audit("command.stop", requestedBy, commandId, found.Op);
        await AskStopAsync(CommandPhase.Stopped, $"stopped by {requestedBy}");
        return new(true, null, null, Book.Find(commandId));
    }

    public async Task<CommandActionResult> CancelCommandAsync(string commandId, string requestedBy)
    {
        var found = Book.Find(commandId);
        if (found is null) return new(false, RefusalCodes.UnknownCommandId, $"no command {commandId} on {Hostname}.", null);
        if (found.Phase != CommandPhase.Queued)
            return new(false, RefusalCodes.NotQueued, $"{found.Op} is {found.Phase.Name()}; only a queued command can be cancelled.", found);
        await Audit("command.cancel", requestedBy, commandId, found.Op);
        Book.Queue.RemoveAll(c => c.Id == commandId);
        var ended = await EndAsync(found, CommandPhase.Cancelled, $"cancelled by {requestedBy}");
        await PersistAsync();
        return new(true, null, null, ended);
    }

    /// <summary>
    /// Queued, in flight, then ended newest first: the ended ones this grain keeps, then older ones from the
    /// command log, which has every ended command.
    /// </summary>
    public async Task<CommandPage> GetCommandsAsync(int offset, int limit)
    {
        offset = Math.Max(0, offset);
        limit = Math.Clamp(limit, 1, 500);
        var kept = Enumerable.Reverse(Book.Queue)
            .Concat(Book.Current is { } c ? [c] : [])
            .Concat(Enumerable.Reverse(Book.History))
            .ToList();
        var page = kept.Skip(offset).Take(limit).ToList();
        // Commands ended before the log kept them are only in the grain: older than the oldest kept, nothing is known.
        var oldest = Book.History.Count > 0 ? Book.History[0].Id : null;
        var fromLog = Book.History.Count == 0 || Book.History.Count >= CmdOptions.HistoryLimit;
        if (!fromLog) return new CommandPage(page, kept.Count);
        var older = await CmdLog.EndedBeforeAsync(Hostname, oldest, Math.Max(0, offset - kept.Count), Math.Max(1, limit - page.Count));
        if (page.Count < limit) page.AddRange(older.Items.Take(limit - page.Count));
        return new CommandPage(page, kept.Count + older.Total);
    }

    public Task<CommandRecord?> GetCommandAsync(string commandId) => Task.FromResult(Book.Find(commandId));

    private Task Audit(string action, string actor, string? commandId, string detail) =>
        AuditSink.RecordAsync(new CommandAuditEvent(action, actor, Hostname, commandId, null, detail, clock.GetUtcNow()));
}
