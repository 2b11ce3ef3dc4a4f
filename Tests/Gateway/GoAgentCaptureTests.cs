using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Gateway;

/// <summary>
/// The frames a NixFleet Go agent sends, byte for byte as Go's encoding/json writes them (struct field order,
/// no spaces, RFC 3339 times with nanoseconds and zone offsets, null for absent pointers), written from PROTOCOL.md.
/// </summary>
public sealed class GoAgentCaptureTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayApp App => fixture.App;

    private const string Register =
        """{"type":"register","payload":{"hostname":"hsb0","host_type":"nixos","agent_version":"2.4.0","os_version":"25.05.20250624.1c1c9b3 (Warbler)","nixpkgs_version":"25.05.20250624.1c1c9b3","generation":"8f3e2a1","theme_color":"#e0af68","heartbeat_interval":5,"location":"home","device_type":"server","repo_url":"","repo_dir":"/home/mba/Code/nixcfg","source_commit":"4d5e6f7a8b9c","store_path":"/nix/store/9x8y7z6w5v4u3t2s1r0q-nixfleet-agent-2.4.0","binary_hash":"b3f1c0de9a8b7c6d5e4f3a2b1c0d9e8f"}}""";

    private const string HeartbeatNullMetrics =
        """{"type":"heartbeat","payload":{"generation":"8f3e2a1","nixpkgs_version":"25.05.20250624.1c1c9b3","pending_command":null,"command_pid":null,"metrics":null,"update_status":{"git":{"status":"ok","message":"Up to date with origin/main","checked_at":"2026-11-26T00:41:07.123456789Z"},"lock":{"status":"outdated","message":"flake.lock is 12 days old","checked_at":"2026-11-26T00:41:07.123456789Z"},"system":{"status":"unknown","message":"","checked_at":"0001-01-01T00:00:00Z"},"tests":{"status":"unknown","message":"","checked_at":"0001-01-01T00:00:00Z"}},"source_commit":"4d5e6f7a8b9c","store_path":"/nix/store/9x8y7z6w5v4u3t2s1r0q-nixfleet-agent-2.4.0","binary_hash":"b3f1c0de9a8b7c6d5e4f3a2b1c0d9e8f"}}""";

    private const string HeartbeatWithMetrics =
        """{"type":"heartbeat","payload":{"generation":"8f3e2a1","nixpkgs_version":"25.05.20250624.1c1c9b3","pending_command":"switch","command_pid":48213,"metrics":{"cpu":23.4,"ram":61.2,"swap":0,"load":1.37},"update_status":{"git":{"status":"ok","message":"Up to date with origin/main","checked_at":"2026-11-26T01:41:12.5+01:00"},"lock":{"status":"outdated","message":"flake.lock is 12 days old","checked_at":"2026-11-26T00:41:07.123456789Z"},"system":{"status":"working","message":"checking","checked_at":"2026-11-26T00:41:12Z"},"tests":{"status":"unknown","message":"","checked_at":"0001-01-01T00:00:00Z"}},"source_commit":"4d5e6f7a8b9c","store_path":"/nix/store/9x8y7z6w5v4u3t2s1r0q-nixfleet-agent-2.4.0","binary_hash":"b3f1c0de9a8b7c6d5e4f3a2b1c0d9e8f","lock_hash":"sha256-Qm9vYmFy"}}""";

    private const string Output =
        """{"type":"output","payload":{"line":"building '/nix/store/0a1b2c-system-path.drv'...","stream":"stderr","command":"","is_error":false}}""";

    private const string Status =
        """{"type":"status","payload":{"status":"ok","command":"switch","exit_code":0,"message":"switch completed","generation":"9a8b7c6"}}""";

    [Fact]
    public async Task A_go_agent_session_is_understood_as_sent()
    {
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await agent.SendRawAsync(Register);
        Assert.Equal("""{"type":"registered","payload":{"host_id":"hsb0"}}""", (await agent.NextAsync()).GetRawText());
        var view = await App.HostAsync("hsb0");
        Assert.True(view.Online);
        Assert.Equal(("nixos", "2.4.0", "", "/home/mba/Code/nixcfg", 5), (view.Registration!.HostType, view.Registration.AgentVersion,
            view.Registration.RepoUrl, view.Registration.RepoDir, view.Registration.HeartbeatIntervalSeconds));
        Assert.Empty(view.Registration.Capabilities);

        await agent.SendRawAsync(HeartbeatNullMetrics);
        await Eventually.TrueAsync(async () => (await App.HostAsync("hsb0")).LastHeartbeat is not null, "first heartbeat");
        view = await App.HostAsync("hsb0");
        Assert.Null(view.LastHeartbeat!.Metrics);
        Assert.Equal(("ok", "outdated"), (view.Compartments.Git.Status, view.Compartments.Lock.Status));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 0, 41, 7, TimeSpan.Zero).AddTicks(1234567), view.Compartments.Git.CheckedAt);

        await agent.SendRawAsync(HeartbeatWithMetrics);
        await Eventually.TrueAsync(async () => (await App.HostAsync("hsb0")).LastHeartbeat?.Metrics is not null, "heartbeat with metrics");
        view = await App.HostAsync("hsb0");
        Assert.Equal(new HostMetrics(23.4, 61.2, 0, 1.37), view.LastHeartbeat!.Metrics);
        Assert.Equal(("switch", 48213, "sha256-Qm9vYmFy"), (view.LastHeartbeat.PendingCommand, view.LastHeartbeat.CommandPid!.Value, view.LastHeartbeat.LockHash));
        Assert.Equal(("working", "checking"), (view.Compartments.System.Status, view.Compartments.System.Message));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 0, 41, 12, 500, TimeSpan.Zero), view.Compartments.Git.CheckedAt);

        await agent.SendRawAsync(Output);
        await agent.SendRawAsync(Status);
        await Eventually.TrueAsync(() => App.Calls.For("hsb0", nameof(IHostGrain.CommandStatusAsync)).Any(), "status delivered");
        var line = Assert.Single(App.Calls.For("hsb0", nameof(IHostGrain.OutputAsync)).SelectMany(c => (IReadOnlyList<OutputLine>)c.Args[1]!));
        Assert.Equal(("building '/nix/store/0a1b2c-system-path.drv'...", "stderr", false), (line.Text, line.Stream, line.IsError));
        Assert.Null(line.Command); // empty: belongs to the command in flight
        Assert.Null(line.CommandId);
        Assert.Null(line.Seq);
        var status = (CommandStatusReport)App.Calls.For("hsb0", nameof(IHostGrain.CommandStatusAsync)).Single().Args[1]!;
        Assert.Equal(new CommandStatusReport(null, "switch", "ok", 0, "switch completed", "9a8b7c6"), status);

        // What it gets back carries no extension: no command_id, and never an ack.
        var conn = App.Calls.Connections["hsb0"];
        await conn.SendAsync(AgentInstruction.Acknowledge("x", 1));
        await conn.SendAsync(AgentInstruction.Run("pull-switch", "id-1"));
        Assert.Equal("""{"type":"command","payload":{"command":"pull-switch"}}""", (await agent.NextAsync()).GetRawText());
    }
}
