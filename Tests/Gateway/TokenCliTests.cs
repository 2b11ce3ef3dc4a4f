using System.Net;
using System.Net.WebSockets;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Gateway;

/// <summary><c>nixfleet-dashboard token …</c> as real processes, changing tokens while the real dashboard runs.</summary>
public sealed class TokenCliTests : IDisposable
{
    private const string Shared = "shared-token-of-the-cli-test-0123456789";
    private readonly TempDir _dir = new();
    private readonly Dictionary<string, string?> _env = new() { ["NIXFLEET_AGENT_TOKEN"] = Shared };

    private async Task<(int Exit, List<string> Lines)> CliAsync(params string[] args)
    {
        await using var cli = DashboardProcess.Start(_dir.Path, _env, null, args);
        var exit = await cli.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, cli.Output.ToList());
    }

    [Fact]
    public async Task Create_list_and_revoke_while_the_dashboard_runs()
    {
        await using var dash = DashboardProcess.Start(_dir.Path, _env);
        await dash.WaitHealthyAsync();
        var ws = new Uri($"ws://127.0.0.1:{dash.Port}/ws");

        var (exit, lines) = await CliAsync("token", "create", "cli-host");
        Assert.Equal(0, exit);
        var token = Assert.Single(lines, l => l.StartsWith("nfagent_", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("shown only this once"));

        await using (var agent = await TestAgent.ConnectAsync(ws, token))
            Assert.Equal("cli-host", (await agent.RegisterAsync(TestAgent.Register("cli-host"))).GetProperty("host_id").GetString());

        await using (var sharedAgent = await TestAgent.ConnectAsync(ws, Shared))
        {
            await sharedAgent.SendAsync("register", TestAgent.Register("cli-host"));
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, (await sharedAgent.ClosedAsync()).Code);
        }

        (exit, lines) = await CliAsync("token", "list");
        Assert.Equal(0, exit);
        var row = Assert.Single(lines, l => l.Contains("cli-host"));
        Assert.StartsWith(token.Split('_')[1] + "\t", row);
        Assert.DoesNotContain(lines, l => l.Contains(token[^20..]));

        (exit, lines) = await CliAsync("token", "revoke", "cli-host");
        Assert.Equal(0, exit);
        Assert.Contains("revoked 1 token", lines);
        Assert.Equal(HttpStatusCode.Unauthorized, await TestAgent.RefusedStatusAsync(ws, token));

        // With no per-host token left, the shared token may register the host again.
        await using var back = await TestAgent.ConnectAsync(ws, Shared);
        await back.RegisterAsync(TestAgent.Register("cli-host"));
    }

    [Fact]
    public async Task Bad_arguments_fail_with_a_message()
    {
        var (exit, lines) = await CliAsync("token", "create", "not a hostname");
        Assert.Equal(2, exit);
        Assert.Contains(lines, l => l.Contains("not a valid hostname"));

        (exit, lines) = await CliAsync("token", "revoke", "nobody");
        Assert.Equal(1, exit);
        Assert.Contains(lines, l => l.Contains("no token"));

        (exit, lines) = await CliAsync("token", "frobnicate");
        Assert.Equal(2, exit);
        Assert.Contains(lines, l => l.Contains("usage"));
    }

    public void Dispose() => _dir.Dispose();
}
