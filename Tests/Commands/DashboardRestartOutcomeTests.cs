using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Tests.Commands;

/// <summary>
/// After a dashboard crash the command in flight has an unknown outcome: it is never sent again, and its agent has the
/// reconnect window to come back and report it by command id; otherwise it ends interrupted.
/// </summary>
public sealed class DashboardRestartOutcomeTests
{
    private static int Runs(SimAgent a, string op) => a.Received.Count(i => i.Kind == AgentInstruction.RunCommand && i.Command == op);

    private static async Task<(CommandHarness H, CommandRecord Switch, CommandRecord Queued)> CrashMidSwitchAsync()
    {
        var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var sw = await h.SubmitAsync("hsb0", "switch");
        var queued = await h.SubmitAsync("hsb0", "test", queue: true);
        await agent.WaitReceivedAsync(i => i.Command == "switch");
        await agent.OutputAsync(sw.Id, [(1, "building the system configuration...")]);
        await h.RestartAsync();
        return (h, sw, queued);
    }

    [Fact]
    public async Task A_switch_that_finished_while_the_dashboard_was_down_takes_the_outcome_the_agent_reports_by_id()
    {
        var (h, sw, queued) = await CrashMidSwitchAsync();
        await using var _ = h;
        Assert.Equal(CommandPhase.Running, (await h.Host("hsb0").GetCommandAsync(sw.Id))!.Phase);

        // What the agent replays after reconnecting, in order: the rest of the output, status, complete, then a heartbeat.
        var back = new SimAgent(h, "hsb0", extensions: true);
        await back.RegisterAsync();
        await back.OutputAsync(sw.Id, [(1, "building the system configuration..."), (2, "activating the configuration...")]);
        await back.StatusAsync(sw.Id, "switch", "ok", 0);
        await back.CompleteAsync(sw.Id, "switch", 0, SimAgent.Compartments());
        await back.HeartbeatAsync(pending: null);

        var ok = await h.WaitPhaseAsync("hsb0", sw.Id, CommandPhase.Succeeded);
        Assert.Contains("after the dashboard restarted", ok.Message);
        Assert.Equal(0, ok.ExitCode);
        Assert.Equal([1L, 2L], (await h.Log.ReadAsync(sw.Id, 0, 100)).Select(l => l.Seq));
        var run = await back.WaitReceivedAsync(i => i.Command == "test");
        Assert.Equal(queued.Id, run.CommandId);
        Assert.Equal(0, Runs(back, "switch"));
    }

    [Fact]
    public async Task A_failure_the_agent_reports_after_the_restart_is_taken_as_well()
    {
        var (h, sw, _) = await CrashMidSwitchAsync();
        await using var _h = h;
        var back = new SimAgent(h, "hsb0", extensions: true);
        await back.RegisterAsync();
        await back.StatusAsync(sw.Id, "switch", "error", 1, message: "switch failed with exit code 1");
        await back.HeartbeatAsync(pending: null);

        var failed = await h.WaitPhaseAsync("hsb0", sw.Id, CommandPhase.Failed);
        Assert.Equal(1, failed.ExitCode);
        Assert.Equal(0, Runs(back, "switch"));
    }

    [Fact]
    public async Task A_switch_still_running_after_the_restart_is_followed_to_its_reported_end()
    {
        var (h, sw, queued) = await CrashMidSwitchAsync();
        await using var _ = h;
        var back = new SimAgent(h, "hsb0", extensions: true);
        await back.RegisterAsync();
        await back.HeartbeatAsync(pending: "switch");
        h.Clock.Advance(TimeSpan.FromMinutes(5)); // longer than the window: the agent is here, so it does not apply
        await Task.Delay(200);
        Assert.Equal(CommandPhase.Running, (await h.Host("hsb0").GetCommandAsync(sw.Id))!.Phase);
        Assert.Equal(CommandPhase.Queued, (await h.Host("hsb0").GetCommandAsync(queued.Id))!.Phase);

        await back.StatusAsync(sw.Id, "switch", "ok", 0);
        await back.HeartbeatAsync(pending: null);
        await h.WaitPhaseAsync("hsb0", sw.Id, CommandPhase.Succeeded);
        await back.WaitReceivedAsync(i => i.Command == "test");
        Assert.Equal(0, Runs(back, "switch"));
    }

    [Fact]
    public async Task An_agent_not_back_within_the_window_leaves_it_interrupted_and_a_late_report_changes_nothing()
    {
        var (h, sw, queued) = await CrashMidSwitchAsync();
        await using var _ = h;
        // The window counts from the host's reactivation after the restart (here: this read).
        Assert.Equal(CommandPhase.Running, (await h.Host("hsb0").GetCommandAsync(sw.Id))!.Phase);
        h.Clock.Advance(TimeSpan.FromSeconds(89));
        await Task.Delay(200);
        Assert.Equal(CommandPhase.Running, (await h.Host("hsb0").GetCommandAsync(sw.Id))!.Phase);
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var lost = await h.WaitPhaseAsync("hsb0", sw.Id, CommandPhase.Interrupted);
        Assert.Contains("restarted", lost.Message);
        Assert.Contains("90 s", lost.Message);

        var late = new SimAgent(h, "hsb0", extensions: true);
        await late.RegisterAsync();
        await late.StatusAsync(sw.Id, "switch", "ok", 0);
        await late.HeartbeatAsync(pending: null);
        var run = await late.WaitReceivedAsync(i => i.Command == "test");
        Assert.Equal(queued.Id, run.CommandId);
        Assert.Equal(CommandPhase.Interrupted, (await h.Host("hsb0").GetCommandAsync(sw.Id))!.Phase);
        Assert.Equal(0, Runs(late, "switch"));
    }

    [Fact]
    public async Task A_go_agent_back_after_the_restart_cannot_report_by_id_so_the_command_is_interrupted()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0", extensions: false);
        var update = await h.SubmitAsync("hsb0", "update");
        await agent.WaitReceivedAsync(i => i.Command == "update");
        await h.RestartAsync();

        var back = new SimAgent(h, "hsb0", extensions: false);
        await back.RegisterAsync();
        await back.HeartbeatAsync(pending: null);
        var lost = await h.WaitPhaseAsync("hsb0", update.Id, CommandPhase.Interrupted);
        Assert.Contains("without reporting it", lost.Message);
        Assert.Equal(0, Runs(back, "update"));
    }
}
