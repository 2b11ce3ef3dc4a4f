using System.Text.Json;
using NixFleet.Grains.Fleet;
using NixFleet.Grains.Interfaces.Fleet;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Silo.Storage;
using NixFleet.Tests.Support;
using Orleans.TestingHost;

namespace NixFleet.Tests.Foundation;

/// <summary>The fleet index is stored by page: small rows, every host found again after a restart, old one-row indexes moved.</summary>
public sealed class FleetIndexPagesTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static HostSummary Summary(string name, bool online = true) => new(name, "nixos", "home", "server", "#3b82f6", online,
        DateTimeOffset.Parse("2026-12-07T10:00:00Z"), "0123456789abcdef0123456789abcdef01234567", "2.4.1",
        new HostMetrics(12.5, 48.25, 3.5, 0.75),
        new StatusCompartments(new Compartment("ok", "clean, up to date with origin/main", DateTimeOffset.Parse("2026-12-07T09:59:00Z")),
            new Compartment("outdated", "flake.lock is 12 days older than origin", DateTimeOffset.Parse("2026-12-07T09:59:00Z")),
            new Compartment("ok", "running generation matches the repository", DateTimeOffset.Parse("2026-12-07T09:59:00Z")),
            new Compartment("unknown", null, null)),
        "switch");

    [Fact]
    public void A_host_falls_on_the_same_page_in_every_process()
    {
        // Pinned: a page saved by one process must be the one the next process saves that host to, or a deleted
        // host would come back from its old page.
        Assert.Equal([14, 121, 21, 44], new[] { "hsb0", "gpc0", "imac0", "a" }.Select(FleetIndexPages.Of));
        foreach (var name in new[] { "", "x", new string('z', 63), "ünïcödé", "\0\uffff" })
            Assert.InRange(FleetIndexPages.Of(name), 0, FleetIndexPages.Count - 1);
    }

    [Fact]
    public void At_10000_hosts_every_page_stays_off_the_large_object_heap()
    {
        var pages = Enumerable.Range(0, 10_000).Select(i => Summary($"host-{i:00000}"))
            .GroupBy(s => FleetIndexPages.Of(s.Hostname)).ToList();
        Assert.Equal(FleetIndexPages.Count, pages.Count); // spread over all of them
        var largest = pages.Max(p => JsonSerializer.SerializeToUtf8Bytes(new FleetIndexPage { Hosts = [.. p] }, JsonGrainStateSerializer.Options).Length);
        Assert.InRange(largest, 1, 85_000 - 1);
    }

    [Fact]
    public async Task Hosts_are_saved_by_page_and_listed_offline_after_a_restart_and_a_removed_host_stays_removed()
    {
        var db = _dir.File("nixfleet.db");
        var first = await SqliteCluster.StartAsync(db);
        await first.Client.GetGrain<IFleetIndexGrain>(IFleetIndexGrain.Key)
            .ApplyAsync(new HostChanges([.. Enumerable.Range(0, 300).Select(i => Summary($"h{i:000}"))], []));
        await first.Client.GetGrain<IFleetIndexGrain>(IFleetIndexGrain.Key).RemoveAsync("h007");
        await first.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero); // saves the rest
        await Stop(first);

        var rows = PageRows(db);
        Assert.InRange(rows.Count, 2, FleetIndexPages.Count);
        Assert.Equal(299, rows.Sum(r => JsonDocument.Parse(r).RootElement.GetProperty("hosts").GetArrayLength()));

        var second = await SqliteCluster.StartAsync(db);
        try
        {
            var hosts = await second.Client.GetGrain<IFleetIndexGrain>(IFleetIndexGrain.Key).ListAsync();
            Assert.Equal(299, hosts.Count);
            Assert.DoesNotContain(hosts, h => h.Hostname == "h007");
            Assert.All(hosts, h => Assert.False(h.Online));
            Assert.Equal(Summary("h123", online: false), hosts.Single(h => h.Hostname == "h123"));
        }
        finally
        {
            await Stop(second);
        }
    }

    [Fact]
    public async Task An_index_saved_as_one_row_is_moved_into_pages_and_the_row_dropped()
    {
        var db = _dir.File("nixfleet.db");
        var cluster = await SqliteCluster.StartAsync(db);
        try
        {
            var whole = new FleetIndexState();
            foreach (var name in new[] { "old-a", "old-b" }) whole.Hosts[name] = Summary(name);
            await cluster.GrainStorage().WriteStateAsync("fleet", GrainId.Create("fleetindex", IFleetIndexGrain.Key), new GrainState<FleetIndexState>(whole));

            var hosts = await cluster.Client.GetGrain<IFleetIndexGrain>(IFleetIndexGrain.Key).ListAsync();
            Assert.Equal([("old-a", false), ("old-b", false)], hosts.Select(h => (h.Hostname, h.Online)));
            Assert.Equal(2, PageRows(db).Sum(r => JsonDocument.Parse(r).RootElement.GetProperty("hosts").GetArrayLength()));
            Assert.Null(StoredPayloads.Of(db, "fleet").SingleOrDefault());
        }
        finally
        {
            await Stop(cluster);
        }
    }

    private static List<string> PageRows(string db) => StoredPayloads.Of(db, "fleet-page").OfType<string>().ToList();

    private static async Task Stop(TestCluster cluster)
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();
}
