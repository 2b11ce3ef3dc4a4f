using NixFleet.Tests.Agent.Support;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.EndToEnd;

/// <summary><c>nixfleet-agent --check</c> against the real dashboard process: right token accepted, wrong one named as such.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentCheckAgainstDashboardTests : IAsyncLifetime
{
    private readonly TempDir _data = new();
    private readonly AgentWorld _world = new();
    private DashboardProcess _dash = null!;

    public async Task InitializeAsync()
    {
        _dash = DashboardProcess.Start(_data.Path, TestCredentials.Env);
        await _dash.WaitHealthyAsync();
    }

    private string Url => $"ws://127.0.0.1:{_dash.Port}/ws";

    [Fact]
    public async Task The_shared_token_is_accepted()
    {
        var (code, output) = await AgentProcess.RunAsync(_world.Env(Url, TestCredentials.AgentToken), "--check");
        Assert.True(code == 0, output);
        Assert.Contains("accepted the token", output);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_with_its_own_exit_code_and_says_so()
    {
        var (code, output) = await AgentProcess.RunAsync(_world.Env(Url, "not-the-fleet-token-0000000000"), "--check");
        Assert.Equal(3, code); // exit codes: 2 configuration, 3 token refused, 4 unreachable
        Assert.Contains("token refused", output);
        Assert.Contains("401", output);
    }

    public async Task DisposeAsync()
    {
        await _dash.DisposeAsync();
        _world.Dispose();
        _data.Dispose();
    }
}
