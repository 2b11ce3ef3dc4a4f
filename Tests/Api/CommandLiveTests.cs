using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using NixFleet.Grains.Commands;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Api;

/// <summary>/live/commands/{id}: a late subscriber gets the stored lines, then the live tail, without gap or duplicate.</summary>
public sealed partial class CommandLiveTests(ApiFixture f) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Late_subscriber_gets_stored_lines_then_the_live_tail_in_batches_then_the_end()
    {
        var agent = await f.AgentAsync("live");
        using var http = await f.ClientAsync();
        var id = (await (await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/commands", new { command = "test" })).ReadAsync()).Str("id");
        await agent.WaitCommandAsync("test");
        await agent.PrintAsync(id, Enumerable.Range(1, 50).Select(i => $"early {i}"));
        await http.WaitJsonAsync($"/api/commands/{id}/output?after=49", j => j.GetProperty("lines").GetArrayLength() == 1);

        await using var late = await SseReader.OpenAsync(http, $"/live/commands/{id}?after=0");
        await using var fromMiddle = await SseReader.OpenAsync(http, $"/live/commands/{id}?after=30");
        // The tail: 40 batches of 50 lines while both subscribers catch up, then stderr with colour, then the end.
        for (var b = 0; b < 40; b++) await agent.PrintAsync(id, Enumerable.Range(1, 50).Select(i => $"live {b}.{i}"));
        await agent.PrintAsync(id, ["\u001b[31mbad <thing>\u001b[0m"], "stderr");
        await agent.FinishAsync(id, "test", 1);

        var (seqs, events, html, end) = await ReadAllAsync(late);
        Assert.Equal(Enumerable.Range(1, 2051).Select(i => (long)i), seqs);
        Assert.True(events < 100, $"{events} output events for 2,051 lines: lines must be batched");
        Assert.Contains("<div class=\"line stderr\" data-seq=\"2051\"><span class=\"ansi-red\">bad &lt;thing&gt;</span></div>", html);
        Assert.Contains("data-phase=\"failed\"", end);

        var (tail, _, _, end2) = await ReadAllAsync(fromMiddle);
        Assert.Equal(Enumerable.Range(31, 2021).Select(i => (long)i), tail);
        Assert.Contains("data-phase=\"failed\"", end2);

        // After the end: a new subscriber gets what is stored and the end at once.
        await using var after = await SseReader.OpenAsync(http, $"/live/commands/{id}?after=2050");
        var (last, _, _, _) = await ReadAllAsync(after);
        Assert.Equal([2051L], last);
    }

    [Fact]
    public async Task Twenty_browsers_share_the_nodes_one_subscription_and_each_gets_every_line_once_in_order()
    {
        var agent = await f.AgentAsync("fan");
        using var http = await f.ClientAsync();
        var hub = f.Dashboard.Services.GetRequiredService<CommandOutputHub>();
        var id = (await (await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/commands", new { command = "test" })).ReadAsync()).Str("id");
        await agent.WaitCommandAsync("test");
        await agent.PrintAsync(id, Enumerable.Range(1, 100).Select(i => $"early {i}"));
        await http.WaitJsonAsync($"/api/commands/{id}/output?after=99", j => j.GetProperty("lines").GetArrayLength() == 1);

        // Half join before the live tail starts, half while it runs (they catch up from the store).
        var browsers = new List<SseReader>();
        for (var i = 0; i < 10; i++) browsers.Add(await SseReader.OpenAsync(http, $"/live/commands/{id}"));
        await Eventually.TrueAsync(() => hub.ReaderCount(id) == 10, "ten browsers follow");
        for (var b = 0; b < 20; b++)
        {
            await agent.PrintAsync(id, Enumerable.Range(1, 50).Select(i => $"live {b}.{i}"));
            if (b < 10) browsers.Add(await SseReader.OpenAsync(http, $"/live/commands/{id}?after={b * 7}"));
        }
        await Eventually.TrueAsync(() => hub.ReaderCount(id) == 20, "twenty browsers share one subscription");
        await agent.FinishAsync(id, "test", 0);

        for (var i = 0; i < browsers.Count; i++)
        {
            var from = i < 10 ? 0 : (i - 10) * 7;
            var (seqs, _, _, end) = await ReadAllAsync(browsers[i]);
            Assert.Equal(Enumerable.Range(from + 1, 1100 - from).Select(n => (long)n), seqs);
            Assert.Contains("data-phase=\"succeeded\"", end);
            await browsers[i].DisposeAsync();
        }
        await Eventually.TrueAsync(() => hub.ReaderCount(id) == 0, "the browsers left");
    }

    [Fact]
    public async Task Bad_or_unknown_command_ids_are_refused()
    {
        using var http = await f.ClientAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/live/commands/nonsense")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/live/commands/0123456789abcdef0123456789abcdef-ghost")).StatusCode);
    }

    private static async Task<(List<long> Seqs, int Events, string Html, string End)> ReadAllAsync(SseReader sse)
    {
        var seqs = new List<long>();
        var html = new System.Text.StringBuilder();
        var events = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var (name, data) = await sse.Events.Reader.ReadAsync(cts.Token);
            if (name == "end") return (seqs, events, html.ToString(), data);
            Assert.Equal("output", name);
            events++;
            html.Append(data).Append('\n');
            seqs.AddRange(Seq().Matches(data).Select(m => long.Parse(m.Groups[1].Value)));
        }
    }

    [GeneratedRegex("data-seq=\"(\\d+)\"")]
    private static partial Regex Seq();
}
