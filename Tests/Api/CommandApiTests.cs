using System.Net;
using System.Text.Json;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Api;

/// <summary>POST/GET/DELETE of commands over real HTTP, with the host's agent on its grain.</summary>
public sealed class CommandApiTests(ApiFixture f) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Submit_returns_202_with_the_command_and_the_agent_gets_it_with_the_same_id()
    {
        var agent = await f.AgentAsync("web");
        using var http = await f.ClientAsync();

        using var r = await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/commands", new { command = "test" });
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        var c = await r.ReadAsync();
        var id = c.Str("id");
        Assert.Equal($"/api/commands/{id}", r.Headers.Location!.OriginalString);
        Assert.Equal(agent.Hostname, c.Str("host"));
        Assert.Equal("test", c.Str("command"));
        Assert.Equal("dispatched", c.Str("phase"));
        Assert.Equal("operator", c.Str("requested_by"));
        Assert.True(c.TryGetProperty("queued_at", out _)); // snake_case field names
        Assert.Equal(id, (await agent.WaitCommandAsync("test")).CommandId);

        await agent.FinishAsync(id, "test", 0);
        var done = await http.WaitJsonAsync($"/api/commands/{id}", j => j.GetProperty("ended").GetBoolean());
        Assert.Equal("succeeded", done.Str("phase"));
        Assert.Equal(0, done.GetProperty("exit_code").GetInt32());
    }

    [Theory]
    [InlineData("{\"command\":\"rm -rf /\"}", 422, "unknown_command")]
    [InlineData("{\"command\":\"\"}", 422, "unknown_command")]
    [InlineData("{}", 422, "unknown_command")]
    [InlineData("{\"command\":\"test\",\"args\":{\"x\":\"1\"}}", 422, "invalid_args")]
    [InlineData("{\"command\":\"test\"", 400, "malformed_json")]
    [InlineData("not json at all", 400, "malformed_json")]
    [InlineData("{\"command\":\"test\",\"force\":\"yes\"}", 400, "malformed_json")]
    [InlineData("[1,2,3]", 400, "malformed_json")]
    [InlineData("null", 400, "malformed_json")]
    [InlineData("", 400, "malformed_json")]
    public async Task Bad_requests_get_a_code_and_a_message_and_nothing_is_sent(string body, int status, string code)
    {
        var agent = await f.AgentAsync("bad");
        using var http = await f.ClientAsync();
        using var r = await http.PostRawAsync($"/api/hosts/{agent.Hostname}/commands", body);
        Assert.Equal(status, (int)r.StatusCode);
        var e = await r.ReadAsync();
        Assert.Equal(code, e.Str("code"));
        Assert.False(string.IsNullOrWhiteSpace(e.Str("message")));
        Assert.DoesNotContain(agent.Received, i => i.Kind == "command");
        Assert.Equal(0, (await http.GetJsonAsync($"/api/hosts/{agent.Hostname}/commands")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Oversized_and_wrongly_typed_bodies_are_refused()
    {
        var agent = await f.AgentAsync("big");
        using var http = await f.ClientAsync();
        var huge = "{\"command\":\"test\",\"pad\":\"" + new string('x', 200_000) + "\"}";
        using var big = await http.PostRawAsync($"/api/hosts/{agent.Hostname}/commands", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        Assert.Equal("body_too_large", (await big.ReadAsync()).Str("code"));

        // chunked (no Content-Length): the cap holds while reading
        var chunked = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(huge)));
        chunked.Headers.ContentType = new("application/json");
        using var req = new HttpRequestMessage(HttpMethod.Post, $"/api/hosts/{agent.Hostname}/commands") { Content = chunked };
        req.Headers.TransferEncodingChunked = true;
        using var big2 = await http.SendAsync(req);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big2.StatusCode);

        using var form = await http.PostRawAsync($"/api/hosts/{agent.Hostname}/commands", "command=test", "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.DoesNotContain(agent.Received, i => i.Kind == "command");
    }

    [Theory]
    [InlineData("-leading-dash")]
    [InlineData(".hidden")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("<script>")]
    public async Task Impossible_hostnames_are_400_before_any_grain(string name)
    {
        using var http = await f.ClientAsync();
        var path = Uri.EscapeDataString(name);
        using var submit = await http.PostJsonAsync($"/api/hosts/{path}/commands", new { command = "test" });
        Assert.Equal(HttpStatusCode.BadRequest, submit.StatusCode);
        Assert.Equal("invalid_hostname", (await submit.ReadAsync()).Str("code"));
        using var get = await http.GetAsync($"/api/hosts/{path}");
        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        using var history = await http.GetAsync($"/api/hosts/{path}/commands");
        Assert.Equal(HttpStatusCode.BadRequest, history.StatusCode);
    }

    [Fact]
    public async Task Offline_host_is_409_unless_queued_then_it_runs_when_the_agent_returns()
    {
        var agent = await f.AgentAsync("off");
        await agent.DisconnectAsync();
        using var http = await f.ClientAsync();

        using var refused = await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/commands", new { command = "test" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("host_offline", (await refused.ReadAsync()).Str("code"));

        using var queued = await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/commands", new { command = "test", queue = true });
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var c = await queued.ReadAsync();
        Assert.Equal("queued", c.Str("phase"));
        Assert.Equal(JsonValueKind.String, c.GetProperty("expires_at").ValueKind);

        await agent.ConnectAsync();
        Assert.Equal(c.Str("id"), (await agent.WaitCommandAsync("test")).CommandId);
    }

    [Fact]
    public async Task Unknown_host_is_404_and_a_busy_host_is_409_busy()
    {
        using var http = await f.ClientAsync();
        using var unknown = await http.PostJsonAsync("/api/hosts/never-seen-host/commands", new { command = "test" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("unknown_host", (await unknown.ReadAsync()).Str("code"));

        var agent = await f.AgentAsync("busy");
        using var first = await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/commands", new { command = "test" });
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        using var second = await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/commands", new { command = "update" });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("busy", (await second.ReadAsync()).Str("code"));
    }

    [Fact]
    public async Task History_is_paged_newest_first_and_stop_and_cancel_answer_with_codes()
    {
        var agent = await f.AgentAsync("hist");
        using var http = await f.ClientAsync();
        var running = (await (await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/commands", new { command = "test" })).ReadAsync()).Str("id");
        var queued = new List<string>();
        foreach (var op in new[] { "update", "refresh-lock", "check-version" })
            queued.Add((await (await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/commands", new { command = op, queue = true })).ReadAsync()).Str("id"));

        var page1 = await http.GetJsonAsync($"/api/hosts/{agent.Hostname}/commands?offset=0&limit=2");
        Assert.Equal(4, page1.GetProperty("total").GetInt32());
        Assert.Equal([queued[2], queued[1]], page1.GetProperty("items").EnumerateArray().Select(i => i.Str("id")));
        var page2 = await http.GetJsonAsync($"/api/hosts/{agent.Hostname}/commands?offset=2&limit=2");
        Assert.Equal([queued[0], running], page2.GetProperty("items").EnumerateArray().Select(i => i.Str("id")));

        // cancel: only queued commands; stop: only the one in flight
        using var cancelRunning = await http.DeleteAsync($"/api/commands/{running}");
        Assert.Equal(HttpStatusCode.Conflict, cancelRunning.StatusCode);
        Assert.Equal("not_queued", (await cancelRunning.ReadAsync()).Str("code"));
        using var stopQueued = await http.PostAsync($"/api/commands/{queued[0]}/stop", null);
        Assert.Equal(HttpStatusCode.Conflict, stopQueued.StatusCode);
        Assert.Equal("not_running", (await stopQueued.ReadAsync()).Str("code"));

        using var cancel = await http.DeleteAsync($"/api/commands/{queued[1]}");
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", (await cancel.ReadAsync()).Str("phase"));

        using var stop = await http.PostAsync($"/api/commands/{running}/stop", null);
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        await Eventually.TrueAsync(() => agent.Received.Any(i => i.Kind == "kill_command"), "kill_command sent");
        await agent.FinishAsync(running, "test", 130, "stopped");
        var stopped = await http.WaitJsonAsync($"/api/commands/{running}", j => j.GetProperty("ended").GetBoolean());
        Assert.Equal("stopped", stopped.Str("phase"));
    }

    [Theory]
    [InlineData("not-an-id", 400)]
    [InlineData("0123456789abcdef0123456789ABCDEF-web", 400)]
    [InlineData("0123456789abcdef0123456789abcdef-", 400)]
    [InlineData("0123456789abcdef0123456789abcdef-bad%20host", 400)]
    [InlineData("0123456789abcdef0123456789abcdef-nohost", 404)]
    public async Task Command_ids_are_validated_and_unknown_ones_are_404(string id, int status)
    {
        using var http = await f.ClientAsync();
        foreach (var r in new[]
        {
            await http.GetAsync($"/api/commands/{id}"), await http.GetAsync($"/api/commands/{id}/output"),
            await http.PostAsync($"/api/commands/{id}/stop", null), await http.DeleteAsync($"/api/commands/{id}"),
        })
        {
            using (r)
            {
                Assert.Equal(status, (int)r.StatusCode);
                Assert.Equal(status == 400 ? "invalid_id" : "unknown_command_id", (await r.ReadAsync()).Str("code"));
            }
        }
    }
}
