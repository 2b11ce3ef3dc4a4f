using System.Net;

namespace NixFleet.Tests.Api;

/// <summary>Rollouts over HTTP: waves, a failure stopping the rollout, pause/resume/cancel, and bad specs.</summary>
public sealed class RolloutApiTests(ApiFixture f) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_failing_host_stops_a_rollout_over_three_hosts_with_max_failures_0()
    {
        var hosts = new[] { await f.AgentAsync("ro"), await f.AgentAsync("ro"), await f.AgentAsync("ro") };
        using var http = await f.ClientAsync();
        using var r = await http.PostJsonAsync("/api/rollouts", new
        {
            command = "test", hosts = hosts.Select(h => h.Hostname).ToArray(), batch_size = 1, canary = true, max_failures = 0, wait_between_s = 0,
        });
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        var rollout = await r.ReadAsync();
        var id = rollout.Str("id");
        Assert.Equal($"/api/rollouts/{id}", r.Headers.Location!.OriginalString);
        Assert.Equal(3, rollout.GetProperty("wave_count").GetInt32());

        // wave 0: the canary succeeds
        var first = await hosts[0].WaitCommandAsync("test");
        await hosts[0].FinishAsync(first.CommandId!, "test", 0);
        // wave 1: fails
        var second = await hosts[1].WaitCommandAsync("test");
        await hosts[1].FinishAsync(second.CommandId!, "test", 2);

        var done = await http.WaitJsonAsync($"/api/rollouts/{id}", j => j.Str("status") != "running");
        Assert.Equal("failed", done.Str("status"));
        Assert.Equal(1, done.GetProperty("failures").GetInt32());
        var phases = done.GetProperty("hosts").EnumerateArray().ToDictionary(h => h.Str("host"), h => h.Str("phase"));
        Assert.Equal("succeeded", phases[hosts[0].Hostname]);
        Assert.Equal("failed", phases[hosts[1].Hostname]);
        Assert.NotEqual("succeeded", phases[hosts[2].Hostname]);
        await Task.Delay(300);
        Assert.DoesNotContain(hosts[2].Received, i => i.Command == "test"); // the third host never got it

        var list = await http.GetJsonAsync("/api/rollouts");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), x => x.Str("id") == id);
    }

    [Fact]
    public async Task Selector_percent_batches_pause_resume_and_cancel()
    {
        var a = await f.AgentAsync("sel");
        await a.DisconnectAsync();
        await a.ConnectAsync(location: "cloud-" + a.Hostname); // a location only this host has
        using var http = await f.ClientAsync();
        await http.WaitJsonAsync("/api/hosts", j => j.GetProperty("hosts").EnumerateArray().Any(h => h.Str("hostname") == a.Hostname && h.Str("location") == "cloud-" + a.Hostname));
        using var r = await http.PostJsonAsync("/api/rollouts", new { command = "check-version", location = "cloud-" + a.Hostname, batch_size = "50%" });
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        var ro = await r.ReadAsync();
        var id = ro.Str("id");
        Assert.Equal(50, ro.GetProperty("batch_percent").GetInt32());
        Assert.Equal([a.Hostname], ro.GetProperty("hosts").EnumerateArray().Select(h => h.Str("host")));

        var paused = await (await http.PostAsync($"/api/rollouts/{id}/pause", null)).ReadAsync();
        Assert.Equal("paused", paused.Str("status"));
        var resumed = await (await http.PostAsync($"/api/rollouts/{id}/resume", null)).ReadAsync();
        Assert.Equal("running", resumed.Str("status"));
        var cancelled = await (await http.PostAsync($"/api/rollouts/{id}/cancel", null)).ReadAsync();
        Assert.Equal("cancelled", cancelled.Str("status"));

        using var unknown = await http.GetAsync("/api/rollouts/0123456789abcdef0123456789abcdef");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("unknown_rollout", (await unknown.ReadAsync()).Str("code"));
        using var bad = await http.PostAsync("/api/rollouts/..%2Fx/pause", null);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Theory]
    [InlineData("{\"command\":\"test\"}", 422, "invalid_request")]
    [InlineData("{\"command\":\"test\",\"hosts\":[\"a\"],\"all\":true}", 422, "invalid_request")]
    [InlineData("{\"command\":\"test\",\"hosts\":[\"a\"],\"batch_size\":\"0%\"}", 422, "invalid_request")]
    [InlineData("{\"command\":\"test\",\"hosts\":[\"a\"],\"batch_size\":\"lots\"}", 422, "invalid_request")]
    [InlineData("{\"command\":\"test\",\"hosts\":[\"a\"],\"batch_size\":0}", 422, "invalid_request")]
    [InlineData("{\"command\":\"test\",\"hosts\":[\"a\"],\"batch_size\":true}", 422, "invalid_request")]
    [InlineData("{\"command\":\"test\",\"hosts\":[\"a b\"]}", 400, "invalid_hostname")]
    [InlineData("{\"command\":\"format-disk\",\"hosts\":[\"a\"]}", 422, "invalid_rollout")]
    [InlineData("{\"command\":\"test\",\"hosts\":[\"a\",\"a\"]}", 422, "invalid_rollout")]
    [InlineData("{\"command\":\"test\",\"hosts\":[\"a\"],\"max_failures\":-1}", 422, "invalid_rollout")]
    [InlineData("{\"command\":\"test\",\"location\":\"nowhere-at-all\"}", 422, "invalid_request")]
    [InlineData("{\"command\":\"test\",\"hosts\":\"a\"}", 400, "malformed_json")]
    public async Task Bad_rollouts_are_refused_with_a_reason(string body, int status, string code)
    {
        using var http = await f.ClientAsync();
        using var r = await http.PostRawAsync("/api/rollouts", body);
        Assert.Equal(status, (int)r.StatusCode);
        var e = await r.ReadAsync();
        Assert.Equal(code, e.Str("code"));
        Assert.DoesNotContain("Parameter", e.Str("message"));
    }
}
