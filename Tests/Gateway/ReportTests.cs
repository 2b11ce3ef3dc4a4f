using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Gateway;

/// <summary>Agent reports become host-grain calls: output in batches and in order, then the report that follows it.</summary>
public sealed class ReportTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayApp App => fixture.App;

    [Fact]
    public async Task Output_lines_reach_the_grain_in_batches_in_order_before_the_status()
    {
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await agent.RegisterAsync(TestAgent.Register("rep-out", p => p["capabilities"] = new[] { "command_id" }));
        const int n = 500;
        for (var i = 1; i <= n; i++)
            await agent.SendAsync("output", new { line = $"line {i}", stream = i % 2 == 0 ? "stderr" : "stdout", command = "switch", is_error = false, command_id = "c-9", seq = i });
        await agent.SendAsync("status", new { status = "ok", command = "switch", exit_code = 0, message = "done", generation = "9999999", command_id = "c-9" });

        await Eventually.TrueAsync(() => App.Calls.For("rep-out", nameof(IHostGrain.CommandStatusAsync)).Any(), "status delivered");
        var calls = App.Calls.Calls.Where(c => c.Host == "rep-out" && c.Method is nameof(IHostGrain.OutputAsync) or nameof(IHostGrain.CommandStatusAsync)).ToList();
        var batches = calls.TakeWhile(c => c.Method == nameof(IHostGrain.OutputAsync)).Select(c => (IReadOnlyList<OutputLine>)c.Args[1]!).ToList();
        Assert.Equal(nameof(IHostGrain.CommandStatusAsync), calls[batches.Count].Method); // every line came before the status
        var lines = batches.SelectMany(b => b).ToList();
        Assert.Equal(Enumerable.Range(1, n).Select(i => $"line {i}"), lines.Select(l => l.Text));
        Assert.Equal(Enumerable.Range(1, n).Select(i => (long?)i), lines.Select(l => l.Seq));
        Assert.True(batches.Count < n / 2, $"{batches.Count} grain calls for {n} lines");
        Assert.All(lines, l => Assert.Equal("c-9", l.CommandId));
        Assert.Equal("stderr", lines[1].Stream);

        var status = (CommandStatusReport)calls[batches.Count].Args[1]!;
        Assert.Equal(new CommandStatusReport("c-9", "switch", "ok", 0, "done", "9999999"), status);
    }

    [Fact]
    public async Task A_few_lines_are_flushed_without_waiting_for_more()
    {
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await agent.RegisterAsync(TestAgent.Register("rep-few"));
        await agent.SendAsync("output", new { line = "only line", stream = "stdout", command = "", is_error = false });
        await Eventually.TrueAsync(() => App.Calls.For("rep-few", nameof(IHostGrain.OutputAsync)).Any(), "lone line flushed");
        var line = Assert.Single((IReadOnlyList<OutputLine>)App.Calls.For("rep-few", nameof(IHostGrain.OutputAsync)).Single().Args[1]!);
        Assert.Equal(("only line", null, null), (line.Text, line.Command, line.CommandId));
    }

    [Fact]
    public async Task Rejections_progress_and_completion_are_translated()
    {
        await using var agent = await TestAgent.ConnectAsync(App.WsUri, GatewayApp.SharedToken);
        await agent.RegisterAsync(TestAgent.Register("rep-misc"));
        await agent.SendAsync("command_rejected", new { reason = "busy", current_command = "switch", current_pid = 99 });
        await agent.SendAsync("operation_progress", new { progress = new { pull = new { current = 1, total = 1, status = "done" }, system = new { current = 3, total = 10, status = "building" }, tests = new { current = 0, total = 2, results = Array.Empty<object>(), status = "pending" } } });
        await agent.SendAsync("test_progress", new { current = 2, total = 5, passed = 1, running = "10-ssh.sh", result = "pass" });
        await agent.SendAsync("command_complete", new { command = "pull", exit_code = 0, fresh_status = new { git = new { status = "ok", message = "m", checked_at = "2026-11-26T00:00:00Z" } } });

        await Eventually.TrueAsync(() => App.Calls.For("rep-misc", nameof(IHostGrain.CommandCompleteAsync)).Any(), "completion delivered");
        var rejection = (CommandRejection)App.Calls.For("rep-misc", nameof(IHostGrain.CommandRejectedAsync)).Single().Args[1]!;
        Assert.Equal(new CommandRejection(null, "busy", "switch", 99), rejection);

        var progress = App.Calls.For("rep-misc", nameof(IHostGrain.ProgressAsync)).Select(c => (CommandProgress)c.Args[1]!).ToList();
        Assert.Equal(2, progress.Count);
        Assert.Equal(new PhaseProgress(3, 10, "building"), progress[0].System);
        Assert.Equal(new PhaseProgress(1, 1, "done"), progress[0].Pull);
        Assert.Equal(new PhaseProgress(0, 2, "pending"), progress[0].Tests);
        Assert.Equal((2, 5, 1, "10-ssh.sh", "pass"), (progress[1].Tests!.Current, progress[1].Tests!.Total, progress[1].TestsPassed!.Value, progress[1].TestRunning, progress[1].TestResult));

        var complete = (CommandCompleteReport)App.Calls.For("rep-misc", nameof(IHostGrain.CommandCompleteAsync)).Single().Args[1]!;
        Assert.Equal(("pull", 0, "ok", "unknown"), (complete.Command, complete.ExitCode!.Value, complete.FreshStatus!.Git.Status, complete.FreshStatus.Lock.Status));
    }
}
