using System.Diagnostics;
using System.Globalization;

namespace NixFleet.Agent.Processes;

/// <summary>
/// A step started through <see cref="StepSupervisor"/>: its PID is also its process group id. Works the same
/// whether this agent started it or found it in the state directory after a restart.
/// </summary>
internal sealed class RunningStep(int pid, string exitFile, Process? child)
{
    public int Pid { get; } = pid;
    public string ExitFile { get; } = exitFile;

    public static RunningStep Start(Step step, string outFile, string exitFile)
    {
        File.Delete(exitFile);
        var psi = new ProcessStartInfo(SelfCommand.Prefix[0])
        {
            UseShellExecute = false, WorkingDirectory = step.WorkingDirectory,
            // Never the agent's own stdio: the step must not hold the agent's pipes or die with them.
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var a in SelfCommand.Prefix.Skip(1)) psi.ArgumentList.Add(a);
        foreach (var a in new[] { StepSupervisor.Verb, outFile, exitFile, step.WorkingDirectory, "--" }) psi.ArgumentList.Add(a);
        foreach (var a in step.Argv) psi.ArgumentList.Add(a);
        foreach (var (k, v) in step.Environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + step.Display);
        p.StandardInput.Close();
        p.StandardOutput.Close();
        p.StandardError.Close();
        return new RunningStep(p.Id, exitFile, p);
    }

    /// <summary>The exit code once the step has ended: from its file, or 128+signal-like when it died without one.</summary>
    public int? TryGetExit()
    {
        if (File.Exists(ExitFile) && int.TryParse(File.ReadAllText(ExitFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
            return code;
        if (IsAlive()) return null;
        // Ended between the two checks: the file may have just appeared.
        if (File.Exists(ExitFile) && int.TryParse(File.ReadAllText(ExitFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out code))
            return code;
        return 137; // killed before it could record anything
    }

    private bool IsAlive()
    {
        if (child is not null) return !child.HasExited;
        return Native.Exists(Pid) && !IsZombie(Pid) && IsOurs();
    }

    /// <summary>
    /// After a restart (or a reboot) the recorded PID may belong to a stranger: only a step supervisor writing this
    /// step's exit file counts, so the agent never waits on, or signals, a process it did not start.
    /// </summary>
    public bool IsOurs()
    {
        if (child is not null) return true;
        string commandLine;
        if (File.Exists($"/proc/{Pid}/cmdline"))
        {
            try { commandLine = File.ReadAllText($"/proc/{Pid}/cmdline").Replace('\0', ' '); }
            catch (IOException) { return false; }
        }
        else
        {
            var ps = Facts.ProcessRunner.Run("ps", ["-o", "command=", "-p", Pid.ToString(CultureInfo.InvariantCulture)]);
            commandLine = ps.Ok ? ps.Stdout : "";
        }
        return commandLine.Contains(StepSupervisor.Verb, StringComparison.Ordinal) && commandLine.Contains(ExitFile, StringComparison.Ordinal);
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] == 'Z';
        }
        catch (IOException) { return false; }
    }

    public async Task<int> WaitAsync(Action poll, CancellationToken ct = default)
    {
        while (true)
        {
            poll();
            var exit = TryGetExit();
            if (exit is not null) { poll(); return exit.Value; }
            await Task.Delay(100, ct);
        }
    }
}
