using NixFleet.Grains.Fleet;
using NixFleet.Grains.Interfaces.Fleet;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Live;

/// <summary>The per-silo buffer between host grains and the fleet batcher: what goes out at once, what waits.</summary>
public sealed class FleetChangeBufferTests
{
    private static readonly long Gap = (long)FleetChangeBuffer.MetricsEvery.TotalMilliseconds;

    private static HostSummary Summary(string host, double? cpu, bool online = true, string generation = "abc1234",
        string gitStatus = "ok", DateTimeOffset? checkedAt = null) =>
        new(host, "nixos", "home", "server", "#7aa2f7", online, DateTimeOffset.UnixEpoch.AddSeconds(cpu ?? 0), generation, "2.4.0",
            cpu is { } c ? new HostMetrics(c, 40, 0, 0.5) : null,
            new StatusCompartments(new Compartment(gitStatus, null, checkedAt ?? DateTimeOffset.UnixEpoch), Compartment.Unknown,
                Compartment.Unknown, Compartment.Unknown),
            null);

    [Fact]
    public void Only_the_first_put_after_a_batch_asks_to_wake_the_batcher()
    {
        var buffer = new FleetChangeBuffer();
        Assert.True(buffer.Put(Summary("a", 1)));
        Assert.False(buffer.Put(Summary("b", 1)));
        Assert.Equal(["a", "b"], buffer.Take(1000)!.Updated.Select(s => s.Hostname).Order());
        Assert.True(buffer.Put(Summary("a", 2)));
    }

    [Fact]
    public void A_change_of_metrics_alone_waits_and_the_newest_goes_out_after_the_gap()
    {
        var buffer = new FleetChangeBuffer();
        buffer.Put(Summary("a", null));
        Assert.Single(buffer.Take(1000)!.Updated);

        buffer.Put(Summary("a", 5)); // metrics appear: shown at once
        Assert.Equal(5, buffer.Take(1100)!.Updated.Single().Metrics!.Cpu);

        buffer.Put(Summary("a", 6, checkedAt: DateTimeOffset.UnixEpoch.AddMinutes(1))); // only metrics, last seen, check time
        Assert.Null(buffer.Take(1200));
        buffer.Put(Summary("a", 7));
        Assert.Null(buffer.Take(1100 + Gap - 1));
        Assert.Equal(7, buffer.Take(1100 + Gap)!.Updated.Single().Metrics!.Cpu);
        Assert.Null(buffer.Take(1100 + Gap + 1)); // nothing left behind
    }

    [Theory]
    [InlineData("offline")]
    [InlineData("generation")]
    [InlineData("status")]
    public void A_change_the_page_must_show_goes_with_the_next_batch(string what)
    {
        var buffer = new FleetChangeBuffer();
        buffer.Put(Summary("a", 5));
        buffer.Take(1000);
        buffer.Put(what switch
        {
            "offline" => Summary("a", 6, online: false),
            "generation" => Summary("a", 6, generation: "def5678"),
            _ => Summary("a", 6, gitStatus: "outdated"),
        });
        Assert.Single(buffer.Take(1001)!.Updated);
    }

    [Fact]
    public void A_removal_goes_out_at_once_and_replaces_a_waiting_change()
    {
        var buffer = new FleetChangeBuffer();
        buffer.Put(Summary("a", 5));
        buffer.Take(1000);
        buffer.Put(Summary("a", 6));
        buffer.Remove("a");
        var changes = buffer.Take(1001)!;
        Assert.Empty(changes.Updated);
        Assert.Equal(["a"], changes.Removed);
        // a host of that name coming back is new again: shown at once
        buffer.Put(Summary("a", 7));
        Assert.Single(buffer.Take(1002)!.Updated);
    }
}
