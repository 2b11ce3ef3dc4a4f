using NixFleet.Agent.Processes;

namespace NixFleet.Agent.Commands;

/// <summary>
/// One command while it runs: its output file (every step and the agent's own lines append to it, and its line
/// number is the <c>seq</c>), the step running now (its PID is its process group) and whether it was stopped.
/// </summary>
internal sealed class CommandContext
{
    private readonly Lock _pollLock = new();
    private readonly InFlightStore _store;
    private readonly Action<CommandContext, OutputLine> _emit;
    private readonly OutputTail _tail;
    private int _steps;

    public string? CommandId { get; }
    public string Command { get; }
    public string FileId { get; }
    public string OutputPath { get; }
    public int Pid { get; private set; }
    public bool Stopped { get; private set; }
    public bool KillAtOnce { get; private set; }

    public CommandContext(string? commandId, string command, string fileId, InFlightStore store, Action<CommandContext, OutputLine> emit)
    {
        CommandId = commandId;
        Command = command;
        FileId = fileId;
        _store = store;
        _emit = emit;
        Directory.CreateDirectory(store.OutputDir);
        OutputPath = Path.Combine(store.OutputDir, fileId + ".out");
        _tail = new OutputTail(OutputPath);
    }

    /// <summary>A line from the agent itself, in order with the programs' lines.</summary>
    public void Say(string text, bool isError = false)
    {
        OutputFile.Append(OutputPath, text, isError);
        Poll();
    }

    /// <summary>Emits every complete line appended since the last poll.</summary>
    public void Poll()
    {
        lock (_pollLock)
        {
            IReadOnlyList<OutputLine> lines;
            while ((lines = _tail.ReadNew()).Count > 0)
                foreach (var line in lines) _emit(this, line);
        }
    }

    /// <summary>Runs one program in its own process group; 130 when the command was stopped.</summary>
    public async Task<int> RunAsync(Processes.Step step, bool lastStep)
    {
        if (Stopped) return Outcome.StoppedExitCode;
        Say("$ " + step.Display);
        var exitFile = Path.Combine(_store.OutputDir, $"{FileId}.{++_steps}.exit");
        RunningStep running;
        try { running = RunningStep.Start(step, OutputPath, exitFile); }
        catch (Exception ex) when (ex is IOException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            Say($"cannot start {step.Display}: {ex.Message}", true);
            return 127;
        }
        return await WatchAsync(running, lastStep);
    }

    /// <summary>Follows a step to its end (also one found running after an agent restart).</summary>
    public async Task<int> WatchAsync(RunningStep running, bool lastStep)
    {
        Pid = running.IsOurs() ? running.Pid : 0;
        _store.Save(new InFlightRecord(CommandId, Command, FileId, running.Pid, OutputPath, running.ExitFile, lastStep, DateTimeOffset.UtcNow));
        var code = await running.WaitAsync(Poll);
        Pid = 0;
        return Stopped ? Outcome.StoppedExitCode : code;
    }

    /// <summary>Ends the running step's whole process group (TERM, KILL after 3 s); later steps do not start.</summary>
    public Task StopAsync(bool killAtOnce)
    {
        Stopped = true;
        KillAtOnce |= killAtOnce;
        var pid = Pid;
        return pid > 1 ? ProcessGroup.EndAsync(pid, killAtOnce) : Task.CompletedTask;
    }
}
