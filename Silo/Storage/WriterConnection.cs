using Microsoft.Data.Sqlite;

namespace NixFleet.Silo.Storage;

/// <summary>
/// The grain-state writer's connection and its statements, prepared on first use and kept. Commits are
/// <c>synchronous=NORMAL</c>: in WAL mode a commit survives a crash or SIGKILL of the process, only not a power
/// cut (FULL costs an fsync per commit). The busy timeout covers another process (the CLI) writing the file.
/// </summary>
internal sealed class WriterConnection : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _exists;

    public WriterConnection(string connectionString)
    {
        // Its own connection, never from the pool: a pooled one may carry another store's settings (the file mapping).
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        _connection.Open();
        using (var pragma = _connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";
            pragma.ExecuteNonQuery();
        }
        _insert = Command(GrainStateSql.Insert, "$hash", "$payload");
        _update = Command(GrainStateSql.Update, "$payload", "$version");
        _exists = Command(GrainStateSql.Exists);
    }

    public SqliteTransaction Begin() => _connection.BeginTransaction(deferred: false);

    public StateWriteOutcome Apply(PendingStateWrite w, SqliteTransaction tx)
    {
        if (w.Version is null)
        {
            // Clearing what was never stored is done already; a row that exists meanwhile is a conflict.
            if (w.Payload is null) return Run(_exists, w, tx) is null ? new(false, null) : StateWriteOutcome.Conflicted;
            return Outcome(Run(_insert, w, tx));
        }
        return Outcome(Run(_update, w, tx));
    }

    private static StateWriteOutcome Outcome(object? version) =>
        version is null ? StateWriteOutcome.Conflicted : new(false, Convert.ToInt32(version));

    private static object? Run(SqliteCommand cmd, PendingStateWrite w, SqliteTransaction tx)
    {
        cmd.Transaction = tx;
        var p = cmd.Parameters;
        p["$service"].Value = w.Key.ServiceId;
        p["$type"].Value = w.Key.StateName;
        p["$n0"].Value = w.Key.N0;
        p["$n1"].Value = w.Key.N1;
        p["$key"].Value = w.Key.KeyString;
        if (p.Contains("$hash")) p["$hash"].Value = w.Key.Hash;
        if (p.Contains("$payload")) p["$payload"].Value = (object?)w.Payload ?? DBNull.Value;
        if (p.Contains("$version")) p["$version"].Value = w.Version;
        var result = cmd.ExecuteScalar();
        return result is DBNull ? null : result;
    }

    private SqliteCommand Command(string sql, params string[] extra)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var name in (string[])["$service", "$type", "$n0", "$n1", "$key", .. extra]) cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
        return cmd;
    }

    public void Dispose()
    {
        _insert.Dispose();
        _update.Dispose();
        _exists.Dispose();
        _connection.Dispose();
    }
}
