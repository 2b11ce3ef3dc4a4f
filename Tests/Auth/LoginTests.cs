using System.Net;
using System.Text.Json;
using NixFleet.Web.Audit;

namespace NixFleet.Tests.Auth;

/// <summary>Sign-in over real HTTP: the page, password checks, fixation, logout, and what anonymous requests get.</summary>
public sealed class LoginTests(AuthAppFixture fixture) : IClassFixture<AuthAppFixture>
{
    private AuthApp App => fixture.App;

    /// <summary>A script element without a src: inline code, which the CSP forbids and pages must not have.</summary>
    private const string InlineScript = @"<script(?![^>]*\ssrc=)[^>]*>";

    [Fact]
    public async Task Login_page_says_NixFleet_and_has_password_and_code_fields_and_no_inline_script()
    {
        using var b = App.NewBrowser();
        var r = await b.GetAsync("login");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Contains("<title>NixFleet</title>", html);
        Assert.Contains("<h1>NixFleet</h1>", html);
        Assert.Contains("type=\"password\" name=\"password\"", html);
        Assert.Contains("name=\"code\"", html);
        Assert.Contains("maxlength=\"6\"", html);
        Assert.DoesNotMatch(InlineScript, html);
        Assert.DoesNotMatch(@"\son[a-z]+=", html); // no onclick= style handlers
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "")); // nothing from a CDN
    }

    [Fact]
    public async Task Wrong_password_gets_one_generic_error_no_cookie_and_an_audit_entry()
    {
        using var b = App.NewBrowser();
        var r = await b.LoginAsync("wrong password", "", new Dictionary<string, string> { ["User-Agent"] = "probe-agent/1" });
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("Sign-in failed: wrong password or code.", await r.Content.ReadAsStringAsync());
        Assert.Empty(b.Cookies);

        var entries = await App.Service<IAuditLog>().QueryAsync(null, "login", null, 100);
        Assert.Contains(entries, e => !e.Success && e.Address == b.Source.ToString() && e.UserAgent == "probe-agent/1");
    }

    [Fact]
    public async Task Right_password_signs_in_and_the_page_carries_the_csrf_meta_tag_and_a_logout_form()
    {
        using var b = App.NewBrowser();
        var r = await b.LoginAsync();
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal("/", r.Headers.Location?.OriginalString);
        Assert.True(b.Cookies.ContainsKey("nixfleet_session"));

        var page = await b.GetAsync("");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<meta name=\"csrf-token\" content=\"", html);
        Assert.Contains("action=\"/logout\"", html);
        Assert.Contains("name=\"csrf_token\"", html);
        Assert.DoesNotMatch(InlineScript, html);
        Assert.DoesNotMatch(@"\son[a-z]+=", html);

        var entries = await App.Service<IAuditLog>().QueryAsync(null, "login", null, 100);
        Assert.Contains(entries, e => e.Success && e.Actor == "operator" && e.Address == b.Source.ToString());
    }

    [Fact]
    public async Task Signing_in_again_issues_a_new_session_and_the_cookie_held_before_stops_working()
    {
        using var victim = App.NewBrowser();
        await victim.SignInAsync();
        var before = victim.Cookies["nixfleet_session"];

        // Log in again with the old cookie attached (an id planted before sign-in): a new id comes back.
        Assert.Equal(HttpStatusCode.Redirect, (await victim.LoginAsync()).StatusCode);
        var after = victim.Cookies["nixfleet_session"];
        Assert.NotEqual(before, after);
        Assert.Equal(HttpStatusCode.OK, (await victim.GetAsync("")).StatusCode);

        using var attacker = App.NewBrowser();
        attacker.Cookies["nixfleet_session"] = before;
        var r = await attacker.GetAsync("");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.StartsWith("/login", r.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_forged_or_tampered_cookie_is_no_session()
    {
        using var b = App.NewBrowser();
        await b.SignInAsync();
        var real = b.Cookies["nixfleet_session"];
        foreach (var bad in new[] { "x", real + "x", real.Split('.')[0] + ".AAAA", "a.b.c", new string('a', 5000) })
        {
            using var other = App.NewBrowser();
            other.Cookies["nixfleet_session"] = bad;
            Assert.Equal(HttpStatusCode.Redirect, (await other.GetAsync("")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("api/audit")).StatusCode);
        }
    }

    [Fact]
    public async Task Logout_ends_the_session_on_the_server_so_a_copy_of_the_old_cookie_no_longer_works()
    {
        using var b = App.NewBrowser();
        var csrf = await b.SignInAsync();
        var cookie = b.Cookies["nixfleet_session"];

        var r = await b.PostFormAsync("logout", new Dictionary<string, string> { ["csrf_token"] = csrf });
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal("/login", r.Headers.Location?.OriginalString);
        Assert.False(b.Cookies.ContainsKey("nixfleet_session"));

        using var replay = App.NewBrowser();
        replay.Cookies["nixfleet_session"] = cookie;
        Assert.Equal(HttpStatusCode.Redirect, (await replay.GetAsync("")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("api/audit")).StatusCode);

        var entries = await App.Service<IAuditLog>().QueryAsync(null, "logout", null, 100);
        Assert.Contains(entries, e => e.Address == b.Source.ToString());
    }

    [Fact]
    public async Task Logout_by_GET_changes_nothing()
    {
        using var b = App.NewBrowser();
        await b.SignInAsync();
        var r = await b.GetAsync("logout");
        Assert.NotEqual(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("")).StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("fleet/hosts")]
    [InlineData("anything-not-public")]
    public async Task Anonymous_pages_redirect_to_login(string path)
    {
        using var b = App.NewBrowser();
        var r = await b.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.StartsWith("/login", r.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("GET", "api/audit")]
    [InlineData("GET", "api/tokens")]
    [InlineData("POST", "api/tokens")]
    [InlineData("GET", "api/not-even-a-route")]
    public async Task Anonymous_api_requests_get_401_with_a_json_body(string method, string path)
    {
        using var b = App.NewBrowser();
        var r = await b.SendAsync(new HttpMethod(method), path);
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal("application/json", r.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        Assert.True(doc.RootElement.TryGetProperty("error", out _));
    }

    [Theory]
    [InlineData("health")]
    [InlineData("login")]
    [InlineData("css/nixfleet.css")]
    public async Task Public_routes_answer_without_a_session(string path)
    {
        using var b = App.NewBrowser();
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync(path)).StatusCode);
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    public async Task Return_url_only_goes_to_this_site(string target)
    {
        using var b = App.NewBrowser();
        var r = await b.PostFormAsync("login?returnUrl=" + Uri.EscapeDataString(target), new Dictionary<string, string> { ["password"] = AuthApp.Password });
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal("/", r.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_page_asked_for_before_sign_in_is_where_sign_in_leads()
    {
        using var b = App.NewBrowser();
        var first = await b.GetAsync("some/page?x=1");
        var login = first.Headers.Location!.OriginalString;
        Assert.Equal("/login?returnUrl=%2Fsome%2Fpage%3Fx%3D1", login);
        var r = await b.PostFormAsync(login.TrimStart('/'), new Dictionary<string, string> { ["password"] = AuthApp.Password });
        Assert.Equal("/some/page?x=1", r.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Oversized_or_missing_form_fields_fail_cleanly()
    {
        using var b = App.NewBrowser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.PostFormAsync("login", new Dictionary<string, string>())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.LoginAsync(new string('p', 100_000), "123456")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("health")).StatusCode);
    }
}
