using Microsoft.Data.Sqlite;
using NixFleet.Silo.Storage;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Foundation;

/// <summary>A file of the earlier layout (WITHOUT ROWID, version after payload) opens with every row kept.</summary>
public sealed class GrainStateLayoutTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public void Rows_of_the_earlier_layout_are_moved_into_the_current_table()
    {
        var cs = $"Data Source={_dir.File("old.db")};Pooling=False";
        using (var c = new SqliteConnection(cs))
        {
            c.Open();
            Exec(c, """
                CREATE TABLE GrainState (ServiceId TEXT NOT NULL, GrainType TEXT NOT NULL, GrainKeyN0 INTEGER NOT NULL,
                    GrainKeyN1 INTEGER NOT NULL, GrainKeyString TEXT NOT NULL, GrainIdHash INTEGER NOT NULL, Payload BLOB,
                    Version INTEGER NOT NULL, ModifiedUtc TEXT NOT NULL,
                    PRIMARY KEY (ServiceId, GrainType, GrainKeyN0, GrainKeyN1, GrainKeyString)) WITHOUT ROWID;
                INSERT INTO GrainState VALUES ('nixfleet', 'host', 0, 0, 'hsb0', 7, CAST('{"generation":"abc"}' AS BLOB), 4, '2026-12-01T00:00:00Z');
                INSERT INTO GrainState VALUES ('nixfleet', 'host', 0, 0, 'gone', 8, NULL, 2, '2026-12-01T00:00:00Z');
                """);
        }

        SqliteSchema.Ensure(cs);
        SqliteSchema.Ensure(cs); // and again: nothing left to move

        using var check = new SqliteConnection(cs);
        check.Open();
        Assert.Equal(2L, Scalar(check, "SELECT count(*) FROM GrainState;"));
        Assert.Equal(4L, Scalar(check, "SELECT Version FROM GrainState WHERE GrainKeyString = 'hsb0';"));
        Assert.Equal("""{"generation":"abc"}""", Scalar(check, "SELECT CAST(Payload AS TEXT) FROM GrainState WHERE GrainKeyString = 'hsb0';"));
        Assert.Equal(DBNull.Value, Scalar(check, "SELECT Payload FROM GrainState WHERE GrainKeyString = 'gone';"));
        Assert.DoesNotContain("WITHOUT ROWID", (string)Scalar(check, "SELECT sql FROM sqlite_schema WHERE name = 'GrainState';")!);
        Assert.Equal(0L, Scalar(check, "SELECT count(*) FROM sqlite_schema WHERE name = 'GrainStateWithoutRowid';"));
    }

    private static void Exec(SqliteConnection c, string sql) => Scalar(c, sql);

    private static object? Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    public void Dispose() => _dir.Dispose();
}
