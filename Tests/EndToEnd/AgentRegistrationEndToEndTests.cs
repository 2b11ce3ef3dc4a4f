using System.Security.Cryptography;
using NixFleet.Tests.Agent.Support;
using NixFleet.Tests.EndToEnd.Support;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.EndToEnd;

/// <summary>The real agent registers with the real dashboard: what it says about itself ends up in the host grain.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentRegistrationEndToEndTests
{
    [Fact]
    public async Task Register_and_heartbeat_facts_reach_the_host_grain()
    {
        await using var e2e = new EndToEndWorld();
        await e2e.StartDashboardAsync();
        await e2e.StartAgentAsync();
        var head = AgentWorld.Git(e2e.World.RepoDir, "rev-parse", "--short=7", "HEAD");

        // Metrics and compartments come with the heartbeats after the first checks ran.
        await Eventually.TrueAsync(async () => await e2e.Host.GetAsync() is { LastHeartbeat.Metrics: not null } v && v.Compartments.Git.Status == "ok",
            "a heartbeat with metrics and a git check", TimeSpan.FromSeconds(60));
        var view = await e2e.Host.GetAsync();
        var reg = view.Registration!;
        Assert.True(view.Known);
        Assert.True(view.Online);
        Assert.Equal(AgentWorld.Hostname, reg.Hostname);
        Assert.Equal("nixos", reg.HostType);
        Assert.Equal(head, reg.Generation);
        Assert.Equal(head, view.Generation);
        Assert.Equal("25.05.20261101.abcdef0", reg.NixpkgsVersion);
        Assert.Matches(@"^\d+\.\d+\.\d+$", reg.AgentVersion);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(RepoPaths.AgentDll))), reg.Binary.BinaryHash);
        Assert.Equal(["command_id", "ack"], reg.Capabilities);
        Assert.Equal(e2e.World.RepoDir, reg.RepoDir);
        Assert.Equal(1, reg.HeartbeatIntervalSeconds);

        var beat = view.LastHeartbeat!;
        Assert.Equal(head, beat.Generation);
        Assert.Null(beat.PendingCommand);
        Assert.InRange(beat.Metrics!.Ram, 0.01, 100);
        Assert.InRange(beat.Metrics.Cpu, 0, 100);
        Assert.True(beat.Metrics.Load >= 0);
        Assert.Equal(reg.Binary.BinaryHash, beat.Binary.BinaryHash);
        Assert.Equal("ok", view.Compartments.Git.Status);
        Assert.NotNull(view.Compartments.Git.CheckedAt);
        Assert.Contains(view.Compartments.Lock.Status, new[] { "ok", "outdated" });
        Assert.Equal("unknown", view.Compartments.Tests.Status);
    }
}
