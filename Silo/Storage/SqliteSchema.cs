using Microsoft.Data.Sqlite;

namespace NixFleet.Silo.Storage;

/// <summary>
/// Our SQLite schema for grain state (<see cref="SqliteGrainStorage"/>), created idempotently at every start, so
/// there is never a manual step. The other stores (tokens, audit, output) create their own tables.
/// </summary>
public static class SqliteSchema
{
    // A row per (service, state name, grain key). Version is the ETag compared on every write. The columns are
    // those the Orleans ADO.NET provider used before this store replaced it, so files written then still open.
    private const string Tables = """
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

    /// <summary>Creates the file and the table if missing, and switches the file to WAL mode.</summary>
    public static void Ensure(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } dir) Directory.CreateDirectory(dir);

        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode=WAL;" + Tables;
        cmd.ExecuteNonQuery();
    }
}
