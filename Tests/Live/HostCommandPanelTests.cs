using System.Net;
using NixFleet.Tests.Api;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Live;

/// <summary>
/// The host page's command panel over real HTTP, with agents over real sockets: the page handlers that run, stop and
/// cancel commands (good and bad input), the fragments they answer with, and the host's live command connection.
/// </summary>
public sealed class HostCommandPanelTests(ApiFixture f) : IClassFixture<ApiFixture>
{
    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(p => new KeyValuePair<string, string>(p.Key, p.Value)));

    [Fact]
    public async Task Run_answers_with_a_notice_and_selects_the_new_command_whose_output_is_shown_escaped()
    {
        var agent = await f.AgentAsync("panel");
        using var http = await f.ClientAsync();
        using var run = await http.PostAsync($"/hosts/{agent.Hostname}?handler=Run", Form(("op", "test")));
        var html = await run.Content.ReadAsStringAsync();
        Assert.True(run.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("test accepted", html);
        Assert.Contains("id=\"host-live\" class=\"host-live\" hx-ext=\"sse\"", html);
        Assert.Contains("hx-swap-oob=\"true\"", html);
        Assert.Contains("id=\"command-output\" class=\"card output-panel\"", html);
        Assert.Contains("id=\"command-history\"", html);
        var id = (await agent.WaitCommandAsync("test")).CommandId!;
        Assert.Contains($"sse-connect=\"/live/hosts/{agent.Hostname}/commands?command={id}&amp;after=0\"", html); // in flight: the one connection follows it
        Assert.DoesNotContain("/live/commands/", html);

        await agent.PrintAsync(id, ["plain line", "<script>alert(1)</script>", "\u001b[32mgreen\u001b[0m"]);
        await agent.PrintAsync(id, ["oops"], "stderr");
        await agent.FinishAsync(id, "test", 0);
        await http.WaitJsonAsync($"/api/commands/{id}", j => j.GetProperty("ended").GetBoolean());

        var page = await http.GetStringAsync($"/hosts/{agent.Hostname}");
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page);
        Assert.DoesNotContain("<script>alert(1)", page);
        Assert.Contains("<span class=\"ansi-green\">green</span>", page);
        Assert.Contains("<div class=\"line stderr\" data-seq=\"4\">oops</div>", page);
        Assert.Contains("data-phase=\"succeeded\"", page);
        Assert.Contains($"sse-connect=\"/live/hosts/{agent.Hostname}/commands\"", page); // ended: nothing left to follow
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(page, "sse-connect="));
        Assert.Contains($"/api/commands/{id}/output.txt", page);
        Assert.Contains("aria-current=\"true\"", page); // the newest command is selected
        Assert.DoesNotContain("style=", page);
    }

    [Fact]
    public async Task Refusals_come_back_as_notices_with_the_api_status_and_code()
    {
        var agent = await f.AgentAsync("refuse");
        using var http = await f.ClientAsync();
        var hostile = "<img src=x onerror=alert(1)>";

        using var unknownOp = await http.PostAsync($"/hosts/{agent.Hostname}?handler=Run", Form(("op", hostile)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownOp.StatusCode);
        var body = await unknownOp.Content.ReadAsStringAsync();
        Assert.Contains("unknown_command", body);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", body);
        Assert.DoesNotContain("<img", body);

        using var noOp = await http.PostAsync($"/hosts/{agent.Hostname}?handler=Run", Form());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noOp.StatusCode);

        using var unknownHost = await http.PostAsync("/hosts/never-seen?handler=Run", Form(("op", "pull")));
        Assert.Equal(HttpStatusCode.NotFound, unknownHost.StatusCode);
        Assert.Contains("unknown_host", await unknownHost.Content.ReadAsStringAsync());
        using var impossibleHost = await http.PostAsync("/hosts/%3Cscript%3E?handler=Run", Form(("op", "pull")));
        Assert.Equal(HttpStatusCode.NotFound, impossibleHost.StatusCode);

        // busy: a second command without queue is refused with the grain's code and message
        using var first = await http.PostAsync($"/hosts/{agent.Hostname}?handler=Run", Form(("op", "test")));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var second = await http.PostAsync($"/hosts/{agent.Hostname}?handler=Run", Form(("op", "pull")));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("data-code=\"busy\"", await second.Content.ReadAsStringAsync());
        using var queued = await http.PostAsync($"/hosts/{agent.Hostname}?handler=Run", Form(("op", "pull"), ("queue", "true")));
        Assert.Equal(HttpStatusCode.OK, queued.StatusCode);
        Assert.Contains("pull accepted: queued", await queued.Content.ReadAsStringAsync());

        // offline: host_offline unless queued
        await agent.DisconnectAsync();
        await Eventually.TrueAsync(async () => !(await f.Dashboard.Grains.GetGrain<NixFleet.Grains.Interfaces.Hosts.IHostGrain>(agent.Hostname).GetAsync()).Online, "offline");
        using var offline = await http.PostAsync($"/hosts/{agent.Hostname}?handler=Run", Form(("op", "check-version")));
        Assert.Equal(HttpStatusCode.Conflict, offline.StatusCode);
        Assert.Contains("data-code=\"host_offline\"", await offline.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Posts_without_the_csrf_token_are_refused_and_change_nothing()
    {
        var agent = await f.AgentAsync("csrf");
        using var http = await f.ClientAsync();
        http.DefaultRequestHeaders.Remove("X-CSRF-Token");
        using var run = await http.PostAsync($"/hosts/{agent.Hostname}?handler=Run", Form(("op", "pull")));
        Assert.Equal(HttpStatusCode.Forbidden, run.StatusCode);
        using var wrong = await http.PostAsync($"/hosts/{agent.Hostname}?handler=Run", Form(("op", "pull"), ("csrf_token", "not-the-token")));
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        var history = await http.GetJsonAsync($"/api/hosts/{agent.Hostname}/commands");
        Assert.Equal(0, history.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Stop_and_cancel_check_the_command_id_and_answer_with_codes()
    {
        var agent = await f.AgentAsync("stopc");
        using var http = await f.ClientAsync();
        await http.PostAsync($"/hosts/{agent.Hostname}?handler=Run", Form(("op", "test")));
        var running = (await agent.WaitCommandAsync("test")).CommandId!;
        using var q = await http.PostAsync($"/hosts/{agent.Hostname}?handler=Run", Form(("op", "pull"), ("queue", "true")));
        var queued = (await http.GetJsonAsync($"/api/hosts/{agent.Hostname}/commands")).GetProperty("items")[0].Str("id");

        using var bad = await http.PostAsync($"/hosts/{agent.Hostname}?handler=Stop", Form(("command", "<b>nonsense</b>")));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("&lt;b&gt;nonsense&lt;/b&gt;", await bad.Content.ReadAsStringAsync());
        using var otherHost = await http.PostAsync($"/hosts/{agent.Hostname}?handler=Stop", Form(("command", "0123456789abcdef0123456789abcdef-elsewhere")));
        Assert.Equal(HttpStatusCode.BadRequest, otherHost.StatusCode);
        using var unknown = await http.PostAsync($"/hosts/{agent.Hostname}?handler=Stop", Form(("command", $"0123456789abcdef0123456789abcdef-{agent.Hostname}")));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var cancelRunning = await http.PostAsync($"/hosts/{agent.Hostname}?handler=Cancel", Form(("command", running)));
        Assert.Equal(HttpStatusCode.Conflict, cancelRunning.StatusCode);
        Assert.Contains("not_queued", await cancelRunning.Content.ReadAsStringAsync());

        using var cancel = await http.PostAsync($"/hosts/{agent.Hostname}?handler=Cancel", Form(("command", queued)));
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Contains("pull: cancelled", await cancel.Content.ReadAsStringAsync());
        Assert.Equal("cancelled", (await http.GetJsonAsync($"/api/commands/{queued}")).Str("phase"));

        using var stop = await http.PostAsync($"/hosts/{agent.Hostname}?handler=Stop", Form(("command", running)));
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        var stopHtml = await stop.Content.ReadAsStringAsync();
        Assert.Contains("test: stop sent", stopHtml);
        await Eventually.TrueAsync(() => agent.Received.Any(r => r.Kind == "kill_command"), "the agent is told to kill the command");
        await agent.FinishAsync(running, "test", 130, "stopped");
        Assert.Equal("stopped", (await http.WaitJsonAsync($"/api/commands/{running}", j => j.GetProperty("ended").GetBoolean())).Str("phase"));
    }

    [Fact]
    public async Task Host_live_connection_sends_history_and_state_events_as_commands_change()
    {
        var agent = await f.AgentAsync("hlive");
        using var http = await f.ClientAsync();
        await using var sse = await SseReader.OpenAsync(http, $"/live/hosts/{agent.Hostname}/commands");
        Assert.Equal(("commands", "changed"), await sse.Events.Reader.ReadAsync()); // catch-up on connect

        await http.PostAsync($"/hosts/{agent.Hostname}?handler=Run", Form(("op", "test")));
        var id = (await agent.WaitCommandAsync("test")).CommandId!;
        await agent.PrintAsync(id, ["x"]);
        await agent.FinishAsync(id, "test", 2);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var (name, data) = await sse.Events.Reader.ReadAsync(cts.Token);
            Assert.True(name is "commands" || name == $"command-{id}", name);
            if (name == $"command-{id}" && data.Contains("data-phase=\"failed\""))
            {
                Assert.Contains("exit <span class=\"mono\">2</span>", data);
                Assert.DoesNotContain(">Stop<", data); // ended: nothing to stop
                break;
            }
        }
    }

    [Fact]
    public async Task Output_connection_resumes_after_last_event_id_even_when_its_url_says_an_earlier_seq()
    {
        var (agent, http, id) = await EndedThreeLineTestAsync("resume");
        using var _ = http;

        // What a browser's EventSource does on reconnect: the same URL, and how far it got in Last-Event-ID.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/live/commands/{id}?after=0");
        request.Headers.Add("Last-Event-ID", "2");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("data-seq=\"1\"", body);
        Assert.DoesNotContain("data-seq=\"2\"", body);
        Assert.Contains("data-seq=\"3\">three</div>", body);
        Assert.Contains("event: end", body);
    }

    [Fact]
    public async Task Host_live_connection_follows_the_selected_commands_output_then_end_and_stays_open()
    {
        var agent = await f.AgentAsync("hfollow");
        using var http = await f.ClientAsync();
        await http.PostAsync($"/hosts/{agent.Hostname}?handler=Run", Form(("op", "test")));
        var id = (await agent.WaitCommandAsync("test")).CommandId!;
        await agent.PrintAsync(id, ["one", "two", "<b>three</b>"]);

        await using var sse = await SseReader.OpenAsync(http, $"/live/hosts/{agent.Hostname}/commands?command={id}&after=1");
        var output = new List<(string Data, string? Id)>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        async Task<(string Event, string Data, string? Id)> NextAsync(Func<(string Event, string Data, string? Id), bool> match)
        {
            while (true)
            {
                var e = await sse.WithIds.Reader.ReadAsync(cts.Token);
                Assert.True(e.Event is "commands" or "output" or "end" || e.Event.StartsWith("command-"), e.Event);
                if (e.Event == "output") output.Add((e.Data, e.Id));
                if (match(e)) return e;
            }
        }
        await NextAsync(e => e.Event == "output" && e.Data.Contains("data-seq=\"3\""));
        await agent.PrintAsync(id, ["four"], "stderr");
        await NextAsync(e => e.Event == "output" && e.Data.Contains("data-seq=\"4\""));
        await agent.FinishAsync(id, "test", 0);
        var end = await NextAsync(e => e.Event == "end");
        Assert.Contains("data-phase=\"succeeded\"", end.Data);
        Assert.Null(end.Id);

        var lines = string.Join("\n", output.Select(o => o.Data));
        Assert.DoesNotContain("data-seq=\"1\"", lines); // only after `after`
        Assert.Contains("<div class=\"line\" data-seq=\"2\">two</div>", lines);
        Assert.Contains("<div class=\"line\" data-seq=\"3\">&lt;b&gt;three&lt;/b&gt;</div>", lines);
        Assert.Contains("<div class=\"line stderr\" data-seq=\"4\">four</div>", lines);
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(lines, "data-seq=\"2\"")); // no duplicate
        foreach (var (data, eventId) in output) // each output event's id is its last line's seq (Last-Event-ID resume)
            Assert.Equal(System.Text.RegularExpressions.Regex.Matches(data, "data-seq=\"(\\d+)\"")[^1].Groups[1].Value, eventId);

        // `end` did not close the connection: the host's next command still arrives on it.
        await http.PostAsync($"/hosts/{agent.Hostname}?handler=Run", Form(("op", "check-version")));
        var next = (await agent.WaitCommandAsync("check-version")).CommandId!;
        await NextAsync(e => e.Event == $"command-{next}");
    }

    [Fact]
    public async Task Host_live_connection_resumes_the_output_after_last_event_id()
    {
        var (agent, http, id) = await EndedThreeLineTestAsync("hresume");
        using var _ = http;

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/live/hosts/{agent.Hostname}/commands?command={id}&after=0");
        request.Headers.Add("Last-Event-ID", "2");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var body = new System.Text.StringBuilder();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!body.ToString().Contains("event: end\n"))
            body.Append(await reader.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("stream closed")).Append('\n');
        Assert.DoesNotContain("data-seq=\"1\"", body.ToString());
        Assert.DoesNotContain("data-seq=\"2\"", body.ToString());
        Assert.Contains("data-seq=\"3\">three</div>\nid: 3\n", body.ToString());
    }

    [Fact]
    public async Task Host_live_connection_refuses_a_command_that_is_not_one_of_its_host_with_a_4xx()
    {
        var agent = await f.AgentAsync("hbad");
        var other = await f.AgentAsync("hother");
        using var http = await f.ClientAsync();
        await http.PostAsync($"/hosts/{other.Hostname}?handler=Run", Form(("op", "test")));
        var othersCommand = (await other.WaitCommandAsync("test")).CommandId!;
        var live = $"/live/hosts/{agent.Hostname}/commands";

        foreach (var (query, status) in new[]
                 {
                     ("?command=%3Cscript%3Ealert(1)%3C%2Fscript%3E", HttpStatusCode.BadRequest), // hostile
                     ($"?command={othersCommand}", HttpStatusCode.BadRequest), // another host's command
                     ($"?command=0123456789abcdef0123456789abcdef-{agent.Hostname}", HttpStatusCode.NotFound), // unknown
                     ($"?command={new string('a', 5000)}", HttpStatusCode.BadRequest), // oversized
                     ("?after=3", HttpStatusCode.BadRequest), // after without a command
                 })
        {
            using var r = await http.GetAsync(live + query, HttpCompletionOption.ResponseHeadersRead);
            Assert.True(r.StatusCode == status, $"{query}: {r.StatusCode}");
            Assert.DoesNotContain("<script>", await r.Content.ReadAsStringAsync());
        }
        await http.PostAsync($"/hosts/{agent.Hostname}?handler=Run", Form(("op", "test")));
        var own = (await agent.WaitCommandAsync("test")).CommandId!;
        using var negative = await http.GetAsync($"{live}?command={own}&after=-1", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
    }

    [Theory]
    [InlineData("/live/hosts/never-seen/commands")]
    [InlineData("/live/hosts/%3Cscript%3E/commands")]
    public async Task Host_live_connection_refuses_unknown_hosts(string path)
    {
        using var http = await f.ClientAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task History_pages_and_selection_fragments_check_their_input()
    {
        var agent = await f.AgentAsync("hist");
        using var http = await f.ClientAsync();
        for (var i = 0; i < 12; i++)
        {
            using var r = await http.PostAsync($"/hosts/{agent.Hostname}?handler=Run", Form(("op", "check-version"), ("queue", "true")));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        var page0 = await http.GetStringAsync($"/hosts/{agent.Hostname}?handler=History&p=0");
        Assert.Contains("1–10 of 12", page0);
        Assert.Contains("older →", page0);
        var page1 = await http.GetStringAsync($"/hosts/{agent.Hostname}?handler=History&p=1");
        Assert.Contains("11–12 of 12", page1);
        Assert.Contains("← newer", page1);
        Assert.Contains("11–12 of 12", await http.GetStringAsync($"/hosts/{agent.Hostname}?handler=History&p=1&command=%3Cx%3E"));
        Assert.Contains("1–10 of 12", await http.GetStringAsync($"/hosts/{agent.Hostname}?handler=History&p=-5"));

        var newest = (await http.GetJsonAsync($"/api/hosts/{agent.Hostname}/commands")).GetProperty("items")[0].Str("id");
        var selected = await http.GetStringAsync($"/hosts/{agent.Hostname}?handler=Output&command={newest}");
        Assert.Contains("id=\"command-output\"", selected);
        Assert.Contains($"<tr id=\"cmd-{newest}\" class=\"selected\"", selected);
        Assert.StartsWith("<div id=\"host-live\"", selected.TrimStart()); // the region that holds the connection
        Assert.Contains($"commands?command={newest}&amp;after=0", selected); // not ended, no output yet: followed from the start
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync($"/hosts/{agent.Hostname}?handler=Output&command=%3Cscript%3E")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/hosts/{agent.Hostname}?handler=Output&command=0123456789abcdef0123456789abcdef-{agent.Hostname}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/hosts/never-seen?handler=History")).StatusCode);
    }

    // A host whose `test` printed "one", "two", "three" and ended: what the resume tests read back.
    private async Task<(ApiAgent Agent, HttpClient Http, string Id)> EndedThreeLineTestAsync(string name)
    {
        var agent = await f.AgentAsync(name);
        var http = await f.ClientAsync();
        await http.PostAsync($"/hosts/{agent.Hostname}?handler=Run", Form(("op", "test")));
        var id = (await agent.WaitCommandAsync("test")).CommandId!;
        await agent.PrintAsync(id, ["one", "two", "three"]);
        await agent.FinishAsync(id, "test", 0);
        await http.WaitJsonAsync($"/api/commands/{id}", j => j.GetProperty("ended").GetBoolean());
        return (agent, http, id);
    }
}
