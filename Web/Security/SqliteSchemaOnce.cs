using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using NixFleet.Silo.Storage;

namespace NixFleet.Web.Security;

/// <summary>Runs a table set's idempotent DDL the first time a process opens a given database, then just opens.</summary>
public sealed class SqliteSchemaOnce(string ddl)
{
    private readonly ConcurrentDictionary<string, bool> _ensured = new();

    public async Task<SqliteConnection> OpenAsync(SqliteDatabase db, CancellationToken ct = default)
    {
        var connection = await db.OpenAsync(ct);
        if (_ensured.ContainsKey(db.ConnectionString)) return connection;
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = ddl;
        await cmd.ExecuteNonQueryAsync(ct);
        _ensured[db.ConnectionString] = true;
        return connection;
    }
}
