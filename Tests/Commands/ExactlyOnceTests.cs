using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Tests.Commands;

/// <summary>A command reaches the agent once: reconnects and restarts never send it again.</summary>
public sealed class ExactlyOnceTests
{
    private static int Runs(SimAgent a, string op) => a.Received.Count(i => i.Kind == AgentInstruction.RunCommand && i.Command == op);

    [Fact]
    public async Task A_reconnect_during_a_command_never_resends_it_and_the_agents_heartbeat_keeps_it_running()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var test = await h.SubmitAsync("hsb0", "test");
        var next = await h.SubmitAsync("hsb0", "update", queue: true);
        await agent.WaitReceivedAsync(i => i.Command == "test");
        await agent.OutputAsync(test.Id, [(1, "running tests/01-boot.sh")]);
        var firstConnection = agent.Recorder;

        await agent.DisconnectAsync();
        await agent.RegisterAsync();          // a new socket, as after a network blip
        await agent.HeartbeatAsync(pending: "test");
        await Task.Delay(300);
        Assert.Equal(0, Runs(agent, "test"));  // not re-sent on the new connection
        Assert.Equal(1, firstConnection.Sent.Count(i => i.Command == "test"));
        Assert.Equal(CommandPhase.Running, (await h.Host("hsb0").GetCommandAsync(test.Id))!.Phase);
        Assert.Equal(0, Runs(agent, "update")); // the queue waits for the command in flight

        await agent.StatusAsync(test.Id, "test", "ok", 0);
        await h.WaitPhaseAsync("hsb0", test.Id, CommandPhase.Succeeded);
        var run = await agent.WaitReceivedAsync(i => i.Command == "update");
        Assert.Equal(next.Id, run.CommandId);
    }

    [Fact]
    public async Task An_agent_that_comes_back_without_the_command_makes_it_interrupted_not_rerun()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var update = await h.SubmitAsync("hsb0", "update");
        var next = await h.SubmitAsync("hsb0", "refresh-all", queue: true);
        await agent.WaitReceivedAsync(i => i.Command == "update");

        await agent.DisconnectAsync();
        await agent.RegisterAsync();
        await agent.HeartbeatAsync(pending: null);

        var lost = await h.WaitPhaseAsync("hsb0", update.Id, CommandPhase.Interrupted);
        Assert.Contains("not re-run", lost.Message);
        await agent.WaitReceivedAsync(i => i.Command == "refresh-all");
        Assert.Equal(0, Runs(agent, "update"));
        Assert.Equal(CommandPhase.Dispatched, (await h.Host("hsb0").GetCommandAsync(next.Id))!.Phase);
    }

    [Fact]
    public async Task A_dashboard_crash_mid_command_is_never_sent_again_and_an_agent_back_without_it_makes_it_interrupted()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var sw = await h.SubmitAsync("hsb0", "switch");
        var queued = await h.SubmitAsync("hsb0", "test", queue: true);
        await agent.WaitReceivedAsync(i => i.Command == "switch");
        await agent.OutputAsync(sw.Id, [(1, "building the system configuration...")]);

        await h.RestartAsync();

        // Outcome unknown: it waits for its agent, and the queue waits behind it.
        Assert.Equal(CommandPhase.Running, (await h.Host("hsb0").GetCommandAsync(sw.Id))!.Phase);
        Assert.Equal(CommandPhase.Queued, (await h.Host("hsb0").GetCommandAsync(queued.Id))!.Phase);

        var back = new SimAgent(h, "hsb0", extensions: true);
        await back.RegisterAsync();
        await back.HeartbeatAsync(pending: null, compartments: SimAgent.Compartments(system: "ok", at: h.Clock.GetUtcNow()));
        var after = await h.WaitPhaseAsync("hsb0", sw.Id, CommandPhase.Interrupted);
        Assert.Contains("restarted", after.Message);
        Assert.Contains("not re-run", after.Message);
        var run = await back.WaitReceivedAsync(i => i.Command == "test");
        Assert.Equal(queued.Id, run.CommandId);
        Assert.Equal(0, Runs(back, "switch"));
    }

    [Fact]
    public async Task Go_agent_output_and_status_without_ids_belong_to_the_running_command()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("gaming-pc", extensions: false);
        var test = await h.SubmitAsync("gaming-pc", "test");

        var run = await agent.WaitReceivedAsync(i => i.Command == "test");
        Assert.Null(run.CommandId); // no extension fields for an agent that did not list them
        Assert.Null(run.Args);
        await agent.OutputAsync(null, [(null, "one"), (null, "two")]);
        await agent.OutputAsync(null, [(null, "three")], "stderr");
        await agent.StatusAsync(null, "test", "ok", 0);

        var done = await h.WaitPhaseAsync("gaming-pc", test.Id, CommandPhase.Succeeded);
        Assert.Equal(3, done.LastSeq);
        var lines = await h.Log.ReadAsync(test.Id, 0, 100);
        Assert.Equal(["one", "two", "three"], lines.Select(l => l.Text));
        Assert.Equal([1L, 2, 3], lines.Select(l => l.Seq));
        Assert.Equal("stderr", lines[2].Stream);
        Assert.DoesNotContain(agent.Received, i => i.Kind == AgentInstruction.Ack); // the Go agent must never get ack
    }

    [Fact]
    public async Task A_rejected_command_fails_with_the_agents_reason()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var pull = await h.SubmitAsync("hsb0", "pull");
        await agent.WaitReceivedAsync(i => i.Command == "pull");
        await agent.Grain.CommandRejectedAsync(agent.ConnectionId, new CommandRejection(pull.Id, "command already running", "switch", 4242));
        var failed = await h.WaitPhaseAsync("hsb0", pull.Id, CommandPhase.Failed);
        Assert.Contains("command already running", failed.Message);
        Assert.Contains("4242", failed.Message);
    }
}
