using NixFleet.Silo.Storage;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Foundation;

/// <summary>Grain storage connections on a real file: every open, pooled ones too, gets the tuning.</summary>
public sealed class SqliteGrainDataSourceTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task Every_opened_connection_commits_with_synchronous_normal_and_has_a_busy_timeout()
    {
        var cs = $"Data Source={_dir.File("grains.db")};Cache=Private";
        SqliteSchema.Ensure(cs);
        var source = new SqliteGrainDataSource(cs);
        for (var round = 0; round < 2; round++) // the second open reuses the pooled connection
        {
            await using var c = await source.OpenConnectionAsync();
            Assert.Equal(1L, Scalar(c, "PRAGMA synchronous;")); // 1 = NORMAL (FULL is 2)
            Assert.Equal(10000L, Scalar(c, "PRAGMA busy_timeout;"));
            Assert.Equal("wal", Scalar(c, "PRAGMA journal_mode;"));
        }
    }

    private static object? Scalar(System.Data.Common.DbConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    public void Dispose() => _dir.Dispose();
}
