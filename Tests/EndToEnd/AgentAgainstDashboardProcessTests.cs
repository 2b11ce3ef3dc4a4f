using System.Security.Cryptography;
using NixFleet.Tests.Agent.Support;
using NixFleet.Tests.Api;
using NixFleet.Tests.EndToEnd.Support;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.EndToEnd;

/// <summary>
/// The real agent process against the real dashboard process, seen through the operator's API: the dashboard killed
/// with SIGKILL mid-command, the agent restarted mid-switch (as systemd does during activation), a corrupt clone.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentAgainstDashboardProcessTests : IDisposable
{
    private readonly string _gate = Path.Combine(Path.GetTempPath(), "nixfleet-gate-" + Guid.NewGuid().ToString("N"));

    private static List<string> RebuildOutput(ProcessWorld w, int lines) =>
        new[] { $"$ sudo nixos-rebuild switch --flake {w.World.RepoDir}#{AgentWorld.Hostname}" }
            .Concat(Enumerable.Range(1, lines / 2).Select(i => $"rebuild line {i}"))
            .Append("waiting for gate")
            .Concat(Enumerable.Range(lines / 2 + 1, lines - lines / 2).Select(i => $"rebuild line {i}"))
            .ToList();

    /// <summary>Every seq once, from 1 without a gap; each stream in the order it was printed.</summary>
    private static void AssertCompleteInOrderOnce(IReadOnlyList<ApiLine> lines, IReadOnlyList<string> expected)
    {
        Assert.Equal(Enumerable.Range(1, expected.Count).Select(i => (long)i), lines.Select(l => l.Seq));
        static bool IsStderr(string t) => t.StartsWith("rebuild line ", StringComparison.Ordinal) && int.Parse(t[13..]) % 5 == 0;
        Assert.Equal(expected.Where(t => !IsStderr(t)), lines.Where(l => l.Stream == "stdout").Select(l => l.Text));
        Assert.Equal(expected.Where(IsStderr), lines.Where(l => l.Stream == "stderr").Select(l => l.Text));
    }

    private async Task WaitForGateAsync(ProcessWorld w, string id) =>
        await Eventually.TrueAsync(async () => (await w.OutputAsync(id)).Any(l => l.Text == "waiting for gate"),
            "the first half of the rebuild output is stored\n" + w.AgentOutput, TimeSpan.FromSeconds(60));

    /// <param name="finishWhileDown">The rebuild ends while no dashboard runs (its tail and end wait in the agent),
    /// or it still runs when the dashboard is back (the tail is live output after the reconnect).</param>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Dashboard_killed_mid_command_and_restarted_gets_the_output_complete_in_order_once_and_the_outcome(bool finishWhileDown)
    {
        await using var w = new ProcessWorld(new() { ["FAKE_SWITCH_LINES"] = "40", ["FAKE_SWITCH_GATE"] = _gate });
        await w.StartDashboardAsync();
        await w.StartAgentAsync();
        var id = await w.SubmitAsync("switch");
        await WaitForGateAsync(w, id);

        await w.KillDashboardAsync();
        if (finishWhileDown)
        {
            await File.WriteAllTextAsync(_gate, "");
            await Eventually.TrueAsync(() => !DashboardRestartEndToEndTests.RebuildRuns(w.World.Bin),
                "the rebuild finished while the dashboard was down", TimeSpan.FromSeconds(30));
        }
        await w.StartDashboardAsync();
        await w.WaitOnlineAsync("the agent reconnected to the restarted dashboard");
        await File.WriteAllTextAsync(_gate, "");

        var expected = RebuildOutput(w, 40);
        var done = await w.WaitEndedAsync(id);
        Assert.True(done.Str("phase") == "succeeded", $"{done}\n{w.AgentOutput}");
        Assert.Equal(0, done.GetProperty("exit_code").GetInt32());
        await Eventually.TrueAsync(async () => (await w.OutputAsync(id)).Count >= expected.Count,
            "every line reached the store", TimeSpan.FromSeconds(30));
        AssertCompleteInOrderOnce(await w.OutputAsync(id), expected);

        // Not re-run: the rebuild ran once and the host has this one command.
        Assert.Single(File.ReadAllLines(w.World.FakeLog), l => l.StartsWith("nixos-rebuild switch", StringComparison.Ordinal));
        Assert.Equal(1, (await w.Http.GetJsonAsync($"/api/hosts/{AgentWorld.Hostname}/commands")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Dashboard_killed_while_lines_stream_loses_none_of_them()
    {
        // No pause: lines keep coming while the dashboard dies, some sent but not yet stored or acknowledged.
        await using var w = new ProcessWorld(new() { ["FAKE_SWITCH_LINES"] = "200", ["FAKE_LINE_DELAY"] = "0.03" });
        await w.StartDashboardAsync();
        await w.StartAgentAsync();
        var id = await w.SubmitAsync("switch");
        await Eventually.TrueAsync(async () => (await w.OutputAsync(id)).Count >= 20, "lines are streaming\n" + w.AgentOutput,
            TimeSpan.FromSeconds(60));

        await w.KillDashboardAsync();
        await w.StartDashboardAsync();

        var expected = new[] { $"$ sudo nixos-rebuild switch --flake {w.World.RepoDir}#{AgentWorld.Hostname}" }
            .Concat(Enumerable.Range(1, 200).Select(i => $"rebuild line {i}")).ToList();
        var done = await w.WaitEndedAsync(id);
        Assert.True(done.Str("phase") == "succeeded", $"{done}\n{w.AgentOutput}");
        await Eventually.TrueAsync(async () => (await w.OutputAsync(id)).Count >= expected.Count,
            "every line reached the store", TimeSpan.FromSeconds(30));
        AssertCompleteInOrderOnce(await w.OutputAsync(id), expected);
        Assert.Single(File.ReadAllLines(w.World.FakeLog), l => l.StartsWith("nixos-rebuild switch", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Switch_during_which_systemd_restarts_the_agent_succeeds_with_complete_output_and_the_new_binary_registered()
    {
        await using var w = new ProcessWorld(new() { ["FAKE_SWITCH_LINES"] = "10", ["FAKE_SWITCH_GATE"] = _gate });
        // The agent runs from a private copy of its build output, which the switch replaces (a new agent build).
        var install = Path.Combine(w.World.Root, "install");
        Directory.CreateDirectory(install);
        foreach (var f in Directory.GetFiles(Path.GetDirectoryName(RepoPaths.AgentDll)!))
            if (Path.GetFileName(f).StartsWith("nixfleet-agent", StringComparison.Ordinal) || Path.GetFileName(f).StartsWith("NixFleet.Protocol", StringComparison.Ordinal))
                File.Copy(f, Path.Combine(install, Path.GetFileName(f)));
        var dll = Path.Combine(install, "nixfleet-agent.dll");
        w.AgentExtraEnv["FAKE_REPLACE_BINARY"] = dll;
        var before = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(dll)));

        await w.StartDashboardAsync();
        await w.StartAgentAsync(dll);
        Assert.Contains(before, await w.Http.GetStringAsync($"/hosts/{AgentWorld.Hostname}"));
        var id = await w.SubmitAsync("switch");
        await WaitForGateAsync(w, id);

        // Activation: systemd stops the agent (SIGTERM to the agent alone); the rebuild lives on in its own session,
        // installs the new agent and exits 0 while no agent runs.
        await w.StopAgentAsync();
        await File.WriteAllTextAsync(_gate, "");
        await Eventually.TrueAsync(() => !DashboardRestartEndToEndTests.RebuildRuns(w.World.Bin),
            "the rebuild finished while the agent was down", TimeSpan.FromSeconds(30));
        var after = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(dll)));
        Assert.NotEqual(before, after);
        Assert.Equal("running", (await w.CommandAsync(id)).Str("phase")); // no verdict while the agent is away

        // systemd starts the new build; it re-registers and reports the switch by its command id.
        await w.StartAgentAsync(dll);
        var done = await w.WaitEndedAsync(id);
        Assert.True(done.Str("phase") == "succeeded", $"{done}\n{w.AgentOutput}");
        Assert.Equal(0, done.GetProperty("exit_code").GetInt32());
        Assert.Contains("re-registered", done.Str("message"));
        var expected = RebuildOutput(w, 10);
        await Eventually.TrueAsync(async () => (await w.OutputAsync(id)).Count >= expected.Count, "every line reached the store");
        AssertCompleteInOrderOnce(await w.OutputAsync(id), expected);

        var page = await w.Http.GetStringAsync($"/hosts/{AgentWorld.Hostname}");
        Assert.Contains(after, page);
        Assert.DoesNotContain(before, page);
        Assert.Single(File.ReadAllLines(w.World.FakeLog), l => l.StartsWith("nixos-rebuild switch", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Switch_that_installs_a_new_agent_is_recorded_then_the_agent_exits_by_itself_and_its_successor_registers()
    {
        await using var w = new ProcessWorld(new() { ["FAKE_SWITCH_LINES"] = "10" });
        // Two builds of the agent; the service manager's link leads to the old one until the switch moves it.
        string Install(string name)
        {
            var dir = Path.Combine(w.World.Root, name);
            Directory.CreateDirectory(dir);
            foreach (var f in Directory.GetFiles(Path.GetDirectoryName(RepoPaths.AgentDll)!))
                if (Path.GetFileName(f).StartsWith("nixfleet-agent", StringComparison.Ordinal) || Path.GetFileName(f).StartsWith("NixFleet.Protocol", StringComparison.Ordinal))
                    File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            return Path.Combine(dir, "nixfleet-agent.dll");
        }
        var oldDll = Install("old");
        var newDll = Install("new");
        await File.AppendAllTextAsync(newDll, "\n"); // other bytes: another build
        var link = Path.Combine(w.World.Root, "sw", "bin", "nixfleet-agent");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, oldDll);
        w.AgentExtraEnv["NIXFLEET_AGENT_LINK"] = link;
        w.AgentExtraEnv["FAKE_NEW_AGENT"] = newDll;
        w.AgentExtraEnv["FAKE_AGENT_LINK"] = link;
        var before = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(oldDll)));
        var after = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(newDll)));

        await w.StartDashboardAsync();
        await w.StartAgentAsync(oldDll);
        var id = await w.SubmitAsync("switch");

        // Nobody stops the agent: it reports the switch, then exits 0 for the service manager.
        var first = w.Agent!;
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90))) await first.Process.WaitForExitAsync(cts.Token);
        Assert.True(first.Process.ExitCode == 0, w.AgentOutput);
        Assert.Contains(first.Output, l => l.Contains("exiting for the service manager to start the new agent binary"));

        // The switch was recorded before the exit, every line stored: no agent is needed for the verdict.
        var done = await w.WaitEndedAsync(id);
        Assert.True(done.Str("phase") == "succeeded", $"{done}\n{w.AgentOutput}");
        Assert.Equal(0, done.GetProperty("exit_code").GetInt32());
        var expected = new[] { $"$ sudo nixos-rebuild switch --flake {w.World.RepoDir}#{AgentWorld.Hostname}" }
            .Concat(Enumerable.Range(1, 10).Select(i => $"rebuild line {i}")).ToList();
        AssertCompleteInOrderOnce(await w.OutputAsync(id), expected);
        await first.DisposeAsync();

        // Restart=always: the harness only starts what the link leads to now, as systemd starts the new unit.
        await w.StartAgentAsync(File.ResolveLinkTarget(link, returnFinalTarget: true)!.FullName);
        await Eventually.TrueAsync(async () => (await w.Http.GetStringAsync($"/hosts/{AgentWorld.Hostname}")).Contains(after),
            "the host page shows the new binary", TimeSpan.FromSeconds(60));
        Assert.DoesNotContain(before, await w.Http.GetStringAsync($"/hosts/{AgentWorld.Hostname}"));
        Assert.Equal("succeeded", (await w.CommandAsync(id)).Str("phase"));
        Assert.Single(File.ReadAllLines(w.World.FakeLog), l => l.StartsWith("nixos-rebuild switch", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_corrupt_clone_is_cloned_again_and_the_pull_succeeds_at_the_remote_head()
    {
        await using var w = new ProcessWorld(cloneForHost: false);
        w.AgentExtraEnv["NIXFLEET_REPO_URL"] = w.World.Origin;
        w.AgentExtraEnv["NIXFLEET_REPO_DIR"] = null;
        var clone = Path.Combine(w.World.StateDir, "repo");
        await w.StartDashboardAsync();
        await w.StartAgentAsync();

        var first = await w.WaitEndedAsync(await w.SubmitAsync("pull"));
        Assert.True(first.Str("phase") == "succeeded", $"{first}\n{w.AgentOutput}");

        // Lose the object store, as a full disk or an interrupted gc might; the remote moves on meanwhile.
        foreach (var d in Directory.GetDirectories(Path.Combine(clone, ".git", "objects"))) Directory.Delete(d, true);
        await File.WriteAllTextAsync(Path.Combine(clone, "marker"), "from the corrupt clone");
        var head = w.World.Commit("next config", new() { [$"hosts/{AgentWorld.Hostname}/configuration.nix"] = "{ }" });

        var id = await w.SubmitAsync("pull");
        var done = await w.WaitEndedAsync(id);
        Assert.True(done.Str("phase") == "succeeded", $"{done}\n{w.AgentOutput}");
        Assert.Equal(head, done.Str("generation_after"));
        var lines = await w.OutputAsync(id);
        Assert.Contains(lines, l => l.Text.Contains("corrupt") && l.Stream == "stderr");
        Assert.Contains(lines, l => l.Text.StartsWith("$ git clone", StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(1, lines.Count).Select(i => (long)i), lines.Select(l => l.Seq));
        await Eventually.TrueAsync(async () => (await w.HostAsync())?.Str("generation") == head, "the host shows the new generation");

        Assert.False(File.Exists(Path.Combine(clone, "marker")));
        AgentWorld.Git(clone, "fsck", "--no-progress");
        Assert.Equal((UnixFileMode)Convert.ToInt32("700", 8), File.GetUnixFileMode(clone));
    }

    public void Dispose() => File.Delete(_gate);
}
