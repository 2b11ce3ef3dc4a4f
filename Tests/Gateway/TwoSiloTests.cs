using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Tests.Support;
using Orleans.Configuration;

namespace NixFleet.Tests.Gateway;

/// <summary>
/// Two in-process dashboards (each real Kestrel + a silo) joined into one Orleans cluster over loopback TCP,
/// sharing one SQLite file. The agent's socket is on B; its host grain is on A: the grain's calls to the
/// agent connection travel from silo A to the gateway on B.
/// </summary>
public sealed class TwoSiloTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private GatewayApp _a = null!;
    private GatewayApp _b = null!;

    public async Task InitializeAsync()
    {
        var options = GatewayApp.OptionsFor(_dir.Path);
        var primary = new IPEndPoint(IPAddress.Loopback, FreePort.Next());
        _b = await GatewayApp.StartAsync(options, silo => silo.UseLocalhostClustering(primary.Port, 0, primary, "nixfleet", "nixfleet"));
        // A places what it activates on itself, so a grain first called from A lives on A.
        _a = await GatewayApp.StartAsync(options, silo =>
        {
            silo.UseLocalhostClustering(FreePort.Next(), 0, primary, "nixfleet", "nixfleet");
            silo.Services.Configure<ResourceOptimizedPlacementOptions>(o => o.LocalSiloPreferenceMargin = 100);
        });
        var mgmt = _a.Grains.GetGrain<IManagementGrain>(0);
        await Eventually.TrueAsync(async () => (await mgmt.GetHosts(onlyActive: true)).Count == 2, "two silos active", TimeSpan.FromSeconds(30));
    }

    /// <summary>Connects through B to a host whose grain was activated on A (first called from A).</summary>
    private async Task<(TestAgent Agent, string Host)> AgentOnBWithGrainOnAAsync()
    {
        // Placement statistics take a moment after start: retry with new names until one lands on A.
        for (var i = 0; i < 40; i++)
        {
            var host = $"split-{i}";
            await _a.Grains.GetGrain<IHostGrain>(host).GetAsync();
            var agent = await TestAgent.ConnectAsync(_b.WsUri, GatewayApp.SharedToken);
            await agent.RegisterAsync(TestAgent.Register(host));
            if (_a.Calls.Connections.ContainsKey(host)) return (agent, host);
            await agent.DisposeAsync();
            await Task.Delay(200);
        }
        throw new InvalidOperationException("no host grain was placed on silo A");
    }

    [Fact]
    public async Task A_command_from_the_grains_silo_reaches_the_agent_on_the_other_silo()
    {
        var (agent, host) = await AgentOnBWithGrainOnAAsync();
        await using var _ = agent;
        Assert.NotEqual(_a.Calls.Silo, _b.Calls.Silo);
        Assert.DoesNotContain(_b.Calls.Calls, c => c.Host == host && c.Method == nameof(IHostGrain.RegisterAsync));

        var connection = _a.Calls.Connections[host]; // the reference as the grain holds it, on silo A
        await connection.SendAsync(AgentInstruction.Run("switch", "c-1"));
        Assert.Equal("""{"type":"command","payload":{"command":"switch"}}""", (await agent.NextAsync()).GetRawText());

        // Heartbeats through B land in the grain on A.
        await agent.SendAsync("heartbeat", TestAgent.Heartbeat("a1a1a1a"));
        await Eventually.TrueAsync(async () => (await _a.HostAsync(host)).Generation == "a1a1a1a", "heartbeat via B recorded on A");
    }

    [Fact]
    public async Task A_command_submitted_to_the_grain_on_A_reaches_the_agent_on_B()
    {
        var (agent, host) = await AgentOnBWithGrainOnAAsync();
        await using var _ = agent;
        var result = await _a.Grains.GetGrain<IHostGrain>(host).SubmitCommandAsync(new CommandRequest("pull", "two-silo-test"));
        Assert.True(result.Accepted, result.Message);
        Assert.Equal("""{"type":"command","payload":{"command":"pull"}}""", (await agent.NextAsync()).GetRawText());
    }

    [Fact]
    public async Task A_newer_registration_on_A_closes_the_old_socket_on_B()
    {
        var (old, host) = await AgentOnBWithGrainOnAAsync();
        await using var _ = old;
        await using var newer = await TestAgent.ConnectAsync(_a.WsUri, GatewayApp.SharedToken);
        await newer.RegisterAsync(TestAgent.Register(host));
        var (code, _) = await old.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, code);
        await Task.Delay(300);
        Assert.True((await _b.HostAsync(host)).Online);
    }

    [Fact]
    public async Task When_the_grains_silo_stops_the_next_heartbeat_registers_again_elsewhere()
    {
        var (agent, host) = await AgentOnBWithGrainOnAAsync();
        await using var _ = agent;
        await _a.DisposeAsync();

        await agent.SendAsync("heartbeat", TestAgent.Heartbeat("b2b2b2b", cpu: 3.5));
        await Eventually.TrueAsync(async () => (await _b.HostAsync(host)).LastHeartbeat?.Metrics?.Cpu == 3.5, "re-registered on B", TimeSpan.FromSeconds(30));
        var view = await _b.HostAsync(host);
        Assert.True(view.Online);
        Assert.Contains(_b.Calls.Calls, c => c.Host == host && c.Method == nameof(IHostGrain.RegisterAsync));
        Assert.Equal(WebSocketState.Open, agent.State);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _dir.Dispose();
    }
}
