using Microsoft.Data.Sqlite;

namespace NixFleet.Silo.Storage;

/// <summary>
/// Our SQLite schema for Orleans' ADO.NET grain storage. The provider ships no SQL for us: it reads the
/// three queries below from <c>OrleansQuery</c> and binds its documented parameters to them. Created
/// idempotently at every start, so there is never a manual step.
/// </summary>
public static class SqliteSchema
{
    // A row per (service, state name, grain key). Version is the ETag Orleans compares on every write.
    private const string Tables = """
        CREATE TABLE IF NOT EXISTS OrleansQuery (
            QueryKey  TEXT NOT NULL PRIMARY KEY,
            QueryText TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS GrainState (
            ServiceId        TEXT    NOT NULL,
            GrainType        TEXT    NOT NULL,
            GrainKeyN0       INTEGER NOT NULL,
            GrainKeyN1       INTEGER NOT NULL,
            GrainKeyString   TEXT    NOT NULL,
            GrainIdHash      INTEGER NOT NULL,
            Payload          BLOB,
            Version          INTEGER NOT NULL,
            ModifiedUtc      TEXT    NOT NULL,
            PRIMARY KEY (ServiceId, GrainType, GrainKeyN0, GrainKeyN1, GrainKeyString)
        ) WITHOUT ROWID;
        """;

    private const string KeyMatch = """
        ServiceId = @ServiceId AND GrainType = @GrainTypeString AND GrainKeyN0 = @GrainIdN0
        AND GrainKeyN1 = @GrainIdN1 AND GrainKeyString = ifnull(@GrainIdExtensionString, '')
        """;

    // Insert when the grain has no version yet; otherwise update only if the stored version is the grain's.
    // Returns the new version, or no row on a conflict (which Orleans turns into InconsistentStateException).
    private const string Write = $"""
        INSERT INTO GrainState (ServiceId, GrainType, GrainKeyN0, GrainKeyN1, GrainKeyString, GrainIdHash, Payload, Version, ModifiedUtc)
        SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, ifnull(@GrainIdExtensionString, ''), @GrainIdHash,
               @PayloadBinary, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE @GrainStateVersion IS NULL OR EXISTS (SELECT 1 FROM GrainState WHERE {KeyMatch})
        ON CONFLICT (ServiceId, GrainType, GrainKeyN0, GrainKeyN1, GrainKeyString) DO UPDATE
            SET Payload = excluded.Payload, Version = GrainState.Version + 1, ModifiedUtc = excluded.ModifiedUtc
            WHERE GrainState.Version = @GrainStateVersion
        RETURNING Version AS NewGrainStateVersion;
        """;

    private const string Read = $"""
        SELECT Payload AS PayloadBinary, Version FROM GrainState WHERE {KeyMatch};
        """;

    // Clearing keeps the row (and its version) with no payload, so a stale activation still conflicts.
    private const string Clear = $"""
        UPDATE GrainState SET Payload = NULL, Version = Version + 1, ModifiedUtc = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE {KeyMatch} AND Version = @GrainStateVersion
        RETURNING Version AS NewGrainStateVersion;
        """;

    /// <summary>Creates the file, tables and queries if missing, and switches the file to WAL mode.</summary>
    public static void Ensure(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } dir) Directory.CreateDirectory(dir);

        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        using var tx = connection.BeginTransaction();
        Execute(connection, Tables, tx);
        foreach (var (key, text) in new[] { ("WriteToStorageKey", Write), ("ReadFromStorageKey", Read), ("ClearStorageKey", Clear) })
        {
            using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ($k, $t) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;";
            cmd.Parameters.AddWithValue("$k", key);
            cmd.Parameters.AddWithValue("$t", text);
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
