using Microsoft.Data.Sqlite;
using NixFleet.Silo.Storage;

namespace NixFleet.Web.Audit;

/// <summary>The audit trail in the dashboard's SQLite file.</summary>
public sealed class SqliteAuditLog(SqliteDatabase db, TimeProvider time, SqliteWriteGate? gate = null) : IAuditLog
{
    private readonly SqliteWriteGate _gate = gate ?? new SqliteWriteGate();
    private readonly Lock _lock = new();
    private List<Pending> _pending = [];
    private Task? _draining;

    /// <summary>
    /// Entries arriving together share one transaction (one commit, one fsync): a rollout audits a dispatch per
    /// host, all at once. Each caller still waits until its entry is committed.
    /// </summary>
    public Task<long> AppendAsync(AuditEntry entry, CancellationToken ct = default)
    {
        var pending = new Pending(entry, time.GetUtcNow(), new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_lock)
        {
            _pending.Add(pending);
            _draining ??= Task.Run(DrainAsync);
        }
        return pending.Done.Task.WaitAsync(ct);
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<Pending> batch;
            lock (_lock)
            {
                if (_pending.Count == 0)
                {
                    _draining = null;
                    return;
                }
                batch = _pending;
                _pending = [];
            }
            try
            {
                var ids = await _gate.RunAsync(() => WriteAsync(batch));
                for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(ids[i]);
            }
            catch (Exception e)
            {
                foreach (var p in batch) p.Done.TrySetException(e);
            }
        }
    }

    private async Task<List<long>> WriteAsync(List<Pending> batch)
    {
        await using var c = await AuditTables.OpenAsync(db);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync();
        var ids = new List<long>(batch.Count);
        foreach (var (entry, at, _) in batch)
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT INTO audit_log(at, action, actor, address, user_agent, detail, success)
                VALUES (@at, @action, @actor, @address, @ua, @detail, @success) RETURNING id;
                """;
            cmd.Parameters.AddWithValue("@at", at.ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("@action", Clip(entry.Action, 100));
            cmd.Parameters.AddWithValue("@actor", Clip(entry.Actor, 200));
            cmd.Parameters.AddWithValue("@address", (object?)Clip(entry.Address, 100) ?? DBNull.Value);
            cmd.Parameters.AddWithValue("@ua", (object?)Clip(entry.UserAgent, 512) ?? DBNull.Value);
            cmd.Parameters.AddWithValue("@detail", (object?)Clip(entry.Detail, 4000) ?? DBNull.Value);
            cmd.Parameters.AddWithValue("@success", entry.Success ? 1 : 0);
            var id = (long)(await cmd.ExecuteScalarAsync())!;
            foreach (var host in (entry.Hosts ?? []).Distinct(StringComparer.Ordinal))
            {
                await using var h = c.CreateCommand();
                h.Transaction = tx;
                h.CommandText = "INSERT INTO audit_hosts(audit_id, host) VALUES (@id, @host);";
                h.Parameters.AddWithValue("@id", id);
                h.Parameters.AddWithValue("@host", Clip(host, 255));
                await h.ExecuteNonQueryAsync();
            }
            ids.Add(id);
        }
        await tx.CommitAsync();
        return ids;
    }

    private sealed record Pending(AuditEntry Entry, DateTimeOffset At, TaskCompletionSource<long> Done);

    public async Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditFilter filter, long? before, int limit, CancellationToken ct = default)
    {
        var (host, action, actor) = (filter.Host, filter.Action, filter.Actor);
        await using var c = await AuditTables.OpenAsync(db, ct);
        await using var cmd = c.CreateCommand();
        var where = new List<string>();
        if (host is not null) { where.Add("l.id IN (SELECT audit_id FROM audit_hosts WHERE host = @host)"); cmd.Parameters.AddWithValue("@host", host); }
        if (action is not null) { where.Add("l.action = @action"); cmd.Parameters.AddWithValue("@action", action); }
        if (actor is not null) { where.Add("l.actor = @actor"); cmd.Parameters.AddWithValue("@actor", actor); }
        if (before is not null) { where.Add("l.id < @before"); cmd.Parameters.AddWithValue("@before", before.Value); }
        cmd.Parameters.AddWithValue("@limit", limit);
        cmd.CommandText = $"""
            SELECT l.id, l.at, l.action, l.actor, l.address, l.user_agent, l.detail, l.success,
                   (SELECT group_concat(host, char(10)) FROM audit_hosts WHERE audit_id = l.id)
            FROM audit_log l {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY l.id DESC LIMIT @limit;
            """;
        var list = new List<AuditRecord>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new AuditRecord(
                r.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)), r.GetString(2), r.GetString(3),
                Nullable(r, 4), Nullable(r, 5), r.IsDBNull(8) ? [] : r.GetString(8).Split('\n'), Nullable(r, 6), r.GetInt64(7) == 1));
        }
        return list;
    }

    private static string? Nullable(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static string? Clip(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}
