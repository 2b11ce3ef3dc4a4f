using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Tests.Agent.Support;
using NixFleet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace NixFleet.Tests.EndToEnd.Support;

/// <summary>
/// The real agent process (fake host tools on PATH, bare git origin) connected to the real dashboard
/// (<see cref="InProcessDashboard"/>: Kestrel, co-hosted silo, SQLite) with the shared agent token.
/// The dashboard can be stopped and started again on the same data dir and port.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EndToEndWorld : IAsyncDisposable
{
    private readonly TempDir _data = new();
    private readonly int _port = FreePort.ForRestart(); // the dashboard restarts on it
    private readonly Dictionary<string, string?> _extraEnv;

    public AgentWorld World { get; }
    public InProcessDashboard? Dashboard { get; private set; }
    public AgentProcess? Agent { get; private set; }

    public InProcessDashboard Dash => Dashboard ?? throw new InvalidOperationException("dashboard not running");
    public IHostGrain Host => Dash.Grains.GetGrain<IHostGrain>(AgentWorld.Hostname);
    public ICommandLog Log => Dash.Services.GetRequiredService<ICommandLog>();

    public EndToEndWorld(Dictionary<string, string?>? extraEnv = null)
    {
        World = new AgentWorld();
        _extraEnv = extraEnv ?? [];
    }

    public async Task StartDashboardAsync() =>
        Dashboard = await InProcessDashboard.StartAsync(_data.Path, o => o with
        {
            Listen = o.Listen with { Port = _port },
            AllowSharedAgentToken = true,
        });

    public async Task StopDashboardAsync()
    {
        if (Dashboard is null) return;
        await Dashboard.DisposeAsync();
        Dashboard = null;
    }

    /// <summary>Starts the agent and waits until the host grain has its registration and a heartbeat.</summary>
    public async Task StartAgentAsync()
    {
        Agent = AgentProcess.Start(World.Env($"ws://127.0.0.1:{_port}/ws", TestCredentials.AgentToken, _extraEnv));
        await WaitOnlineAsync("the agent registered and sent a heartbeat");
    }

    public Task WaitOnlineAsync(string what) =>
        Eventually.TrueAsync(async () => await Host.GetAsync() is { Online: true, Registration: not null, LastHeartbeat: not null },
            what + "\n" + AgentOutput, TimeSpan.FromSeconds(60));

    public async Task<CommandRecord> SubmitAsync(string op)
    {
        var result = await Host.SubmitCommandAsync(new CommandRequest(op, "operator:e2e"));
        Assert.True(result.Accepted, $"{op} refused: {result.Code} {result.Message}");
        return result.Command!;
    }

    /// <summary>Waits until the command has ended and returns its final record.</summary>
    public async Task<CommandRecord> WaitEndedAsync(string id, TimeSpan? timeout = null)
    {
        CommandRecord? record = null;
        await Eventually.TrueAsync(async () => (record = await Host.GetCommandAsync(id)) is { Ended: true },
            $"command {id} ended (last: {record?.Phase})\n{AgentOutput}", timeout ?? TimeSpan.FromSeconds(60));
        return record!;
    }

    public async Task<IReadOnlyList<StoredOutputLine>> OutputAsync(string id) => await Log.ReadAsync(id, 0, 100_000);

    public string AgentOutput => Agent is null ? "" : "agent output:\n" + string.Join('\n', Agent.Output.TakeLast(60));

    public async ValueTask DisposeAsync()
    {
        if (Agent is not null) await Agent.DisposeAsync();
        await StopDashboardAsync();
        World.Dispose();
        _data.Dispose();
    }
}
