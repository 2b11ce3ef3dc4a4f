using System.Net;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Gateway;

/// <summary><c>/ws</c> refuses anyone without a valid agent token with 401, before any upgrade.</summary>
public sealed class AuthenticationTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayApp App => fixture.App;

    [Fact]
    public async Task Plain_http_get_without_a_token_gets_401()
    {
        using var http = new HttpClient { BaseAddress = App.BaseUri };
        var r = await http.GetAsync("ws");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("Bearer", r.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    [InlineData("")]
    [InlineData("nfagent_0000000000_notatoken")]
    public async Task Upgrade_without_a_valid_token_gets_401(string? token) =>
        Assert.Equal(HttpStatusCode.Unauthorized, await TestAgent.RefusedStatusAsync(App.WsUri, token));

    [Fact]
    public async Task Basic_auth_is_not_an_agent_token()
    {
        using var http = new HttpClient { BaseAddress = App.BaseUri };
        using var req = new HttpRequestMessage(HttpMethod.Get, "ws");
        req.Headers.TryAddWithoutValidation("Authorization", "Basic " + GatewayApp.SharedToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(req)).StatusCode);
    }

    [Fact]
    public async Task The_shared_token_registers_an_agent()
    {
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        var registered = await agent.RegisterAsync(TestAgent.Register("auth-shared"));
        Assert.Equal("auth-shared", registered.GetProperty("host_id").GetString());
    }

    [Fact]
    public async Task A_valid_token_without_upgrade_gets_400()
    {
        using var http = new HttpClient { BaseAddress = App.BaseUri };
        using var req = new HttpRequestMessage(HttpMethod.Get, "ws");
        req.Headers.TryAddWithoutValidation("Authorization", "Bearer " + GatewayApp.SharedToken);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(req)).StatusCode);
    }
}

/// <summary>NIXFLEET_ALLOW_SHARED_AGENT_TOKEN=false: only per-host tokens work.</summary>
public sealed class SharedTokenDisabledTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private GatewayApp _app = null!;

    public async Task InitializeAsync() => _app = await GatewayApp.StartAsync(GatewayApp.OptionsFor(_dir.Path, allowShared: false));

    [Fact]
    public async Task The_shared_token_gets_401_and_a_per_host_token_works()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await TestAgent.RefusedStatusAsync(_app.WsUri, GatewayApp.SharedToken));

        var token = await _app.Tokens.CreateAsync("own-token-host");
        await using var agent = await TestAgent.ConnectAsync(_app.WsUri, token.Token);
        await agent.RegisterAsync(TestAgent.Register("own-token-host"));
        Assert.True((await _app.HostAsync("own-token-host")).Online);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _dir.Dispose();
    }
}
