using System.Net;
using Microsoft.Extensions.Time.Testing;
using NixFleet.Web.Security;

namespace NixFleet.Tests.Auth;

/// <summary>Five sign-in attempts a minute per client address; the sixth gets 429 and a page that says when.</summary>
public sealed class RateLimitTests(AuthAppFixture fixture) : IClassFixture<AuthAppFixture>
{
    private AuthApp App => fixture.App;

    [Fact]
    public async Task The_sixth_attempt_in_a_minute_gets_429_with_when_to_retry_even_with_the_right_password()
    {
        using var b = App.NewBrowser();
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await b.LoginAsync("wrong-" + i)).StatusCode);

        var r = await b.LoginAsync();
        Assert.Equal((HttpStatusCode)429, r.StatusCode);
        var retry = r.Headers.RetryAfter?.Delta;
        Assert.NotNull(retry);
        Assert.InRange(retry.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        var html = await r.Content.ReadAsStringAsync();
        Assert.Contains("Try again in", html);
        Assert.Contains("<title>NixFleet</title>", html);
        Assert.Empty(b.Cookies);

        // The page itself stays readable, and another address is not affected.
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("login")).StatusCode);
        using var other = App.NewBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await other.LoginAsync()).StatusCode);
    }

    [Fact]
    public async Task Behind_the_trusted_proxy_each_forwarded_client_has_its_own_budget()
    {
        using var proxy = App.NewBrowser(AuthApp.TrustedProxy);
        var a = new Dictionary<string, string> { ["X-Forwarded-For"] = "192.0.2.10" };
        var c = new Dictionary<string, string> { ["X-Forwarded-For"] = "192.0.2.11" };
        for (var i = 0; i < 5; i++) await proxy.LoginAsync("wrong", "", a);
        Assert.Equal((HttpStatusCode)429, (await proxy.LoginAsync("wrong", "", a)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await proxy.LoginAsync("wrong", "", c)).StatusCode);
    }

    [Fact]
    public async Task An_untrusted_peer_cannot_escape_the_limit_by_inventing_forwarded_addresses()
    {
        using var b = App.NewBrowser();
        for (var i = 0; i < 5; i++)
            await b.LoginAsync("wrong", "", new Dictionary<string, string> { ["X-Forwarded-For"] = $"192.0.2.{100 + i}" });
        var r = await b.LoginAsync("wrong", "", new Dictionary<string, string> { ["X-Forwarded-For"] = "192.0.2.200" });
        Assert.Equal((HttpStatusCode)429, r.StatusCode);
    }

    [Fact]
    public void Nobody_waits_longer_than_one_window()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var limiter = new LoginRateLimiter(time);
        for (var i = 0; i < LoginRateLimiter.Attempts; i++) Assert.Null(limiter.TryAcquire("10.0.0.1"));
        time.Advance(TimeSpan.FromSeconds(10));
        var retryAt = limiter.TryAcquire("10.0.0.1");
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T00:01:00Z"), retryAt);

        // Hammering during the lock-out does not extend it.
        for (var i = 0; i < 100; i++) limiter.TryAcquire("10.0.0.1");
        time.Advance(TimeSpan.FromSeconds(50));
        Assert.Null(limiter.TryAcquire("10.0.0.1"));
    }
}
