using System.Collections.Concurrent;
using System.Diagnostics;

namespace NixFleet.Tests.Support;

/// <summary>
/// The real dashboard as a child process (<c>dotnet nixfleet-dashboard.dll</c>) on a loopback port,
/// with its own data dir. Output is captured for assertions.
/// </summary>
public sealed class DashboardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    public int Port { get; }
    public string DataDir { get; }
    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");
    public IEnumerable<string> Output => _lines;
    public Process Process => _process;

    private DashboardProcess(Process process, int port, string dataDir)
    {
        _process = process;
        Port = port;
        DataDir = dataDir;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Starts the dashboard; <paramref name="env"/> adds or overrides variables (null removes one).</summary>
    public static DashboardProcess Start(string dataDir, IReadOnlyDictionary<string, string?>? env = null, int? port = null, params string[] args)
    {
        var p = port ?? FreePort.Next();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add(RepoPaths.DashboardDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("NIXFLEET_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        psi.Environment["NIXFLEET_LISTEN"] = $"127.0.0.1:{p}";
        psi.Environment["NIXFLEET_DATA_DIR"] = dataDir;
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in env ?? new Dictionary<string, string?>())
        {
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        }
        return new DashboardProcess(Process.Start(psi)!, p, dataDir);
    }

    /// <summary>Waits until <c>/health</c> answers 200.</summary>
    public async Task WaitHealthyAsync(TimeSpan? timeout = null)
    {
        using var http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"dashboard exited with {_process.ExitCode}:\n{string.Join('\n', _lines)}");
            try
            {
                using var r = await http.GetAsync("health");
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"dashboard not healthy in time:\n{string.Join('\n', _lines)}");
    }

    /// <summary>Waits for exit (for processes expected to stop by themselves).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public void KillHard() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
