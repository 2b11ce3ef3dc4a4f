using NixFleet.Agent.Connection;
using NixFleet.Agent.Facts;
using NixFleet.Agent.Processes;
using NixFleet.Protocol;

namespace NixFleet.Agent.Commands;

/// <summary>
/// Runs one command at a time. <c>stop</c>, <c>restart</c> and <c>reboot</c> are accepted while another runs;
/// anything else is rejected. Every command ends with <c>status</c> and <c>command_complete</c>.
/// </summary>
internal sealed class CommandRunner(CommandServices s, InFlightStore store, Func<Task> heartbeatNow, Func<Task> restart,
    Func<string, Task> replaced)
{
    private readonly Lock _lock = new();
    private CommandContext? _current;

    public (string? Command, int? Pid) Current
    {
        get
        {
            lock (_lock) return _current is { } c ? (c.Command, c.Pid > 0 ? c.Pid : null) : (null, null);
        }
    }

    /// <summary>Queues a frame built from the command in flight, in order with the reports of that command's end.</summary>
    public void QueueWithCurrent(Func<string?, int?, byte[]> frame, Outbox outbox)
    {
        lock (_lock)
        {
            var (command, pid) = _current is { } c ? (c.Command, c.Pid > 0 ? c.Pid : (int?)null) : (null, null);
            outbox.AddSnapshot(frame(command, pid));
        }
    }

    public void Handle(CommandPayload p)
    {
        if (!AgentCommands.IsKnown(p.Command))
        {
            Log.Warn($"refusing unknown command \"{p.Command}\"");
            s.Reporter.Rejected($"unknown command: {p.Command}", Current.Command, Current.Pid, p.CommandId);
            return;
        }
        switch (p.Command)
        {
            case "stop": _ = StopAsync(p.CommandId, killAtOnce: false); return;
            case "restart": _ = RestartAsync(p.CommandId); return;
            case "reboot": _ = RebootAsync(p.CommandId); return;
        }
        CommandContext ctx;
        lock (_lock)
        {
            if (_current is { } busy)
            {
                s.Reporter.Rejected($"{busy.Command} is running", busy.Command, busy.Pid > 0 ? busy.Pid : null, p.CommandId);
                return;
            }
            ctx = _current = NewContext(p.CommandId, p.Command);
        }
        _ = Task.Run(() => RunAsync(ctx, () => ExecuteAsync(ctx)));
    }

    /// <summary><c>kill_command</c>: pid 0 or the running command's pid; any other pid is refused (never kill a stranger).</summary>
    public void Kill(KillCommandPayload k)
    {
        var (command, pid) = Current;
        if (command is null) { Log.Warn("kill_command with no command running"); return; }
        if (k.Pid != 0 && k.Pid != pid) { Log.Warn($"kill_command for pid {k.Pid} refused: the running command is pid {pid}"); return; }
        _ = StopAsync(null, killAtOnce: k.Signal == "SIGKILL");
    }

    private CommandContext NewContext(string? id, string command)
    {
        var fileId = $"{DateTime.UtcNow:yyyyMMddHHmmssfff}-{(id is null ? Guid.NewGuid().ToString("N")[..8] : Sanitize(id))}";
        return new CommandContext(id, command, fileId, store, s.Reporter.Output);
    }

    private static string Sanitize(string id) => new(id.Take(64).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());

    private Task<Outcome> ExecuteAsync(CommandContext ctx) => ctx.Command switch
    {
        "pull" => PullCommand.RunAsync(s, ctx, lastStep: true),
        "switch" => SwitchCommand.SwitchAsync(s, ctx),
        "pull-switch" => PullThenSwitchAsync(ctx),
        "test" => TestCommand.RunAsync(s, ctx),
        "update" => UpdateAsync(ctx),
        "rollback" => SwitchCommand.RollbackAsync(s, ctx),
        _ => RefreshCommand.RunAsync(s, ctx),
    };

    private async Task<Outcome> PullThenSwitchAsync(CommandContext ctx)
    {
        var pulled = await PullCommand.RunAsync(s, ctx, lastStep: false);
        return pulled.Succeeded ? await SwitchCommand.SwitchAsync(s, ctx) : pulled;
    }

    private async Task<Outcome> UpdateAsync(CommandContext ctx)
    {
        var code = await ctx.RunAsync(new Step(HostCommands.FlakeUpdate(), s.Repo.Dir, s.Repo.Env), lastStep: true);
        if (ctx.Stopped) return Outcome.Stopped(ctx.Command);
        s.Checks.RefreshLock();
        return code == 0 ? Outcome.Ok("flake.lock updated") : Outcome.Failed(code, $"nix flake update exited with {code}");
    }

    /// <summary>Runs a command body and reports its end, whatever happens inside.</summary>
    private async Task RunAsync(CommandContext ctx, Func<Task<Outcome>> body)
    {
        Outcome outcome;
        try { outcome = await body(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            ctx.Say($"{ctx.Command} failed: {ex.Message}", true);
            outcome = Outcome.Failed(1, ex.Message);
        }
        if (ctx.Stopped) outcome = Outcome.Stopped(ctx.Command);
        await FinishAsync(ctx, outcome);
    }

    private async Task FinishAsync(CommandContext ctx, Outcome outcome)
    {
        ctx.Poll();
        var generation = await s.Repo.HeadAsync();
        store.Clear();
        store.Prune();
        // Free before reporting: a dashboard that sends the next command on seeing this status must not be refused.
        // One step under the lock: no heartbeat saying "nothing runs" can be queued ahead of this status.
        lock (_lock)
        {
            if (_current == ctx) _current = null;
            s.Reporter.Status(ctx.Command, ctx.CommandId, outcome, generation);
            s.Reporter.Complete(ctx.Command, ctx.CommandId, outcome.ExitCode, s.Board.Current);
        }
        Log.Info($"{ctx.Command} finished: {outcome.Status} ({outcome.ExitCode}) {outcome.Message}");
        await heartbeatNow();
        if (outcome.Succeeded && ctx.Command is "switch" or "pull-switch" or "rollback" && s.Settings.AgentLink is { } link)
            await AfterSwitchAsync(ctx.Command, link);
    }

    /// <summary>A switch may have installed another agent: the service manager starts it once this one exits.</summary>
    private async Task AfterSwitchAsync(string command, string link)
    {
        if (AgentReplacement.Check(link) is { } why)
        {
            Log.Info($"after {command}: {why}");
            await replaced(why);
        }
        else Log.Info($"after {command}: {link} leads to the running agent binary; keeping on");
    }

    private async Task StopAsync(string? stopId, bool killAtOnce)
    {
        CommandContext? target;
        lock (_lock) target = _current;
        if (target is null)
        {
            s.Reporter.Status("stop", stopId, Outcome.Ok("no command running"), await s.Repo.HeadAsync());
            return;
        }
        Log.Info($"stopping {target.Command} (process group {target.Pid})");
        await target.StopAsync(killAtOnce); // its RunAsync reports "stopped", 130
    }

    private async Task RestartAsync(string? id)
    {
        s.Reporter.Status("restart", id, Outcome.Ok("agent restarting"), await s.Repo.HeadAsync());
        await restart();
    }

    private async Task RebootAsync(string? id)
    {
        s.Reporter.Status("reboot", id, Outcome.Ok("rebooting in 3 s"), await s.Repo.HeadAsync());
        await Task.Delay(TimeSpan.FromSeconds(3));
        var argv = HostCommands.Reboot(s.Settings.Kind);
        var r = await ProcessRunner.RunAsync(argv[0], argv.Skip(1));
        if (!r.Ok)
            s.Reporter.Status("reboot", id, Outcome.Failed(r.ExitCode, $"{string.Join(' ', argv)} failed: {r.Stderr.Trim()}"), await s.Repo.HeadAsync());
    }

    /// <summary>
    /// After a restart: a command recorded in the state dir either still runs (follow it to its end) or ended while
    /// the agent was down (report its outcome now, with its command id and all its output).
    /// </summary>
    public void Recover()
    {
        var rec = store.Load();
        if (rec is null) return;
        var ctx = new CommandContext(rec.CommandId, rec.Command, rec.FileId, store, s.Reporter.Output);
        lock (_lock)
        {
            if (_current is not null) return;
            _current = ctx;
        }
        Log.Info($"found {rec.Command} ({rec.CommandId ?? "no id"}) from before the restart, step pid {rec.StepPid}");
        _ = Task.Run(() => RunAsync(ctx, async () =>
        {
            var code = await ctx.WatchAsync(new RunningStep(rec.StepPid, rec.ExitFile, null), rec.LastStep);
            if (!rec.LastStep)
                return Outcome.Failed(code == 0 ? 1 : code, $"the agent restarted during {rec.Command}; its remaining steps did not run");
            return rec.Command is "switch" or "pull-switch" or "rollback"
                ? SwitchCommand.Finish(s, ctx, rec.Command == "rollback" ? "rollback" : "switch", code)
                : code == 0 ? Outcome.Ok($"{rec.Command} finished") : Outcome.Failed(code, $"{rec.Command} exited with {code}");
        }));
    }
}
