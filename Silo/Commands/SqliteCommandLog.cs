using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using NixFleet.Grains.Commands;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Silo.Storage;

namespace NixFleet.Silo.Commands;

/// <summary>
/// Command output in the plain table <c>CommandOutput</c>, keyed by (command id, seq) so replayed lines
/// are skipped. One writer drains every pending append into a single transaction: many grains appending
/// at once cost one commit, never one per line.
/// </summary>
public sealed partial class SqliteCommandLog : ICommandLog, IAsyncDisposable
{
    private const int MaxLinesPerTransaction = 5000;
    private const int RowsPerStatement = 64;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS CommandOutput (
            CommandId  TEXT    NOT NULL,
            Seq        INTEGER NOT NULL,
            Host       TEXT    NOT NULL,
            Stream     TEXT    NOT NULL,
            IsError    INTEGER NOT NULL,
            Line       TEXT    NOT NULL,
            AtMs       INTEGER NOT NULL,
            PRIMARY KEY (CommandId, Seq)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS CommandOutputAt ON CommandOutput (AtMs);
        """;

    private readonly SqliteDatabase _db;
    private readonly SqliteWriteGate _gate;
    private readonly Channel<PendingAppend> _pending = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private long _transactions;

    public SqliteCommandLog(SqliteDatabase db, SqliteWriteGate? gate = null)
    {
        _db = db;
        _gate = gate ?? new SqliteWriteGate();
        using (var connection = db.Open())
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = Schema + EndedSchema;
            cmd.ExecuteNonQuery();
        }
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Transactions committed so far (each holds one or more appends).</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    public Task<IReadOnlyList<StoredOutputLine>> AppendAsync(IReadOnlyList<StoredOutputLine> lines, CancellationToken ct = default)
    {
        if (lines.Count == 0) return Task.FromResult<IReadOnlyList<StoredOutputLine>>([]);
        var pending = new PendingAppend(lines, null, new TaskCompletionSource<IReadOnlyList<StoredOutputLine>>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_pending.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(SqliteCommandLog));
        return pending.Done.Task.WaitAsync(ct);
    }

    public async Task<IReadOnlyList<StoredOutputLine>> ReadAsync(string commandId, long afterSeq, int limit, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenAsync(ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT Seq, Host, Stream, IsError, Line, AtMs FROM CommandOutput WHERE CommandId = $c AND Seq > $a ORDER BY Seq LIMIT $n;";
        cmd.Parameters.AddWithValue("$c", commandId);
        cmd.Parameters.AddWithValue("$a", afterSeq);
        cmd.Parameters.AddWithValue("$n", Math.Clamp(limit, 1, 10_000));
        var lines = new List<StoredOutputLine>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            lines.Add(new StoredOutputLine(commandId, reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3) != 0,
                reader.GetString(4), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
        return lines;
    }

    public async Task<long> LastSeqAsync(string commandId, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenAsync(ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT ifnull(max(Seq), 0) FROM CommandOutput WHERE CommandId = $c;";
        cmd.Parameters.AddWithValue("$c", commandId);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
    }

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken ct = default) =>
        _gate.RunAsync(() => PurgeNowAsync(before, ct));

    private async Task<int> PurgeNowAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using var connection = await _db.OpenAsync(ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "DELETE FROM CommandOutput WHERE AtMs < $t;";
        cmd.Parameters.AddWithValue("$t", before.ToUnixTimeMilliseconds());
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>();
        while (await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var lines = 0;
            while (lines < MaxLinesPerTransaction && _pending.Reader.TryRead(out var p))
            {
                batch.Add(p);
                lines += Math.Max(1, p.Lines.Count);
            }
            try
            {
                        var results = await _gate.RunAsync(() => Task.FromResult(Write(batch)));
                for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
            }
            catch (Exception e)
            {
                foreach (var p in batch) p.Done.TrySetException(e);
            }
        }
    }

    private List<IReadOnlyList<StoredOutputLine>> Write(List<PendingAppend> batch)
    {
        using var connection = _db.Open();
        using (var pragma = connection.CreateCommand())
        {
            // WAL with synchronous=NORMAL: a commit survives a crash of the process, only a power cut may lose
            // the last moments of output. Output is not worth an fsync per batch.
            pragma.CommandText = "PRAGMA synchronous=NORMAL;";
            pragma.ExecuteNonQuery();
        }
        using var tx = connection.BeginTransaction();
        using var full = InsertCommand(connection, tx, RowsPerStatement);
        var results = new List<IReadOnlyList<StoredOutputLine>>(batch.Count);
        foreach (var append in batch)
        {
            var fresh = new List<StoredOutputLine>(append.Lines.Count);
            for (var at = 0; at < append.Lines.Count; at += RowsPerStatement)
            {
                var n = Math.Min(RowsPerStatement, append.Lines.Count - at);
                using var partial = n == RowsPerStatement ? null : InsertCommand(connection, tx, n);
                var cmd = partial ?? full;
                for (var i = 0; i < n; i++)
                {
                    var line = append.Lines[at + i];
                    var p = cmd.Parameters;
                    p[i * 7].Value = line.CommandId;
                    p[i * 7 + 1].Value = line.Seq;
                    p[i * 7 + 2].Value = line.Host;
                    p[i * 7 + 3].Value = line.Stream;
                    p[i * 7 + 4].Value = line.IsError ? 1 : 0;
                    p[i * 7 + 5].Value = line.Text;
                    p[i * 7 + 6].Value = line.At.ToUnixTimeMilliseconds();
                }
                // RETURNING names the rows that went in; a line already stored (or repeated in this batch) is not new.
                var inserted = new HashSet<(string, long)>();
                using (var reader = cmd.ExecuteReader())
                    while (reader.Read()) inserted.Add((reader.GetString(0), reader.GetInt64(1)));
                for (var i = 0; i < n; i++)
                    if (inserted.Remove((append.Lines[at + i].CommandId, append.Lines[at + i].Seq))) fresh.Add(append.Lines[at + i]);
            }
            results.Add(fresh);
        }
        WriteEnded(connection, tx, batch.Where(b => b.Ended is not null).Select(b => b.Ended!).ToList());
        tx.Commit();
        Interlocked.Increment(ref _transactions);
        return results;
    }

    /// <summary>One INSERT of <paramref name="rows"/> lines: far fewer statements than one per line.</summary>
    private static SqliteCommand InsertCommand(SqliteConnection connection, SqliteTransaction tx, int rows)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        var values = new System.Text.StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            values.Append(i == 0 ? "" : ", ").Append($"($c{i}, $s{i}, $h{i}, $st{i}, $e{i}, $l{i}, $t{i})");
            cmd.Parameters.Add($"$c{i}", SqliteType.Text);
            cmd.Parameters.Add($"$s{i}", SqliteType.Integer);
            cmd.Parameters.Add($"$h{i}", SqliteType.Text);
            cmd.Parameters.Add($"$st{i}", SqliteType.Text);
            cmd.Parameters.Add($"$e{i}", SqliteType.Integer);
            cmd.Parameters.Add($"$l{i}", SqliteType.Text);
            cmd.Parameters.Add($"$t{i}", SqliteType.Integer);
        }
        cmd.CommandText = $"INSERT INTO CommandOutput (CommandId, Seq, Host, Stream, IsError, Line, AtMs) VALUES {values} "
            + "ON CONFLICT (CommandId, Seq) DO NOTHING RETURNING CommandId, Seq;";
        return cmd;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer;
    }

    private sealed record PendingAppend(IReadOnlyList<StoredOutputLine> Lines, CommandRecord? Ended, TaskCompletionSource<IReadOnlyList<StoredOutputLine>> Done);
}
