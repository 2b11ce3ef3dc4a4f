using NixFleet.Protocol;
using NixFleet.Tests.Agent.Support;

namespace NixFleet.Tests.Agent;

/// <summary>Commands run by the real agent: real git, fake nixos-rebuild/nix/sudo scripts, real process groups.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentCommandTests : IDisposable
{
    private readonly AgentWorld _world = new();

    private async Task<(FakeDashboard, AgentProcess)> StartAsync(Dictionary<string, string?>? env = null)
    {
        var dash = await FakeDashboard.StartAsync();
        var agent = AgentProcess.Start(_world.Env(dash, env));
        await dash.WaitForTypeAsync(MessageTypes.Heartbeat);
        return (dash, agent);
    }

    [Fact]
    public async Task Pull_moves_the_generation_to_the_new_remote_head()
    {
        var (dash, agent) = await StartAsync();
        await using var _ = dash;
        await using var __ = agent;
        var head = _world.Commit("new config", new() { ["hosts/testhost/configuration.nix"] = "{ }" });

        await dash.CommandAsync("pull", "c-pull");
        var status = (await dash.WaitForStatusAsync("c-pull")).As(ProtocolJsonContext.Default.StatusPayload);
        Assert.True(status.Status == "ok", status.Message + "\n" + string.Join('\n', dash.OutputOf("c-pull").Select(o => o.Line)));
        Assert.Equal(0, status.ExitCode);
        Assert.Equal(head, status.Generation);
        Assert.Equal("pull", status.Command);
        Assert.Equal(head, AgentWorld.Git(_world.RepoDir, "rev-parse", "--short=7", "HEAD"));

        var complete = (await dash.WaitForAsync(f => f.Type == MessageTypes.CommandComplete && f.Str("command_id") == "c-pull"))
            .As(ProtocolJsonContext.Default.CommandCompletePayload);
        Assert.Equal(0, complete.ExitCode);
        Assert.Equal("ok", complete.FreshStatus!.Git!.Status);
        var seqs = dash.OutputOf("c-pull").Select(o => o.Seq!.Value).ToList();
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        await dash.WaitForAsync(f => f.Type == MessageTypes.Heartbeat && f.Str("generation") == head);
    }

    [Fact]
    public async Task Switch_streams_the_rebuild_output_in_order_and_reports_success()
    {
        var (dash, agent) = await StartAsync(new() { ["FAKE_SWITCH_LINES"] = "12" });
        await using var _ = dash;
        await using var __ = agent;

        await dash.CommandAsync("switch", "c-switch");
        var status = (await dash.WaitForStatusAsync("c-switch")).As(ProtocolJsonContext.Default.StatusPayload);
        Assert.Equal("ok", status.Status);
        Assert.Equal(0, status.ExitCode);

        var lines = dash.OutputOf("c-switch");
        Assert.Equal($"$ sudo nixos-rebuild switch --flake {_world.RepoDir}#testhost", lines[0].Line);
        var rebuild = lines.Skip(1).ToList();
        // Each stream keeps its order; how the two pipes interleave is up to the kernel.
        Assert.Equal(Enumerable.Range(1, 12).Where(i => i % 5 != 0).Select(i => $"rebuild line {i}"), rebuild.Where(l => l.Stream == "stdout").Select(l => l.Line));
        Assert.Equal(["rebuild line 5", "rebuild line 10"], rebuild.Where(l => l.Stream == "stderr").Select(l => l.Line));
        Assert.All(rebuild, l => Assert.Equal(l.Stream == "stderr", l.IsError));
        Assert.All(lines, l => Assert.Equal("switch", l.Command));
        Assert.Equal(Enumerable.Range(1, lines.Count).Select(i => (long)i), lines.Select(l => l.Seq!.Value));
        Assert.Contains($"sudo nixos-rebuild switch --flake {_world.RepoDir}#testhost", await File.ReadAllTextAsync(_world.FakeLog));

        var complete = (await dash.WaitForAsync(f => f.Type == MessageTypes.CommandComplete && f.Str("command_id") == "c-switch"))
            .As(ProtocolJsonContext.Default.CommandCompletePayload);
        Assert.Equal("ok", complete.FreshStatus!.System!.Status);
    }

    [Fact]
    public async Task Failed_switch_reports_its_exit_code()
    {
        var (dash, agent) = await StartAsync(new() { ["FAKE_SWITCH_EXIT"] = "4" });
        await using var _ = dash;
        await using var __ = agent;
        await dash.CommandAsync("switch", "c-bad");
        var status = (await dash.WaitForStatusAsync("c-bad")).As(ProtocolJsonContext.Default.StatusPayload);
        Assert.Equal("error", status.Status);
        Assert.Equal(4, status.ExitCode);
    }

    [Fact]
    public async Task Test_runs_the_host_scripts_in_order_with_progress_and_names_the_failures()
    {
        _world.Commit("tests", new()
        {
            ["hosts/testhost/tests/01-boot.sh"] = "#!/bin/sh\necho boot ok\n",
            ["hosts/testhost/tests/02-disk.sh"] = "#!/bin/sh\necho disk full >&2\nexit 3\n",
            ["hosts/testhost/tests/03-net.sh"] = "#!/bin/sh\necho net ok\n",
            ["hosts/testhost/tests/04-notes.sh"] = "not executable, not a test\n",
        }, "hosts/testhost/tests/01-boot.sh", "hosts/testhost/tests/02-disk.sh", "hosts/testhost/tests/03-net.sh");
        AgentWorld.Git(_world.RepoDir, "pull", "--quiet");
        var (dash, agent) = await StartAsync();
        await using var _ = dash;
        await using var __ = agent;

        await dash.CommandAsync("test", "c-test");
        var status = (await dash.WaitForStatusAsync("c-test")).As(ProtocolJsonContext.Default.StatusPayload);
        Assert.Equal("error", status.Status);
        Assert.Contains("2/3 passed", status.Message);
        Assert.Contains("02-disk.sh", status.Message);
        Assert.DoesNotContain("01-boot.sh", status.Message);

        var progress = dash.Frames.Where(f => f.Type == MessageTypes.TestProgress).Select(f => f.As(ProtocolJsonContext.Default.TestProgressPayload)).ToList();
        Assert.Equal(["01-boot.sh", "02-disk.sh", "03-net.sh"], progress.Where(p => p.Result is not null).Select(p => p.Running));
        Assert.Equal(["pass", "fail", "pass"], progress.Where(p => p.Result is not null).Select(p => p.Result));
        Assert.All(progress, p => Assert.Equal(3, p.Total));
        Assert.Equal(2, progress.Last().Passed);

        var lines = dash.OutputOf("c-test").Select(o => o.Line).ToList();
        Assert.Contains("boot ok", lines);
        Assert.Contains("disk full", lines);
        Assert.Contains("FAIL 02-disk.sh (exit 3)", lines);
        var complete = (await dash.WaitForAsync(f => f.Type == MessageTypes.CommandComplete && f.Str("command_id") == "c-test"))
            .As(ProtocolJsonContext.Default.CommandCompletePayload);
        Assert.Equal("error", complete.FreshStatus!.Tests!.Status);
        Assert.Contains("02-disk.sh", complete.FreshStatus.Tests.Message);
    }

    [Fact]
    public async Task Stop_kills_the_whole_process_group_and_reports_stopped_130()
    {
        var (dash, agent) = await StartAsync(new() { ["FAKE_NIX_HANG"] = "1" });
        await using var _ = dash;
        await using var __ = agent;

        await dash.CommandAsync("update", "c-long");
        await dash.WaitForAsync(f => f.Type == MessageTypes.Output && f.Str("command_id") == "c-long" && f.Str("line")!.StartsWith("main "));
        var pids = dash.OutputOf("c-long").Select(o => o.Line!).Where(l => l.StartsWith("child ") || l.StartsWith("main "))
            .Select(l => int.Parse(l.Split(' ')[1])).ToList();
        Assert.Equal(3, pids.Count);
        Assert.All(pids, pid => Assert.True(Alive(pid), $"pid {pid} should run"));

        // Busy: another command is refused, naming what runs.
        await dash.CommandAsync("pull", "c-refused");
        var rejected = (await dash.WaitForAsync(f => f.Type == MessageTypes.CommandRejected && f.Str("command_id") == "c-refused"))
            .As(ProtocolJsonContext.Default.CommandRejectedPayload);
        Assert.Equal("update", rejected.CurrentCommand);
        // A heartbeat made before the step had started names the command without a pid; wait for one with it.
        var beat = await dash.WaitForAsync(f => f.Type == MessageTypes.Heartbeat && f.Str("pending_command") == "update"
            && f.Payload.TryGetProperty("command_pid", out var p) && p.ValueKind == System.Text.Json.JsonValueKind.Number);
        var groupPid = beat.As(ProtocolJsonContext.Default.HeartbeatPayload).CommandPid!.Value;
        Assert.Equal(groupPid, rejected.CurrentPid);

        await dash.CommandAsync("stop", "c-stop");
        var status = (await dash.WaitForStatusAsync("c-long")).As(ProtocolJsonContext.Default.StatusPayload);
        Assert.Equal("stopped", status.Status);
        Assert.Equal(130, status.ExitCode);
        Assert.Equal("update", status.Command);
        // One helper ignores TERM: only the KILL after the grace period ends it. No member of the group survives.
        Assert.All(pids.Append(groupPid), pid => Assert.False(Alive(pid), $"pid {pid} survived the stop"));
        Assert.DoesNotContain(Directory.EnumerateDirectories("/proc"), d => int.TryParse(Path.GetFileName(d), out var p) && GroupOf(p) == groupPid && Alive(p));

        await dash.CommandAsync("pull", "c-after");
        Assert.Equal("ok", (await dash.WaitForStatusAsync("c-after")).Str("status"));
    }

    [Fact]
    public async Task Stop_with_nothing_running_says_so()
    {
        var (dash, agent) = await StartAsync();
        await using var _ = dash;
        await using var __ = agent;
        await dash.CommandAsync("stop", "c-stop");
        var status = (await dash.WaitForStatusAsync("c-stop")).As(ProtocolJsonContext.Default.StatusPayload);
        Assert.Equal("ok", status.Status);
        Assert.Equal("no command running", status.Message);
    }

    [Fact]
    public async Task Unknown_command_and_hostile_kill_are_refused()
    {
        var (dash, agent) = await StartAsync(new() { ["FAKE_NIX_HANG"] = "1" });
        await using var _ = dash;
        await using var __ = agent;
        await dash.CommandAsync("rm -rf /", "c-evil");
        var rejected = (await dash.WaitForAsync(f => f.Type == MessageTypes.CommandRejected && f.Str("command_id") == "c-evil"))
            .As(ProtocolJsonContext.Default.CommandRejectedPayload);
        Assert.Contains("unknown command", rejected.Reason);

        using var bystander = System.Diagnostics.Process.Start("sleep", "60");
        await dash.CommandAsync("update", "c-long");
        await dash.WaitForAsync(f => f.Type == MessageTypes.Output && f.Str("command_id") == "c-long" && f.Str("line")!.StartsWith("main "));
        await dash.SendAsync(MessageTypes.KillCommand, new KillCommandPayload("SIGKILL", bystander.Id), ProtocolJsonContext.Default.KillCommandPayload);
        await dash.SendAsync("no_such_type", new AckPayload("x", 1), ProtocolJsonContext.Default.AckPayload);
        await dash.SendRawAsync("{not json");
        await dash.SendRawAsync("[1,2,3]");
        await dash.SendRawAsync("{\"type\":\"command\",\"payload\":{\"command\":42}}");
        await dash.SendRawAsync("{\"type\":\"kill_command\",\"payload\":\"SIGKILL\"}");
        await Task.Delay(500);
        Assert.False(bystander.HasExited);

        await dash.SendAsync(MessageTypes.KillCommand, new KillCommandPayload("SIGKILL", 0), ProtocolJsonContext.Default.KillCommandPayload);
        var status = (await dash.WaitForStatusAsync("c-long")).As(ProtocolJsonContext.Default.StatusPayload);
        Assert.Equal("stopped", status.Status);
        bystander.Kill();
        Assert.Contains(agent.Output, l => l.Contains("malformed frame"));
        Assert.Equal(1, dash.Connections); // bad input is ignored, not fatal
    }

    [Fact]
    public async Task Reboot_reports_then_runs_sudo_reboot_after_a_short_delay()
    {
        var (dash, agent) = await StartAsync();
        await using var _ = dash;
        await using var __ = agent;
        await dash.CommandAsync("reboot", "c-reboot");
        var status = (await dash.WaitForStatusAsync("c-reboot")).As(ProtocolJsonContext.Default.StatusPayload);
        Assert.Equal("ok", status.Status);
        Assert.DoesNotContain("reboot", File.Exists(_world.FakeLog) ? await File.ReadAllTextAsync(_world.FakeLog) : "");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !(File.Exists(_world.FakeLog) && (await File.ReadAllTextAsync(_world.FakeLog)).Contains("sudo reboot")))
            await Task.Delay(100);
        Assert.Contains("sudo reboot", await File.ReadAllTextAsync(_world.FakeLog));
    }

    [Fact]
    public async Task Long_lines_are_cut_to_a_size_the_dashboard_accepts()
    {
        _world.Commit("tests", new() { ["hosts/testhost/tests/long.sh"] = "#!/bin/sh\nhead -c 3000000 /dev/zero | tr '\\0' x\necho\necho after\n" },
            "hosts/testhost/tests/long.sh");
        AgentWorld.Git(_world.RepoDir, "pull", "--quiet");
        var (dash, agent) = await StartAsync();
        await using var _ = dash;
        await using var __ = agent;
        await dash.CommandAsync("test", "c-long-line");
        Assert.Equal("ok", (await dash.WaitForStatusAsync("c-long-line")).Str("status"));
        var lines = dash.OutputOf("c-long-line");
        var cut = Assert.Single(lines, l => l.Line!.StartsWith("xxxx"));
        Assert.InRange(cut.Line!.Length, 16 * 1024, 17 * 1024);
        Assert.Contains("more characters cut", cut.Line);
        Assert.Contains(lines, l => l.Line == "after");
    }

    internal static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException) { return false; }
    }

    private static int GroupOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[2]);
        }
        catch (Exception ex) when (ex is IOException or FormatException) { return -1; }
    }

    public void Dispose() => _world.Dispose();
}
