using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Tests.Agent;
using NixFleet.Tests.Agent.Support;
using NixFleet.Tests.EndToEnd.Support;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.EndToEnd;

/// <summary>Commands submitted to the host grain, run by the real agent; asserted on what the dashboard stored.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentCommandEndToEndTests
{
    private static async Task<EndToEndWorld> StartAsync(Dictionary<string, string?>? env = null, Action<AgentWorld>? prepare = null)
    {
        var e2e = new EndToEndWorld(env);
        prepare?.Invoke(e2e.World);
        await e2e.StartDashboardAsync();
        await e2e.StartAgentAsync();
        return e2e;
    }

    private static void AssertSeqs(IReadOnlyList<StoredOutputLine> lines) =>
        Assert.Equal(Enumerable.Range(1, lines.Count).Select(i => (long)i), lines.Select(l => l.Seq));

    [Fact]
    public async Task Pull_moves_the_generation_to_the_new_remote_head_and_succeeds()
    {
        await using var e2e = await StartAsync();
        var before = (await e2e.Host.GetAsync()).Generation;
        var head = e2e.World.Commit("new config", new() { ["hosts/testhost/configuration.nix"] = "{ }" });
        Assert.NotEqual(before, head);

        var cmd = await e2e.SubmitAsync("pull");
        var done = await e2e.WaitEndedAsync(cmd.Id);
        Assert.True(done.Phase == CommandPhase.Succeeded, $"{done.Phase}: {done.Message}\n{e2e.AgentOutput}");
        Assert.Equal(0, done.ExitCode);
        Assert.Equal(head, done.GenerationAfter);
        Assert.NotNull(done.DispatchedAt);
        Assert.NotNull(done.EndedAt);
        await Eventually.TrueAsync(async () => (await e2e.Host.GetAsync()).Generation == head, "the host's generation is the new head");
        AssertSeqs(await e2e.OutputAsync(cmd.Id));
    }

    [Fact]
    public async Task Pull_whose_remote_moves_on_during_the_pull_is_partial()
    {
        // The remote moves again while the pull runs (here: from the checkout's post-merge hook, which runs
        // inside git pull): the pull exits 0 at the head it fetched, the remote head is already newer.
        await using var e2e = await StartAsync(prepare: w =>
        {
            var hook = Path.Combine(w.RepoDir, ".git", "hooks", "post-merge");
            File.WriteAllText(hook, $"""
                #!/bin/sh
                unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_CEILING_DIRECTORIES
                export GIT_AUTHOR_NAME=t GIT_COMMITTER_NAME=t GIT_AUTHOR_EMAIL=t@nixfleet.invalid GIT_COMMITTER_EMAIL=t@nixfleet.invalid
                git -C '{w.Work}' commit --quiet --allow-empty -m 'pushed during the pull' && git -C '{w.Work}' push --quiet origin HEAD:main
                """.Replace("\r", "") + "\n");
            File.SetUnixFileMode(hook, (UnixFileMode)Convert.ToInt32("755", 8));
        });
        var fetched = e2e.World.Commit("new config", new() { ["hosts/testhost/configuration.nix"] = "{ }" });

        var cmd = await e2e.SubmitAsync("pull");
        var done = await e2e.WaitEndedAsync(cmd.Id);
        var remote = AgentWorld.Git(e2e.World.Work, "rev-parse", "--short=7", "HEAD");
        Assert.NotEqual(fetched, remote);
        Assert.True(done.Phase == CommandPhase.Partial, $"{done.Phase}: {done.Message}\n{e2e.AgentOutput}");
        Assert.Equal(0, done.ExitCode);
        Assert.Equal(fetched, AgentWorld.Git(e2e.World.RepoDir, "rev-parse", "--short=7", "HEAD"));
        Assert.Equal("outdated", (await e2e.Host.GetAsync()).Compartments.Git.Status);
    }

    [Fact]
    public async Task Switch_streams_the_rebuild_output_in_order_and_succeeds()
    {
        await using var e2e = await StartAsync(new() { ["FAKE_SWITCH_LINES"] = "12" });

        var cmd = await e2e.SubmitAsync("switch");
        var done = await e2e.WaitEndedAsync(cmd.Id, TimeSpan.FromSeconds(120));
        Assert.True(done.Phase == CommandPhase.Succeeded, $"{done.Phase}: {done.Message}\n{e2e.AgentOutput}");
        Assert.Equal(0, done.ExitCode);

        var lines = await e2e.OutputAsync(cmd.Id);
        AssertSeqs(lines);
        Assert.Equal($"$ sudo nixos-rebuild switch --flake {e2e.World.RepoDir}#testhost", lines[0].Text);
        var rebuild = lines.Skip(1).ToList();
        // Each stream keeps its order; how the two pipes interleave is up to the kernel.
        Assert.Equal(Enumerable.Range(1, 12).Where(i => i % 5 != 0).Select(i => $"rebuild line {i}"), rebuild.Where(l => l.Stream == "stdout").Select(l => l.Text));
        Assert.Equal(["rebuild line 5", "rebuild line 10"], rebuild.Where(l => l.Stream == "stderr").Select(l => l.Text));
        Assert.All(lines, l => Assert.Equal(AgentWorld.Hostname, l.Host));
        Assert.Equal(done.LastSeq, lines.Count);
        Assert.Single(File.ReadAllLines(e2e.World.FakeLog), l => l.StartsWith("nixos-rebuild switch"));
    }

    [Fact]
    public async Task Test_with_a_failing_script_fails_and_names_it()
    {
        await using var e2e = await StartAsync(prepare: w =>
        {
            w.Commit("tests", new()
            {
                ["hosts/testhost/tests/01-boot.sh"] = "#!/bin/sh\necho boot ok\n",
                ["hosts/testhost/tests/02-disk.sh"] = "#!/bin/sh\necho disk full >&2\nexit 3\n",
                ["hosts/testhost/tests/03-net.sh"] = "#!/bin/sh\necho net ok\n",
            }, "hosts/testhost/tests/01-boot.sh", "hosts/testhost/tests/02-disk.sh", "hosts/testhost/tests/03-net.sh");
            AgentWorld.Git(w.RepoDir, "pull", "--quiet");
        });

        var cmd = await e2e.SubmitAsync("test");
        var done = await e2e.WaitEndedAsync(cmd.Id);
        Assert.True(done.Phase == CommandPhase.Failed, $"{done.Phase}: {done.Message}\n{e2e.AgentOutput}");
        Assert.NotEqual(0, done.ExitCode);

        var lines = await e2e.OutputAsync(cmd.Id);
        AssertSeqs(lines);
        var texts = lines.Select(l => l.Text).ToList();
        Assert.Contains("boot ok", texts);
        Assert.Contains("net ok", texts);
        Assert.Contains(lines, l => l.Text == "disk full" && l.Stream == "stderr");
        Assert.Contains("FAIL 02-disk.sh (exit 3)", texts);
        Assert.DoesNotContain(texts, t => t.StartsWith("FAIL 01-boot.sh") || t.StartsWith("FAIL 03-net.sh"));
        await Eventually.TrueAsync(async () => (await e2e.Host.GetAsync()).Compartments.Tests.Status == "error", "the tests compartment says error");
        Assert.Contains("02-disk.sh", (await e2e.Host.GetAsync()).Compartments.Tests.Message);
    }

    [Fact]
    public async Task Stop_on_a_long_command_ends_it_stopped_and_kills_the_whole_group()
    {
        await using var e2e = await StartAsync(new() { ["FAKE_NIX_HANG"] = "1" });

        var cmd = await e2e.SubmitAsync("update");
        await Eventually.TrueAsync(async () => (await e2e.OutputAsync(cmd.Id)).Any(l => l.Text.StartsWith("main ")), "the hanging update printed its PIDs");
        var pids = (await e2e.OutputAsync(cmd.Id)).Select(l => l.Text).Where(t => t.StartsWith("child ") || t.StartsWith("main "))
            .Select(t => int.Parse(t.Split(' ')[1])).ToList();
        Assert.Equal(3, pids.Count);
        Assert.All(pids, pid => Assert.True(AgentCommandTests.Alive(pid), $"pid {pid} should run"));
        await Eventually.TrueAsync(async () => (await e2e.Host.GetAsync()).LastHeartbeat?.CommandPid is not null, "a heartbeat names the command's PID");
        var groupPid = (await e2e.Host.GetAsync()).LastHeartbeat!.CommandPid!.Value;
        Assert.Equal(CommandPhase.Running, (await e2e.Host.GetCommandAsync(cmd.Id))!.Phase);

        var stop = await e2e.Host.StopCommandAsync(cmd.Id, "operator:e2e");
        Assert.True(stop.Done, $"{stop.Code}: {stop.Message}");
        var done = await e2e.WaitEndedAsync(cmd.Id);
        Assert.True(done.Phase == CommandPhase.Stopped, $"{done.Phase}: {done.Message}\n{e2e.AgentOutput}");
        // One helper ignores TERM: only the KILL after the grace period ends it. No member of the group survives.
        Assert.All(pids.Append(groupPid), pid => Assert.False(AgentCommandTests.Alive(pid), $"pid {pid} survived the stop"));

        // The host is free again: the next command runs.
        var next = await e2e.SubmitAsync("pull");
        Assert.Equal(CommandPhase.Succeeded, (await e2e.WaitEndedAsync(next.Id)).Phase);
    }
}
