using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Silo.Commands;
using NixFleet.Silo.Storage;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Commands;

/// <summary>Output in its SQLite table: batched, deduplicated, paged, acknowledged, exported, purged.</summary>
public sealed class OutputStoreTests
{
    [Fact]
    public async Task Lines_are_stored_in_one_transaction_per_batch_deduplicated_and_acknowledged()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        var test = await h.SubmitAsync("hsb0", "test");
        await agent.WaitReceivedAsync(i => i.Command == "test");

        var before = h.Log.Transactions;
        await agent.OutputAsync(test.Id, Enumerable.Range(1, 200).Select(i => ((long?)i, $"\u001b[32mline {i}\u001b[0m")));
        // Stored behind the call (write-behind); the ack says it is in the store.
        var ack = await agent.WaitReceivedAsync(i => i.Kind == AgentInstruction.Ack);
        Assert.Equal((test.Id, 200L), (ack.CommandId!, ack.AckSeq));
        Assert.Equal(before + 1, h.Log.Transactions);

        // After a reconnect the agent replays what it had not seen acknowledged, plus new lines.
        await agent.DisconnectAsync();
        await agent.RegisterAsync();
        await agent.HeartbeatAsync("test");
        await agent.OutputAsync(test.Id, Enumerable.Range(190, 21).Select(i => ((long?)i, $"\u001b[32mline {i}\u001b[0m")));
        var ack2 = await agent.WaitReceivedAsync(i => i.Kind == AgentInstruction.Ack);
        Assert.Equal(210, ack2.AckSeq);

        var all = await h.Log.ReadAsync(test.Id, 0, 10_000);
        Assert.Equal(Enumerable.Range(1, 210).Select(i => (long)i), all.Select(l => l.Seq));
        Assert.Equal("\u001b[32mline 7\u001b[0m", all[6].Text); // ANSI as sent
        Assert.Equal("hsb0", all[0].Host);
    }

    [Fact]
    public async Task Reading_pages_after_a_seq_and_the_text_export_keeps_order()
    {
        using var dir = new TempDir();
        var options = SqliteCluster.OptionsFor(dir.File("nixfleet.db"));
        SqliteSchema.Ensure(options.SqliteConnectionString);
        await using var log = new SqliteCommandLog(new SqliteDatabase(options));
        var t0 = DateTimeOffset.Parse("2026-11-20T10:00:00Z");
        var lines = Enumerable.Range(1, 25).Select(i => new StoredOutputLine("c1", i, "hsb0", i % 5 == 0 ? "stderr" : "stdout", i % 5 == 0, $"l{i}", t0.AddSeconds(i))).ToList();
        Assert.Equal(25, (await log.AppendAsync(lines)).Count);
        Assert.Empty(await log.AppendAsync(lines[..3])); // duplicates are skipped
        await log.AppendAsync([new StoredOutputLine("c2", 1, "other", "stdout", false, "not mine", t0)]);

        var page = await log.ReadAsync("c1", 10, 10);
        Assert.Equal(Enumerable.Range(11, 10).Select(i => (long)i), page.Select(l => l.Seq));
        Assert.Equal(t0.AddSeconds(11), page[0].At);
        Assert.Empty(await log.ReadAsync("c1", 25, 10));
        Assert.Equal(25, await log.LastSeqAsync("c1"));
        Assert.Equal(0, await log.LastSeqAsync("none"));

        var text = new StringWriter();
        await CommandOutputText.WriteAsync(log, "c1", text);
        var rows = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(25, rows.Length);
        Assert.Equal("2026-11-20T10:00:05.000Z E l5", rows[4]);
        Assert.EndsWith("   l1", rows[0]);
    }

    [Fact]
    public async Task Concurrent_appends_share_transactions_and_retention_removes_old_lines()
    {
        using var dir = new TempDir();
        var options = SqliteCluster.OptionsFor(dir.File("nixfleet.db"));
        SqliteSchema.Ensure(options.SqliteConnectionString);
        await using var log = new SqliteCommandLog(new SqliteDatabase(options));
        var now = DateTimeOffset.UtcNow;

        var appends = Enumerable.Range(0, 200).Select(c => log.AppendAsync(
            Enumerable.Range(1, 5).Select(i => new StoredOutputLine($"cmd{c}", i, $"h{c}", "stdout", false, "x", now.AddDays(c < 100 ? -40 : 0))).ToList())).ToList();
        await Task.WhenAll(appends);
        Assert.All(appends, a => Assert.Equal(5, a.Result.Count));
        Assert.InRange(log.Transactions, 1, 199); // 200 appends, fewer commits: they were grouped

        Assert.Equal(500, await log.PurgeAsync(now - TimeSpan.FromDays(30)));
        Assert.Empty(await log.ReadAsync("cmd0", 0, 10));
        Assert.Equal(5, (await log.ReadAsync("cmd150", 0, 10)).Count);
    }

    [Fact]
    public async Task Output_naming_an_unknown_command_is_dropped_and_nothing_else_is_hurt()
    {
        await using var h = await CommandHarness.StartAsync();
        var agent = await h.ConnectAsync("hsb0");
        await agent.OutputAsync("no-such-command", [(1, "stray")]);
        await agent.OutputAsync(null, [(null, "nothing runs")]);
        var test = await h.SubmitAsync("hsb0", "test");
        await agent.OutputAsync(test.Id, [(1, "fine")]);
        // Output is stored behind the call: wait for the later line, then the stray one would be there too.
        await Eventually.TrueAsync(async () => (await h.Log.ReadAsync(test.Id, 0, 10)).Count == 1, "the line is stored");
        Assert.Empty(await h.Log.ReadAsync("no-such-command", 0, 10));
    }
}
