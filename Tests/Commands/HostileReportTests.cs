using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Commands;

/// <summary>Reports that arrive out of order, twice, or about the wrong command lose nothing and hurt nothing.</summary>
public sealed class HostileReportTests
{
    [Fact]
    public async Task Out_of_order_and_repeated_lines_are_all_kept_once_and_read_in_seq_order()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var test = await h.SubmitAsync("hsb0", "test");
        await agent.OutputAsync(test.Id, [(3, "c"), (1, "a")]);
        await agent.OutputAsync(test.Id, [(2, "b"), (3, "c again"), (1, "a again")]);
        // Output is stored behind the call: wait for the second batch, which carries "b".
        IReadOnlyList<StoredOutputLine> lines = [];
        await Eventually.TrueAsync(async () => (lines = await h.Log.ReadAsync(test.Id, 0, 10)).Count >= 3, "both batches are stored");
        Assert.Equal(["a", "b", "c"], lines.Select(l => l.Text));
    }

    [Fact]
    public async Task Status_complete_and_rejection_naming_another_command_do_not_end_the_running_one()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var test = await h.SubmitAsync("hsb0", "test");
        await agent.StatusAsync("someone-elses-id", "test", "error", 1);
        await agent.CompleteAsync("someone-elses-id", "test", 1, SimAgent.Compartments());
        await agent.Grain.CommandRejectedAsync(agent.ConnectionId, new CommandRejection("someone-elses-id", "busy", null, null));
        await agent.StatusAsync(test.Id, "test", "weird-status", 0);

        var ended = await h.WaitPhaseAsync("hsb0", test.Id, CommandPhase.Failed);
        Assert.Contains("unknown status 'weird-status'", ended.Message);
        Assert.Single((await h.Host("hsb0").GetCommandsAsync(0, 10)).Items);
    }

    [Fact]
    public async Task Paging_arguments_out_of_range_are_clamped_not_thrown()
    {
        await using var h = await CommandHarness.StartAsync();
        await h.ConnectAsync("hsb0");
        await h.SubmitAsync("hsb0", "test");
        Assert.Single((await h.Host("hsb0").GetCommandsAsync(-5, 0)).Items);
        Assert.Empty((await h.Host("hsb0").GetCommandsAsync(10, 10)).Items);
        Assert.Null(await h.Host("hsb0").GetCommandAsync("no-such-id"));
    }
}
