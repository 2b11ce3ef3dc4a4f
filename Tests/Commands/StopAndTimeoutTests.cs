using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;
using Orleans.Streams;

namespace NixFleet.Tests.Commands;

/// <summary>Stop, warning and hard limit, driven by the fake clock.</summary>
public sealed class StopAndTimeoutTests
{
    [Fact]
    public async Task Stop_sends_sigterm_and_the_command_ends_stopped_when_the_agent_reports_it()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var test = await h.SubmitAsync("hsb0", "test");
        await agent.WaitReceivedAsync(i => i.Command == "test");

        var result = await h.Host("hsb0").StopCommandAsync(test.Id, "alice");
        Assert.True(result.Done);
        var kill = await agent.WaitReceivedAsync(i => i.Kind == AgentInstruction.Kill);
        Assert.Equal("SIGTERM", kill.Signal);
        Assert.Equal(0, kill.Pid);

        await agent.StatusAsync(test.Id, "test", "stopped", 130);
        var stopped = await h.WaitPhaseAsync("hsb0", test.Id, CommandPhase.Stopped);
        Assert.Equal(130, stopped.ExitCode);
        Assert.Equal(RefusalCodes.NotRunning, (await h.Host("hsb0").StopCommandAsync(test.Id, "alice")).Code);
    }

    [Fact]
    public async Task A_stop_the_agent_ignores_escalates_to_the_agents_stop_then_sigkill()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var update = await h.SubmitAsync("hsb0", "update");
        await agent.WaitReceivedAsync(i => i.Command == "update");
        await h.Host("hsb0").StopCommandAsync(update.Id, "alice");
        await agent.WaitReceivedAsync(i => i.Signal == "SIGTERM");

        h.Clock.Advance(h.Options.StopStep);
        await agent.WaitReceivedAsync(i => i.Kind == AgentInstruction.RunCommand && i.Command == "stop");
        h.Clock.Advance(h.Options.StopStep);
        await agent.WaitReceivedAsync(i => i.Signal == "SIGKILL");
        await agent.StatusAsync(update.Id, "update", "stopped", 130);
        await h.WaitPhaseAsync("hsb0", update.Id, CommandPhase.Stopped);
    }

    [Fact]
    public async Task Warning_is_published_then_the_hard_limit_stops_the_command_and_it_ends_timed_out()
    {
        await using var h = await CommandHarness.StartAsync();
        var events = new System.Collections.Concurrent.ConcurrentQueue<CommandEvent>();
        var stream = h.Client.GetStreamProvider(CommandStreams.Provider).GetStream<CommandEvent>(StreamId.Create(CommandStreams.Events, "hsb0"));
        var sub = await stream.SubscribeAsync((e, _) => { events.Enqueue(e); return Task.CompletedTask; });
        var agent = await h.ConnectAsync("hsb0");
        var pull = await h.SubmitAsync("hsb0", "pull");
        await agent.WaitReceivedAsync(i => i.Command == "pull");

        h.Clock.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(300);
        Assert.Null((await h.Host("hsb0").GetCommandAsync(pull.Id))!.WarnedAt);

        h.Clock.Advance(TimeSpan.FromMinutes(1.5)); // 2.5 min: past the 2 min warning
        await Until(() => events.Any(e => e.Kind == CommandEvent.Warning && e.Command.Id == pull.Id));
        Assert.NotNull((await h.Host("hsb0").GetCommandAsync(pull.Id))!.WarnedAt);
        Assert.DoesNotContain(agent.Received, i => i.Kind == AgentInstruction.Kill);

        h.Clock.Advance(TimeSpan.FromMinutes(3)); // 5.5 min: past the 5 min limit
        await agent.WaitReceivedAsync(i => i.Signal == "SIGTERM");
        await agent.StatusAsync(pull.Id, "pull", "stopped", 130);
        var ended = await h.WaitPhaseAsync("hsb0", pull.Id, CommandPhase.TimedOut);
        Assert.Contains("hard", ended.Message);
        await Until(() => events.Any(e => e.Kind == CommandEvent.State && e.Command.Phase == CommandPhase.TimedOut));
        Assert.Equal([CommandPhase.Queued, CommandPhase.Dispatched, CommandPhase.TimedOut],
            events.Where(e => e.Kind == CommandEvent.State && e.Command.Id == pull.Id).Select(e => e.Command.Phase).Distinct());
        await sub.UnsubscribeAsync();
    }

    [Fact]
    public async Task A_command_whose_agent_never_answers_the_stop_still_ends_timed_out()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var test = await h.SubmitAsync("hsb0", "test");
        await agent.WaitReceivedAsync(i => i.Command == "test");
        h.Clock.Advance(TimeSpan.FromMinutes(10.5));
        await agent.WaitReceivedAsync(i => i.Signal == "SIGTERM");
        for (var i = 0; i < 5; i++)
        {
            h.Clock.Advance(h.Options.StopStep);
            await Task.Delay(150);
        }
        var ended = await h.WaitPhaseAsync("hsb0", test.Id, CommandPhase.TimedOut);
        Assert.Contains("did not confirm", ended.Message);
        Assert.Contains(agent.Received, i => i.Signal == "SIGKILL");
    }

    [Fact]
    public async Task The_stop_command_stops_what_runs_and_is_not_queued_behind_it()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var sw = await h.SubmitAsync("hsb0", "switch");
        var stop = await h.SubmitAsync("hsb0", "stop");
        Assert.Equal(CommandPhase.Succeeded, stop.Phase);
        await agent.WaitReceivedAsync(i => i.Command == "stop");
        await agent.StatusAsync(null, "switch", "stopped", 130);
        await h.WaitPhaseAsync("hsb0", sw.Id, CommandPhase.Stopped);
    }

    private static async Task Until(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new Xunit.Sdk.XunitException("condition not met within 10 s");
            await Task.Delay(20);
        }
    }
}
