using Microsoft.Playwright;
using NixFleet.Silo.Storage;
using NixFleet.Tests.Support;
using NixFleet.Web.Auth;
using NixFleet.Web.Live;

namespace NixFleet.Tests.Browser;

/// <summary>Tokens and Add host in a real Chromium: a secret is shown once and works; revoking ends it.</summary>
public sealed class TokensBrowserTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private InProcessDashboard _dash = null!;
    private BrowserSession _browser = null!;

    public async Task InitializeAsync()
    {
        _dash = await InProcessDashboard.StartAsync(_dir.Path);
        _browser = await BrowserSession.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _dash.DisposeAsync();
        _dir.Dispose();
    }

    private T Service<T>() where T : notnull => (T)_dash.Services.GetService(typeof(T))!;

    [Fact]
    public async Task An_api_token_is_shown_once_works_and_stops_working_when_revoked()
    {
        var page = await _browser.NewPageAsync(_dash.BaseUri);
        var errors = BrowserErrors.Collect(page);
        await BrowserSession.SignInAsync(page);
        await page.GotoAsync("/tokens");
        await page.FillAsync("form[action='/tokens?handler=createApi'] input[name=name]", "ci-deploy");
        await page.ClickAsync("form[action='/tokens?handler=createApi'] button");

        var secret = (await page.Locator("#secret-once .secret").InnerTextAsync()).Trim();
        Assert.StartsWith("nfapi_", secret);
        await Assertions.Expect(page.Locator("#api-tokens")).ToContainTextAsync("ci-deploy");
        using var api = new HttpClient { BaseAddress = _dash.BaseUri };
        api.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        Assert.True((await api.GetAsync("/api/hosts")).IsSuccessStatusCode);

        await page.GotoAsync("/tokens"); // shown once: a later visit has only the name
        Assert.DoesNotContain(secret, await page.ContentAsync());
        await Assertions.Expect(page.Locator("#secret-once")).ToHaveCountAsync(0);

        await page.ClickAsync("#api-tokens tr:has-text('ci-deploy') button");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("API token ci-deploy revoked");
        await Assertions.Expect(page.Locator("#api-tokens")).ToHaveCountAsync(0);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await api.GetAsync("/api/hosts")).StatusCode);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Add_host_shows_the_snippets_with_its_token_and_the_host_waits_in_the_fleet()
    {
        var page = await _browser.NewPageAsync(_dash.BaseUri);
        var errors = BrowserErrors.Collect(page);
        await BrowserSession.SignInAsync(page);
        await page.GotoAsync("/hosts/new");
        await page.FillAsync("input[name=hostname]", "studio-7");
        await page.SelectOptionAsync("select[name=location]", "work");
        await page.SelectOptionAsync("select[name=device_type]", "desktop");
        await page.FillAsync("input[name=repo_url]", "git@example.invalid:me/nixcfg.git");
        await page.ClickAsync("form[action='/hosts/new'] button[type=submit]");

        var token = (await page.Locator("#secret-once .secret").InnerTextAsync()).Trim();
        Assert.StartsWith(AgentTokenStore.Prefix, token);
        var nixos = await page.Locator("#nixos-module").InnerTextAsync();
        Assert.Contains("services.nixfleet-agent = {", nixos);
        Assert.Contains("hostname = \"studio-7\";", nixos);
        Assert.Contains($"url = \"ws://{_dash.BaseUri.Authority}/ws\";", nixos);
        Assert.Contains("location = \"work\";", nixos);
        Assert.Contains("deviceType = \"desktop\";", nixos);
        Assert.Contains("repoUrl = \"git@example.invalid:me/nixcfg.git\";", nixos);
        Assert.Contains(token, await page.Locator("#nixos-token").InnerTextAsync());
        Assert.Contains(token, await page.Locator("#hm-token").InnerTextAsync());
        Assert.Contains("homeManagerModules.nixfleet-agent", await page.Locator("#hm-module").InnerTextAsync());
        await BrowserSession.ScreenshotAsync(page, "add-host");

        // The token is bound to the host, and the host is in the fleet, offline, until its agent connects.
        Assert.Equal("studio-7", await Service<AgentTokenStore>().FindHostAsync(token));
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("#" + HostRowId.For("studio-7"))).ToHaveClassAsync("offline");

        // An agent with the token registers as that host over a real socket.
        await using var agent = await TestAgent.ConnectAsync(new Uri($"ws://127.0.0.1:{_dash.Options.Listen.Port}/ws"), token);
        await agent.RegisterAsync(TestAgent.Register("studio-7"));
        await Assertions.Expect(page.Locator("#" + HostRowId.For("studio-7"))).ToHaveClassAsync("online", new() { Timeout = 15000 });

        // Its token can be revoked on the tokens page.
        await page.GotoAsync("/tokens");
        await page.ClickAsync("#agent-tokens tr:has-text('studio-7') button");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("of studio-7 revoked");
        Assert.Null(await Service<AgentTokenStore>().FindHostAsync(token));
        Assert.Empty(errors);
    }
}
