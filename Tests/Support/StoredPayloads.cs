using Microsoft.Data.Sqlite;

namespace NixFleet.Tests.Support;

/// <summary>Grain state rows as the file holds them, read beside the running dashboard or silo.</summary>
public static class StoredPayloads
{
    /// <summary>The JSON payload of every row, or of the rows of one state name; null for a cleared row.</summary>
    public static List<string?> Of(string dbPath, string? stateName = null)
    {
        using var c = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT CAST(Payload AS TEXT) FROM GrainState WHERE $state IS NULL OR GrainType = $state;";
        cmd.Parameters.AddWithValue("$state", (object?)stateName ?? DBNull.Value);
        using var r = cmd.ExecuteReader();
        var list = new List<string?>();
        while (r.Read()) list.Add(r.IsDBNull(0) ? null : r.GetString(0));
        return list;
    }
}
