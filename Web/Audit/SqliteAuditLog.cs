using Microsoft.Data.Sqlite;
using NixFleet.Silo.Storage;

namespace NixFleet.Web.Audit;

/// <summary>The audit trail in the dashboard's SQLite file.</summary>
public sealed class SqliteAuditLog(SqliteDatabase db, TimeProvider time) : IAuditLog
{
    public async Task<long> AppendAsync(AuditEntry entry, CancellationToken ct = default)
    {
        await using var c = await AuditTables.OpenAsync(db, ct);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO audit_log(at, action, actor, address, user_agent, detail, success)
            VALUES (@at, @action, @actor, @address, @ua, @detail, @success) RETURNING id;
            """;
        cmd.Parameters.AddWithValue("@at", time.GetUtcNow().ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("@action", Clip(entry.Action, 100));
        cmd.Parameters.AddWithValue("@actor", Clip(entry.Actor, 200));
        cmd.Parameters.AddWithValue("@address", (object?)Clip(entry.Address, 100) ?? DBNull.Value);
        cmd.Parameters.AddWithValue("@ua", (object?)Clip(entry.UserAgent, 512) ?? DBNull.Value);
        cmd.Parameters.AddWithValue("@detail", (object?)Clip(entry.Detail, 4000) ?? DBNull.Value);
        cmd.Parameters.AddWithValue("@success", entry.Success ? 1 : 0);
        var id = (long)(await cmd.ExecuteScalarAsync(ct))!;
        foreach (var host in (entry.Hosts ?? []).Distinct(StringComparer.Ordinal))
        {
            await using var h = c.CreateCommand();
            h.Transaction = tx;
            h.CommandText = "INSERT INTO audit_hosts(audit_id, host) VALUES (@id, @host);";
            h.Parameters.AddWithValue("@id", id);
            h.Parameters.AddWithValue("@host", Clip(host, 255));
            await h.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return id;
    }

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
