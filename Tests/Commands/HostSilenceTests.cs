using NixFleet.Grains.Hosts;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Commands;

/// <summary>
/// The silo's silence watch: the fallback for a socket whose gateway vanished without closing it (the gateway's
/// sweeper covers the usual case). Heartbeat interval 5 s, so silence means 15 s.
/// </summary>
public sealed class HostSilenceTests
{
    [Fact]
    public async Task A_host_silent_for_three_intervals_goes_offline_and_its_connection_is_closed()
    {
        await using var h = await CommandHarness.StartAsync(silenceOnClock: true);
        var agent = await h.ConnectAsync("hsb0");
        Assert.True((await h.Host("hsb0").GetAsync()).Online);

        h.Clock.Advance(TimeSpan.FromSeconds(16));
        await Eventually.TrueAsync(async () => !(await h.Host("hsb0").GetAsync()).Online, "host offline after 15 s of silence");
        await Eventually.TrueAsync(() => !agent.Recorder.Closed.IsEmpty, "the connection told to close"); // sent without waiting
        var (code, reason) = Assert.Single(agent.Recorder.Closed);
        Assert.Equal(1001, code);
        Assert.Contains("15 s", reason);
    }

    [Fact]
    public async Task Heartbeats_keep_a_host_online_and_a_replaced_connection_is_not_watched()
    {
        await using var h = await CommandHarness.StartAsync(silenceOnClock: true);
        var agent = await h.ConnectAsync("hsb0");
        for (var i = 0; i < 4; i++)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(10));
            Assert.True(await agent.HeartbeatAsync(null));
        }
        await Task.Delay(300); // the watch ran at every 5 s step of the clock
        Assert.True((await h.Host("hsb0").GetAsync()).Online);
        Assert.Empty(agent.Recorder.Closed);

        // The silence of a connection the grain no longer uses changes nothing.
        await h.Host("hsb0").SilentAsync("some-old-connection");
        Assert.True((await h.Host("hsb0").GetAsync()).Online);
    }

    [Fact]
    public async Task A_host_that_went_offline_is_no_longer_watched()
    {
        await using var h = await CommandHarness.StartAsync(silenceOnClock: true);
        var agent = await h.ConnectAsync("hsb0");
        var watch = h.SiloService<HostSilenceWatch>();
        Assert.Equal(1, watch.Count);
        await agent.DisconnectAsync();
        Assert.Equal(0, watch.Count);
        h.Clock.Advance(TimeSpan.FromSeconds(16));
        await Task.Delay(300);
        Assert.Empty(agent.Recorder.Closed);
    }
}
