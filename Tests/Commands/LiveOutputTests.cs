using System.Collections.Concurrent;
using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using Orleans.Streams;

namespace NixFleet.Tests.Commands;

/// <summary>Live output over Orleans streams, and the late subscriber that catches up from the store.</summary>
public sealed class LiveOutputTests
{
    [Fact]
    public async Task A_subscriber_from_the_start_gets_every_line_in_order()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var test = await h.SubmitAsync("hsb0", "test");
        var got = new ConcurrentQueue<OutputBatch>();
        var stream = h.Client.GetStreamProvider(CommandStreams.Provider).GetStream<OutputBatch>(StreamId.Create(CommandStreams.Output, test.Id));
        var sub = await stream.SubscribeAsync((b, _) => { got.Enqueue(b); return Task.CompletedTask; });

        for (var batch = 0; batch < 20; batch++)
            await agent.OutputAsync(test.Id, Enumerable.Range(batch * 10 + 1, 10).Select(i => ((long?)i, $"line {i}")));
        await agent.StatusAsync(test.Id, "test", "ok", 0);

        var until = DateTime.UtcNow.AddSeconds(10);
        while (!got.Any(b => b.Final) && DateTime.UtcNow < until) await Task.Delay(20);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), got.SelectMany(b => b.Lines).Select(l => l.Seq));
        Assert.True(got.Last().Final);
        Assert.Equal(21, got.Count); // batches as the agent sent them, not one publish per line
        await sub.UnsubscribeAsync();
    }

    [Fact]
    public async Task A_late_subscriber_gets_the_stored_lines_then_the_live_tail_without_gap_or_duplicate()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var test = await h.SubmitAsync("hsb0", "test");
        await agent.OutputAsync(test.Id, Enumerable.Range(1, 300).Select(i => ((long?)i, $"early {i}")));

        var follower = h.Follower();
        var seen = new List<long>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reading = Task.Run(async () =>
        {
            await foreach (var line in follower.FollowAsync("hsb0", test.Id, 0, cts.Token)) seen.Add(line.Seq);
        });
        // The agent keeps printing while the subscriber catches up, and resends a few lines it thinks were lost.
        for (var batch = 0; batch < 30; batch++)
        {
            var from = 301 + batch * 10;
            await agent.OutputAsync(test.Id, Enumerable.Range(from - 3, 13).Select(i => ((long?)i, $"late {i}")));
        }
        await agent.StatusAsync(test.Id, "test", "ok", 0);
        await reading;

        Assert.Equal(Enumerable.Range(1, 600).Select(i => (long)i), seen);
    }

    [Fact]
    public async Task A_subscriber_after_the_end_gets_the_stored_lines_after_its_seq_and_finishes()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var test = await h.SubmitAsync("hsb0", "test");
        await agent.OutputAsync(test.Id, Enumerable.Range(1, 40).Select(i => ((long?)i, $"l{i}")));
        await agent.StatusAsync(test.Id, "test", "ok", 0);
        await h.WaitPhaseAsync("hsb0", test.Id, CommandPhase.Succeeded);

        var seen = new List<long>();
        await foreach (var line in h.Follower().FollowAsync("hsb0", test.Id, 25))
            seen.Add(line.Seq);
        Assert.Equal(Enumerable.Range(26, 15).Select(i => (long)i), seen);
    }
}
