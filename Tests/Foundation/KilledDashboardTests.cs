using NixFleet.Grains.Interfaces.Fleet;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Foundation;

/// <summary>State written through the real dashboard survives <c>kill -9</c>; after a restart the host is offline until its agent returns.</summary>
public sealed class KilledDashboardTests : IDisposable
{
    private const string Token = "shared-token-of-the-kill-test-0123456789";
    private readonly TempDir _dir = new();
    private readonly Dictionary<string, string?> _env = new() { ["NIXFLEET_AGENT_TOKEN"] = Token };

    [Fact]
    public async Task State_survives_SIGKILL_and_the_host_starts_offline()
    {
        var db = Path.Combine(_dir.Path, "nixfleet.db");
        await using (var first = DashboardProcess.Start(_dir.Path, _env))
        {
            await first.WaitHealthyAsync();
            await using var agent = await TestAgent.ConnectAsync(new Uri($"ws://127.0.0.1:{first.Port}/ws"), Token);
            await agent.RegisterAsync(TestAgent.Register("killed-host", p => p["location"] = "cloud"));
            await agent.SendAsync("heartbeat", TestAgent.Heartbeat("c0ffee1"));
            await Eventually.TrueAsync(() => Stored(db).Any(p => p.Contains("c0ffee1")), "heartbeat's generation stored");
            await Eventually.TrueAsync(() => Stored(db).Any(p => p.Contains("\"hosts\":[{\"hostname\":\"killed-host\"")), "fleet index page stored");
            first.KillHard();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        var restartedAt = DateTimeOffset.UtcNow;
        await using (var second = DashboardProcess.Start(_dir.Path, _env))
        {
            await second.WaitHealthyAsync();
            // Its agent comes back to the restarted dashboard.
            await using var agent = await TestAgent.ConnectAsync(new Uri($"ws://127.0.0.1:{second.Port}/ws"), Token);
            await agent.RegisterAsync(TestAgent.Register("killed-host", p => p["generation"] = "c0ffee1"));
            await agent.CloseAsync();
            await Eventually.TrueAsync(() => Stored(db).Any(p => p.Contains("killed-host") && p.Contains("\"online\":false")), "offline stored");
            second.KillHard();
            await second.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        // Read it back with the grains themselves, on the same file.
        var cluster = await SqliteCluster.StartAsync(db);
        try
        {
            var view = await cluster.Client.GetGrain<IHostGrain>("killed-host").GetAsync();
            Assert.True(view.Known);
            Assert.False(view.Online);
            Assert.Equal("c0ffee1", view.Generation);
            Assert.True(view.FirstSeen < restartedAt, "first seen comes from before the kill");
            Assert.Equal("home", view.Registration!.Location);
            Assert.Equal("ok", view.Compartments.Git.Status);
            var summary = Assert.Single(await cluster.Client.GetGrain<IFleetIndexGrain>(IFleetIndexGrain.Key).ListAsync());
            Assert.Equal(("killed-host", false), (summary.Hostname, summary.Online));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    private static List<string> Stored(string db) => StoredPayloads.Of(db).OfType<string>().ToList();

    public void Dispose() => _dir.Dispose();
}
