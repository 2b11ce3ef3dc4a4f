using NixFleet.Tests.Support;

namespace NixFleet.Tests.Gateway;

/// <summary>A heartbeat that changes nothing meaningful is a memory update: the host's stored row keeps its version.</summary>
public sealed class HeartbeatCostTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayApp App => fixture.App;

    [Fact]
    public async Task Routine_heartbeats_do_not_write_storage_but_a_new_generation_does()
    {
        const string host = "cost-host";
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await agent.RegisterAsync(TestAgent.Register(host));
        await BeatAsync(agent, "abc1234", 1, "2026-11-26T00:00:00Z");
        var before = StoredVersion(host);

        // Metrics move and every check is re-stamped, as real agents do; nothing meaningful changes.
        for (var i = 2; i <= 20; i++) await BeatAsync(agent, "abc1234", i, $"2026-11-26T00:00:{i:00}Z");
        Assert.Equal(before, StoredVersion(host));

        await BeatAsync(agent, "bcd2345", 21, "2026-11-26T00:01:00Z");
        Assert.Equal(before + 1, StoredVersion(host));
    }

    [Fact]
    public async Task A_reconnect_that_brings_no_new_fact_does_not_write_storage()
    {
        const string host = "cost-reconnect";
        await using (var first = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken))
            await first.RegisterAsync(TestAgent.Register(host));
        await Eventually.TrueAsync(async () => !(await App.HostAsync(host)).Online, "offline after the first socket closed");
        var before = StoredVersion(host);

        await using var again = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await again.RegisterAsync(TestAgent.Register(host));
        Assert.True((await App.HostAsync(host)).Online);
        Assert.Equal(before, StoredVersion(host));

        await using var changed = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await changed.RegisterAsync(TestAgent.Register(host, p => p["agent_version"] = "3.0.1"));
        Assert.Equal(before + 1, StoredVersion(host));
    }

    private async Task BeatAsync(TestAgent agent, string generation, double cpu, string checkedAt, string host = "cost-host")
    {
        await agent.SendAsync("heartbeat", TestAgent.Heartbeat(generation, cpu, checkedAt));
        await Eventually.TrueAsync(async () => (await App.HostAsync(host)).LastHeartbeat?.Metrics?.Cpu == cpu, $"heartbeat {cpu} applied");
    }

    private long StoredVersion(string host) => StoredHostVersion.Of(App.Options.DbPath, host);
}
