using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using NixFleet.Grains.Hosts;

namespace NixFleet.Silo.Storage;

/// <summary>
/// Per-host agent tokens in a plain table (the CLI changes it while the dashboard runs). A token is
/// <c>nfagent_&lt;id&gt;_&lt;secret&gt;</c>: the id finds the row, and only the SHA-256 of the whole token is stored,
/// compared in constant time.
/// </summary>
public sealed class AgentTokenStore(SqliteDatabase db) : IHostTokenRevoker
{
    public const string Prefix = "nfagent_";

    private const string Ddl = """
        CREATE TABLE IF NOT EXISTS agent_tokens (
            id         TEXT PRIMARY KEY,
            hostname   TEXT NOT NULL,
            token_hash TEXT NOT NULL,
            created_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS agent_tokens_hostname ON agent_tokens(hostname);
        """;

    private volatile bool _ensured;

    public async Task<CreatedAgentToken> CreateAsync(string hostname, CancellationToken ct = default)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        var token = Prefix + id + "_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = DateTimeOffset.UtcNow;
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO agent_tokens (id, hostname, token_hash, created_at) VALUES ($id, $host, $hash, $at);";
        cmd.Parameters.AddWithValue("$id", id);
        cmd.Parameters.AddWithValue("$host", hostname);
        cmd.Parameters.AddWithValue("$hash", Sha256Hex(token));
        cmd.Parameters.AddWithValue("$at", now.ToUnixTimeSeconds());
        await cmd.ExecuteNonQueryAsync(ct);
        return new CreatedAgentToken(new AgentTokenInfo(id, hostname, DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds())), token);
    }

    public async Task<IReadOnlyList<AgentTokenInfo>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, hostname, created_at FROM agent_tokens ORDER BY hostname, created_at, id;";
        var list = new List<AgentTokenInfo>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new AgentTokenInfo(r.GetString(0), r.GetString(1), DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(2))));
        return list;
    }

    /// <summary>The hostname a presented token is bound to, or null when it is no per-host token of ours.</summary>
    public async Task<string?> FindHostAsync(string presented, CancellationToken ct = default)
    {
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var sep = presented.IndexOf('_', Prefix.Length);
        if (sep <= Prefix.Length) return null;
        var id = presented[Prefix.Length..sep];
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT hostname, token_hash FROM agent_tokens WHERE id = $id;";
        cmd.Parameters.AddWithValue("$id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        var stored = Encoding.ASCII.GetBytes(r.GetString(1));
        var given = Encoding.ASCII.GetBytes(Sha256Hex(presented));
        return CryptographicOperations.FixedTimeEquals(stored, given) ? r.GetString(0) : null;
    }

    public async Task<bool> HostHasTokenAsync(string hostname, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT EXISTS (SELECT 1 FROM agent_tokens WHERE hostname = $host);";
        cmd.Parameters.AddWithValue("$host", hostname);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct)) == 1;
    }

    /// <summary>Revokes the token with this id; when there is none, every token of the host of that name.</summary>
    public async Task<int> RevokeAsync(string idOrHostname, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "DELETE FROM agent_tokens WHERE id = $key;";
        cmd.Parameters.AddWithValue("$key", idOrHostname);
        var n = await cmd.ExecuteNonQueryAsync(ct);
        return n > 0 ? n : await RevokeHostAsync(idOrHostname, ct);
    }

    public async Task<int> RevokeHostAsync(string hostname, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "DELETE FROM agent_tokens WHERE hostname = $host;";
        cmd.Parameters.AddWithValue("$host", hostname);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var c = await db.OpenAsync(ct);
        if (_ensured) return c;
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode=WAL;" + Ddl;
        await cmd.ExecuteNonQueryAsync(ct);
        _ensured = true;
        return c;
    }

    private static string Sha256Hex(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
