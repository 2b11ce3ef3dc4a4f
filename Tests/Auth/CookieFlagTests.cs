using System.Net;
using NixFleet.Web.Audit;

namespace NixFleet.Tests.Auth;

/// <summary>
/// Cookie flags and HSTS follow the scheme the client used: X-Forwarded-Proto and -For count only from the trusted
/// proxy (127.0.0.2 in these tests); from anyone else they are ignored.
/// </summary>
public sealed class CookieFlagTests(AuthAppFixture fixture) : IClassFixture<AuthAppFixture>
{
    private AuthApp App => fixture.App;

    private static Dictionary<string, string> Forwarded(string proto, string forFor = "203.0.113.7") =>
        new() { ["X-Forwarded-Proto"] = proto, ["X-Forwarded-For"] = forFor };

    private static string SessionCookieLine(Browser b) => Assert.Single(b.LastSetCookies, c => c.Contains("nixfleet_session="));

    [Fact]
    public async Task Plain_http_gives_an_HttpOnly_Lax_cookie_without_Secure_and_no_HSTS()
    {
        using var b = App.NewBrowser();
        var r = await b.LoginAsync();
        var line = SessionCookieLine(b);
        Assert.StartsWith("nixfleet_session=", line);
        Assert.Contains("httponly", line, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", line, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", line, StringComparison.OrdinalIgnoreCase);
        Assert.False(r.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Https_from_the_trusted_proxy_gives_a_Secure_Host_prefixed_cookie_and_HSTS()
    {
        using var b = App.NewBrowser(AuthApp.TrustedProxy);
        var r = await b.LoginAsync(headers: Forwarded("https"));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var line = SessionCookieLine(b);
        Assert.StartsWith("__Host-nixfleet_session=", line);
        Assert.Contains("; secure", line, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", line, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", line, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", line, StringComparison.OrdinalIgnoreCase);
        Assert.True(r.Headers.Contains("Strict-Transport-Security"));

        // The session works through the proxy over https, and the audit shows the client behind the proxy.
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("", Forwarded("https"))).StatusCode);
        var logins = await App.Service<IAuditLog>().QueryAsync(null, "login", null, 200);
        Assert.Contains(logins, e => e.Success && e.Address == "203.0.113.7");
    }

    [Fact]
    public async Task Plain_http_from_the_trusted_proxy_gives_the_plain_cookie()
    {
        using var b = App.NewBrowser(AuthApp.TrustedProxy);
        var r = await b.LoginAsync(headers: Forwarded("http", "203.0.113.8"));
        var line = SessionCookieLine(b);
        Assert.StartsWith("nixfleet_session=", line);
        Assert.DoesNotContain("secure", line, StringComparison.OrdinalIgnoreCase);
        Assert.False(r.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Forwarded_headers_from_an_untrusted_peer_are_ignored()
    {
        using var b = App.NewBrowser();
        var r = await b.LoginAsync(headers: Forwarded("https", "198.51.100.9"));
        var line = SessionCookieLine(b);
        Assert.StartsWith("nixfleet_session=", line);
        Assert.DoesNotContain("secure", line, StringComparison.OrdinalIgnoreCase);
        Assert.False(r.Headers.Contains("Strict-Transport-Security"));

        var logins = await App.Service<IAuditLog>().QueryAsync(null, "login", null, 200);
        Assert.DoesNotContain(logins, e => e.Address == "198.51.100.9");
        Assert.Contains(logins, e => e.Address == b.Source.ToString());
    }

    [Fact]
    public async Task A_secure_cookie_is_not_read_over_plain_http_and_a_plain_one_not_over_https()
    {
        using var proxy = App.NewBrowser(AuthApp.TrustedProxy);
        await proxy.LoginAsync(headers: Forwarded("https"));
        Assert.Equal(HttpStatusCode.Redirect, (await proxy.GetAsync("", Forwarded("http"))).StatusCode);

        using var plain = App.NewBrowser(AuthApp.TrustedProxy);
        await plain.LoginAsync(headers: Forwarded("http"));
        Assert.Equal(HttpStatusCode.Redirect, (await plain.GetAsync("", Forwarded("https"))).StatusCode);
    }
}
