using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NixFleet.Tests.Support;
using NixFleet.Web.Auth;
using OtpNet;

namespace NixFleet.Tests.Api;

/// <summary>
/// The API behind sign-in: 401 without credentials, API tokens as Bearer acting as <c>token:NAME</c>, every dispatch,
/// stop, cancel and rollout in the audit trail, and reboot needing a fresh TOTP code that works once.
/// </summary>
public sealed class ApiAuthTests : IAsyncLifetime
{
    private const string Secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    private readonly TempDir _dir = new();
    private InProcessDashboard _dash = null!;

    public async Task InitializeAsync() => _dash = await InProcessDashboard.StartAsync(_dir.Path, o => o with { TotpSecret = Secret });

    private async Task<HttpClient> TokenClientAsync(string name)
    {
        var (_, token) = (await _dash.Services.GetRequiredService<ApiTokenStore>().CreateAsync(name, "test"))!.Value;
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _dash.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return http;
    }

    private readonly List<ApiAgent> _agents = [];

    private async Task<ApiAgent> AgentAsync(string prefix)
    {
        var agent = await ApiAgent.StartAsync(_dash, prefix);
        _agents.Add(agent);
        return agent;
    }

    [Theory]
    [InlineData("GET", "/api/hosts")]
    [InlineData("GET", "/api/hosts/web-01")]
    [InlineData("POST", "/api/hosts/web-01/commands")]
    [InlineData("POST", "/api/hosts/web-01/command")]
    [InlineData("POST", "/api/dispatch")]
    [InlineData("GET", "/api/commands/0123456789abcdef0123456789abcdef-web-01/output")]
    [InlineData("POST", "/api/rollouts")]
    [InlineData("DELETE", "/api/hosts/web-01")]
    public async Task Without_credentials_the_api_answers_401_json(string method, string path)
    {
        using var http = _dash.CreateAnonymousClient();
        using var r = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
            { Content = method == "GET" ? null : new StringContent("{\"command\":\"reboot\"}", System.Text.Encoding.UTF8, "application/json") });
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal("application/json", r.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Live_command_output_needs_an_operator_session_not_a_token()
    {
        using var anonymous = _dash.CreateAnonymousClient();
        using var stranger = await anonymous.GetAsync("/live/commands/0123456789abcdef0123456789abcdef-web-01");
        Assert.Equal(HttpStatusCode.Found, stranger.StatusCode); // not /api: sent to sign in
        Assert.StartsWith("/login", stranger.Headers.Location!.OriginalString);
        using var token = await TokenClientAsync("live-probe");
        using var script = await token.GetAsync("/live/commands/0123456789abcdef0123456789abcdef-web-01");
        Assert.Equal(HttpStatusCode.Found, script.StatusCode); // a token is for /api only: pages and live updates send it to sign in
        Assert.StartsWith("/login", script.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Dispatch_stop_cancel_and_rollouts_are_audited_with_the_token_name()
    {
        var agent = await AgentAsync("aud");
        using var http = await TokenClientAsync("ci-deploy");

        var running = await (await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/commands", new { command = "test" })).ReadAsync();
        Assert.Equal("token:ci-deploy", running.Str("requested_by"));
        var queued = await (await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/commands", new { command = "update", queue = true })).ReadAsync();
        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync($"/api/commands/{queued.Str("id")}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/api/commands/{running.Str("id")}/stop", null)).StatusCode);
        var other = await AgentAsync("aud");
        var rollout = await (await http.PostJsonAsync("/api/rollouts", new { command = "check-version", hosts = new[] { other.Hostname } })).ReadAsync();
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/api/rollouts/{rollout.Str("id")}/cancel", null)).StatusCode);

        var entries = (await http.GetJsonAsync($"/api/audit?host={agent.Hostname}&limit=50")).GetProperty("entries").EnumerateArray().ToList();
        AssertEntry(entries, "command.dispatch", running.Str("id"));
        AssertEntry(entries, "command.dispatch", queued.Str("id"));
        AssertEntry(entries, "command.cancel", queued.Str("id"));
        AssertEntry(entries, "command.stop", running.Str("id"));
        var all = (await http.GetJsonAsync("/api/audit?limit=200")).GetProperty("entries").EnumerateArray().ToList();
        Assert.Contains(all, e => e.Str("action") == "rollout.start" && e.Str("actor") == "token:ci-deploy" && e.Str("detail").Contains(rollout.Str("id")));
        Assert.Contains(all, e => e.Str("action") == "rollout.cancel" && e.Str("actor") == "token:ci-deploy");
    }

    private static void AssertEntry(List<JsonElement> entries, string action, string commandId) =>
        Assert.Contains(entries, e => e.Str("action") == action && e.Str("actor") == "token:ci-deploy" && e.Str("detail").Contains($"command={commandId}"));

    [Fact]
    public async Task Reboot_needs_a_fresh_totp_code_that_works_once()
    {
        var agent = await AgentAsync("rb");
        using var http = await TokenClientAsync("rebooter");

        foreach (var (path, body) in new (string, object)[]
        {
            ($"/api/hosts/{agent.Hostname}/commands", new { command = "reboot" }),
            ($"/api/hosts/{agent.Hostname}/commands", new { command = "reboot", totp_code = "000000" }),
            ($"/api/hosts/{agent.Hostname}/command", new { command = "reboot" }),
            ("/api/dispatch", new { op = "reboot", hosts = new[] { agent.Hostname } }),
            ("/api/rollouts", new { command = "reboot", hosts = new[] { agent.Hostname } }),
        })
        {
            using var refused = await http.PostJsonAsync(path, body);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("totp_required", (await refused.ReadAsync()).Str("code"));
        }
        Assert.DoesNotContain(agent.Received, i => i.Command == "reboot");

        var code = new Totp(Base32Encoding.ToBytes(Secret)).ComputeTotp(DateTime.UtcNow);
        using var ok = await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/commands", new { command = "reboot", totp_code = code });
        Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        await agent.WaitCommandAsync("reboot");
        using var replay = await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/commands", new { command = "reboot", totp_code = code, queue = true });
        Assert.Equal(HttpStatusCode.Forbidden, replay.StatusCode);

        // other commands need no code
        using var test = await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/commands", new { command = "check-version", queue = true });
        Assert.Equal(HttpStatusCode.Accepted, test.StatusCode);
    }

    public async Task DisposeAsync()
    {
        foreach (var a in _agents) await a.DisposeAsync();
        await _dash.DisposeAsync();
        _dir.Dispose();
    }
}
