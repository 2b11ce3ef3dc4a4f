using NixFleet.Grains.Interfaces.Fleet;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Foundation;

/// <summary>Host state in a real SQLite file: written, read back, kept across deactivation and silo restarts.</summary>
public sealed class HostGrainStorageTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task Registration_and_heartbeat_are_stored_and_survive_deactivation()
    {
        var cluster = await SqliteCluster.StartAsync(_dir.File("nixfleet.db"));
        try
        {
            var agentSide = new RecordingConnection();
            var conn = cluster.Client.CreateObjectReference<IAgentConnection>(agentSide);
            var host = cluster.Client.GetGrain<IHostGrain>("hsb0");
            await host.RegisterAsync(Samples.Registration("hsb0"), "c1", conn);
            Assert.True(await host.HeartbeatAsync(Samples.Heartbeat("def5678"), "c1"));

            var view = await host.GetAsync();
            Assert.True(view.Online);
            Assert.Equal("def5678", view.Generation);
            Assert.Equal("nixos", view.Registration!.HostType);

            await cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

            var again = await cluster.Client.GetGrain<IHostGrain>("hsb0").GetAsync();
            Assert.Equal("def5678", again.Generation); // a meaningful change (generation) was written at once
            Assert.Equal("ok", again.Compartments.Git.Status);
            Assert.Equal("/var/lib/nixfleet-agent/repo", again.Registration!.RepoDir);
            Assert.False(again.Online); // a new activation has no connection
            GC.KeepAlive(agentSide);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task State_survives_a_full_restart_of_the_silo_and_the_index_lists_hosts_offline()
    {
        var db = _dir.File("nixfleet.db");
        var first = await SqliteCluster.StartAsync(db);
        var agentSide = new RecordingConnection();
        var conn = first.Client.CreateObjectReference<IAgentConnection>(agentSide);
        foreach (var name in new[] { "alpha", "beta" })
            await first.Client.GetGrain<IHostGrain>(name).RegisterAsync(Samples.Registration(name, "g-" + name), "c-" + name, conn);
        // The index is fed in batches a few times a second: wait until it has both, online.
        await Eventually.TrueAsync(async () => (await first.Client.GetGrain<IFleetIndexGrain>(IFleetIndexGrain.Key).ListAsync())
            .Count(h => h.Online) == 2, "both hosts listed online");
        GC.KeepAlive(agentSide);
        await first.StopAllSilosAsync();
        await first.DisposeAsync();

        var second = await SqliteCluster.StartAsync(db);
        try
        {
            var hosts = await second.Client.GetGrain<IFleetIndexGrain>(IFleetIndexGrain.Key).ListAsync();
            Assert.Equal(["alpha", "beta"], hosts.Select(h => h.Hostname));
            Assert.All(hosts, h => Assert.False(h.Online));
            var beta = await second.Client.GetGrain<IHostGrain>("beta").GetAsync();
            Assert.Equal("g-beta", beta.Generation);
            Assert.False(beta.Online);
        }
        finally
        {
            await second.StopAllSilosAsync();
            await second.DisposeAsync();
        }
    }

    public void Dispose() => _dir.Dispose();
}
