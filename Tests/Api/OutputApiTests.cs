using System.Net;

namespace NixFleet.Tests.Api;

/// <summary>Stored output over HTTP: JSON pages after a seq, and the text download.</summary>
public sealed class OutputApiTests(ApiFixture f) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Output_pages_by_seq_and_the_download_strips_or_keeps_ansi()
    {
        var agent = await f.AgentAsync("out");
        using var http = await f.ClientAsync();
        var id = (await (await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/commands", new { command = "test" })).ReadAsync()).Str("id");
        await agent.WaitCommandAsync("test");
        await agent.PrintAsync(id, Enumerable.Range(1, 25).Select(i => i == 3 ? "\u001b[31mred three\u001b[0m" : $"line {i}"));
        await agent.PrintAsync(id, ["oops <b>"], "stderr");
        await agent.FinishAsync(id, "test", 0);
        await http.WaitJsonAsync($"/api/commands/{id}", j => j.GetProperty("ended").GetBoolean());

        var seen = new List<long>();
        long after = 0;
        while (true)
        {
            var page = await http.GetJsonAsync($"/api/commands/{id}/output?after={after}&limit=10");
            var seqs = page.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("seq").GetInt64()).ToList();
            seen.AddRange(seqs);
            after = page.GetProperty("next_after").GetInt64();
            Assert.True(page.GetProperty("ended").GetBoolean());
            if (!page.GetProperty("more").GetBoolean()) break;
            Assert.Equal(10, seqs.Count);
        }
        Assert.Equal(Enumerable.Range(1, 26).Select(i => (long)i), seen);
        var tail = await http.GetJsonAsync($"/api/commands/{id}/output?after=25");
        var last = Assert.Single(tail.GetProperty("lines").EnumerateArray());
        Assert.Equal("stderr", last.Str("stream"));
        Assert.Equal("oops <b>", last.Str("text"));
        var third = (await http.GetJsonAsync($"/api/commands/{id}/output?after=2&limit=1")).GetProperty("lines")[0];
        Assert.Equal("\u001b[31mred three\u001b[0m", third.Str("text")); // stored as sent

        using var txt = await http.GetAsync($"/api/commands/{id}/output.txt");
        Assert.Equal("text/plain", txt.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", txt.Content.Headers.ContentDisposition!.DispositionType);
        var text = await txt.Content.ReadAsStringAsync();
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(26, lines.Length);
        Assert.EndsWith("red three", lines[2]);
        Assert.DoesNotContain('\u001b', text);
        Assert.Contains(" E oops <b>", lines[25]);
        var raw = await http.GetStringAsync($"/api/commands/{id}/output.txt?ansi=keep");
        Assert.Contains("\u001b[31mred three\u001b[0m", raw);

        using var negative = await http.GetAsync($"/api/commands/{id}/output?after=-1");
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
    }
}
