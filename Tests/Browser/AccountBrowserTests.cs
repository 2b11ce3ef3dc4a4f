using Microsoft.Playwright;
using NixFleet.Tests.Support;
using OtpNet;

namespace NixFleet.Tests.Browser;

/// <summary>Sign-in with password and TOTP in a real Chromium, and two-factor enrollment on the account page.</summary>
public sealed class AccountBrowserTests : IAsyncLifetime
{
    private const string EnvSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    private readonly TempDir _dir = new();
    private BrowserSession _browser = null!;
    private InProcessDashboard? _dash;

    public async Task InitializeAsync() => _browser = await BrowserSession.StartAsync();

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        if (_dash is not null) await _dash.DisposeAsync();
        _dir.Dispose();
    }

    private static string Code(string secret, int stepsAhead = 0) =>
        new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * stepsAhead));

    private static async Task SignInAsync(IPage page, string? code)
    {
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=password]", TestCredentials.Password);
        if (code is not null) await page.FillAsync("input[name=code]", code);
        await page.ClickAsync("form[action^='/login'] button[type=submit]");
    }

    [Fact]
    public async Task Sign_in_needs_the_password_and_a_totp_code_when_a_secret_is_configured()
    {
        _dash = await InProcessDashboard.StartAsync(_dir.Path, o => o with { TotpSecret = EnvSecret });
        var page = await _browser.NewPageAsync(_dash.BaseUri);
        var errors = BrowserErrors.Collect(page);

        await page.GotoAsync("/login");
        await Assertions.Expect(page.Locator("input[name=code]")).ToHaveAttributeAsync("required", "");
        await SignInAsync(page, "000000" == Code(EnvSecret) ? "111111" : "000000"); // a wrong code
        await Assertions.Expect(page.Locator(".error")).ToContainTextAsync("wrong password or code");

        await SignInAsync(page, Code(EnvSecret));
        await page.WaitForURLAsync(u => !u.Contains("/login"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Fleet");

        await page.GotoAsync("/account");
        await Assertions.Expect(page.Locator("#totp-state")).ToContainTextAsync("NIXFLEET_TOTP_SECRET");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Enrolling_shows_a_qr_code_needs_a_valid_code_and_then_sign_in_asks_for_one()
    {
        _dash = await InProcessDashboard.StartAsync(_dir.Path);
        var page = await _browser.NewPageAsync(_dash.BaseUri);
        var errors = BrowserErrors.Collect(page);
        await BrowserSession.SignInAsync(page);
        await page.GotoAsync("/account");
        await Assertions.Expect(page.Locator("#totp-state")).ToContainTextAsync("Off");
        await page.ClickAsync("form[action='/account?handler=begin'] button");

        var qr = page.Locator("svg.qr[role=img]");
        await Assertions.Expect(qr).ToBeVisibleAsync();
        Assert.True((await qr.BoundingBoxAsync())!.Width > 100);
        var secret = (await page.Locator("#totp-secret").InnerTextAsync()).Trim();
        await BrowserSession.ScreenshotAsync(page, "account"); // a throwaway secret of this test's dashboard

        await page.FillAsync("input[name=code]", Code(secret) == "123456" ? "654321" : "123456");
        await page.ClickAsync("form[action='/account?handler=enable'] button");
        await Assertions.Expect(page.Locator(".error")).ToContainTextAsync("does not match");
        await Assertions.Expect(page.Locator("#totp-state")).ToContainTextAsync("Off");

        await page.FillAsync("input[name=code]", Code(secret));
        await page.ClickAsync("form[action='/account?handler=enable'] button");
        await Assertions.Expect(page.Locator("#totp-state")).ToContainTextAsync("On");

        await BrowserSession.SignOutAsync(page);
        await Assertions.Expect(page.Locator("input[name=code]")).ToHaveAttributeAsync("required", ""); // now asked for
        await SignInAsync(page, Code(secret, stepsAhead: -2)); // a stale code is refused
        await Assertions.Expect(page.Locator(".error")).ToContainTextAsync("wrong password or code");
        await SignInAsync(page, Code(secret, stepsAhead: 1)); // the enabling code was used up: the next one
        await page.WaitForURLAsync(u => !u.Contains("/login"));
        Assert.Empty(errors);
    }
}
