using System.Text.RegularExpressions;

namespace NixFleet.Tests.Api;

/// <summary>The fleet page's "failed (24 h)" counter counts commands that ended failed, once each.</summary>
public sealed partial class FailedCounterTests(ApiFixture f) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_failed_command_raises_the_counter_and_a_successful_one_does_not()
    {
        using var http = await f.ClientAsync();
        Assert.Equal(0, await CounterAsync(http));
        var agent = await f.AgentAsync("cnt");
        foreach (var exit in new[] { 0, 3 })
        {
            var id = (await (await http.PostJsonAsync($"/api/hosts/{agent.Hostname}/commands", new { command = "test" })).ReadAsync()).Str("id");
            await agent.FinishAsync(id, "test", exit);
            await agent.FinishAsync(id, "test", exit); // a repeated report is one command
            await http.WaitJsonAsync($"/api/commands/{id}", j => j.GetProperty("ended").GetBoolean());
        }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await CounterAsync(http) != 1 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(1, await CounterAsync(http));
    }

    private static async Task<int> CounterAsync(HttpClient http) =>
        int.Parse(Counter().Match(await http.GetStringAsync("/")).Groups[1].Value);

    [GeneratedRegex("id=\"failed-24h\"><div class=\"value\">(\\d+)</div>")]
    private static partial Regex Counter();
}
