using System.Net;
using NixFleet.Tests.Api;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Pages;

/// <summary>
/// <c>/live/rollouts/{id}</c> over real HTTP: the current state on connect, then each change as an out-of-band swap
/// of the rollout section; hostile messages stay text; a foreign Origin is refused.
/// </summary>
public sealed class RolloutLiveTests(ApiFixture f) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task The_stream_sends_the_current_state_then_every_change()
    {
        var agent = await f.AgentAsync("live");
        using var http = await f.ClientAsync();
        using var r = await http.PostJsonAsync("/api/rollouts", new { command = "test", hosts = new[] { agent.Hostname } });
        var id = (await r.ReadAsync()).Str("id");
        var command = await agent.WaitCommandAsync("test");

        await using var sse = await SseReader.OpenAsync(http, $"/live/rollouts/{id}");
        var first = await sse.NextAsync(d => d.Contains("id=\"rollout\""));
        Assert.Contains("hx-swap-oob=\"true\"", first);
        Assert.Contains("running", first);
        Assert.Contains("?handler=cancel", first); // the buttons carry the session's CSRF token
        Assert.Contains("name=\"csrf_token\"", first);

        await agent.FinishAsync(command.CommandId!, "test", 1);
        var ended = await sse.NextAsync(d => d.Contains("rollout-status\"><span class=\"badge failed\""));
        Assert.Contains(agent.Hostname, ended);
        Assert.DoesNotContain("?handler=cancel", ended); // an ended rollout offers no actions
    }

    [Fact]
    public async Task A_foreign_origin_is_refused()
    {
        var agent = await f.AgentAsync("origin");
        using var http = await f.ClientAsync();
        using var r = await http.PostJsonAsync("/api/rollouts", new { command = "check-version", hosts = new[] { agent.Hostname } });
        var id = (await r.ReadAsync()).Str("id");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/live/rollouts/{id}");
        request.Headers.Add("Origin", "https://evil.example");
        using var refused = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
