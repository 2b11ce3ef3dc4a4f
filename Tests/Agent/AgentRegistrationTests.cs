using System.Security.Cryptography;
using NixFleet.Protocol;
using NixFleet.Tests.Agent.Support;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Agent;

/// <summary>The real agent registers with facts read from the machine and sends heartbeats with metrics and status.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentRegistrationTests : IDisposable
{
    private readonly AgentWorld _world = new();

    [Fact]
    public async Task Registers_with_machine_facts_then_heartbeats_every_interval()
    {
        await using var dash = await FakeDashboard.StartAsync();
        await using var agent = AgentProcess.Start(_world.Env(dash, new() { ["NIXFLEET_LOCATION"] = "work", ["NIXFLEET_DEVICE_TYPE"] = "laptop" }));

        var reg = (await dash.WaitForTypeAsync(MessageTypes.Register)).As(ProtocolJsonContext.Default.RegisterPayload);
        Assert.Equal(AgentWorld.Hostname, reg.Hostname);
        Assert.Equal("nixos", reg.HostType);
        Assert.Equal(AgentWorld.Git(_world.RepoDir, "rev-parse", "--short=7", "HEAD"), reg.Generation);
        Assert.Equal("#7aa2f7", reg.ThemeColor);
        Assert.Equal("work", reg.Location);
        Assert.Equal("laptop", reg.DeviceType);
        Assert.Equal(1, reg.HeartbeatInterval);
        Assert.Equal("25.05.20261101.abcdef0", reg.NixpkgsVersion);
        Assert.Equal(_world.RepoDir, reg.RepoDir);
        Assert.Matches(@"^\d+\.\d+\.\d+$", reg.AgentVersion);
        Assert.False(string.IsNullOrWhiteSpace(reg.OsVersion));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(RepoPaths.AgentDll))), reg.BinaryHash);
        Assert.Equal(["command_id", "ack"], reg.Capabilities);

        // First heartbeat at once, then one per interval; metrics are real readings of this machine.
        await dash.WaitForAsync(f => f.Type == MessageTypes.Heartbeat && dash.Frames.Count(x => x.Type == MessageTypes.Heartbeat) >= 3,
            TimeSpan.FromSeconds(30), "third heartbeat");
        var beat = dash.Frames.Last(f => f.Type == MessageTypes.Heartbeat).As(ProtocolJsonContext.Default.HeartbeatPayload);
        Assert.Equal(reg.Generation, beat.Generation);
        Assert.Null(beat.PendingCommand);
        Assert.Null(beat.CommandPid);
        Assert.NotNull(beat.Metrics);
        Assert.InRange(beat.Metrics!.Ram, 0.1, 100);
        Assert.InRange(beat.Metrics.Cpu, 0, 100);
        Assert.True(beat.Metrics.Load >= 0);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(_world.RepoDir, "flake.lock")))), beat.LockHash);
        Assert.Equal("ok", beat.UpdateStatus!.Git!.Status);   // local head equals origin's
        Assert.Equal("ok", beat.UpdateStatus.Lock!.Status);   // nixpkgs locked 2 days ago
        Assert.Contains("2 days", beat.UpdateStatus.Lock.Message);
        Assert.Equal(reg.BinaryHash, beat.BinaryHash);
    }

    [Fact]
    public async Task Git_status_turns_outdated_when_origin_moves_ahead()
    {
        _world.Commit("remote change", new() { ["README"] = "ahead" });
        await using var dash = await FakeDashboard.StartAsync();
        await using var agent = AgentProcess.Start(_world.Env(dash));
        var beat = (await dash.WaitForTypeAsync(MessageTypes.Heartbeat)).As(ProtocolJsonContext.Default.HeartbeatPayload);
        Assert.Equal("outdated", beat.UpdateStatus!.Git!.Status);
    }

    [Fact]
    public async Task Wrong_token_keeps_retrying_without_registering()
    {
        await using var dash = await FakeDashboard.StartAsync();
        await using var agent = AgentProcess.Start(_world.Env(dash, new() { ["NIXFLEET_TOKEN"] = "nope" }));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && agent.Output.Count(l => l.Contains("token refused")) < 2) await Task.Delay(100);
        Assert.True(agent.Output.Count(l => l.Contains("token refused")) >= 2, string.Join('\n', agent.Output));
        Assert.False(agent.Process.HasExited);
        Assert.Empty(dash.Frames);
    }

    public void Dispose() => _world.Dispose();
}
