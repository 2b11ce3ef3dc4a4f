using Microsoft.Data.Sqlite;

namespace NixFleet.Silo.Storage;

/// <summary>
/// Our SQLite schema for grain state (<see cref="SqliteGrainStorage"/>), created idempotently at every start, so
/// there is never a manual step. The other stores (tokens, audit, output) create their own tables.
/// </summary>
public static class SqliteSchema
{
    // A row per (service, state name, grain key). Version is the ETag compared on every write. A rowid table, so a
    // host's few KB of state sit in its page (a WITHOUT ROWID row keeps about 1 KB in the page and spills the rest to
    // an overflow page that every update reads, frees and allocates again); Version before Payload, so checking it
    // never reads a large payload. The key columns are those the Orleans ADO.NET provider used.
    private const string Table = """
        CREATE TABLE IF NOT EXISTS GrainState (
            ServiceId        TEXT    NOT NULL,
            GrainType        TEXT    NOT NULL,
            GrainKeyN0       INTEGER NOT NULL,
            GrainKeyN1       INTEGER NOT NULL,
            GrainKeyString   TEXT    NOT NULL,
            GrainIdHash      INTEGER NOT NULL,
            Version          INTEGER NOT NULL,
            ModifiedUtc      TEXT    NOT NULL,
            Payload          BLOB,
            UNIQUE (ServiceId, GrainType, GrainKeyN0, GrainKeyN1, GrainKeyString)
        );
        """;

    private const string Columns = "ServiceId, GrainType, GrainKeyN0, GrainKeyN1, GrainKeyString, GrainIdHash, Version, ModifiedUtc, Payload";

    /// <summary>Creates the file and the table if missing (moving rows of the earlier layout over), and switches the file to WAL mode.</summary>
    public static void Ensure(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } dir) Directory.CreateDirectory(dir);

        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, null, "PRAGMA journal_mode=WAL;");
        using var tx = connection.BeginTransaction(deferred: false);
        using (var layout = connection.CreateCommand())
        {
            layout.Transaction = tx;
            layout.CommandText = "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'GrainState';";
            if (layout.ExecuteScalar() is string sql && sql.Contains("WITHOUT ROWID", StringComparison.OrdinalIgnoreCase))
                Execute(connection, tx, $"ALTER TABLE GrainState RENAME TO GrainStateWithoutRowid; {Table} " +
                    $"INSERT INTO GrainState ({Columns}) SELECT {Columns} FROM GrainStateWithoutRowid; DROP TABLE GrainStateWithoutRowid;");
        }
        Execute(connection, tx, Table);
        tx.Commit();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
