using Microsoft.Data.Sqlite;
using NixFleet.Silo.Configuration;

namespace NixFleet.Silo.Storage;

/// <summary>
/// Opens connections to the dashboard's database file. Stores that the CLI must reach while the dashboard
/// runs (tokens, audit, output) use plain tables through this, not grain state, so nothing caches them.
/// </summary>
public sealed class SqliteDatabase(NixFleetOptions options)
{
    public string ConnectionString { get; } = options.SqliteConnectionString;

    // Every commit by another connection empties a connection's page cache, so each query read its pages in again with
    // a read() call apiece: with a command going to each of 10,000 agents those copies were a third of the dashboard's
    // CPU. Mapped, a page is read in place. Grain state keeps plain reads: its pages would stay mapped for every host
    // and count in the dashboard's resident memory (docs/BENCHMARKS.md).
    private const string MapFile = "PRAGMA mmap_size=268435456;";

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        Map(connection);
        return connection;
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        Map(connection);
        return connection;
    }

    private static void Map(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = MapFile;
        cmd.ExecuteNonQuery();
    }
}
