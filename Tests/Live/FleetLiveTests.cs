using System.Net;
using System.Text.RegularExpressions;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Tests.Support;
using NixFleet.Web.Live;

namespace NixFleet.Tests.Live;

/// <summary>The fleet page and its live connection, against the real app with hosts registered in their grains.</summary>
public sealed class FleetLiveTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private InProcessDashboard _dash = null!;
    private readonly RecordingConnection _agentSide = new();
    private IAgentConnection _conn = null!;

    public async Task InitializeAsync()
    {
        _dash = await InProcessDashboard.StartAsync(_dir.Path);
        _conn = _dash.Grains.CreateObjectReference<IAgentConnection>(_agentSide); // observers are weak: keep the object
    }

    private Task RegisterAsync(string name, HostRegistration? reg = null) =>
        _dash.Grains.GetGrain<IHostGrain>(name).RegisterAsync(reg ?? Samples.Registration(name), "conn-" + name, _conn);

    [Fact]
    public async Task Page_lists_registered_hosts_and_escapes_what_agents_send()
    {
        await RegisterAsync("web-1");
        await RegisterAsync("evil", Samples.Registration("evil") with { Location = "<script>alert(1)</script>", ThemeColor = "red;background:url(x)" });
        using var http = await _dash.CreateClientAsync();

        var html = await WaitForPageAsync(http, p => p.Contains("evil") && p.Contains("web-1"));
        Assert.Contains(HostRowId.For("web-1"), html);
        Assert.DoesNotContain("<script>alert(1)</script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("url(x)", html); // only #rrggbb theme colours are used
        Assert.DoesNotContain("style=", html); // nothing inline: the CSP allows none
        Assert.Contains("sse-connect=\"/live/fleet?since=", html);
    }

    [Fact]
    public async Task A_row_the_page_already_shows_is_never_sent_to_it_as_new()
    {
        using var http = await _dash.CreateClientAsync();
        await RegisterAsync("fresh-1");
        // The page is taken as soon as it shows the host: usually before the hub's next tick has sent the host out.
        string page;
        while (!(page = await http.GetStringAsync("/")).Contains(HostRowId.For("fresh-1"))) await Task.Delay(10);
        var since = Regex.Match(page, @"since=(\d+)").Groups[1].Value;
        await using var sse = await SseReader.OpenAsync(http, "/live/fleet?since=" + since);

        Assert.True(await _dash.Grains.GetGrain<IHostGrain>("fresh-1").HeartbeatAsync(Samples.Heartbeat(cpu: 55), "conn-fresh-1"));
        var seen = new List<string>();
        await sse.NextAsync(d => { seen.Add(d); return d.Contains("CPU 55%"); });
        // Sent as new, the row would be deleted and appended again, and its checkbox would lose its state.
        Assert.All(seen, d => Assert.DoesNotContain("<tr id=\"" + HostRowId.For("fresh-1") + "\" hx-swap-oob=\"delete\"", d));
        Assert.All(seen, d => Assert.DoesNotContain("beforeend", d));
    }

    [Fact]
    public async Task A_new_host_and_its_metrics_arrive_on_the_live_connection()
    {
        using var http = await _dash.CreateClientAsync();
        var page = await http.GetStringAsync("/");
        var since = Regex.Match(page, @"since=(\d+)").Groups[1].Value;
        await using var sse = await SseReader.OpenAsync(http, "/live/fleet?since=" + since);

        await RegisterAsync("db-1");
        var appended = await sse.NextAsync(d => d.Contains(HostRowId.For("db-1")));
        Assert.Contains("<template><tbody hx-swap-oob=\"beforeend:#host-rows\"><tr id=\"" + HostRowId.For("db-1"), appended);
        Assert.Contains("id=\"fleet-counters\"", appended);

        Assert.True(await _dash.Grains.GetGrain<IHostGrain>("db-1").HeartbeatAsync(Samples.Heartbeat(cpu: 77), "conn-db-1"));
        var updated = await sse.NextAsync(d => d.Contains(HostRowId.For("db-1")) && d.Contains("CPU 77%"));
        Assert.Contains("hx-swap-oob=\"true\"", updated);
    }

    [Fact]
    public async Task Many_heartbeats_of_one_host_are_coalesced_into_few_row_updates()
    {
        await RegisterAsync("busy-1");
        using var http = await _dash.CreateClientAsync();
        await WaitForPageAsync(http, p => p.Contains("busy-1"));
        var since = Regex.Match(await http.GetStringAsync("/"), @"since=(\d+)").Groups[1].Value;
        await using var sse = await SseReader.OpenAsync(http, "/live/fleet?since=" + since);

        var host = _dash.Grains.GetGrain<IHostGrain>("busy-1");
        for (var i = 1; i <= 60; i++) await host.HeartbeatAsync(Samples.Heartbeat(cpu: i), "conn-busy-1");
        var last = await sse.NextAsync(d => d.Contains("CPU 60%"));

        // 60 heartbeats, but the row went out a handful of times (once per tick), never once per heartbeat
        var rowUpdates = 1;
        while (sse.Events.Reader.TryRead(out var e)) if (e.Data.Contains(HostRowId.For("busy-1"))) rowUpdates++;
        Assert.InRange(rowUpdates, 1, 10);
        Assert.Single(Regex.Matches(last, Regex.Escape($"id=\"{HostRowId.For("busy-1")}\" class=")));
    }

    [Fact]
    public async Task A_reconnecting_page_gets_what_it_missed()
    {
        using var http = await _dash.CreateClientAsync();
        var since = Regex.Match(await http.GetStringAsync("/"), @"since=(\d+)").Groups[1].Value;
        await RegisterAsync("late-1");
        await WaitForPageAsync(http, p => p.Contains("late-1"));

        // the page was rendered before late-1 existed; its (re)connection with the old version catches up
        await using var sse = await SseReader.OpenAsync(http, "/live/fleet?since=" + since);
        var catchUp = await sse.NextAsync(d => d.Contains(HostRowId.For("late-1")));
        Assert.Contains("beforeend:#host-rows", catchUp);
    }

    [Fact]
    public async Task Offline_hosts_are_marked_offline()
    {
        await RegisterAsync("gone-1");
        await _dash.Grains.GetGrain<IHostGrain>("gone-1").DisconnectedAsync("conn-gone-1");
        using var http = await _dash.CreateClientAsync();
        var html = await WaitForPageAsync(http, p => Regex.IsMatch(p, $"id=\"{HostRowId.For("gone-1")}\" class=\"offline\""));
        Assert.Contains("<td><i></i>offline</td>", html);
    }

    private static async Task<string> WaitForPageAsync(HttpClient http, Func<string, bool> ready)
    {
        for (var i = 0; i < 100; i++)
        {
            var r = await http.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            var html = await r.Content.ReadAsStringAsync();
            if (ready(html)) return html;
            await Task.Delay(100);
        }
        throw new TimeoutException("the page never showed the expected hosts");
    }

    public async Task DisposeAsync()
    {
        await _dash.DisposeAsync();
        _dir.Dispose();
    }
}
