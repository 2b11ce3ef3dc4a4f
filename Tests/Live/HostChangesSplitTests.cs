using NixFleet.Grains.Interfaces.Fleet;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Tests.Live;

/// <summary>Large batches of host changes go out as several stream events; nothing is lost or sent twice.</summary>
public sealed class HostChangesSplitTests
{
    private static HostSummary Summary(int i) => new($"h{i}", "nixos", "", "", "", true, null, null, null, null, StatusCompartments.Unknown, null);

    [Fact]
    public void A_batch_within_the_size_is_itself()
    {
        var changes = new HostChanges([Summary(1), Summary(2)], ["gone"]);
        Assert.Same(changes, Assert.Single(changes.Split(2)));
    }

    [Fact]
    public void A_large_batch_is_split_in_order_with_removals_in_the_first_part_only()
    {
        var changes = new HostChanges(Enumerable.Range(0, 125).Select(Summary).ToList(), ["gone-1", "gone-2"]);

        var parts = changes.Split(50).ToList();

        Assert.Equal([50, 50, 25], parts.Select(p => p.Updated.Count));
        Assert.Equal(changes.Updated, parts.SelectMany(p => p.Updated));
        Assert.Equal(["gone-1", "gone-2"], parts[0].Removed);
        Assert.All(parts.Skip(1), p => Assert.Empty(p.Removed));
    }

    [Fact]
    public void A_size_below_one_is_refused()
    {
        var changes = new HostChanges([Summary(1)], []);
        Assert.Throws<ArgumentOutOfRangeException>(() => changes.Split(0).ToList());
    }
}
