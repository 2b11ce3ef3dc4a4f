using System.Net;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Live;

/// <summary>The host page against the real app, with the host registered and heartbeating in its grain.</summary>
public sealed class HostPageTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private InProcessDashboard _dash = null!;

    public async Task InitializeAsync() => _dash = await InProcessDashboard.StartAsync(_dir.Path);

    [Fact]
    public async Task Shows_registration_and_heartbeat_facts_checks_and_a_metrics_chart()
    {
        var agentSide = new RecordingConnection();
        var conn = _dash.Grains.CreateObjectReference<IAgentConnection>(agentSide);
        var host = _dash.Grains.GetGrain<IHostGrain>("hsb0");
        await host.RegisterAsync(Samples.Registration("hsb0") with { RepoDir = "/srv/<b>repo</b>" }, "c1", conn);
        await host.HeartbeatAsync(Samples.Heartbeat("abc1234", cpu: 10), "c1");
        using var http = await _dash.CreateClientAsync();

        var html = await http.GetStringAsync("/hosts/hsb0");
        Assert.Contains("25.05.20250101.abcdef0", html); // os version from register
        Assert.Contains("/nix/store/abc-nixfleet-agent-2.4.0", html);
        Assert.Contains("up to date", html); // the git check's message from the heartbeat
        Assert.Contains("/srv/&lt;b&gt;repo&lt;/b&gt;", html);
        Assert.Contains("No metrics yet", html); // one sample is no line yet

        // the history spaces samples at least 5 s apart; a second sample needs time to pass for the grain
        await Task.Delay(TimeSpan.FromSeconds(5.2));
        await host.HeartbeatAsync(Samples.Heartbeat("abc1234", cpu: 90), "c1");
        html = await http.GetStringAsync("/hosts/hsb0");
        Assert.Contains("<polyline class=\"cpu\"", html);
        Assert.Contains("2 samples", html);
        Assert.DoesNotContain("style=", html);
        GC.KeepAlive(agentSide);
    }

    [Theory]
    [InlineData("/hosts/never-registered")]
    [InlineData("/hosts/..%2F..%2Fetc")]
    [InlineData("/hosts/%3Cscript%3E")]
    [InlineData("/hosts/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Unknown_or_impossible_hosts_are_404(string path)
    {
        using var http = await _dash.CreateClientAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(path)).StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _dash.DisposeAsync();
        _dir.Dispose();
    }
}
