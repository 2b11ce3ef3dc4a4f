using System.Net;
using System.Text.Json;

namespace NixFleet.Tests.Api;

/// <summary>/api/hosts over real HTTP: NixFleet's list shape, one host, deleting only offline hosts; the OpenAPI document.</summary>
public sealed class HostApiTests(ApiFixture f) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task List_is_an_object_with_a_hosts_array_carrying_nixfleet_field_names()
    {
        var agent = await f.AgentAsync("list");
        using var http = await f.ClientAsync();
        // The registration lists the host; its first heartbeat (the checks) may land a moment later.
        var list = await http.WaitJsonAsync("/api/hosts", j => j.GetProperty("hosts").EnumerateArray()
            .Any(h => h.Str("hostname") == agent.Hostname && h.GetProperty("checks").GetProperty("git").Str("status") != "unknown"));
        var h = list.GetProperty("hosts").EnumerateArray().Single(h => h.Str("hostname") == agent.Hostname);
        foreach (var field in new[] { "id", "hostname", "host_type", "agent_version", "os_version", "nixpkgs_version", "generation", "last_seen", "status", "pending_command", "comment" })
            Assert.True(h.TryGetProperty(field, out _), field);
        Assert.Equal(agent.Hostname, h.Str("id"));
        Assert.Equal("online", h.Str("status"));
        Assert.Equal("nixos", h.Str("host_type"));
        Assert.Equal("abc1234", h.Str("generation"));
        Assert.True(h.GetProperty("online").GetBoolean());
        Assert.Equal("ok", h.GetProperty("checks").GetProperty("git").Str("status"));
    }

    [Fact]
    public async Task One_host_has_its_registration_facts_and_unknown_is_404()
    {
        var agent = await f.AgentAsync("one");
        using var http = await f.ClientAsync();
        var h = await http.GetJsonAsync($"/api/hosts/{agent.Hostname}");
        Assert.Equal("25.05.20250101.abcdef0", h.Str("os_version"));
        Assert.Equal("25.05", h.Str("nixpkgs_version"));
        Assert.Equal("/var/lib/nixfleet-agent/repo", h.Str("repo_dir"));
        Assert.Equal(10, h.GetProperty("metrics").GetProperty("cpu").GetDouble());

        using var unknown = await http.GetAsync("/api/hosts/never-registered-x");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("unknown_host", (await unknown.ReadAsync()).Str("code"));
    }

    [Fact]
    public async Task Delete_refuses_an_online_host_and_forgets_an_offline_one()
    {
        var agent = await f.AgentAsync("del");
        using var http = await f.ClientAsync();
        using var online = await http.DeleteAsync($"/api/hosts/{agent.Hostname}");
        Assert.Equal(HttpStatusCode.Conflict, online.StatusCode);
        Assert.Equal("host_online", (await online.ReadAsync()).Str("code"));

        await agent.DisconnectAsync();
        using var deleted = await http.DeleteAsync($"/api/hosts/{agent.Hostname}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var body = await deleted.ReadAsync();
        Assert.Equal("deleted", body.Str("status"));
        Assert.Equal(agent.Hostname, body.Str("host_id"));
        using var gone = await http.GetAsync($"/api/hosts/{agent.Hostname}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        await http.WaitJsonAsync("/api/hosts", j => j.GetProperty("hosts").EnumerateArray().All(h => h.Str("hostname") != agent.Hostname));
        using var again = await http.DeleteAsync($"/api/hosts/{agent.Hostname}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task The_app_serves_an_openapi_document_naming_every_route()
    {
        using var http = await f.ClientAsync();
        var doc = await http.GetJsonAsync("/openapi/v1.json");
        Assert.StartsWith("3.", doc.Str("openapi"));
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var p in new[]
        {
            "/api/hosts", "/api/hosts/{id}", "/api/hosts/{id}/commands", "/api/commands/{id}", "/api/commands/{id}/output",
            "/api/commands/{id}/output.txt", "/api/commands/{id}/stop", "/api/hosts/{id}/command", "/api/dispatch",
            "/api/rollouts", "/api/rollouts/{id}", "/api/rollouts/{id}/pause", "/api/rollouts/{id}/resume", "/api/rollouts/{id}/cancel",
        })
            Assert.Contains(p, paths);
        var submit = doc.GetProperty("paths").GetProperty("/api/hosts/{id}/commands").GetProperty("post");
        Assert.True(submit.GetProperty("responses").TryGetProperty("202", out _));
        Assert.True(submit.GetProperty("responses").TryGetProperty("422", out _));
        // snake_case in the schemas too
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("CommandJson").GetProperty("properties").TryGetProperty("requested_by", out _));
        Assert.Equal(JsonValueKind.Object, schemas.GetProperty("ApiError").ValueKind);
    }
}
