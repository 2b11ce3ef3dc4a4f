using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NixFleet.Tests.Support;
using NixFleet.Web.Auth;

namespace NixFleet.Tests.Gateway;

/// <summary>/ws is for agent tokens only: API tokens and operator sessions never register an agent.</summary>
public sealed class WsCredentialSeparationTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private GatewayApp _app = null!;

    public async Task InitializeAsync() => _app = await GatewayApp.StartAsync(GatewayApp.OptionsFor(_dir.Path) with
    {
        PasswordHash = TestCredentials.PasswordHash,
    });

    [Fact]
    public async Task An_api_token_gets_401_on_ws()
    {
        var created = await _app.Services.GetRequiredService<ApiTokenStore>().CreateAsync("ci-script", "test");
        Assert.Equal(HttpStatusCode.Unauthorized, await TestAgent.RefusedStatusAsync(_app.WsUri, created!.Value.Token));
    }

    [Fact]
    public async Task A_signed_in_browser_is_not_an_agent_and_a_foreign_origin_is_refused()
    {
        var session = await TestCredentials.SignInAsync(_app.BaseUri);
        using var http = session.CreateClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("ws")).StatusCode);

        using var foreign = new HttpRequestMessage(HttpMethod.Get, "ws");
        foreign.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(foreign)).StatusCode);
    }

    [Fact]
    public async Task The_agent_token_does_not_open_the_api()
    {
        using var http = new HttpClient { BaseAddress = _app.BaseUri };
        http.DefaultRequestHeaders.Authorization = new("Bearer", GatewayApp.SharedToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/audit")).StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _dir.Dispose();
    }
}
