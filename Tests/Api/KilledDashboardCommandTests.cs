using System.Net;
using System.Net.Http.Json;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Api;

/// <summary>
/// The real dashboard process is killed (SIGKILL) while a command runs on a real agent socket. After a restart the
/// command's outcome is unknown: it waits for its agent (NIXFLEET_RECONNECT_WINDOW), is never sent again, and ends
/// <c>interrupted</c> when the agent comes back without reporting it or does not come back in time. Its output is kept.
/// </summary>
public sealed class KilledDashboardCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_command_in_flight_when_the_dashboard_is_killed_ends_interrupted_and_is_not_re_run(bool agentComesBack)
    {
        // Short enough for a test when the agent stays away; long enough never to pass before it returns.
        var env = new Dictionary<string, string?>(TestCredentials.Env) { ["NIXFLEET_RECONNECT_WINDOW"] = agentComesBack ? "10m" : "2s" };
        string id;
        await using (var first = DashboardProcess.Start(_dir.Path, env))
        {
            await first.WaitHealthyAsync();
            await using var agent = await TestAgent.ConnectAsync(new Uri($"ws://127.0.0.1:{first.Port}/ws"), TestCredentials.AgentToken);
            await agent.RegisterAsync(TestAgent.Register("kill-api", p => p["capabilities"] = new[] { "command_id", "ack" }));
            await agent.SendAsync("heartbeat", TestAgent.Heartbeat());
            using var http = (await TestCredentials.SignInAsync(first.BaseUri)).CreateClient();

            using var r = await http.PostAsJsonAsync("/api/hosts/kill-api/commands", new { command = "test" });
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
            id = (await r.ReadAsync()).Str("id");
            var frame = await NextCommandAsync(agent);
            Assert.Equal(id, frame.GetProperty("payload").GetProperty("command_id").GetString());
            await agent.SendAsync("output", new { line = "running test 1", stream = "stdout", command = "test", is_error = false, command_id = id, seq = 1 });
            await http.WaitJsonAsync($"/api/commands/{id}/output", j => j.GetProperty("lines").GetArrayLength() == 1);
            Assert.Equal("running", (await http.GetJsonAsync($"/api/commands/{id}")).Str("phase"));

            first.KillHard();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        await using var second = DashboardProcess.Start(_dir.Path, env);
        await second.WaitHealthyAsync();
        using var http2 = (await TestCredentials.SignInAsync(second.BaseUri)).CreateClient();
        var kept = await http2.GetJsonAsync($"/api/commands/{id}/output");
        Assert.Equal("running test 1", Assert.Single(kept.GetProperty("lines").EnumerateArray()).Str("text"));
        if (!agentComesBack)
        {
            var lost = await http2.WaitJsonAsync($"/api/commands/{id}", j => j.Str("phase") == "interrupted");
            Assert.Contains("not back within 2 s", lost.Str("message"));
            return;
        }
        Assert.Equal("running", (await http2.GetJsonAsync($"/api/commands/{id}")).Str("phase"));

        // The agent returns without the command: it is registered, heartbeats, and is never sent the command again.
        await using var back = await TestAgent.ConnectAsync(new Uri($"ws://127.0.0.1:{second.Port}/ws"), TestCredentials.AgentToken);
        await back.RegisterAsync(TestAgent.Register("kill-api", p => p["capabilities"] = new[] { "command_id", "ack" }));
        await back.SendAsync("heartbeat", TestAgent.Heartbeat());
        await http2.WaitJsonAsync("/api/hosts/kill-api", j => j.GetProperty("online").GetBoolean());
        var after = await http2.WaitJsonAsync($"/api/commands/{id}", j => j.Str("phase") == "interrupted");
        Assert.True(after.GetProperty("ended").GetBoolean());
        Assert.Contains("without reporting it", after.Str("message"));
        while (await back.MaybeNextAsync(TimeSpan.FromSeconds(2)) is { } f)
            Assert.NotEqual("command", f.GetProperty("type").GetString());
        Assert.Equal("interrupted", (await http2.GetJsonAsync($"/api/commands/{id}")).Str("phase"));
    }

    private static async Task<System.Text.Json.JsonElement> NextCommandAsync(TestAgent agent)
    {
        while (true)
        {
            var f = await agent.NextAsync();
            if (f.GetProperty("type").GetString() == "command") return f;
        }
    }

    public void Dispose() => _dir.Dispose();
}
