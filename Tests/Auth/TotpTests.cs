using System.Net;
using OtpNet;

namespace NixFleet.Tests.Auth;

/// <summary>With NIXFLEET_TOTP_SECRET set, sign-in needs a 6-digit code, and each code works once.</summary>
public sealed class TotpTests : IAsyncLifetime
{
    private const string Secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    private AuthApp _app = null!;

    public async Task InitializeAsync() => _app = await AuthApp.StartAsync(o => o with { TotpSecret = Secret });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static string Code(TimeSpan offset = default) =>
        new Totp(Base32Encoding.ToBytes(Secret)).ComputeTotp(DateTime.UtcNow + offset);

    [Fact]
    public async Task A_code_is_accepted_once_and_a_replay_within_its_window_is_refused()
    {
        var code = Code();

        // A wrong password with the right code fails, and does not use the code up.
        using var guesser = _app.NewBrowser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.LoginAsync("wrong password", code)).StatusCode);

        using var first = _app.NewBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await first.LoginAsync(AuthApp.Password, code)).StatusCode);

        using var replay = _app.NewBrowser();
        var r = await replay.LoginAsync(AuthApp.Password, code);
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("Sign-in failed: wrong password or code.", await r.Content.ReadAsStringAsync());
        Assert.Empty(replay.Cookies);
    }

    [Fact]
    public async Task A_code_from_two_steps_ago_is_refused()
    {
        using var b = _app.NewBrowser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.LoginAsync(AuthApp.Password, Code(TimeSpan.FromSeconds(-60)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.LoginAsync(AuthApp.Password, Code(TimeSpan.FromSeconds(90)))).StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("abcdef")]
    [InlineData("１２３４５６")]
    public async Task A_missing_or_malformed_code_fails_with_the_generic_message(string code)
    {
        using var b = _app.NewBrowser();
        var r = await b.LoginAsync(AuthApp.Password, code);
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("Sign-in failed: wrong password or code.", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_login_page_asks_for_the_code()
    {
        using var b = _app.NewBrowser();
        var html = await (await b.GetAsync("login")).Content.ReadAsStringAsync();
        Assert.Contains("name=\"code\"", html);
        Assert.Contains("required placeholder=\"6-digit code\"", html);
    }

    [Fact]
    public async Task Failed_codes_count_toward_the_rate_limit()
    {
        using var b = _app.NewBrowser();
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await b.LoginAsync(AuthApp.Password, "000000")).StatusCode);
        Assert.Equal((HttpStatusCode)429, (await b.LoginAsync(AuthApp.Password, Code())).StatusCode);
    }
}
