using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NixFleet.Tests.Agent.Support;
using NixFleet.Tests.Api;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.EndToEnd.Support;

/// <summary>One stored output line as the JSON API returns it.</summary>
public sealed record ApiLine(long Seq, string Stream, string Text);

/// <summary>
/// The real agent process against the real dashboard PROCESS (<see cref="DashboardProcess"/>), both on loopback,
/// observed only through the dashboard's JSON API and pages as an operator. The dashboard can be killed (SIGKILL) and
/// started again on the same data dir and port; the agent can be stopped (SIGTERM, as systemd does) and started again.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ProcessWorld : IAsyncDisposable
{
    private readonly TempDir _data = new();
    private readonly int _port = FreePort.ForRestart(); // the dashboard restarts on it
    private readonly Dictionary<string, string?> _agentEnv;
    private HttpClient? _http;

    public AgentWorld World { get; }
    public DashboardProcess? Dashboard { get; private set; }
    public AgentProcess? Agent { get; private set; }
    public HttpClient Http => _http ?? throw new InvalidOperationException("dashboard not running");
    public string Url => $"ws://127.0.0.1:{_port}/ws";

    public ProcessWorld(Dictionary<string, string?>? agentEnv = null, bool cloneForHost = true)
    {
        World = new AgentWorld(cloneForHost);
        _agentEnv = agentEnv ?? [];
    }

    /// <summary>Starts the dashboard (again) on the same data dir and port and signs in as the operator.</summary>
    public async Task StartDashboardAsync()
    {
        Dashboard = DashboardProcess.Start(_data.Path, TestCredentials.Env, _port);
        await Dashboard.WaitHealthyAsync();
        _http?.Dispose();
        _http = (await TestCredentials.SignInAsync(Dashboard.BaseUri)).CreateClient();
    }

    /// <summary>kill -9: no shutdown of any kind, grains and batches die with the process.</summary>
    public async Task KillDashboardAsync()
    {
        var d = Dashboard ?? throw new InvalidOperationException("dashboard not running");
        d.KillHard();
        await d.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await d.DisposeAsync();
        Dashboard = null;
        _http?.Dispose();
        _http = null;
    }

    /// <summary>Variables added to the agent's environment (settable before the agent starts).</summary>
    public Dictionary<string, string?> AgentExtraEnv => _agentEnv;

    public Dictionary<string, string?> AgentEnv => World.Env(Url, TestCredentials.AgentToken, _agentEnv);

    /// <summary>Starts the agent (from <paramref name="dll"/> when given) and waits until the dashboard shows it online.</summary>
    public async Task StartAgentAsync(string? dll = null)
    {
        Agent = dll is null ? AgentProcess.Start(AgentEnv) : AgentProcess.StartDll(dll, AgentEnv);
        await WaitOnlineAsync("the agent registered and sent a heartbeat");
    }

    /// <summary>SIGTERM to the agent alone, as systemd stops a unit with KillMode=process; waits for its exit.</summary>
    public async Task StopAgentAsync()
    {
        var a = Agent ?? throw new InvalidOperationException("agent not running");
        using (var kill = Process.Start("kill", ["-s", "TERM", a.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            await kill.WaitForExitAsync();
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30))) await a.Process.WaitForExitAsync(cts.Token);
        Assert.True(a.Process.ExitCode == 0, $"the agent exited with {a.Process.ExitCode}\n{AgentOutput}");
        await a.DisposeAsync();
        Agent = null;
    }

    public Task WaitOnlineAsync(string what) =>
        Eventually.TrueAsync(async () => await HostAsync() is { } h && h.GetProperty("online").GetBoolean(),
            what + "\n" + AgentOutput, TimeSpan.FromSeconds(60));

    /// <summary>The host as the API shows it, or null while the dashboard does not know it.</summary>
    public async Task<JsonElement?> HostAsync()
    {
        using var r = await Http.GetAsync($"/api/hosts/{AgentWorld.Hostname}");
        return r.StatusCode == HttpStatusCode.NotFound ? null : await r.ReadAsync();
    }

    public async Task<string> SubmitAsync(string op)
    {
        using var r = await Http.PostAsJsonAsync($"/api/hosts/{AgentWorld.Hostname}/commands", new { command = op });
        var body = await r.ReadAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Accepted, $"{op}: {(int)r.StatusCode} {body}");
        return body.Str("id");
    }

    public Task<JsonElement> CommandAsync(string id) => Http.GetJsonAsync($"/api/commands/{id}");

    /// <summary>Waits until the command has ended and returns it.</summary>
    public async Task<JsonElement> WaitEndedAsync(string id, int seconds = 90)
    {
        JsonElement last = default;
        await Eventually.TrueAsync(async () => (last = await CommandAsync(id)).GetProperty("ended").GetBoolean(),
            $"command {id} ended\n{AgentOutput}", TimeSpan.FromSeconds(seconds));
        return last;
    }

    /// <summary>Every stored line of a command, page by page as a client would read them (<c>?after=</c>).</summary>
    public async Task<IReadOnlyList<ApiLine>> OutputAsync(string id)
    {
        var lines = new List<ApiLine>();
        long after = 0;
        while (true)
        {
            var page = await Http.GetJsonAsync($"/api/commands/{id}/output?after={after}&limit=100");
            foreach (var l in page.GetProperty("lines").EnumerateArray())
                lines.Add(new ApiLine(l.GetProperty("seq").GetInt64(), l.Str("stream"), l.Str("text")));
            after = page.GetProperty("next_after").GetInt64();
            if (!page.GetProperty("more").GetBoolean()) return lines;
        }
    }

    public string AgentOutput => Agent is null ? "" : "agent output:\n" + string.Join('\n', Agent.Output.TakeLast(60));

    public async ValueTask DisposeAsync()
    {
        if (Agent is not null) await Agent.DisposeAsync();
        if (Dashboard is not null) await Dashboard.DisposeAsync();
        _http?.Dispose();
        World.Dispose();
        _data.Dispose();
    }
}
