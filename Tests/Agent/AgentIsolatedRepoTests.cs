using NixFleet.Protocol;
using NixFleet.Tests.Agent.Support;

namespace NixFleet.Tests.Agent;

/// <summary>With NIXFLEET_REPO_URL the agent owns its clone: creates it (0700), hard-resets and cleans it, re-clones it when corrupt.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentIsolatedRepoTests : IDisposable
{
    private readonly AgentWorld _world = new(cloneForHost: false);
    private string Clone => Path.Combine(_world.StateDir, "repo");

    private async Task<(FakeDashboard, AgentProcess)> StartAsync()
    {
        var dash = await FakeDashboard.StartAsync();
        var agent = AgentProcess.Start(_world.Env(dash, new() { ["NIXFLEET_REPO_URL"] = _world.Origin, ["NIXFLEET_REPO_DIR"] = null }));
        await dash.WaitForTypeAsync(MessageTypes.Heartbeat);
        return (dash, agent);
    }

    private static async Task<StatusPayload> PullAsync(FakeDashboard dash, string id)
    {
        await dash.CommandAsync("pull", id);
        var status = (await dash.WaitForStatusAsync(id)).As(ProtocolJsonContext.Default.StatusPayload);
        Assert.True(status.Status == "ok", status.Message + "\n" + string.Join('\n', dash.OutputOf(id).Select(o => o.Line)));
        return status;
    }

    [Fact]
    public async Task Pull_creates_a_private_clone_then_resets_and_cleans_it()
    {
        var (dash, agent) = await StartAsync();
        await using var _ = dash;
        await using var __ = agent;
        var reg = (await dash.WaitForTypeAsync(MessageTypes.Register)).As(ProtocolJsonContext.Default.RegisterPayload);
        Assert.Equal(_world.Origin, reg.RepoUrl);
        Assert.Equal(Clone, reg.RepoDir);
        Assert.Equal("", reg.Generation);

        var head = AgentWorld.Git(_world.Work, "rev-parse", "--short=7", "HEAD");
        Assert.Equal(head, (await PullAsync(dash, "p1")).Generation);
        Assert.Equal((UnixFileMode)Convert.ToInt32("700", 8), File.GetUnixFileMode(Clone));

        // Local edits and untracked files are the agent's to discard.
        await File.WriteAllTextAsync(Path.Combine(Clone, "flake.nix"), "edited locally");
        await File.WriteAllTextAsync(Path.Combine(Clone, "stray.txt"), "untracked");
        var newHead = _world.Commit("next", new() { ["hosts/testhost/x.nix"] = "{ }" });
        Assert.Equal(newHead, (await PullAsync(dash, "p2")).Generation);
        Assert.Equal("{ outputs = _: { }; }", await File.ReadAllTextAsync(Path.Combine(Clone, "flake.nix")));
        Assert.False(File.Exists(Path.Combine(Clone, "stray.txt")));
        var lines = dash.OutputOf("p2").Select(o => o.Line).ToList();
        Assert.Contains(lines, l => l!.StartsWith("$ git fetch"));
        Assert.Contains(lines, l => l!.StartsWith("$ git reset --hard origin/main"));
        Assert.Contains("$ git clean -fdx", lines);
    }

    [Fact]
    public async Task Corrupt_clone_is_detected_and_cloned_again()
    {
        var (dash, agent) = await StartAsync();
        await using var _ = dash;
        await using var __ = agent;
        await PullAsync(dash, "p1");

        // Lose the object store, as a full disk or an interrupted gc might.
        foreach (var d in Directory.GetDirectories(Path.Combine(Clone, ".git", "objects"))) Directory.Delete(d, true);
        await File.WriteAllTextAsync(Path.Combine(Clone, "marker"), "from the corrupt clone");

        var status = await PullAsync(dash, "p2");
        Assert.Equal(AgentWorld.Git(_world.Work, "rev-parse", "--short=7", "HEAD"), status.Generation);
        Assert.Contains(dash.OutputOf("p2"), o => o.Line!.Contains("corrupt") && o.IsError == true);
        Assert.Contains(dash.OutputOf("p2"), o => o.Line!.StartsWith("$ git clone"));
        Assert.False(File.Exists(Path.Combine(Clone, "marker")));
        AgentWorld.Git(Clone, "fsck", "--no-progress");
        Assert.Equal((UnixFileMode)Convert.ToInt32("700", 8), File.GetUnixFileMode(Clone));
    }

    public void Dispose() => _world.Dispose();
}
