using Microsoft.Playwright;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Tests.Support;
using NixFleet.Web.Live;

namespace NixFleet.Tests.Browser;

/// <summary>The fleet page in a real Chromium: rows arrive, change and dim live, without a reload.</summary>
public sealed class FleetPageBrowserTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private InProcessDashboard _dash = null!;
    private BrowserSession _browser = null!;
    private readonly RecordingConnection _agentSide = new();
    private IAgentConnection _conn = null!;

    public async Task InitializeAsync()
    {
        _dash = await InProcessDashboard.StartAsync(_dir.Path);
        _browser = await BrowserSession.StartAsync();
        _conn = _dash.Grains.CreateObjectReference<IAgentConnection>(_agentSide); // observers are weak: keep the object
    }

    private IHostGrain Host(string name) => _dash.Grains.GetGrain<IHostGrain>(name);

    private static string Row(string name) => "#" + HostRowId.For(name);

    [Fact]
    public async Task New_host_appears_its_metrics_change_and_it_dims_when_offline_without_a_reload()
    {
        await Host("web-1").RegisterAsync(Samples.Registration("web-1"), "c-web-1", _conn);
        var page = await _browser.NewPageAsync(_dash.BaseUri);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.PageError += (_, e) => errors.Enqueue(e);
        // CSP violations and failed scripts show up as console errors. Not counted: a missing favicon, and htmx
        // noting that a new row's delete-before-append found nothing to delete (it exists to prevent duplicates).
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Text.Contains("404") && !m.Text.StartsWith("htmx:oobErrorNoTarget")) errors.Enqueue(m.Text);
        };
        await BrowserSession.SignInAsync(page);
        await page.GotoAsync("/");
        await page.Locator(Row("web-1")).WaitForAsync(new() { Timeout = 15000 });
        await page.EvaluateAsync("window.__sameDocument = true"); // proves no reload happened below

        await Host("db-2").RegisterAsync(Samples.Registration("db-2") with { Location = "<img src=x onerror=alert(1)>" }, "c-db-2", _conn);
        await page.Locator(Row("db-2")).WaitForAsync(new() { Timeout = 15000 });
        await Assertions.Expect(page.Locator(Row("db-2"))).ToContainTextAsync("<img src=x onerror=alert(1)>");

        await Host("db-2").HeartbeatAsync(Samples.Heartbeat(cpu: 83), "c-db-2");
        await Assertions.Expect(page.Locator(Row("db-2") + " meter").First).ToHaveAttributeAsync("value", "83", new() { Timeout = 15000 });

        await Host("web-1").DisconnectedAsync("c-web-1");
        await Assertions.Expect(page.Locator(Row("web-1"))).ToHaveClassAsync("offline", new() { Timeout = 15000 });
        await Assertions.Expect(page.Locator("#fleet-counters")).ToContainTextAsync("1online");

        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"));
        Assert.Empty(errors); // no script error, nothing blocked
        Assert.Equal(1, await page.Locator(Row("db-2")).CountAsync());
        await BrowserSession.ScreenshotAsync(page, "fleet");

        await page.ClickAsync($"{Row("db-2")} td:nth-child(3) a");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("db-2");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("<img src=x onerror=alert(1)>");
        Assert.Empty(errors); // the host page's screenshot, with output, is HostPageBrowserTests'
    }

    [Fact]
    public async Task Login_page_says_NixFleet_and_runs_under_the_csp()
    {
        var page = await _browser.NewPageAsync(_dash.BaseUri);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Console += (_, m) => { if (m.Type == "error" && !m.Text.Contains("404")) errors.Enqueue(m.Text); };
        await page.GotoAsync("/");
        Assert.EndsWith("/login", new Uri(page.Url).AbsolutePath);
        Assert.Contains("NixFleet", await page.TitleAsync());
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("NixFleet");
        Assert.Empty(errors);
        await BrowserSession.ScreenshotAsync(page, "login");
    }

    [Fact]
    public async Task Phone_width_shows_cards()
    {
        await Host("laptop-1").RegisterAsync(Samples.Registration("laptop-1"), "c-l", _conn);
        var page = await _browser.NewPageAsync(_dash.BaseUri, width: 390, height: 844);
        await BrowserSession.SignInAsync(page);
        await page.GotoAsync("/");
        await page.Locator(Row("laptop-1")).WaitForAsync();
        Assert.Equal("none", await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('table.hosts thead')).display"));
        Assert.Equal("block", await page.EvaluateAsync<string>($"getComputedStyle(document.querySelector('{Row("laptop-1")}')).display"));
        await BrowserSession.ScreenshotAsync(page, "fleet-phone");
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _dash.DisposeAsync();
        _dir.Dispose();
    }
}
