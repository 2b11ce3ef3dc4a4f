using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Tests.Commands;

/// <summary>One command per host, the rest in a bounded FIFO queue; pre-validation codes.</summary>
public sealed class CommandQueueTests
{
    private static bool IsRun(AgentInstruction i, string op) => i.Kind == AgentInstruction.RunCommand && i.Command == op;

    [Fact]
    public async Task Queued_commands_run_one_at_a_time_in_the_order_they_were_asked()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");

        var first = await h.SubmitAsync("hsb0", "test");
        var second = await h.SubmitAsync("hsb0", "update", queue: true);
        var third = await h.SubmitAsync("hsb0", "refresh-all", queue: true);
        Assert.Equal(CommandPhase.Dispatched, first.Phase);
        Assert.Equal(CommandPhase.Queued, second.Phase);
        var run1 = await agent.WaitReceivedAsync(i => IsRun(i, "test"));
        Assert.Equal(first.Id, run1.CommandId);
        Assert.DoesNotContain(agent.Received, i => IsRun(i, "update"));

        await agent.StatusAsync(first.Id, "test", "ok", 0);
        var run2 = await agent.WaitReceivedAsync(i => IsRun(i, "update"));
        Assert.Equal(second.Id, run2.CommandId);
        Assert.DoesNotContain(agent.Received, i => IsRun(i, "refresh-all"));
        await agent.StatusAsync(second.Id, "update", "error", 1, message: "flake update failed");
        await agent.WaitReceivedAsync(i => IsRun(i, "refresh-all"));
        await agent.StatusAsync(third.Id, "refresh-all", "ok", 0);

        Assert.Equal(["test", "update", "refresh-all"], agent.Received.Where(i => i.Kind == AgentInstruction.RunCommand).Select(i => i.Command));
        var page = await h.Host("hsb0").GetCommandsAsync(0, 10);
        Assert.Equal(3, page.Total);
        Assert.Equal([third.Id, second.Id, first.Id], page.Items.Select(c => c.Id));
        Assert.Equal([CommandPhase.Succeeded, CommandPhase.Failed, CommandPhase.Succeeded], page.Items.Select(c => c.Phase));
        var done = page.Items[2];
        Assert.True(done.QueuedAt <= done.DispatchedAt && done.DispatchedAt <= done.StartedAt && done.StartedAt <= done.EndedAt);
        Assert.Equal("alice", done.RequestedBy);
        Assert.Contains("flake update failed", page.Items[1].Message);
    }

    [Fact]
    public async Task Requests_are_refused_with_a_code_and_a_message()
    {
        await using var h = await CommandHarness.StartAsync(new CommandOptions { QueueLimit = 2, TickPeriod = TimeSpan.FromMilliseconds(50) });
        var agent = await h.ConnectAsync("hsb0");
        var host = h.Host("hsb0");

        async Task<string?> Code(CommandRequest r)
        {
            var result = await host.SubmitCommandAsync(r);
            Assert.False(result.Accepted);
            Assert.False(string.IsNullOrWhiteSpace(result.Message));
            return result.Code;
        }

        Assert.Equal(RefusalCodes.UnknownCommand, await Code(new("rm -rf /", "alice")));
        Assert.Equal(RefusalCodes.UnknownCommand, await Code(new("PULL", "alice")));
        Assert.Equal(RefusalCodes.InvalidArgs, await Code(new("pull", "alice", new Dictionary<string, string> { ["branch"] = "main" })));
        Assert.Equal(RefusalCodes.UnknownHost, await h.Host("never-seen").SubmitCommandAsync(new("pull", "alice")).ContinueWith(t => t.Result.Code));

        var running = await h.SubmitAsync("hsb0", "test");
        Assert.Equal(RefusalCodes.Busy, await Code(new("update", "alice")));
        await h.SubmitAsync("hsb0", "update", queue: true);
        await h.SubmitAsync("hsb0", "rollback", queue: true);
        Assert.Equal(RefusalCodes.QueueFull, await Code(new("refresh-lock", "alice", Queue: true)));

        await agent.DisconnectAsync();
        Assert.Equal(RefusalCodes.HostOffline, await Code(new("refresh-lock", "alice")));
        Assert.Equal(CommandPhase.Dispatched, (await host.GetCommandAsync(running.Id))!.Phase); // nothing refused touched it
        Assert.Equal(3, (await host.GetCommandsAsync(0, 50)).Total);
    }

    [Fact]
    public async Task Force_sends_despite_a_command_believed_in_flight_which_becomes_interrupted()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var stale = await h.SubmitAsync("hsb0", "test");
        var forced = await h.SubmitAsync("hsb0", "update", force: true);

        Assert.Equal(CommandPhase.Dispatched, forced.Phase);
        await agent.WaitReceivedAsync(i => IsRun(i, "update"));
        var old = await h.Host("hsb0").GetCommandAsync(stale.Id);
        Assert.Equal(CommandPhase.Interrupted, old!.Phase);
        Assert.Contains(forced.Id, old.Message);
    }

    [Fact]
    public async Task A_command_for_an_offline_host_waits_and_is_delivered_when_the_agent_returns()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        await agent.DisconnectAsync();

        var queued = await h.SubmitAsync("hsb0", "pull", queue: true);
        Assert.Equal(CommandPhase.Queued, queued.Phase);
        Assert.Equal(h.Clock.GetUtcNow() + TimeSpan.FromHours(1), queued.ExpiresAt);

        await agent.RegisterAsync();
        var run = await agent.WaitReceivedAsync(i => IsRun(i, "pull"));
        Assert.Equal(queued.Id, run.CommandId);
        Assert.Equal(CommandPhase.Dispatched, (await h.Host("hsb0").GetCommandAsync(queued.Id))!.Phase);
    }

    [Fact]
    public async Task A_queued_command_expires_when_the_host_stays_away_and_is_never_sent()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        await agent.DisconnectAsync();
        var queued = await h.SubmitAsync("hsb0", "switch", queue: true);

        h.Clock.Advance(TimeSpan.FromMinutes(59));
        await Task.Delay(300);
        Assert.Equal(CommandPhase.Queued, (await h.Host("hsb0").GetCommandAsync(queued.Id))!.Phase);

        h.Clock.Advance(TimeSpan.FromMinutes(2));
        var expired = await h.WaitPhaseAsync("hsb0", queued.Id, CommandPhase.Expired);
        Assert.NotNull(expired.EndedAt);

        await agent.RegisterAsync();
        await Task.Delay(300);
        Assert.DoesNotContain(agent.Received, i => i.Kind == AgentInstruction.RunCommand);
    }

    [Fact]
    public async Task Cancel_removes_a_queued_command_and_refuses_a_running_one()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var running = await h.SubmitAsync("hsb0", "test");
        var waiting = await h.SubmitAsync("hsb0", "update", queue: true);

        var notQueued = await h.Host("hsb0").CancelCommandAsync(running.Id, "alice");
        Assert.Equal(RefusalCodes.NotQueued, notQueued.Code);
        var cancelled = await h.Host("hsb0").CancelCommandAsync(waiting.Id, "alice");
        Assert.True(cancelled.Done);
        Assert.Equal(CommandPhase.Cancelled, cancelled.Command!.Phase);
        Assert.Equal(RefusalCodes.UnknownCommandId, (await h.Host("hsb0").CancelCommandAsync("nope", "alice")).Code);

        await agent.StatusAsync(running.Id, "test", "ok", 0);
        await h.WaitPhaseAsync("hsb0", running.Id, CommandPhase.Succeeded);
        await Task.Delay(200);
        Assert.DoesNotContain(agent.Received, i => IsRun(i, "update"));
    }

    [Fact]
    public void The_grains_allow_list_is_the_protocols()
    {
        Assert.Equal(NixFleet.Protocol.AgentCommands.All, CommandOps.All);
        Assert.Equal(NixFleet.Protocol.AgentCommands.Interrupting, CommandOps.Interrupting);
    }
}
