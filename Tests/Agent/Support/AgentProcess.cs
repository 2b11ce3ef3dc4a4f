using System.Collections.Concurrent;
using System.Diagnostics;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Agent.Support;

/// <summary>
/// The real agent (<c>dotnet nixfleet-agent.dll</c>) as a child process, with only the variables given
/// (no NIXFLEET_* leaks in from the test's environment) and the fake host tools first on PATH.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _lines = new();
    public Process Process { get; }
    public IEnumerable<string> Output => _lines;

    private AgentProcess(Process p)
    {
        Process = p;
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
    }

    public static AgentProcess Start(IReadOnlyDictionary<string, string?> env, params string[] args) => StartDll(RepoPaths.AgentDll, env, args);

    /// <summary>Starts the agent from another copy of its build output (to change the binary under it).</summary>
    public static AgentProcess StartDll(string dll, IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("NIXFLEET_", StringComparison.Ordinal) || k.StartsWith("FAKE_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in env)
        {
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        }
        return new AgentProcess(Process.Start(psi)!);
    }

    /// <summary>Runs the agent to its exit (for --version, --check …) and returns the exit code and all output.</summary>
    public static async Task<(int Code, string Output)> RunAsync(IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        await using var a = Start(env, args);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await a.Process.WaitForExitAsync(cts.Token);
        a.Process.WaitForExit();
        return (a.Process.ExitCode, string.Join('\n', a.Output));
    }

    /// <summary>SIGKILL to the agent alone: the command it started lives on in its own process group.</summary>
    public async Task KillAgentOnlyAsync()
    {
        Process.Kill(entireProcessTree: false);
        await Process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }
        Process.Dispose();
    }
}
