using NixFleet.Tests.Support;
using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;

namespace NixFleet.Tests.Commands;

/// <summary>
/// The node's output hub: one stream subscription per command shared by every reader, each reader bounded, a
/// reader that falls behind cut off and caught up from the store without gap or duplicate.
/// </summary>
public sealed class OutputHubTests
{
    [Fact]
    public async Task Many_readers_share_one_subscription_and_each_gets_every_line_in_order()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var test = await h.SubmitAsync("hsb0", "test");
        var hub = h.Hub();
        var follower = h.Follower(hub);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await agent.OutputAsync(test.Id, Enumerable.Range(1, 40).Select(i => ((long?)i, $"early {i}")));

        const int Readers = 12;
        var seen = Enumerable.Range(0, Readers).Select(_ => new List<long>()).ToArray();
        var readers = seen.Select(list => Task.Run(async () =>
        {
            await foreach (var line in follower.FollowAsync("hsb0", test.Id, 0, cts.Token)) list.Add(line.Seq);
        })).ToList();
        await Eventually.TrueAsync(() => hub.ReaderCount(test.Id) == Readers, "every reader joined");
        Assert.Equal(1, hub.FeedCount);

        for (var b = 0; b < 40; b++)
            await agent.OutputAsync(test.Id, Enumerable.Range(41 + b * 25, 25).Select(i => ((long?)i, $"live {i}")));
        await agent.StatusAsync(test.Id, "test", "ok", 0);
        await Task.WhenAll(readers);

        foreach (var list in seen) Assert.Equal(Enumerable.Range(1, 1040).Select(i => (long)i), list);
        Assert.Equal(0, hub.Overflows);
        await Eventually.TrueAsync(() => hub.FeedCount == 0, "the subscription ended"); // the last reader gone, the subscription goes too
    }

    [Fact]
    public async Task A_reader_that_falls_behind_is_cut_off_without_slowing_the_others_and_still_gets_every_line()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var test = await h.SubmitAsync("hsb0", "test");
        var hub = h.Hub(readerBacklog: 100);
        var follower = h.Follower(hub);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await agent.OutputAsync(test.Id, Enumerable.Range(1, 50).Select(i => ((long?)i, $"first {i}")));

        // The slow reader takes its first chunk, then stops reading while the command prints 2,000 more lines.
        var slow = follower.FollowChunksAsync("hsb0", test.Id, 0, cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await slow.MoveNextAsync());
        var slowSeen = slow.Current.Select(l => l.Seq).ToList();
        var fastSeen = new System.Collections.Concurrent.ConcurrentQueue<long>();
        var fast = Task.Run(async () =>
        {
            await foreach (var line in follower.FollowAsync("hsb0", test.Id, 0, cts.Token)) fastSeen.Enqueue(line.Seq);
        });
        await Eventually.TrueAsync(() => hub.ReaderCount(test.Id) == 2, "both readers joined");

        // Paced by the fast reader, so only the slow one can fall behind, whatever the machine's load.
        for (var b = 0; b < 40; b++)
        {
            await agent.OutputAsync(test.Id, Enumerable.Range(51 + b * 50, 50).Select(i => ((long?)i, $"burst {i}")));
            var upTo = 100 + b * 50;
            await Eventually.TrueAsync(() => fastSeen.Count == upTo, $"the fast reader has {upTo} lines");
        }
        await Eventually.TrueAsync(() => hub.Overflows == 1, "the slow reader was cut off");
        Assert.Equal(1, hub.ReaderCount(test.Id)); // the slow one no longer holds lines; the fast one still follows

        for (var b = 0; b < 10; b++)
            await agent.OutputAsync(test.Id, Enumerable.Range(2051 + b * 5, 5).Select(i => ((long?)i, $"tail {i}")));
        await agent.StatusAsync(test.Id, "test", "ok", 0);
        await fast;
        Assert.Equal(Enumerable.Range(1, 2100).Select(i => (long)i), fastSeen.ToList());

        while (await slow.MoveNextAsync()) slowSeen.AddRange(slow.Current.Select(l => l.Seq));
        await slow.DisposeAsync();
        Assert.Equal(Enumerable.Range(1, 2100).Select(i => (long)i), slowSeen);
        Assert.Equal(1, hub.Overflows);
    }

    [Fact]
    public async Task A_reader_that_leaves_early_ends_its_share_and_the_subscription_with_the_last_one()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var test = await h.SubmitAsync("hsb0", "test");
        var hub = h.Hub();
        using (var first = await hub.JoinAsync(test.Id))
        using (var second = await hub.JoinAsync(test.Id))
        {
            Assert.Equal(1, hub.FeedCount);
            await agent.OutputAsync(test.Id, [(1, "one")]);
            var got = await first.TakeAsync(CancellationToken.None);
            Assert.Equal([1L], got!.SelectMany(b => b.Lines).Select(l => l.Seq));
            second.Dispose();
            Assert.Equal(1, hub.ReaderCount(test.Id));
        }
        Assert.Equal(0, hub.FeedCount);
        // Joining again subscribes again and hears what is published from then on.
        using var again = await hub.JoinAsync(test.Id);
        await agent.OutputAsync(test.Id, [(2, "two")]);
        var next = await again.TakeAsync(CancellationToken.None);
        Assert.Equal([2L], next!.SelectMany(b => b.Lines).Select(l => l.Seq));
    }
}
