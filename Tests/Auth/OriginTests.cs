using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NixFleet.Web.Security;

namespace NixFleet.Tests.Auth;

/// <summary>Browser live-update endpoints (LiveUpdateAccess) take only operator sessions from an allowed Origin.</summary>
public sealed class OriginTests : IAsyncLifetime
{
    private AuthApp _app = null!;

    public async Task InitializeAsync() => _app = await AuthApp.StartAsync(
        o => o with { AllowedOrigins = ["https://fleet.example.org"] },
        map: app => app.MapGet("/api/live-probe", () => Results.Text("live")).RequireLiveUpdateAccess());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Dictionary<string, string> Origin(string origin) => new() { ["Origin"] = origin };

    [Fact]
    public async Task A_foreign_origin_is_refused_even_with_a_valid_session()
    {
        using var b = _app.NewBrowser();
        await b.SignInAsync();
        foreach (var foreign in new[] { "https://evil.example", "http://127.0.0.1:1", "null", "http://127.0.0.1.evil.example" })
            Assert.Equal(HttpStatusCode.Forbidden, (await b.GetAsync("api/live-probe", Origin(foreign))).StatusCode);
    }

    [Fact]
    public async Task The_own_origin_and_a_configured_one_are_allowed()
    {
        using var b = _app.NewBrowser();
        await b.SignInAsync();
        var own = _app.BaseUri.GetLeftPart(UriPartial.Authority);
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("api/live-probe", Origin(own))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("api/live-probe", Origin("https://fleet.example.org"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("api/live-probe")).StatusCode);
    }

    [Fact]
    public async Task An_api_token_is_not_a_browser_session()
    {
        using var op = _app.NewBrowser();
        var csrf = await op.SignInAsync();
        var created = await op.PostJsonAsync("api/tokens", new { name = "live" }, new Dictionary<string, string> { ["X-CSRF-Token"] = csrf });
        var token = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString();
        using var script = _app.NewBrowser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("api/live-probe", new Dictionary<string, string> { ["Authorization"] = "Bearer " + token })).StatusCode);
    }

    [Fact]
    public async Task A_sign_in_posted_from_another_site_is_refused()
    {
        using var b = _app.NewBrowser();
        var r = await b.LoginAsync(headers: Origin("https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Empty(b.Cookies);
        Assert.Equal(HttpStatusCode.Redirect, (await b.LoginAsync(headers: Origin(_app.BaseUri.GetLeftPart(UriPartial.Authority)))).StatusCode);
    }

    [Fact]
    public async Task The_fleet_live_stream_refuses_a_foreign_origin_and_serves_the_own_one()
    {
        using var b = _app.NewBrowser();
        await b.SignInAsync();
        var foreign = await b.SendAsync(HttpMethod.Get, "live/fleet", null, Origin("https://evil.example"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);

        using var own = await b.SendAsync(HttpMethod.Get, "live/fleet", null, Origin(_app.BaseUri.GetLeftPart(UriPartial.Authority)), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("text/event-stream", own.Content.Headers.ContentType?.MediaType);

        using var stranger = _app.NewBrowser();
        var anonymous = await stranger.SendAsync(HttpMethod.Get, "live/fleet", null, null, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    [Fact]
    public async Task Without_a_session_it_is_401()
    {
        using var b = _app.NewBrowser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.GetAsync("api/live-probe")).StatusCode);
    }
}
