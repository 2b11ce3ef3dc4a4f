using System.Collections.Concurrent;
using Microsoft.Playwright;
using NixFleet.Tests.Api;
using NixFleet.Tests.Support;
using OtpNet;

namespace NixFleet.Tests.Browser;

/// <summary>
/// The host page's command panel in a real Chromium against the real app, the host's agent simulated over a real
/// WebSocket: run from the page and watch the output arrive live, stop, reboot with a TOTP code, hostile output.
/// </summary>
public sealed class HostPageBrowserTests : IAsyncLifetime
{
    private const string Secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    private readonly TempDir _dir = new();
    private readonly List<ApiAgent> _agents = [];
    private InProcessDashboard? _dash;
    private BrowserSession _browser = null!;

    public async Task InitializeAsync() => _browser = await BrowserSession.StartAsync();

    private async Task<(ApiAgent Agent, IPage Page, ConcurrentQueue<string> Errors)> OpenHostAsync(string prefix, string? totpSecret = null)
    {
        _dash = await InProcessDashboard.StartAsync(_dir.Path, o => o with { TotpSecret = totpSecret });
        var agent = await ApiAgent.StartAsync(_dash, prefix);
        _agents.Add(agent);
        var page = await _browser.NewPageAsync(_dash.BaseUri);
        var errors = new ConcurrentQueue<string>();
        page.PageError += (_, e) => errors.Enqueue(e);
        // Not counted: a missing favicon, and the browser's own line for a refused action (the page shows the refusal).
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Text.Contains("404") && !m.Text.Contains("the server responded with a status of 4")) errors.Enqueue(m.Text);
        };
        if (totpSecret is null) await BrowserSession.SignInAsync(page);
        else
        {
            await page.GotoAsync("/login");
            await page.FillAsync("input[name=password]", TestCredentials.Password);
            await page.FillAsync("input[name=code]", Code(TimeSpan.Zero));
            await page.ClickAsync("form[action^='/login'] button[type=submit]");
            await page.WaitForURLAsync(url => !url.Contains("/login"), new() { Timeout = 20000 });
        }
        await page.GotoAsync($"/hosts/{agent.Hostname}");
        await page.Locator("#command-history").WaitForAsync();
        await page.EvaluateAsync("window.__sameDocument = true"); // proves no reload happened below
        return (agent, page, errors);
    }

    private static string Code(TimeSpan offset) => new Totp(Base32Encoding.ToBytes(Secret)).ComputeTotp(DateTime.UtcNow + offset);

    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    private static readonly LocatorAssertionsToContainTextOptions Soon = new() { Timeout = 20000 };
    private static readonly LocatorAssertionsToHaveTextOptions SoonText = new() { Timeout = 20000 };

    [Fact]
    public async Task Pull_from_the_page_shows_output_live_escaped_and_coloured_then_the_final_state()
    {
        var (agent, page, errors) = await OpenHostAsync("pull");
        await page.ClickAsync("button[data-op=pull]");
        var id = (await agent.WaitCommandAsync("pull")).CommandId!;
        await Expect(page.Locator("#command-notice")).ToContainTextAsync("pull accepted", Soon);
        await Expect(page.Locator("#output-h")).ToContainTextAsync("pull", Soon);
        await Expect(page.Locator($"#cmd-{id}")).ToContainTextAsync("pull", Soon);

        await agent.PrintAsync(id, ["fetching origin", "<script>window.__owned = true</script><img src=x onerror=\"window.__owned = true\">",
            "\u001b[1;32mupdated\u001b[0m to abc1234"]);
        await agent.PrintAsync(id, ["warning: something on stderr"], "stderr");
        var lines = page.Locator("#output-lines .line");
        await Expect(lines.Nth(3)).ToContainTextAsync("warning: something on stderr", Soon);
        await Expect(lines.Nth(1)).ToHaveTextAsync("<script>window.__owned = true</script><img src=x onerror=\"window.__owned = true\">");
        Assert.Equal(0, await page.Locator("#output-lines img, #output-lines script").CountAsync());
        await Expect(page.Locator("#output-lines .line .ansi-green.ansi-bold")).ToHaveTextAsync("updated");
        await Expect(lines.Nth(3)).ToHaveClassAsync("line stderr");
        // a re-created connection would resume after the last line shown
        await Expect(page.Locator("#host-live")).ToHaveAttributeAsync("sse-connect", $"/live/hosts/{agent.Hostname}/commands?command={id}&after=4");
        await Expect(page.Locator("#command-state")).ToContainTextAsync("running", Soon);

        // Auto-scroll follows the newest line, and stops once the operator scrolls up.
        await agent.PrintAsync(id, Enumerable.Range(1, 120).Select(i => $"building derivation {i}"));
        await Expect(lines.Nth(123)).ToContainTextAsync("building derivation 120", Soon);
        await Expect(page.Locator("#output-lines")).ToHaveAttributeAsync("data-follow", "yes");
        Assert.True(await page.EvaluateAsync<bool>("(() => { const o = document.getElementById('output-lines'); return o.scrollHeight > o.clientHeight && o.scrollHeight - o.scrollTop - o.clientHeight < 24; })()"));
        await page.EvaluateAsync("document.getElementById('output-lines').scrollTop = 0");
        await agent.PrintAsync(id, Enumerable.Range(121, 20).Select(i => $"building derivation {i}"));
        await Expect(lines.Nth(143)).ToContainTextAsync("building derivation 140", Soon);
        Assert.Equal(0, await page.EvaluateAsync<int>("document.getElementById('output-lines').scrollTop"));

        // The last lines, in view in the screenshot: colour, stderr, hostile text.
        await agent.PrintAsync(id, ["\u001b[33mwarning:\u001b[0m Git tree '/var/lib/nixfleet-agent/repo' is dirty"], "stderr");
        await agent.PrintAsync(id, ["<b>not bold</b> \u001b]0;title\u0007\u001b[2Jno clear screen either", "\u001b[1;32m✓ pulled\u001b[0m abc1234"]);
        await Expect(lines.Nth(146)).ToContainTextAsync("✓ pulled abc1234", Soon);
        await Expect(lines.Nth(145)).ToHaveTextAsync("<b>not bold</b> no clear screen either");
        await agent.FinishAsync(id, "pull", 0);
        using var api = await _dash!.CreateClientAsync();
        var phase = (await api.WaitJsonAsync($"/api/commands/{id}", j => j.GetProperty("ended").GetBoolean())).Str("phase");
        await Expect(page.Locator("#output-lines .command-end")).ToHaveTextAsync(phase, new() { Timeout = 20000 });
        await Expect(page.Locator("#command-state .phase")).ToHaveTextAsync(phase, new() { Timeout = 20000 });
        await Expect(page.Locator($"#cmd-{id} .phase")).ToHaveTextAsync(phase, new() { Timeout = 20000 });
        await Expect(page.Locator($"#cmd-{id}")).ToContainTextAsync("0");
        await Expect(page.Locator("#command-state")).Not.ToContainTextAsync("Stop");
        await Expect(page.Locator("a[href$='/output.txt']")).ToHaveAttributeAsync("href", $"/api/commands/{id}/output.txt");

        Assert.False(await page.EvaluateAsync<bool>("window.__owned === true"));
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"));
        Assert.Empty(errors);
        await page.EvaluateAsync("document.getElementById('output-lines').scrollTop = 1e9");
        await BrowserSession.ScreenshotAsync(page, "host");

        // After a reload the ended command's output comes from the store, the same lines in the same order.
        await page.ReloadAsync();
        await Expect(page.Locator("#output-lines .line").Nth(143)).ToContainTextAsync("building derivation 140");
        Assert.Equal(147, await page.Locator("#output-lines .line").CountAsync());
        await Expect(page.Locator("#output-lines .line").Nth(144)).ToHaveClassAsync("line stderr");

        // Phone width: the history turns into cards, the buttons wrap, the output stays readable.
        await page.SetViewportSizeAsync(390, 844);
        Assert.Equal("none", await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('table.commands thead')).display"));
        Assert.Equal("block", await page.EvaluateAsync<string>($"getComputedStyle(document.getElementById('cmd-{id}')).display"));
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 390"), "nothing wider than the phone");
    }

    [Fact]
    public async Task The_page_holds_one_live_connection_which_follows_the_selected_command()
    {
        var (agent, page, errors) = await OpenHostAsync("onelive");
        // Every request to /live the page makes, and which are still open (an EventSource htmx closes ends as failed).
        var live = new ConcurrentDictionary<Microsoft.Playwright.IRequest, string>();
        var all = new ConcurrentQueue<string>();
        page.Request += (_, r) => { if (new Uri(r.Url).AbsolutePath.StartsWith("/live/")) { live[r] = r.Url; all.Enqueue(r.Url); } };
        page.RequestFailed += (_, r) => live.TryRemove(r, out string? _);
        page.RequestFinished += (_, r) => live.TryRemove(r, out string? _);
        string[] Open() => live.Values.ToArray();
        // The listener came after the first load: reload so the page's first connection is counted too.
        await page.ReloadAsync();
        await page.EvaluateAsync("window.__sameDocument = true");
        var hostLive = $"/live/hosts/{agent.Hostname}/commands";
        await Eventually.TrueAsync(() => Open() is [var u] && new Uri(u).PathAndQuery == hostLive, "one connection, no command yet");

        await page.ClickAsync("button[data-op=test]");
        var test = (await agent.WaitCommandAsync("test")).CommandId!;
        await Eventually.TrueAsync(() => Open() is [var u] && new Uri(u).PathAndQuery == $"{hostLive}?command={test}&after=0", "one connection, following test");
        await agent.PrintAsync(test, ["test line 1", "test line 2"]);
        await Expect(page.Locator("#output-lines .line").Nth(1)).ToHaveTextAsync("test line 2", SoonText);

        await page.CheckAsync("input[name=queue]");
        await page.ClickAsync("button[data-op=check-version]");
        await Expect(page.Locator("#command-notice")).ToContainTextAsync("check-version accepted: queued", Soon);
        using var api = await _dash!.CreateClientAsync();
        var queued = (await api.GetJsonAsync($"/api/hosts/{agent.Hostname}/commands")).GetProperty("items")[0].Str("id");
        await Eventually.TrueAsync(() => Open() is [var u] && u.Contains($"command={queued}"), "one connection, following the queued one");

        // Back to the running test from the history: one connection, resuming after its last line shown.
        await page.ClickAsync($"#cmd-{test} a");
        await Expect(page.Locator("#output-lines .line").Nth(1)).ToHaveTextAsync("test line 2", SoonText);
        await Eventually.TrueAsync(() => Open() is [var u] && new Uri(u).PathAndQuery == $"{hostLive}?command={test}&after=2", "one connection following test again");
        var following = live.Keys.Single();
        await agent.PrintAsync(test, ["test line 3"]);
        await Expect(page.Locator("#output-lines .line").Nth(2)).ToHaveTextAsync("test line 3", SoonText);
        Assert.Equal(3, await page.Locator("#output-lines .line").CountAsync()); // nothing twice
        await agent.FinishAsync(test, "test", 0);
        await Expect(page.Locator("#output-lines .command-end")).ToHaveTextAsync("succeeded", SoonText);

        // `end` left the connection open: the queued command, sent now the test ended, still reports on it.
        await agent.WaitCommandAsync("check-version");
        await agent.FinishAsync(queued, "check-version", 0);
        await Expect(page.Locator($"#cmd-{queued} .phase")).ToHaveTextAsync("succeeded", SoonText);
        Assert.Same(following, live.Keys.Single());
        Assert.Equal(1, await page.Locator("#output-lines .command-end").CountAsync());

        // Selecting the ended one: one connection, with no command to follow.
        await page.ClickAsync($"#cmd-{queued} a");
        await Expect(page.Locator($"#cmd-{queued}")).ToHaveAttributeAsync("aria-current", "true", new() { Timeout = 20000 });
        await Eventually.TrueAsync(() => Open() is [var u] && new Uri(u).PathAndQuery == hostLive, "one connection after selecting the ended one");
        Assert.All(all, u => Assert.StartsWith(hostLive, new Uri(u).PathAndQuery)); // never /live/commands/
        Assert.Equal(1, await page.Locator("[sse-connect]").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Queued_command_is_cancelled_from_its_row_and_the_long_one_is_stopped_from_its_panel()
    {
        var (agent, page, errors) = await OpenHostAsync("stop");
        await page.ClickAsync("button[data-op=test]");
        var id = (await agent.WaitCommandAsync("test")).CommandId!;
        await agent.PrintAsync(id, ["running tests, this takes a while"]);
        await Expect(page.Locator("#command-state")).ToContainTextAsync("running", Soon);

        await page.CheckAsync("input[name=queue]");
        await page.ClickAsync("button[data-op=check-version]");
        await Expect(page.Locator("#command-notice")).ToContainTextAsync("check-version accepted: queued", Soon);
        using var api = await _dash!.CreateClientAsync();
        var queued = (await api.GetJsonAsync($"/api/hosts/{agent.Hostname}/commands")).GetProperty("items")[0].Str("id");
        await page.ClickAsync($"#cmd-{queued} button:has-text('Cancel')");
        await Expect(page.Locator($"#cmd-{queued} .phase")).ToHaveTextAsync("cancelled", new() { Timeout = 20000 });
        await Expect(page.Locator("#command-state .phase")).ToHaveTextAsync("cancelled", new() { Timeout = 20000 }); // it is the one shown

        // Select the running command from its row: its output, and stop.
        await page.ClickAsync($"#cmd-{id} a");
        await Expect(page.Locator($"#cmd-{id}")).ToHaveAttributeAsync("aria-current", "true", new() { Timeout = 20000 });
        await Expect(page.Locator("#output-lines")).ToContainTextAsync("running tests, this takes a while", Soon);
        Assert.EndsWith($"command={id}", page.Url);
        await page.ClickAsync("#command-state button:has-text('Stop')");
        await Expect(page.Locator("#command-notice")).ToContainTextAsync("stop sent", Soon);
        await Expect(page.Locator("#command-state")).ToContainTextAsync("stopping…", Soon);
        await Eventually.TrueAsync(() => agent.Received.Any(r => r.Kind == "kill_command"), "kill_command reaches the agent");
        await agent.FinishAsync(id, "test", 130, "stopped");
        await Expect(page.Locator("#command-state .phase")).ToHaveTextAsync("stopped", new() { Timeout = 20000 });
        await Expect(page.Locator($"#cmd-{id} .phase")).ToHaveTextAsync("stopped", new() { Timeout = 20000 });
        await Expect(page.Locator("#output-lines .command-end")).ToHaveTextAsync("stopped", new() { Timeout = 20000 });
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Reboot_asks_for_the_totp_code_refuses_a_wrong_one_and_dispatches_with_the_right_one()
    {
        var (agent, page, errors) = await OpenHostAsync("reboot", Secret);
        await page.ClickAsync("details.reboot summary");
        var codeField = page.Locator("details.reboot input[name=totp_code]");
        await Expect(codeField).ToBeVisibleAsync();

        var valid = new[] { -30, 0, 30 }.Select(s => Code(TimeSpan.FromSeconds(s))).ToHashSet();
        await codeField.FillAsync(valid.Contains("000000") ? "000001" : "000000");
        await page.ClickAsync("details.reboot button[data-op=reboot]");
        await Expect(page.Locator("#command-notice")).ToContainTextAsync("totp_required", Soon);
        Assert.DoesNotContain(agent.Received, r => r.Kind == "command" && r.Command == "reboot");

        // The sign-in used this 30 s step's code and each code works once: the next step's code is fresh and accepted.
        await codeField.FillAsync(Code(TimeSpan.FromSeconds(30)));
        await page.ClickAsync("details.reboot button[data-op=reboot]");
        await Expect(page.Locator("#command-notice")).ToContainTextAsync("reboot accepted", Soon);
        var id = (await agent.WaitCommandAsync("reboot")).CommandId!;
        await Expect(page.Locator($"#cmd-{id}")).ToContainTextAsync("reboot", Soon);
        await Expect(page.Locator("#output-h")).ToContainTextAsync("reboot");
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"));
        Assert.Empty(errors);
    }

    public async Task DisposeAsync()
    {
        foreach (var a in _agents) await a.DisposeAsync();
        await _browser.DisposeAsync();
        if (_dash is not null) await _dash.DisposeAsync();
        _dir.Dispose();
    }
}
