using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace NixFleet.Silo.Storage;

/// <summary>
/// The connections Orleans' ADO.NET grain storage opens, tuned for many small writes. Orleans opens its own
/// connections, so the tuning rides on the connection: every open sets <c>synchronous=NORMAL</c> (in WAL mode a
/// commit then survives a crash or SIGKILL of the process, only not a power cut; FULL costs an fsync per commit,
/// which capped registrations at about 50 per second) and a busy timeout, so a writer that finds another one
/// mid-commit waits inside SQLite for a millisecond or two instead of Microsoft.Data.Sqlite's 150 ms retry sleep,
/// which blocked thread-pool threads under load.
/// </summary>
public sealed class SqliteGrainDataSource(string connectionString) : DbDataSource
{
    public override string ConnectionString { get; } = connectionString;

    protected override DbConnection CreateDbConnection() => new TunedSqliteConnection(ConnectionString);
}

/// <summary>A SQLite connection that applies <see cref="Pragmas"/> each time it is opened (pooled ones included).</summary>
public sealed class TunedSqliteConnection(string connectionString) : SqliteConnection(connectionString)
{
    public const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";

    public override void Open()
    {
        base.Open();
        using var cmd = CreateCommand();
        cmd.CommandText = Pragmas;
        cmd.ExecuteNonQuery();
    }
}
