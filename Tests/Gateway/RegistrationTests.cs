using System.Net.WebSockets;
using NixFleet.Grains.Interfaces.Fleet;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Gateway;

/// <summary>register → online with every fact; heartbeats update; close, silence and duplicates behave as PROTOCOL.md says.</summary>
public sealed class RegistrationTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayApp App => fixture.App;

    [Fact]
    public async Task Register_records_every_field_and_answers_registered()
    {
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        var reply = await agent.RegisterAsync(TestAgent.Register("reg-fields", p =>
        {
            p["host_type"] = "macos";
            p["location"] = "work";
            p["device_type"] = "laptop";
            p["heartbeat_interval"] = 7;
            p["capabilities"] = new[] { "command_id", "ack" };
        }));
        Assert.Equal("reg-fields", reply.GetProperty("host_id").GetString());

        var view = await App.HostAsync("reg-fields");
        Assert.True(view.Online);
        var r = view.Registration!;
        Assert.Equal(("reg-fields", "macos", "3.0.0", "25.05.20250101.abcdef0", "25.05", "abc1234"),
            (r.Hostname, r.HostType, r.AgentVersion, r.OsVersion, r.NixpkgsVersion, r.Generation));
        Assert.Equal(("#7aa2f7", 7, "work", "laptop"), (r.ThemeColor, r.HeartbeatIntervalSeconds, r.Location, r.DeviceType));
        Assert.Equal(("git@example.invalid:fleet/config.git", "/var/lib/nixfleet-agent/repo"), (r.RepoUrl, r.RepoDir));
        Assert.Equal(("deadbee", "/nix/store/abc-agent", "sha256-xyz"), (r.Binary.SourceCommit, r.Binary.StorePath, r.Binary.BinaryHash));
        Assert.Equal(["command_id", "ack"], r.Capabilities);
        Assert.Equal("abc1234", view.Generation);
        // The fleet index is fed in batches a few times a second.
        await Eventually.TrueAsync(async () => (await App.Grains.GetGrain<IFleetIndexGrain>(IFleetIndexGrain.Key).ListAsync())
            .Any(h => h.Hostname == "reg-fields" && h.Online && h.Location == "work"), "host listed online in the fleet index");
    }

    [Fact]
    public async Task Heartbeat_updates_generation_metrics_status_pending_command_and_binary()
    {
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await agent.RegisterAsync(TestAgent.Register("reg-beat"));
        var beat = TestAgent.Heartbeat("1234abc", cpu: 77.5);
        beat["pending_command"] = "switch";
        beat["command_pid"] = 4242;
        beat["binary_hash"] = "sha256-new";
        await agent.SendAsync("heartbeat", beat);

        await Eventually.TrueAsync(async () => (await App.HostAsync("reg-beat")).LastHeartbeat?.Metrics?.Cpu == 77.5, "heartbeat recorded");
        var view = await App.HostAsync("reg-beat");
        var hb = view.LastHeartbeat!;
        Assert.Equal("1234abc", view.Generation);
        Assert.Equal(("switch", 4242, "sha256-new", "lh1"), (hb.PendingCommand, hb.CommandPid, hb.Binary.BinaryHash, hb.LockHash));
        Assert.Equal(("ok", "outdated", "up to date"), (view.Compartments.Git.Status, view.Compartments.Lock.Status, view.Compartments.Git.Message));
        Assert.NotNull(view.LastSeen);
    }

    [Fact]
    public async Task Closing_the_socket_makes_the_host_offline()
    {
        var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await agent.RegisterAsync(TestAgent.Register("reg-close"));
        Assert.True((await App.HostAsync("reg-close")).Online);
        await agent.CloseAsync();
        await agent.DisposeAsync();
        await Eventually.TrueAsync(async () => !(await App.HostAsync("reg-close")).Online, "host offline after close");
    }

    [Fact]
    public async Task A_dropped_connection_makes_the_host_offline()
    {
        var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await agent.RegisterAsync(TestAgent.Register("reg-abort"));
        await agent.DisposeAsync(); // abort: no close handshake
        await Eventually.TrueAsync(async () => !(await App.HostAsync("reg-abort")).Online, "host offline after abort");
    }

    [Fact]
    public async Task Duplicate_hostname_newest_wins_and_the_old_close_does_not_mark_offline()
    {
        await using var first = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await first.RegisterAsync(TestAgent.Register("reg-dup"));
        await using var second = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await second.RegisterAsync(TestAgent.Register("reg-dup", p => p["generation"] = "2222222"));

        var (code, reason) = await first.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, code);
        Assert.Contains("newer", reason);

        // The old socket is gone; the host stays online through the new one, which keeps working.
        await Task.Delay(300);
        Assert.True((await App.HostAsync("reg-dup")).Online);
        await second.SendAsync("heartbeat", TestAgent.Heartbeat("3333333"));
        await Eventually.TrueAsync(async () => (await App.HostAsync("reg-dup")).Generation == "3333333", "new socket's heartbeat recorded");
        Assert.True((await App.HostAsync("reg-dup")).Online);
    }

    [Fact]
    public async Task A_heartbeat_after_the_grain_lost_its_activation_registers_again()
    {
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await agent.RegisterAsync(TestAgent.Register("reg-again"));
        var mgmt = App.Grains.GetGrain<IManagementGrain>(0);
        await mgmt.ForceActivationCollection(TimeSpan.Zero);
        Assert.False((await App.HostAsync("reg-again")).Online); // a fresh activation knows no connection

        await agent.SendAsync("heartbeat", TestAgent.Heartbeat("4444444", cpu: 1.25));
        await Eventually.TrueAsync(async () => (await App.HostAsync("reg-again")).LastHeartbeat?.Metrics?.Cpu == 1.25, "heartbeat after re-registration");
        var view = await App.HostAsync("reg-again");
        Assert.True(view.Online);
        Assert.Equal("/var/lib/nixfleet-agent/repo", view.Registration!.RepoDir);
        Assert.Equal("4444444", view.Generation);
    }

    [Fact]
    public async Task A_socket_silent_for_three_intervals_is_closed_and_the_host_goes_offline()
    {
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        // 1 s interval: three intervals are less than the 15 s floor, which applies.
        await agent.RegisterAsync(TestAgent.Register("reg-silent", p => p["heartbeat_interval"] = 1));
        Assert.True((await App.HostAsync("reg-silent")).Online);

        var (code, reason) = await agent.ClosedAsync(TimeSpan.FromSeconds(40));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, code);
        Assert.Contains("15 s", reason);
        await Eventually.TrueAsync(async () => !(await App.HostAsync("reg-silent")).Online, "silent host offline");
    }
}
