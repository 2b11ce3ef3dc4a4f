using System.Net;

namespace NixFleet.Tests.Auth;

/// <summary>Every non-GET request made with a session needs that session's CSRF token (header or form field).</summary>
public sealed class CsrfTests(AuthAppFixture fixture) : IClassFixture<AuthAppFixture>
{
    private AuthApp App => fixture.App;

    private static Dictionary<string, string> Header(string token) => new() { ["X-CSRF-Token"] = token };

    [Fact]
    public async Task Missing_token_is_403_and_nothing_happens()
    {
        using var b = App.NewBrowser();
        await b.SignInAsync();
        var r = await b.PostJsonAsync("api/tokens", new { name = "csrf-missing" });
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Contains("CSRF", await r.Content.ReadAsStringAsync());

        var logout = await b.PostFormAsync("logout", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Forbidden, logout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("")).StatusCode);
        Assert.DoesNotContain("csrf-missing", await (await b.GetAsync("api/tokens")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Wrong_token_is_403()
    {
        using var b = App.NewBrowser();
        var token = await b.SignInAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await b.PostJsonAsync("api/tokens", new { name = "csrf-wrong" }, Header(token + "x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await b.PostJsonAsync("api/tokens", new { name = "csrf-wrong" }, Header(""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await b.SendAsync(HttpMethod.Delete, "api/tokens/1", null, Header(new string('a', 10_000)))).StatusCode);
    }

    [Fact]
    public async Task A_token_from_another_session_is_403()
    {
        using var mine = App.NewBrowser();
        using var theirs = App.NewBrowser();
        await mine.SignInAsync();
        var theirToken = await theirs.SignInAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await mine.PostJsonAsync("api/tokens", new { name = "csrf-other" }, Header(theirToken))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await mine.PostFormAsync("logout", new Dictionary<string, string> { ["csrf_token"] = theirToken })).StatusCode);
    }

    [Fact]
    public async Task The_right_token_as_header_or_form_field_passes()
    {
        using var b = App.NewBrowser();
        var token = await b.SignInAsync();
        Assert.Equal(HttpStatusCode.Created, (await b.PostJsonAsync("api/tokens", new { name = "csrf-right" }, Header(token))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await b.PostFormAsync("logout", new Dictionary<string, string> { ["csrf_token"] = token })).StatusCode);
    }

    [Fact]
    public async Task A_new_session_has_a_new_token()
    {
        using var b = App.NewBrowser();
        var first = await b.SignInAsync();
        var second = await b.SignInAsync();
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.Forbidden, (await b.PostJsonAsync("api/tokens", new { name = "csrf-stale" }, Header(first))).StatusCode);
    }
}
