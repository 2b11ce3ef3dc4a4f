using NixFleet.Tests.Support;
using NixFleet.Grains.Hosts;

namespace NixFleet.Tests.Commands;

/// <summary>Routine heartbeats are written at most once a minute, spread by a random delay of up to 30 s.</summary>
public sealed class HostPersistTests
{
    [Fact]
    public async Task A_host_with_nothing_new_is_written_between_60_and_90_s_after_its_last_write()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var version = StoredVersion(h);
        var writes = new List<TimeSpan>();
        var step = TimeSpan.FromSeconds(5);
        for (var at = step; at <= TimeSpan.FromMinutes(5); at += step)
        {
            h.Clock.Advance(step);
            Assert.True(await agent.HeartbeatAsync(null)); // metrics only: nothing meaningful
            var v = StoredVersion(h);
            if (v == version) continue;
            version = v;
            writes.Add(at);
        }

        Assert.True(writes.Count >= 3, $"writes at {string.Join(", ", writes)}");
        Assert.True(writes[0] <= HostGrain.PersistEvery + step, $"first routine write at {writes[0]}");
        foreach (var (a, b) in writes.Zip(writes.Skip(1)))
            Assert.InRange(b - a, HostGrain.PersistEvery, HostGrain.PersistEvery + HostGrain.PersistJitter + step);
    }

    private static long StoredVersion(CommandHarness h) => StoredHostVersion.Of(h.DbPath, "hsb0");
}
