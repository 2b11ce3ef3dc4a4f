using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Gateway;

/// <summary>
/// What a grain sends through the agent's connection (the grain observer the gateway registered) arrives as
/// the frame that agent understands; extensions only for agents that asked for them.
/// </summary>
public sealed class InstructionTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayApp App => fixture.App;

    private async Task<IAgentConnection> ConnectionOfAsync(string host)
    {
        await Eventually.TrueAsync(() => App.Calls.Connections.ContainsKey(host), "registration recorded");
        return App.Calls.Connections[host];
    }

    [Fact]
    public async Task An_agent_with_capabilities_gets_command_ids_args_and_acks()
    {
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await agent.RegisterAsync(TestAgent.Register("ins-ext", p => p["capabilities"] = new[] { "command_id", "ack" }));
        var conn = await ConnectionOfAsync("ins-ext");

        await conn.SendAsync(AgentInstruction.Run("switch", "cmd-1", new Dictionary<string, string> { ["flake"] = "x" }));
        var command = await agent.NextAsync();
        Assert.Equal("""{"type":"command","payload":{"command":"switch","command_id":"cmd-1","args":{"flake":"x"}}}""", command.GetRawText());

        await conn.SendAsync(AgentInstruction.Acknowledge("cmd-1", 42));
        Assert.Equal("""{"type":"ack","payload":{"command_id":"cmd-1","seq":42}}""", (await agent.NextAsync()).GetRawText());

        await conn.SendAsync(AgentInstruction.KillCommand("SIGKILL", 0));
        Assert.Equal("""{"type":"kill_command","payload":{"signal":"SIGKILL","pid":0}}""", (await agent.NextAsync()).GetRawText());
    }

    [Fact]
    public async Task An_agent_without_capabilities_never_gets_ids_or_acks()
    {
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await agent.RegisterAsync(TestAgent.Register("ins-go"));
        var conn = await ConnectionOfAsync("ins-go");

        await conn.SendAsync(AgentInstruction.Run("pull", "cmd-2", new Dictionary<string, string> { ["a"] = "b" }));
        Assert.Equal("""{"type":"command","payload":{"command":"pull"}}""", (await agent.NextAsync()).GetRawText());

        await conn.SendAsync(AgentInstruction.Acknowledge("cmd-2", 7));
        await conn.SendAsync(AgentInstruction.KillCommand("SIGTERM"));
        // The ack was dropped: the next frame is the kill.
        Assert.Equal("""{"type":"kill_command","payload":{"signal":"SIGTERM","pid":0}}""", (await agent.NextAsync()).GetRawText());
    }

    [Fact]
    public async Task A_command_off_the_allow_list_never_reaches_the_agent()
    {
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await agent.RegisterAsync(TestAgent.Register("ins-allow"));
        var conn = await ConnectionOfAsync("ins-allow");

        await conn.SendAsync(AgentInstruction.Run("rm -rf /", null));
        await conn.SendAsync(AgentInstruction.Run("test", null));
        Assert.Equal("""{"type":"command","payload":{"command":"test"}}""", (await agent.NextAsync()).GetRawText());
    }

    [Fact]
    public async Task A_stuck_socket_is_dropped_when_its_queue_overflows_and_never_delays_another_agent()
    {
        // The stuck agent never reads; big frames fill the kernel buffers, then the bounded queue.
        await using var stuck = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken, read: false);
        await stuck.SendAsync("register", TestAgent.Register("ins-stuck", p => p["capabilities"] = new[] { "command_id" }));
        await using var healthy = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await healthy.RegisterAsync(TestAgent.Register("ins-healthy"));
        var stuckConn = await ConnectionOfAsync("ins-stuck");
        var healthyConn = await ConnectionOfAsync("ins-healthy");

        var big = new Dictionary<string, string> { ["blob"] = new string('x', 64 * 1024) };
        for (var i = 0; i < 600; i++) await stuckConn.SendAsync(AgentInstruction.Run("pull", "c" + i, big));
        await healthyConn.SendAsync(AgentInstruction.Run("update", null));

        Assert.Equal("""{"type":"command","payload":{"command":"update"}}""", (await healthy.NextAsync()).GetRawText());
        await Eventually.TrueAsync(async () => !(await App.HostAsync("ins-stuck")).Online, "stuck agent dropped and offline", TimeSpan.FromSeconds(30));
        Assert.True((await App.HostAsync("ins-healthy")).Online);
    }
}
