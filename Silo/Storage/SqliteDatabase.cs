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

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }
}
