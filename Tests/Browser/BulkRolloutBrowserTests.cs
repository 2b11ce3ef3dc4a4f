using Microsoft.Playwright;
using NixFleet.Tests.Api;
using NixFleet.Tests.Support;
using NixFleet.Web.Live;

namespace NixFleet.Tests.Browser;

/// <summary>
/// The fleet page's bulk action in a real Chromium against simulated agents over real sockets: select three rows
/// (their checks survive live row swaps), confirm, and watch the rollout stop when the second host fails.
/// </summary>
public sealed class BulkRolloutBrowserTests(ApiFixture f) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private BrowserSession _browser = null!;

    public async Task InitializeAsync() => _browser = await BrowserSession.StartAsync();

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    private static string Row(string name) => "#" + HostRowId.For(name);

    [Fact]
    public async Task A_bulk_rollout_on_three_hosts_with_one_failing_stops_as_configured()
    {
        var agents = new[] { await f.AgentAsync("bulk"), await f.AgentAsync("bulk"), await f.AgentAsync("bulk") };
        foreach (var a in agents) a.KeepBeating(); // the steps below can take longer than 15 s on a busy machine
        var page = await _browser.NewPageAsync(f.Dashboard.BaseUri);
        var errors = BrowserErrors.Collect(page);
        await BrowserSession.SignInAsync(page);
        await page.GotoAsync("/?q=bulk-");
        foreach (var a in agents) await page.Locator(Row(a.Hostname)).WaitForAsync(new() { Timeout = 15000 });

        foreach (var a in agents) await page.CheckAsync($"{Row(a.Hostname)} input[type=checkbox]");
        // A live update replaces the row; its checkbox must stay checked.
        await agents[0].HeartbeatAsync(cpu: 77);
        await Assertions.Expect(page.Locator(Row(agents[0].Hostname) + " meter").First).ToHaveAttributeAsync("value", "77", new() { Timeout = 15000 });
        await Assertions.Expect(page.Locator($"{Row(agents[0].Hostname)} input[type=checkbox]")).ToBeCheckedAsync();

        await page.SelectOptionAsync("select[name=command]", "test");
        await page.FillAsync("input[name=batch_size]", "1");
        await Assertions.Expect(page.Locator("input[name=canary]")).ToBeCheckedAsync(); // canary is on by default
        await page.FillAsync("input[name=max_failures]", "0");
        await page.ClickAsync("fieldset.bulk-bar button[type=submit]");

        // The confirmation names every selected host before anything runs.
        await page.WaitForURLAsync(u => u.Contains("/rollouts/new"));
        var listed = page.Locator("ul.host-list li");
        await Assertions.Expect(listed).ToHaveCountAsync(3);
        foreach (var a in agents) await Assertions.Expect(page.Locator("ul.host-list")).ToContainTextAsync(a.Hostname);
        Assert.All(agents, a => Assert.DoesNotContain(a.Received, r => r.Command == "test"));
        await page.ClickAsync("form.confirm button[type=submit]");
        await page.WaitForURLAsync(u => System.Text.RegularExpressions.Regex.IsMatch(u, "/rollouts/[0-9a-f]{32}$"));
        await Assertions.Expect(page.Locator("#rollout")).ToContainTextAsync("running");

        // Wave 1 (canary) succeeds, wave 2 fails: with max failures 0 the third host never gets the command.
        var canary = await WaitForCommandAsync(agents, []);
        await canary.Agent.FinishAsync(canary.Frame.CommandId!, "test", 0);
        var second = await WaitForCommandAsync(agents, [canary.Agent]);
        await second.Agent.FinishAsync(second.Frame.CommandId!, "test", 2);

        var section = page.Locator("#rollout");
        await Assertions.Expect(section.Locator(".rollout-status .badge")).ToHaveTextAsync("failed", new() { Timeout = 20000 });
        var third = agents.Single(a => a != canary.Agent && a != second.Agent);
        await Assertions.Expect(section.Locator("tr", new() { HasText = canary.Agent.Hostname }).Locator(".badge")).ToHaveTextAsync("succeeded");
        await Assertions.Expect(section.Locator("tr", new() { HasText = second.Agent.Hostname }).Locator(".badge")).ToHaveTextAsync("failed");
        await Assertions.Expect(section.Locator("tr", new() { HasText = third.Hostname }).Locator(".badge")).ToHaveTextAsync("skipped");
        Assert.DoesNotContain(third.Received, r => r.Command == "test");
        await Assertions.Expect(section.Locator("button")).ToHaveCountAsync(0); // an ended rollout has no pause/resume/cancel
        await BrowserSession.ScreenshotAsync(page, "rollout");

        await page.GotoAsync("/rollouts");
        await Assertions.Expect(page.Locator("table.list")).ToContainTextAsync("failed");
        Assert.Empty(errors);
    }

    private static async Task<(ApiAgent Agent, ReceivedFrame Frame)> WaitForCommandAsync(ApiAgent[] agents, ApiAgent[] done)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until)
        {
            foreach (var a in agents.Except(done))
                if (a.Received.FirstOrDefault(r => r.Kind == "command" && r.Command == "test") is { } frame) return (a, frame);
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException("no further host got the rollout's command");
    }
}
