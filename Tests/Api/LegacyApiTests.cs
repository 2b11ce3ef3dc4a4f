using System.Net;

namespace NixFleet.Tests.Api;

/// <summary>NixFleet's own routes keep working for scripts written against it.</summary>
public sealed class LegacyApiTests(ApiFixture f) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Host_command_route_answers_queued_with_the_command_id()
    {
        var agent = await f.AgentAsync("leg");
        using var http = await f.ClientAsync();
        using var r = await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/command", new { command = "test" });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var body = await r.ReadAsync();
        Assert.Equal("queued", body.Str("status"));
        Assert.Equal("test", body.Str("command"));
        Assert.Equal(body.Str("command_id"), (await agent.WaitCommandAsync("test")).CommandId);

        using var busy = await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/command", new { command = "update" });
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        Assert.Equal("busy", (await busy.ReadAsync()).Str("code"));
        using var forced = await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/command", new { command = "update", force = true });
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        await agent.WaitCommandAsync("update");
        using var unknown = await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/command", new { command = "shutdown" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Equal("unknown_command", (await unknown.ReadAsync()).Str("code"));
    }

    [Fact]
    public async Task Dispatch_sends_one_op_to_several_hosts_with_a_result_each()
    {
        var a = await f.AgentAsync("dsp");
        var b = await f.AgentAsync("dsp");
        var offline = await f.AgentAsync("dsp");
        await offline.DisconnectAsync();
        using var http = await f.ClientAsync();
        using var r = await http.PostJsonAsync("/api/dispatch", new { op = "check-version", hosts = new[] { a.Hostname, b.Hostname, offline.Hostname } });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var results = (await r.ReadAsync()).GetProperty("results").EnumerateArray().ToDictionary(x => x.Str("host"));
        Assert.Equal("queued", results[a.Hostname].Str("status"));
        Assert.Equal("queued", results[b.Hostname].Str("status"));
        Assert.Equal("blocked", results[offline.Hostname].Str("status"));
        Assert.Equal("host_offline", results[offline.Hostname].Str("code"));
        Assert.Equal(results[a.Hostname].Str("command_id"), (await a.WaitCommandAsync("check-version")).CommandId);
        await b.WaitCommandAsync("check-version");

        using var badHost = await http.PostJsonAsync("/api/dispatch", new { op = "test", hosts = new[] { a.Hostname, "../etc" } });
        Assert.Equal(HttpStatusCode.BadRequest, badHost.StatusCode);
        Assert.Equal("invalid_hostname", (await badHost.ReadAsync()).Str("code"));
        using var none = await http.PostJsonAsync("/api/dispatch", new { op = "test", hosts = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, none.StatusCode);
        using var tooMany = await http.PostJsonAsync("/api/dispatch", new { op = "test", hosts = Enumerable.Range(0, 1001).Select(i => $"h{i}").ToArray() });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMany.StatusCode);
        Assert.DoesNotContain(a.Received, i => i.Command == "test");
    }
}
