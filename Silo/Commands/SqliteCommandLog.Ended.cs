using System.Text.Json;
using Microsoft.Data.Sqlite;
using NixFleet.Grains.Interfaces.Commands;
using NixFleet.Silo.Storage;

namespace NixFleet.Silo.Commands;

// Ended commands in the plain table CommandHistory: the whole record as JSON, plus the columns queries need.
// Ord is the order of recording, which for one host is the order its grain ended them.
public sealed partial class SqliteCommandLog
{
    private const string EndedSchema = """
        CREATE TABLE IF NOT EXISTS CommandHistory (
            Ord        INTEGER PRIMARY KEY AUTOINCREMENT,
            Id         TEXT    NOT NULL UNIQUE,
            Host       TEXT    NOT NULL,
            Phase      TEXT    NOT NULL,
            EndedAtMs  INTEGER NOT NULL,
            Record     TEXT    NOT NULL
        );
        CREATE INDEX IF NOT EXISTS CommandHistoryHost ON CommandHistory (Host, Ord);
        CREATE INDEX IF NOT EXISTS CommandHistoryEnded ON CommandHistory (EndedAtMs, Phase);
        """;

    public Task RecordEndedAsync(CommandRecord ended, CancellationToken ct = default)
    {
        if (!ended.Ended) throw new ArgumentException($"command {ended.Id} is {ended.Phase.Name()}, not ended", nameof(ended));
        var pending = new PendingAppend([], ended, new TaskCompletionSource<IReadOnlyList<StoredOutputLine>>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_pending.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(SqliteCommandLog));
        return pending.Done.Task.WaitAsync(ct);
    }

    public async Task<CommandPage> EndedBeforeAsync(string host, string? olderThanId, int offset, int limit, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenAsync(ct);
        // A command never recorded (ended before this table existed) has no known place: nothing is older.
        const string Bound = "($o IS NULL OR Ord < ifnull((SELECT Ord FROM CommandHistory WHERE Id = $o), -1))";
        await using var count = connection.CreateCommand();
        count.CommandText = $"SELECT count(*) FROM CommandHistory WHERE Host = $h AND {Bound};";
        count.Parameters.AddWithValue("$h", host);
        count.Parameters.AddWithValue("$o", (object?)olderThanId ?? DBNull.Value);
        var total = Convert.ToInt32(await count.ExecuteScalarAsync(ct));

        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT Record FROM CommandHistory WHERE Host = $h AND {Bound} ORDER BY Ord DESC LIMIT $n OFFSET $k;";
        cmd.Parameters.AddWithValue("$h", host);
        cmd.Parameters.AddWithValue("$o", (object?)olderThanId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$n", Math.Clamp(limit, 1, 500));
        cmd.Parameters.AddWithValue("$k", Math.Max(0, offset));
        var page = new List<CommandRecord>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            page.Add(JsonSerializer.Deserialize<CommandRecord>(reader.GetString(0), JsonGrainStateSerializer.Options)!);
        return new CommandPage(page, total);
    }

    public async Task<int> CountEndedAsync(IReadOnlyCollection<CommandPhase> phases, DateTimeOffset since, CancellationToken ct = default)
    {
        if (phases.Count == 0) return 0;
        await using var connection = await _db.OpenAsync(ct);
        await using var cmd = connection.CreateCommand();
        var names = phases.Select((p, i) => { cmd.Parameters.AddWithValue($"$p{i}", p.Name()); return $"$p{i}"; });
        cmd.CommandText = $"SELECT count(*) FROM CommandHistory WHERE EndedAtMs >= $t AND Phase IN ({string.Join(", ", names)});";
        cmd.Parameters.AddWithValue("$t", since.ToUnixTimeMilliseconds());
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(ct));
    }

    private static void WriteEnded(SqliteConnection connection, SqliteTransaction tx, List<CommandRecord> ended)
    {
        if (ended.Count == 0) return;
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        // Recording again (a later, corrected end) replaces the record but keeps its place.
        cmd.CommandText = """
            INSERT INTO CommandHistory (Id, Host, Phase, EndedAtMs, Record) VALUES ($i, $h, $p, $t, $r)
            ON CONFLICT (Id) DO UPDATE SET Phase = excluded.Phase, EndedAtMs = excluded.EndedAtMs, Record = excluded.Record;
            """;
        var p = new[] { "$i", "$h", "$p", "$t", "$r" }.Select(n => cmd.Parameters.Add(n, SqliteType.Text)).ToArray();
        p[3].SqliteType = SqliteType.Integer;
        foreach (var c in ended)
        {
            p[0].Value = c.Id;
            p[1].Value = c.Host;
            p[2].Value = c.Phase.Name();
            p[3].Value = (c.EndedAt ?? DateTimeOffset.UnixEpoch).ToUnixTimeMilliseconds();
            p[4].Value = JsonSerializer.Serialize(c, JsonGrainStateSerializer.Options);
            cmd.ExecuteNonQuery();
        }
    }
}
