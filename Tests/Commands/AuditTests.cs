using NixFleet.Grains.Interfaces.Rollouts;

namespace NixFleet.Tests.Commands;

public sealed class AuditTests
{
    [Fact]
    public async Task Dispatch_stop_cancel_and_rollout_actions_reach_the_audit_sink_with_their_actor()
    {
        await using var h = await CommandHarness.StartAsync();
        await h.ConnectAsync("hsb0");
        await h.ConnectAsync("web1");
        var test = await h.SubmitAsync("hsb0", "test");
        var queued = await h.SubmitAsync("hsb0", "update", queue: true);
        await h.Host("hsb0").CancelCommandAsync(queued.Id, "bob");
        await h.Host("hsb0").StopCommandAsync(test.Id, "carol");
        var rollout = h.Client.GetGrain<IRolloutGrain>("ra");
        await rollout.StartAsync(new RolloutSpec("refresh-all", ["web1"], "dave"));
        await rollout.PauseAsync("erin");
        await rollout.CancelAsync("erin");

        var events = h.Audit.Events.ToList();
        Assert.Contains(events, e => e is { Action: "command.dispatch", Actor: "alice", Host: "hsb0" } && e.CommandId == test.Id);
        Assert.Contains(events, e => e is { Action: "command.cancel", Actor: "bob" } && e.CommandId == queued.Id);
        Assert.Contains(events, e => e is { Action: "command.stop", Actor: "carol" } && e.CommandId == test.Id);
        Assert.Contains(events, e => e is { Action: "rollout.start", Actor: "dave", RolloutId: "ra" });
        Assert.Contains(events, e => e is { Action: "command.dispatch", Host: "web1" } && e.Actor.Contains("dave") && e.Actor.Contains("ra"));
        Assert.Contains(events, e => e is { Action: "rollout.pause", Actor: "erin" });
        Assert.Contains(events, e => e is { Action: "rollout.cancel", Actor: "erin" });
    }
}
