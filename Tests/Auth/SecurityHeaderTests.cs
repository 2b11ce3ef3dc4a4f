using System.Net;

namespace NixFleet.Tests.Auth;

/// <summary>Security headers on every kind of response, not just pages.</summary>
public sealed class SecurityHeaderTests(AuthAppFixture fixture) : IClassFixture<AuthAppFixture>
{
    [Theory]
    [InlineData("login", HttpStatusCode.OK)]
    [InlineData("", HttpStatusCode.Redirect)]
    [InlineData("api/audit", HttpStatusCode.Unauthorized)]
    [InlineData("health", HttpStatusCode.OK)]
    [InlineData("css/nixfleet.css", HttpStatusCode.OK)]
    public async Task Every_response_carries_the_headers(string path, HttpStatusCode status)
    {
        using var b = fixture.App.NewBrowser();
        var r = await b.GetAsync(path);
        Assert.Equal(status, r.StatusCode);
        var csp = string.Join(",", r.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("nosniff", Assert.Single(r.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(r.Headers.GetValues("Referrer-Policy")));
        Assert.False(r.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Each_response_gets_its_own_nonce()
    {
        using var b = fixture.App.NewBrowser();
        var first = string.Join(",", (await b.GetAsync("login")).Headers.GetValues("Content-Security-Policy"));
        var second = string.Join(",", (await b.GetAsync("login")).Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("'nonce-", first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Hsts_is_sent_when_the_trusted_proxy_says_https()
    {
        using var b = fixture.App.NewBrowser(AuthApp.TrustedProxy);
        var r = await b.GetAsync("login", new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https" });
        Assert.Contains("max-age=", Assert.Single(r.Headers.GetValues("Strict-Transport-Security")));
    }
}
