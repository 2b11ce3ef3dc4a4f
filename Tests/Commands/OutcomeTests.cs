using NixFleet.Grains.Interfaces.Commands;

namespace NixFleet.Tests.Commands;

/// <summary>pull is judged by the git check after it; switch by the agent coming back.</summary>
public sealed class OutcomeTests
{
    [Fact]
    public async Task Pull_with_exit_0_but_an_unchanged_generation_while_the_remote_moved_is_partial()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0", generation: "abc1234");
        var pull = await h.SubmitAsync("hsb0", "pull");
        await agent.WaitReceivedAsync(i => i.Command == "pull");
        await agent.StatusAsync(pull.Id, "pull", "ok", 0, generation: "abc1234");
        Assert.Equal(CommandPhase.Running, (await h.Host("hsb0").GetCommandAsync(pull.Id))!.Phase); // waits for the git check
        await agent.CompleteAsync(pull.Id, "pull", 0, SimAgent.Compartments(git: "outdated"));

        var partial = await h.WaitPhaseAsync("hsb0", pull.Id, CommandPhase.Partial);
        Assert.Equal("abc1234", partial.GenerationBefore);
        Assert.Equal("abc1234", partial.GenerationAfter);
        Assert.Contains("remote moved", partial.Message);
    }

    [Fact]
    public async Task Pull_that_reaches_the_remote_head_succeeds()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0", generation: "abc1234");
        var pull = await h.SubmitAsync("hsb0", "pull");
        await agent.WaitReceivedAsync(i => i.Command == "pull");
        await agent.StatusAsync(pull.Id, "pull", "ok", 0, generation: "def5678");
        await agent.CompleteAsync(pull.Id, "pull", 0, SimAgent.Compartments(git: "ok"));
        var ok = await h.WaitPhaseAsync("hsb0", pull.Id, CommandPhase.Succeeded);
        Assert.Equal("def5678", ok.GenerationAfter);
    }

    [Fact]
    public async Task Pull_without_a_fresh_check_is_decided_after_the_grace_with_the_last_known_git_status()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0", generation: "abc1234", extensions: false);
        var pull = await h.SubmitAsync("hsb0", "pull");
        await agent.WaitReceivedAsync(i => i.Command == "pull");
        await agent.HeartbeatAsync("pull", compartments: SimAgent.Compartments(git: "outdated", at: h.Clock.GetUtcNow().AddMinutes(-10)));
        await agent.StatusAsync(null, "pull", "ok", 0);
        await Task.Delay(200);
        Assert.Equal(CommandPhase.Running, (await h.Host("hsb0").GetCommandAsync(pull.Id))!.Phase);
        h.Clock.Advance(h.Options.OutcomeGrace);
        await h.WaitPhaseAsync("hsb0", pull.Id, CommandPhase.Partial);
    }

    [Fact]
    public async Task Switch_exit_0_then_the_agent_restarting_and_reregistering_is_succeeded()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var sw = await h.SubmitAsync("hsb0", "switch");
        await agent.WaitReceivedAsync(i => i.Command == "switch");
        await agent.StatusAsync(sw.Id, "switch", "ok", 0);
        await agent.DisconnectAsync(); // the new agent binary replaces this one
        h.Clock.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(200);
        Assert.Equal(CommandPhase.Running, (await h.Host("hsb0").GetCommandAsync(sw.Id))!.Phase);

        await agent.RegisterAsync();
        var ok = await h.WaitPhaseAsync("hsb0", sw.Id, CommandPhase.Succeeded);
        Assert.Contains("re-registered", ok.Message);
    }

    [Fact]
    public async Task Switch_exit_0_and_no_agent_within_90_s_is_timed_out()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var sw = await h.SubmitAsync("hsb0", "switch");
        await agent.WaitReceivedAsync(i => i.Command == "switch");
        await agent.StatusAsync(sw.Id, "switch", "ok", 0);
        await agent.DisconnectAsync();
        h.Clock.Advance(TimeSpan.FromSeconds(91));
        var late = await h.WaitPhaseAsync("hsb0", sw.Id, CommandPhase.TimedOut);
        Assert.Contains("90 s", late.Message);
    }

    [Fact]
    public async Task An_agent_dropping_mid_switch_is_judged_when_it_returns()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var sw = await h.SubmitAsync("hsb0", "switch");
        await agent.WaitReceivedAsync(i => i.Command == "switch");
        await agent.OutputAsync(sw.Id, [(1, "activating the configuration...")]);
        await agent.DisconnectAsync();
        h.Clock.Advance(TimeSpan.FromSeconds(80));
        await Task.Delay(200);
        Assert.Equal(CommandPhase.Running, (await h.Host("hsb0").GetCommandAsync(sw.Id))!.Phase); // no verdict while away

        await agent.RegisterAsync();
        await agent.HeartbeatAsync(null, compartments: SimAgent.Compartments(system: "ok", at: h.Clock.GetUtcNow()));
        var ok = await h.WaitPhaseAsync("hsb0", sw.Id, CommandPhase.Succeeded);
        Assert.Contains("system up to date", ok.Message);
        Assert.DoesNotContain(agent.Received, i => i.Command == "switch"); // never re-sent on the new connection
    }

    [Fact]
    public async Task Restart_succeeds_when_the_agent_is_back_and_is_never_resent()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var restart = await h.SubmitAsync("hsb0", "restart");
        await agent.WaitReceivedAsync(i => i.Command == "restart");
        await agent.DisconnectAsync();
        await agent.RegisterAsync();
        await h.WaitPhaseAsync("hsb0", restart.Id, CommandPhase.Succeeded);
        await Task.Delay(200);
        Assert.DoesNotContain(agent.Received, i => i.Command == "restart");
    }
}
