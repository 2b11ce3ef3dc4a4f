using NixFleet.Protocol;
using NixFleet.Tests.Agent.Support;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Agent;

/// <summary>
/// NIXFLEET_AGENT_LINK: after a successful switch that put another binary where the service manager starts the
/// agent, the agent reports the switch's end and exits 0; in every other case it keeps running.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentReplacedBySwitchTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);
    private readonly AgentWorld _world = new();
    private string Link => Path.Combine(_world.Root, "sw", "bin", "nixfleet-agent");
    private string NewAgent => Path.Combine(_world.Root, "new-agent");

    public AgentReplacedBySwitchTests()
    {
        // The service manager's link leads to the running build, as /run/current-system/sw/bin does before a switch.
        Directory.CreateDirectory(Path.GetDirectoryName(Link)!);
        File.CreateSymbolicLink(Link, RepoPaths.AgentDll);
        File.WriteAllText(NewAgent, "#!/bin/sh\necho 'another agent build'\n");
    }

    private Dictionary<string, string?> Env(FakeDashboard dash, bool withLink, bool relink, string exit = "0") => _world.Env(dash, new()
    {
        ["NIXFLEET_AGENT_LINK"] = withLink ? Link : null,
        ["FAKE_NEW_AGENT"] = relink ? NewAgent : null,
        ["FAKE_AGENT_LINK"] = Link,
        ["FAKE_SWITCH_EXIT"] = exit,
    });

    [Fact]
    public async Task Switch_that_installs_another_agent_is_reported_then_the_agent_exits_0()
    {
        await using var dash = await FakeDashboard.StartAsync();
        await using var agent = AgentProcess.Start(Env(dash, withLink: true, relink: true));
        await dash.WaitForTypeAsync(MessageTypes.Heartbeat);

        await dash.CommandAsync("switch", "c-new");
        using (var cts = new CancellationTokenSource(Long)) await agent.Process.WaitForExitAsync(cts.Token);
        Assert.Equal(0, agent.Process.ExitCode);

        // Everything about the switch reached the dashboard before the exit, output acknowledged.
        var status = await dash.WaitForStatusAsync("c-new", TimeSpan.Zero);
        Assert.Equal("ok", status.Str("status"));
        await dash.WaitForAsync(f => f.Type == MessageTypes.CommandComplete && f.Str("command_id") == "c-new", TimeSpan.Zero);
        Assert.Contains(dash.OutputOf("c-new"), o => o.Line == "rebuild line 5");
        Assert.Equal(NewAgent, File.ResolveLinkTarget(Link, returnFinalTarget: true)!.FullName);
        var log = string.Join('\n', agent.Output);
        Assert.Contains("exiting for the service manager to start the new agent binary", log);
        Assert.Contains(Link + " now leads to " + NewAgent, log);
    }

    [Fact]
    public async Task Agent_replaced_while_the_dashboard_is_away_exits_only_after_the_next_dashboard_heard_the_switch_end()
    {
        var gate = Path.Combine(_world.Root, "gate");
        var dash = await FakeDashboard.StartAsync();
        var port = dash.Port;
        var env = Env(dash, withLink: true, relink: true);
        env["FAKE_SWITCH_GATE"] = gate;
        await using var agent = AgentProcess.Start(env);
        await dash.WaitForTypeAsync(MessageTypes.Heartbeat);
        await dash.CommandAsync("switch", "c-away");
        await dash.WaitForAsync(f => f.Type == MessageTypes.Output && f.Str("line") == "waiting for gate", Long, "the gate line");

        await dash.DisposeAsync();
        await File.WriteAllTextAsync(gate, "");
        await Eventually.TrueAsync(() => agent.Output.Any(l => l.Contains("after switch: " + Link + " now leads to")), "the agent deciding to make way", Long);

        await Eventually.TrueAsync(() => agent.Output.Any(l => l.Contains("waiting until the dashboard has received everything queued")), "the agent holding its exit", Long);
        // Away for longer than the agent waits for acks: that bound must not apply to frames never sent.
        await Task.Delay(TimeSpan.FromSeconds(7));
        Assert.False(agent.Process.HasExited, string.Join('\n', agent.Output));

        await using var back = await FakeDashboard.StartAsync(port: port);
        using (var cts = new CancellationTokenSource(Long)) await agent.Process.WaitForExitAsync(cts.Token);
        Assert.Equal(0, agent.Process.ExitCode);
        Assert.Equal("ok", (await back.WaitForStatusAsync("c-away", TimeSpan.Zero)).Str("status"));
        await back.WaitForAsync(f => f.Type == MessageTypes.CommandComplete && f.Str("command_id") == "c-away", TimeSpan.Zero);
        Assert.Contains(back.OutputOf("c-away"), o => o.Line == "rebuild line 5");
    }

    [Fact]
    public async Task Switch_that_leaves_the_agent_as_it_was_keeps_it_running()
    {
        await using var dash = await FakeDashboard.StartAsync();
        await using var agent = AgentProcess.Start(Env(dash, withLink: true, relink: false));
        await dash.WaitForTypeAsync(MessageTypes.Heartbeat);

        await dash.CommandAsync("switch", "c-same");
        Assert.Equal("ok", (await dash.WaitForStatusAsync("c-same")).Str("status"));
        await Eventually.TrueAsync(() => agent.Output.Any(l => l.Contains("leads to the running agent binary; keeping on")), "the agent deciding to keep on", Long);
        await AssertStillServesAsync(dash, agent);
    }

    [Fact]
    public async Task Failed_switch_keeps_the_agent_running_even_when_the_link_moved()
    {
        await using var dash = await FakeDashboard.StartAsync();
        await using var agent = AgentProcess.Start(Env(dash, withLink: true, relink: true, exit: "1"));
        await dash.WaitForTypeAsync(MessageTypes.Heartbeat);

        await dash.CommandAsync("switch", "c-fail");
        Assert.Equal("error", (await dash.WaitForStatusAsync("c-fail")).Str("status"));
        await AssertStillServesAsync(dash, agent);
    }

    [Fact]
    public async Task Without_the_variable_a_switch_that_moved_the_link_keeps_the_agent_running()
    {
        await using var dash = await FakeDashboard.StartAsync();
        await using var agent = AgentProcess.Start(Env(dash, withLink: false, relink: true));
        await dash.WaitForTypeAsync(MessageTypes.Heartbeat);

        await dash.CommandAsync("switch", "c-unset");
        Assert.Equal("ok", (await dash.WaitForStatusAsync("c-unset")).Str("status"));
        await AssertStillServesAsync(dash, agent);
    }

    /// <summary>The agent runs another command to its end on the same connection, and never decided to exit.</summary>
    private static async Task AssertStillServesAsync(FakeDashboard dash, AgentProcess agent)
    {
        await dash.CommandAsync("pull", "c-after");
        Assert.Equal("ok", (await dash.WaitForStatusAsync("c-after")).Str("status"));
        Assert.False(agent.Process.HasExited);
        Assert.Equal(1, dash.Connections);
        Assert.DoesNotContain(agent.Output, l => l.Contains("exiting for the service manager"));
    }

    public void Dispose() => _world.Dispose();
}
