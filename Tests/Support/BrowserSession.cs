using Microsoft.Playwright;

namespace NixFleet.Tests.Support;

/// <summary>
/// Debian's Chromium driven by Playwright, headless, offline: never a browser download
/// (scripts/test.sh installs the chromium package when it is missing).
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private readonly IPlaywright _playwright;
    public IBrowser Browser { get; }

    private BrowserSession(IPlaywright playwright, IBrowser browser) => (_playwright, Browser) = (playwright, browser);

    public static async Task<BrowserSession> StartAsync()
    {
        if (!File.Exists(ChromiumPath)) throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium package");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"],
        });
        return new BrowserSession(playwright, browser);
    }

    public async Task<IPage> NewPageAsync(Uri baseUri, int width = 1400, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUri.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = ColorScheme.Dark,
        });
        return await context.NewPageAsync();
    }

    /// <summary>Signs the page in through the real login form, as an operator would.</summary>
    public static async Task SignInAsync(IPage page, string password = TestCredentials.Password)
    {
        for (var attempt = 1; ; attempt++)
        {
            await page.GotoAsync("/login");
            await page.FillAsync("input[name=password]", password);
            await page.ClickAsync("form[action^='/login'] button[type=submit]");
            try
            {
                await page.WaitForURLAsync(url => !url.Contains("/login"), new() { Timeout = 20000 });
                return;
            }
            catch (TimeoutException) when (attempt < 2)
            {
                // A refused sign-in says so on the page: that is a failure. A submit that never left the page
                // (seen once on a loaded machine) is the harness's, so it is tried once more.
                if (await page.Locator(".error").CountAsync() > 0)
                    throw new InvalidOperationException("sign-in refused: " + await page.Locator(".error").InnerTextAsync());
            }
        }
    }

    /// <summary>Signs out through the page's logout button and waits for the login page.</summary>
    public static async Task SignOutAsync(IPage page)
    {
        for (var attempt = 1; ; attempt++)
        {
            await page.ClickAsync("form.logout button");
            try
            {
                await page.WaitForURLAsync(url => url.Contains("/login"), new() { Timeout = 20000 });
                return;
            }
            catch (TimeoutException) when (attempt < 2)
            {
                // The network was idle: the click never sent the form (seen once on a loaded machine, as with
                // sign-in). A sign-out that is sent and fails still fails the second time.
            }
        }
    }

    /// <summary>Saves a screenshot under docs/screenshots/ (the current ones are committed and shown in the README).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var dir = Path.Combine(RepoPaths.Root, "docs", "screenshots");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
