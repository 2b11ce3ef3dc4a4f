using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Tests.EndToEnd.Support;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.EndToEnd;

/// <summary>The dashboard goes away mid-command and comes back on the same data dir and port.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DashboardRestartEndToEndTests
{
    /// <param name="finishWhileDown">The rebuild ends while no dashboard listens (its tail waits in the agent),
    /// or it still runs when the dashboard is back (its tail is live output after the reconnect).</param>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Output_of_a_command_across_a_dashboard_restart_is_complete_in_order_once_and_the_reported_end_is_taken_without_a_rerun(bool finishWhileDown)
    {
        var gate = Path.Combine(Path.GetTempPath(), "nixfleet-gate-" + Guid.NewGuid().ToString("N"));
        await using var e2e = new EndToEndWorld(new() { ["FAKE_SWITCH_LINES"] = "20", ["FAKE_SWITCH_GATE"] = gate });
        try
        {
            await e2e.StartDashboardAsync();
            await e2e.StartAgentAsync();
            var cmd = await e2e.SubmitAsync("switch");
            await Eventually.TrueAsync(async () => (await e2e.OutputAsync(cmd.Id)).Any(l => l.Text == "waiting for gate"),
                "the first half of the rebuild output is stored");

            await e2e.StopDashboardAsync();
            if (finishWhileDown)
            {
                // The rest is printed while no dashboard listens: the agent keeps it until it is acknowledged.
                await File.WriteAllTextAsync(gate, "");
                await Eventually.TrueAsync(() => !RebuildRuns(e2e.World.Bin),
                    "the rebuild finished while the dashboard was down", TimeSpan.FromSeconds(30));
            }

            await e2e.StartDashboardAsync();
            await e2e.WaitOnlineAsync("the agent reconnected to the restarted dashboard");
            Assert.True(RebuildRuns(e2e.World.Bin) != finishWhileDown);
            await File.WriteAllTextAsync(gate, "");
            var expected = new[] { $"$ sudo nixos-rebuild switch --flake {e2e.World.RepoDir}#testhost" }
                .Concat(Enumerable.Range(1, 10).Select(i => $"rebuild line {i}"))
                .Append("waiting for gate")
                .Concat(Enumerable.Range(11, 10).Select(i => $"rebuild line {i}"))
                .ToList();
            await Eventually.TrueAsync(async () => (await e2e.OutputAsync(cmd.Id)).Count >= expected.Count,
                "every line reached the store", TimeSpan.FromSeconds(30));

            var lines = await e2e.OutputAsync(cmd.Id);
            Assert.Equal(Enumerable.Range(1, lines.Count).Select(i => (long)i), lines.Select(l => l.Seq));
            Assert.Equal(expected.Count, lines.Count);
            // Each stream keeps its order; stdout and stderr may interleave differently.
            Assert.Equal(expected.Where(t => !IsStderr(t)), lines.Where(l => l.Stream == "stdout").Select(l => l.Text));
            Assert.Equal(expected.Where(IsStderr), lines.Where(l => l.Stream == "stderr").Select(l => l.Text));

            // The agent reports the end with the command id (replayed, or live after the reconnect): the outcome is known.
            var record = await e2e.WaitEndedAsync(cmd.Id);
            Assert.True(record.Phase == CommandPhase.Succeeded, $"{record.Phase}: {record.Message} exit {record.ExitCode}");
            Assert.Equal(0, record.ExitCode);
            // Not re-run: the rebuild ran once, and no other command was dispatched.
            Assert.Single(File.ReadAllLines(e2e.World.FakeLog), l => l.StartsWith("nixos-rebuild switch"));
            Assert.Single((await e2e.Host.GetCommandsAsync(0, 10)).Items);
            Assert.Equal(expected.Count, (await e2e.OutputAsync(cmd.Id)).Count);
        }
        finally
        {
            File.Delete(gate);
        }
    }

    /// <summary>Whether the fake nixos-rebuild from <paramref name="bin"/> still runs (by /proc cmdlines).</summary>
    internal static bool RebuildRuns(string bin) => Directory.EnumerateDirectories("/proc").Any(d =>
    {
        try { return File.ReadAllText(Path.Combine(d, "cmdline")).Contains(Path.Combine(bin, "nixos-rebuild")); }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    });

    private static bool IsStderr(string text) => text is "rebuild line 5" or "rebuild line 10" or "rebuild line 15" or "rebuild line 20";
}
