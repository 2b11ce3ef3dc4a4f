using NixFleet.Agent.Cli;
using NixFleet.Agent.Configuration;
using NixFleet.Tests.Agent.Support;

namespace NixFleet.Tests.Agent;

/// <summary>The agent binary's command line: version, help, configuration errors, --check against a dashboard.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentCliTests : IDisposable
{
    private readonly AgentWorld _world = new();

    [Fact]
    public async Task Version_prints_the_version()
    {
        var (code, output) = await AgentProcess.RunAsync(new Dictionary<string, string?>(), "--version");
        Assert.Equal(0, code);
        Assert.Matches(@"^nixfleet-agent \d+\.\d+\.\d+", output);
    }

    [Fact]
    public async Task Help_lists_every_variable()
    {
        var (code, output) = await AgentProcess.RunAsync(new Dictionary<string, string?>(), "--help");
        Assert.Equal(0, code);
        Assert.Equal(18, AgentVariables.All.Count);
        foreach (var v in AgentVariables.All) Assert.Contains(v.Name, output);
        foreach (var name in new[] { "NIXFLEET_URL", "NIXFLEET_TOKEN", "NIXFLEET_TOKEN_FILE", "NIXFLEET_REPO_URL", "NIXFLEET_REPO_DIR",
                     "NIXFLEET_BRANCH", "NIXFLEET_SSH_KEY", "NIXFLEET_HOSTNAME", "NIXFLEET_INTERVAL", "NIXFLEET_LOG_LEVEL",
                     "NIXFLEET_THEME_COLOR", "NIXFLEET_LOCATION", "NIXFLEET_DEVICE_TYPE", "NIXFLEET_STATE_DIR", "NIXFLEET_AGENT_LINK" })
            Assert.Contains(name, output);
    }

    [Theory]
    [InlineData("NIXFLEET_URL", null, "NIXFLEET_URL is required")]
    [InlineData("NIXFLEET_TOKEN", null, "NIXFLEET_TOKEN or NIXFLEET_TOKEN_FILE is required")]
    [InlineData("NIXFLEET_INTERVAL", "0", "NIXFLEET_INTERVAL")]
    [InlineData("NIXFLEET_RECONNECT_MAX", "0", "NIXFLEET_RECONNECT_MAX")]
    [InlineData("NIXFLEET_URL", "ftp://x", "NIXFLEET_URL")]
    [InlineData("NIXFLEET_THEME_COLOR", "blue", "NIXFLEET_THEME_COLOR")]
    [InlineData("NIXFLEET_LOCATION", "moon", "NIXFLEET_LOCATION")]
    [InlineData("NIXFLEET_TOKEN_FILE", "/nonexistent/token", "NIXFLEET_TOKEN_FILE")]
    [InlineData("NIXFLEET_AGENT_LINK", "bin/nixfleet-agent", "NIXFLEET_AGENT_LINK")]
    public async Task Missing_or_invalid_setting_is_one_line_and_exit_2(string variable, string? value, string expected)
    {
        await using var dash = await FakeDashboard.StartAsync();
        var env = _world.Env(dash);
        env[variable] = value;
        if (variable == "NIXFLEET_TOKEN_FILE") env["NIXFLEET_TOKEN"] = null;
        foreach (var mode in new[] { "--check", "run" })
        {
            var (code, output) = await AgentProcess.RunAsync(env, mode);
            Assert.Equal(ExitCodes.Config, code);
            var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(expected, line);
        }
    }

    [Fact]
    public async Task Check_accepts_a_good_token_from_a_file()
    {
        await using var dash = await FakeDashboard.StartAsync();
        var tokenFile = Path.Combine(_world.Root, "token");
        await File.WriteAllTextAsync(tokenFile, dash.Token + "\n");
        var env = _world.Env(dash, new() { ["NIXFLEET_TOKEN"] = null, ["NIXFLEET_TOKEN_FILE"] = tokenFile });
        var (code, output) = await AgentProcess.RunAsync(env, "--check");
        Assert.True(code == ExitCodes.Ok, output);
        Assert.Contains("accepted the token", output);
    }

    [Fact]
    public async Task Check_with_a_wrong_token_says_so_with_its_own_exit_code()
    {
        await using var dash = await FakeDashboard.StartAsync();
        var (code, output) = await AgentProcess.RunAsync(_world.Env(dash, new() { ["NIXFLEET_TOKEN"] = "wrong-token" }), "--check");
        Assert.Equal(ExitCodes.Auth, code);
        Assert.Contains("token refused", output);
        Assert.Contains("401", output);
        Assert.Empty(dash.Frames);
    }

    [Fact]
    public async Task Check_against_nothing_listening_says_unreachable()
    {
        await using var dash = await FakeDashboard.StartAsync();
        var env = _world.Env(dash, new() { ["NIXFLEET_URL"] = $"ws://127.0.0.1:{NixFleet.Tests.Support.FreePort.Next()}/ws" });
        var (code, output) = await AgentProcess.RunAsync(env, "--check");
        Assert.Equal(ExitCodes.Unreachable, code);
        Assert.Contains("unreachable", output);
    }

    [Fact]
    public async Task Unknown_option_is_refused()
    {
        var (code, output) = await AgentProcess.RunAsync(new Dictionary<string, string?>(), "--frobnicate");
        Assert.Equal(ExitCodes.Config, code);
        Assert.Contains("--frobnicate", output);
    }

    public void Dispose() => _world.Dispose();
}
