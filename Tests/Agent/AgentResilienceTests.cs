using NixFleet.Protocol;
using NixFleet.Tests.Agent.Support;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Agent;

/// <summary>No lost output and no lost outcome: dashboard restarts, agent restarts mid-switch, a full replay buffer.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentResilienceTests : IDisposable
{
    private readonly AgentWorld _world = new();

    private string Gate => Path.Combine(_world.Root, "gate");

    private static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(what);
            await Task.Delay(50);
        }
    }

    private bool StepFinished() =>
        Directory.Exists(Path.Combine(_world.StateDir, "commands"))
        && Directory.EnumerateFiles(Path.Combine(_world.StateDir, "commands"), "*.exit").Any();

    [Fact]
    public async Task Dashboard_restarted_mid_command_gets_the_output_complete_in_order_once()
    {
        var dash1 = await FakeDashboard.StartAsync(port: FreePort.ForRestart());
        dash1.AutoAck = false;
        var port = dash1.Port;
        await using var agent = AgentProcess.Start(_world.Env(dash1, new() { ["FAKE_SWITCH_LINES"] = "150", ["FAKE_LINE_DELAY"] = "0.02" }));
        await dash1.WaitForTypeAsync(MessageTypes.Heartbeat);

        await dash1.CommandAsync("switch", "c-sw");
        await WaitUntilAsync(() => dash1.OutputOf("c-sw").Count >= 30, "30 lines before the restart");
        await dash1.AckAsync("c-sw", 20);     // the dashboard stored 1..20
        await Task.Delay(1000);
        var before = dash1.OutputOf("c-sw");
        await dash1.DisposeAsync();           // dashboard gone mid-command

        await using var dash2 = await FakeDashboard.StartAsync(port: port);
        var status = (await dash2.WaitForStatusAsync("c-sw")).As(ProtocolJsonContext.Default.StatusPayload);
        Assert.Equal("ok", status.Status);
        var after = dash2.OutputOf("c-sw");

        // What was acknowledged is not sent again; what was not is, from seq 21 on.
        Assert.DoesNotContain(after, o => o.Seq <= 20);
        Assert.Equal(21, after.Min(o => o.Seq));

        // After the dashboard's dedupe by (command_id, seq): every line once, in order.
        var stored = before.Concat(after).GroupBy(o => o.Seq!.Value).OrderBy(g => g.Key).ToList();
        Assert.All(stored, g => Assert.Single(g.Select(o => (o.Line, o.Stream)).Distinct()));
        var lines = stored.Select(g => g.First()).ToList();
        Assert.Equal(Enumerable.Range(1, lines.Count).Select(i => (long)i), lines.Select(o => o.Seq!.Value));
        Assert.Equal(Enumerable.Range(1, 150).Where(i => i % 5 != 0).Select(i => $"rebuild line {i}"),
            lines.Where(o => o.Stream == "stdout" && o.Line!.StartsWith("rebuild")).Select(o => o.Line));
        Assert.Equal(Enumerable.Range(1, 150).Where(i => i % 5 == 0).Select(i => $"rebuild line {i}"),
            lines.Where(o => o.Stream == "stderr").Select(o => o.Line));
    }

    [Fact]
    public async Task After_a_reconnect_the_replayed_output_and_the_end_of_a_command_come_before_the_first_heartbeat()
    {
        var dash1 = await FakeDashboard.StartAsync(port: FreePort.ForRestart());
        dash1.AutoAck = false;
        var port = dash1.Port;
        await using var agent = AgentProcess.Start(_world.Env(dash1, new() { ["FAKE_SWITCH_LINES"] = "20", ["FAKE_SWITCH_GATE"] = Gate }));
        await dash1.WaitForTypeAsync(MessageTypes.Heartbeat);
        await dash1.CommandAsync("switch", "c-order");
        await dash1.WaitForAsync(f => f.Type == MessageTypes.Output && f.Str("line") == "waiting for gate");
        await dash1.DisposeAsync();
        await File.WriteAllTextAsync(Gate, "");
        await WaitUntilAsync(StepFinished, "the switch to finish while disconnected");

        // A dashboard must hear how the command ended before a heartbeat tells it that nothing runs.
        await using var dash2 = await FakeDashboard.StartAsync(port: port);
        await dash2.WaitForStatusAsync("c-order");
        await dash2.WaitForTypeAsync(MessageTypes.Heartbeat);
        var frames = dash2.Frames.ToList();
        var firstBeat = frames.FindIndex(f => f.Type == MessageTypes.Heartbeat);
        var status = frames.FindIndex(f => f.Type == MessageTypes.Status && f.Str("command_id") == "c-order");
        var complete = frames.FindIndex(f => f.Type == MessageTypes.CommandComplete && f.Str("command_id") == "c-order");
        var lastOutput = frames.FindLastIndex(f => f.Type == MessageTypes.Output);
        Assert.True(status < firstBeat && complete < firstBeat && lastOutput < firstBeat,
            string.Join('\n', frames.Select(f => f.Type + " " + f.Payload)));
        Assert.Null(frames[firstBeat].Str("pending_command"));
    }

    [Fact]
    public async Task Switch_that_ends_while_the_agent_is_down_is_reported_after_restart_with_its_command_id()
    {
        await using var dash = await FakeDashboard.StartAsync();
        var env = _world.Env(dash, new() { ["FAKE_SWITCH_LINES"] = "10", ["FAKE_SWITCH_GATE"] = Gate });
        var first = AgentProcess.Start(env);
        await dash.WaitForTypeAsync(MessageTypes.Heartbeat);
        await dash.CommandAsync("switch", "c-survive");
        await dash.WaitForAsync(f => f.Type == MessageTypes.Output && f.Str("line") == "waiting for gate");

        await first.KillAgentOnlyAsync();     // as launchd / a replaced binary would
        await first.DisposeAsync();
        await File.WriteAllTextAsync(Gate, "");
        await WaitUntilAsync(StepFinished, "the switch to finish without the agent");

        await using var second = AgentProcess.Start(env);
        var status = await dash.WaitForStatusAsync("c-survive");
        Assert.True(status.Connection >= 2);
        // Recovered before connecting: no heartbeat of the new agent says "nothing runs" before this status.
        var frames = dash.Frames.ToList();
        Assert.DoesNotContain(frames.Take(frames.FindIndex(f => ReferenceEquals(f, status))),
            f => f.Connection >= 2 && f.Type == MessageTypes.Heartbeat && f.Str("pending_command") is null);
        Assert.Equal("ok", status.Str("status"));
        Assert.Equal("switch", status.Str("command"));
        var lines = dash.OutputOf("c-survive").Where(o => o.Line!.StartsWith("rebuild")).GroupBy(o => o.Seq).Select(g => g.First().Line).ToList();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"rebuild line {i}"), lines.OrderBy(l => int.Parse(l!.Split(' ')[2])));
        Assert.Equal(10, lines.Count);
        var complete = await dash.WaitForAsync(f => f.Type == MessageTypes.CommandComplete && f.Str("command_id") == "c-survive");
        Assert.Equal("ok", complete.As(ProtocolJsonContext.Default.CommandCompletePayload).FreshStatus!.System!.Status);
        Assert.False(File.Exists(Path.Combine(_world.StateDir, "inflight.json")));
    }

    [Fact]
    public async Task Switch_still_running_after_an_agent_restart_is_followed_to_its_end()
    {
        await using var dash = await FakeDashboard.StartAsync();
        var env = _world.Env(dash, new() { ["FAKE_SWITCH_LINES"] = "6", ["FAKE_SWITCH_GATE"] = Gate });
        var first = AgentProcess.Start(env);
        await dash.WaitForTypeAsync(MessageTypes.Heartbeat);
        await dash.CommandAsync("switch", "c-follow");
        await dash.WaitForAsync(f => f.Type == MessageTypes.Output && f.Str("line") == "waiting for gate");
        await first.KillAgentOnlyAsync();
        await first.DisposeAsync();

        await using var second = AgentProcess.Start(env);
        // The very first heartbeat after the restart already names the command, so the dashboard keeps it.
        var beat = await dash.WaitForAsync(f => f.Type == MessageTypes.Heartbeat && f.Connection >= 2);
        Assert.Equal("switch", beat.Str("pending_command"));
        beat = await dash.WaitForAsync(f => f.Type == MessageTypes.Heartbeat && f.Connection >= 2 && f.Payload.TryGetProperty("command_pid", out _));
        Assert.Equal("switch", beat.Str("pending_command"));
        Assert.NotNull(beat.As(ProtocolJsonContext.Default.HeartbeatPayload).CommandPid);
        await File.WriteAllTextAsync(Gate, "");
        var status = await dash.WaitForStatusAsync("c-follow");
        Assert.Equal("ok", status.Str("status"));
        Assert.Contains(dash.OutputOf("c-follow"), o => o.Line == "rebuild line 6" && o.Seq is not null);
    }

    [Fact]
    public async Task Full_replay_buffer_drops_the_oldest_lines_and_says_how_many()
    {
        var dash1 = await FakeDashboard.StartAsync(port: FreePort.ForRestart());
        dash1.AutoAck = false;
        var port = dash1.Port;
        var env = _world.Env(dash1, new() { ["FAKE_SWITCH_LINES"] = "300", ["FAKE_SWITCH_GATE"] = Gate, ["NIXFLEET_OUTPUT_BUFFER"] = "100" });
        await using var agent = AgentProcess.Start(env);
        await dash1.WaitForTypeAsync(MessageTypes.Heartbeat);
        await dash1.CommandAsync("switch", "c-big");
        await dash1.WaitForAsync(f => f.Type == MessageTypes.Output && f.Str("line") == "waiting for gate");
        var before = dash1.OutputOf("c-big");
        await dash1.DisposeAsync();
        await File.WriteAllTextAsync(Gate, "");
        await WaitUntilAsync(StepFinished, "the switch to finish while disconnected");

        await using var dash2 = await FakeDashboard.StartAsync(port: port);
        dash2.AutoAck = false;
        await dash2.WaitForStatusAsync("c-big");
        var after = dash2.OutputOf("c-big");
        var notice = Assert.Single(after, o => o.Line!.Contains("output lines dropped"));
        Assert.True(notice.IsError);
        var dropped = int.Parse(notice.Line!.Split(' ')[1]);
        var lines = after.Where(o => o != notice).ToList();
        Assert.Equal(100, lines.Count);                       // the bound
        var total = lines.Max(o => o.Seq!.Value);              // 302: "$ …", "waiting for gate", 300 lines
        Assert.Equal(302, total);
        Assert.Equal(Enumerable.Range((int)total - 99, 100).Select(i => (long)i), lines.Select(o => o.Seq!.Value)); // the newest, in order
        var missing = Enumerable.Range(1, (int)total).Count(i => !before.Concat(lines).Any(o => o.Seq == i));
        Assert.InRange(dropped, missing, (int)total - 100);
        Assert.True(missing > 0);
    }

    [Fact]
    public async Task A_recorded_pid_that_is_not_our_step_is_never_waited_on_or_signalled()
    {
        // After a reboot the recorded PID may be anyone's: here, an unrelated process.
        using var stranger = System.Diagnostics.Process.Start("sleep", "120");
        Directory.CreateDirectory(Path.Combine(_world.StateDir, "commands"));
        var outFile = Path.Combine(_world.StateDir, "commands", "old.out");
        await File.WriteAllTextAsync(outFile, "o $ sudo nixos-rebuild switch\no rebuild line 1\n");
        await File.WriteAllTextAsync(Path.Combine(_world.StateDir, "inflight.json"), $$"""
            {"command_id":"c-stale","command":"switch","file_id":"old","step_pid":{{stranger.Id}},
             "output_file":"{{outFile}}","exit_file":"{{outFile}}.1.exit","last_step":true,"started_at":"2026-11-01T00:00:00Z"}
            """);
        await using var dash = await FakeDashboard.StartAsync();
        await using var agent = AgentProcess.Start(_world.Env(dash));
        var status = (await dash.WaitForStatusAsync("c-stale")).As(ProtocolJsonContext.Default.StatusPayload);
        Assert.Equal("error", status.Status);
        Assert.Equal(["$ sudo nixos-rebuild switch", "rebuild line 1"], dash.OutputOf("c-stale").Select(o => o.Line));
        await dash.CommandAsync("stop", "c-stop");
        await dash.WaitForStatusAsync("c-stop");
        Assert.False(stranger.HasExited);
        stranger.Kill();
    }

    public void Dispose() => _world.Dispose();
}
