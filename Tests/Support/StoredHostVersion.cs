using Microsoft.Data.Sqlite;

namespace NixFleet.Tests.Support;

/// <summary>The version of a host grain's stored row: Orleans bumps it at every write of that grain's state.</summary>
public static class StoredHostVersion
{
    public static long Of(string dbPath, string host)
    {
        using var c = new SqliteConnection($"Data Source={dbPath};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT Version FROM GrainState WHERE GrainKeyString LIKE $k AND GrainType LIKE '%host%';";
        cmd.Parameters.AddWithValue("$k", "%" + host);
        return Convert.ToInt64(cmd.ExecuteScalar());
    }
}
