using NixFleet.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Web.Live;

namespace NixFleet.Tests.Commands;

/// <summary>
/// Every ended command is kept in the command log: a host's history pages past what its grain keeps, and the
/// fleet's failed-in-24-h figure is counted there, so both survive a restart.
/// </summary>
public sealed class CommandHistoryTests
{
    [Fact]
    public async Task History_pages_past_the_grains_limit_from_the_command_log_newest_first_and_survives_a_restart()
    {
        await using var h = await CommandHarness.StartAsync(new CommandOptions { HistoryLimit = 5, TickPeriod = TimeSpan.FromMilliseconds(50) });
        var agent = await h.ConnectAsync("hsb0");
        var ended = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var c = await h.SubmitAsync("hsb0", "test");
            await agent.StatusAsync(c.Id, "test", i % 3 == 0 ? "error" : "ok", i % 3 == 0 ? 1 : 0);
            await h.WaitPhaseAsync("hsb0", c.Id, i % 3 == 0 ? CommandPhase.Failed : CommandPhase.Succeeded);
            ended.Add(c.Id);
        }
        var running = await h.SubmitAsync("hsb0", "test");
        var queued = await h.SubmitAsync("hsb0", "update", queue: true);
        List<string> expected = [queued.Id, running.Id, .. Enumerable.Reverse(ended)];

        Assert.Equal(expected, await AllPagesAsync(h, 4, expected.Count));
        Assert.Equal(expected.Skip(3).Take(7), (await h.Host("hsb0").GetCommandsAsync(3, 7)).Items.Select(c => c.Id));
        var oldest = (await h.Host("hsb0").GetCommandsAsync(13, 10)).Items.Single();
        Assert.Equal((ended[0], CommandPhase.Failed, 1), (oldest.Id, oldest.Phase, oldest.ExitCode));
        Assert.Empty((await h.Host("hsb0").GetCommandsAsync(14, 10)).Items);

        await h.RestartAsync(); // the in-flight test becomes interrupted; nothing older is lost
        var afterRestart = await AllPagesAsync(h, 5, expected.Count);
        Assert.Equal(expected, afterRestart);
    }

    [Fact]
    public async Task Failed_in_the_last_day_is_counted_from_the_log_once_per_command_and_survives_a_restart()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        foreach (var (status, exit) in new[] { ("ok", 0), ("error", 2), ("error", 3) })
        {
            var c = await h.SubmitAsync("hsb0", "test");
            await agent.StatusAsync(c.Id, "test", status, exit);
            await agent.StatusAsync(c.Id, "test", status, exit); // a repeated report is still one command
            await h.WaitPhaseAsync("hsb0", c.Id, exit == 0 ? CommandPhase.Succeeded : CommandPhase.Failed);
        }
        var failed = new FailedCommands(h.Client, h.Log, h.Clock, NullLogger<FailedCommands>.Instance);
        await failed.RefreshAsync();
        Assert.Equal(2, failed.Count);

        await h.RestartAsync();
        var afterRestart = new FailedCommands(h.Client, h.Log, h.Clock, NullLogger<FailedCommands>.Instance);
        await afterRestart.RefreshAsync();
        Assert.Equal(2, afterRestart.Count);

        h.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        await afterRestart.RefreshAsync();
        Assert.Equal(0, afterRestart.Count);
    }

    [Fact]
    public async Task The_counter_follows_command_ends_while_it_runs()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        using var failed = new FailedCommands(h.Client, h.Log, h.Clock, NullLogger<FailedCommands>.Instance);
        await failed.StartAsync(CancellationToken.None);
        var c = await h.SubmitAsync("hsb0", "test");
        await agent.StatusAsync(c.Id, "test", "error", 1);
        await Eventually.TrueAsync(() => failed.Count == 1, "the counter heard the failure");
        await failed.StopAsync(CancellationToken.None);
    }

    private static async Task<List<string>> AllPagesAsync(CommandHarness h, int size, int expectedTotal)
    {
        var ids = new List<string>();
        for (var offset = 0; ; offset += size)
        {
            var page = await h.Host("hsb0").GetCommandsAsync(offset, size);
            Assert.Equal(expectedTotal, page.Total);
            if (page.Items.Count == 0) return ids;
            ids.AddRange(page.Items.Select(c => c.Id));
        }
    }
}
