using System.Collections.Concurrent;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Grains.Interfaces.Rollouts;
using Orleans.Streams;

namespace NixFleet.Tests.Commands;

/// <summary>Rollouts: canary, waves, max_failures, pause/resume/cancel, restart.</summary>
public sealed class RolloutTests
{
    private static async Task<Dictionary<string, SimAgent>> FleetAsync(CommandHarness h, int n)
    {
        var agents = new Dictionary<string, SimAgent>();
        for (var i = 0; i < n; i++) agents[$"h{i}"] = await h.ConnectAsync($"h{i}");
        return agents;
    }

    private static async Task<RolloutView> WaitAsync(IRolloutGrain r, Func<RolloutView, bool> until, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        RolloutView? v = null;
        while (DateTime.UtcNow < deadline)
        {
            v = await r.GetAsync();
            if (v is not null && until(v)) return v;
            await Task.Delay(25);
        }
        throw new Xunit.Sdk.XunitException($"rollout is {v?.Status} wave {v?.CurrentWave}: {string.Join(", ", v?.Hosts.Select(x => $"{x.Host}={x.Phase}") ?? [])}");
    }

    /// <summary>The agent of each host finishes the command it got with the given status.</summary>
    private static async Task FinishAsync(IEnumerable<SimAgent> agents, string op, string status = "ok", int exit = 0)
    {
        foreach (var a in agents)
        {
            var run = await a.WaitReceivedAsync(i => i.Command == op);
            await a.StatusAsync(run.CommandId, op, status, exit);
        }
    }

    private static bool Got(SimAgent a, string op) => a.Received.Any(i => i.Command == op);

    [Fact]
    public async Task A_canary_goes_first_then_waves_of_the_batch_size_each_after_the_previous_ended()
    {
        await using var h = await CommandHarness.StartAsync();
        var fleet = await FleetAsync(h, 5);
        var rollout = h.Client.GetGrain<IRolloutGrain>("r1");
        var views = new ConcurrentQueue<RolloutView>();
        var sub = await h.Client.GetStreamProvider(CommandStreams.Provider).GetStream<RolloutView>(StreamId.Create(CommandStreams.Rollouts, "r1"))
            .SubscribeAsync((v, _) => { views.Enqueue(v); return Task.CompletedTask; });

        var started = await rollout.StartAsync(new RolloutSpec("test", ["h0", "h1", "h2", "h3", "h4"], "alice", BatchSize: 2));
        Assert.Equal(3, started.WaveCount);
        Assert.Equal([0, 1, 1, 2, 2], started.Hosts.Select(x => x.Wave));
        await fleet["h0"].WaitReceivedAsync(i => i.Command == "test");
        await Task.Delay(200);
        Assert.False(Got(fleet["h1"], "test"));

        await FinishAsync([fleet["h0"]], "test");
        await FinishAsync([fleet["h1"]], "test");
        await Task.Delay(200);
        Assert.False(Got(fleet["h3"], "test")); // h2 of this wave still runs
        await FinishAsync([fleet["h2"]], "test");
        await FinishAsync([fleet["h3"], fleet["h4"]], "test");

        var done = await WaitAsync(rollout, v => v.Status == RolloutStatus.Completed);
        Assert.All(done.Hosts, x => Assert.Equal("succeeded", x.Phase));
        Assert.Contains("rollout r1", (await h.Host("h3").GetCommandAsync(done.Hosts[3].CommandId!))!.RequestedBy);
        Assert.Equal(["r1"], await h.Client.GetGrain<IRolloutIndexGrain>(IRolloutIndexGrain.Key).ListAsync(0, 10));
        var until = DateTime.UtcNow.AddSeconds(5);
        while (!views.Any(v => v.Status == RolloutStatus.Completed) && DateTime.UtcNow < until) await Task.Delay(20);
        Assert.Contains(views, v => v.Status == RolloutStatus.Completed);
        await sub.UnsubscribeAsync();
    }

    [Fact]
    public async Task A_failing_canary_stops_the_rollout_and_the_rest_is_skipped()
    {
        await using var h = await CommandHarness.StartAsync();
        var fleet = await FleetAsync(h, 3);
        var rollout = h.Client.GetGrain<IRolloutGrain>("r2");
        await rollout.StartAsync(new RolloutSpec("switch", ["h0", "h1", "h2"], "alice", BatchPercent: 100));
        await FinishAsync([fleet["h0"]], "switch", "error", 1);

        var failed = await WaitAsync(rollout, v => v.Status == RolloutStatus.Failed);
        Assert.Equal(["failed", "skipped", "skipped"], failed.Hosts.Select(x => x.Phase));
        Assert.Equal(1, failed.Failures);
        await Task.Delay(200);
        Assert.False(Got(fleet["h1"], "switch"));
    }

    [Fact]
    public async Task Failures_within_max_failures_let_it_go_on_and_offline_hosts_count_as_failures()
    {
        await using var h = await CommandHarness.StartAsync();
        var fleet = await FleetAsync(h, 4);
        await fleet["h3"].DisconnectAsync();
        var rollout = h.Client.GetGrain<IRolloutGrain>("r3");
        await rollout.StartAsync(new RolloutSpec("update", ["h0", "h1", "h2", "h3"], "alice", BatchSize: 3, Canary: false, MaxFailures: 1));
        await FinishAsync([fleet["h0"]], "update", "error", 1);
        await FinishAsync([fleet["h1"], fleet["h2"]], "update");
        var v = await WaitAsync(rollout, x => RolloutStatus.IsEnded(x.Status));
        Assert.Equal(RolloutStatus.Failed, v.Status); // h0 failed, then h3 was offline: 2 > 1
        Assert.Equal(RolloutHost.Refused, v.Hosts[3].Phase);
        Assert.Contains(RefusalCodes.HostOffline, v.Hosts[3].Message);
    }

    [Fact]
    public async Task Pause_holds_the_next_wave_resume_continues_and_cancel_skips_the_rest()
    {
        await using var h = await CommandHarness.StartAsync();
        var fleet = await FleetAsync(h, 3);
        var rollout = h.Client.GetGrain<IRolloutGrain>("r4");
        await rollout.StartAsync(new RolloutSpec("test", ["h0", "h1", "h2"], "alice", BatchSize: 1, Canary: false));
        await fleet["h0"].WaitReceivedAsync(i => i.Command == "test");
        Assert.Equal(RolloutStatus.Paused, (await rollout.PauseAsync("bob"))!.Status);
        await FinishAsync([fleet["h0"]], "test");
        await WaitAsync(rollout, v => v.Hosts[0].Phase == "succeeded");
        await Task.Delay(300);
        Assert.False(Got(fleet["h1"], "test"));

        await rollout.ResumeAsync("bob");
        await FinishAsync([fleet["h1"]], "test");
        await fleet["h2"].WaitReceivedAsync(i => i.Command == "test");
        var cancelled = await rollout.CancelAsync("bob");
        Assert.Equal(RolloutStatus.Cancelled, cancelled!.Status);
        Assert.Equal(["succeeded", "succeeded", "dispatched"], cancelled.Hosts.Select(x => x.Phase));
    }

    [Fact]
    public async Task Waves_wait_the_given_time_between_them()
    {
        await using var h = await CommandHarness.StartAsync();
        var fleet = await FleetAsync(h, 2);
        var rollout = h.Client.GetGrain<IRolloutGrain>("r5");
        await rollout.StartAsync(new RolloutSpec("test", ["h0", "h1"], "alice", WaitBetweenSeconds: 120));
        await FinishAsync([fleet["h0"]], "test");
        await WaitAsync(rollout, v => v.Hosts[0].Phase == "succeeded");
        h.Clock.Advance(TimeSpan.FromSeconds(60));
        await Task.Delay(300);
        Assert.False(Got(fleet["h1"], "test"));
        h.Clock.Advance(TimeSpan.FromSeconds(61));
        await fleet["h1"].WaitReceivedAsync(i => i.Command == "test");
    }

    [Fact]
    public async Task A_bad_rollout_is_refused()
    {
        await using var h = await CommandHarness.StartAsync();
        var rollout = h.Client.GetGrain<IRolloutGrain>("bad");
        await Assert.ThrowsAsync<ArgumentException>(() => rollout.StartAsync(new RolloutSpec("curl evil", ["h0"], "alice")));
        await Assert.ThrowsAsync<ArgumentException>(() => rollout.StartAsync(new RolloutSpec("test", ["h0", "h0"], "alice")));
        await Assert.ThrowsAsync<ArgumentException>(() => rollout.StartAsync(new RolloutSpec("test", ["h0"], "alice", BatchPercent: 150)));
        Assert.Null(await rollout.GetAsync());
    }

    [Fact]
    public async Task After_a_restart_the_rollout_resumes_and_what_was_in_flight_is_interrupted()
    {
        await using var h = await CommandHarness.StartAsync();
        var fleet = await FleetAsync(h, 3);
        var rollout = h.Client.GetGrain<IRolloutGrain>("r6");
        await rollout.StartAsync(new RolloutSpec("test", ["h0", "h1", "h2"], "alice", BatchSize: 2, MaxFailures: 1));
        await fleet["h0"].WaitReceivedAsync(i => i.Command == "test");

        await h.RestartAsync();

        // Nobody calls the rollout: the silo wakes it. The canary's outcome is unknown; its agent does not come back
        // within the reconnect window (counted from the host's reactivation), and the next wave finds hosts offline.
        await h.Host("h0").GetCommandsAsync(0, 1);
        h.Clock.Advance(h.Options.ReconnectWithin + TimeSpan.FromSeconds(1));
        var after = await WaitAsync(h.Client.GetGrain<IRolloutGrain>("r6"), v => RolloutStatus.IsEnded(v.Status));
        Assert.Equal("interrupted", after.Hosts[0].Phase);
        Assert.Equal(RolloutHost.Refused, after.Hosts[1].Phase);
        Assert.Equal(RolloutStatus.Failed, after.Status);
    }
}
