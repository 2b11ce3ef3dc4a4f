using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using NixFleet.Silo.Storage;

namespace NixFleet.Web.Auth;

/// <summary>Named API tokens for scripts and CI: shown once, stored as SHA-256, revocable, with last use.</summary>
public sealed partial class ApiTokenStore(SqliteDatabase db, TimeProvider time)
{
    public const string NameRule = "1 to 64 characters of letters, digits, '.', '_' and '-'";

    public static bool IsValidName(string? name) => name is not null && ValidName().IsMatch(name);

    /// <summary>Creates a token; null when an active token already has that name.</summary>
    public async Task<(ApiTokenInfo Info, string Token)?> CreateAsync(string name, string createdBy, CancellationToken ct = default)
    {
        if (!IsValidName(name)) throw new ArgumentException($"token name must be {NameRule}", nameof(name));
        var token = ApiTokenFormat.New();
        var now = time.GetUtcNow();
        await using var c = await AuthTables.OpenAsync(db, ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            INSERT INTO api_tokens(name, token_hash, created_at, created_by) VALUES (@n, @h, @t, @b)
            ON CONFLICT DO NOTHING RETURNING id;
            """;
        cmd.Parameters.AddWithValue("@n", name);
        cmd.Parameters.AddWithValue("@h", TokenHashing.Sha256Hex(token));
        cmd.Parameters.AddWithValue("@t", now.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("@b", createdBy);
        if (await cmd.ExecuteScalarAsync(ct) is not long id) return null;
        return (new ApiTokenInfo(id, name, FromMs(now.ToUnixTimeMilliseconds()), createdBy, null, null), token);
    }

    public async Task<IReadOnlyList<ApiTokenInfo>> ListAsync(bool includeRevoked = false, CancellationToken ct = default)
    {
        await using var c = await AuthTables.OpenAsync(db, ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, name, created_at, created_by, last_used_at, revoked_at FROM api_tokens"
            + (includeRevoked ? "" : " WHERE revoked_at IS NULL") + " ORDER BY id;";
        var list = new List<ApiTokenInfo>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(Read(r));
        return list;
    }

    /// <summary>Revokes the active token with this id or name; returns it, or null when there is none.</summary>
    public async Task<ApiTokenInfo?> RevokeAsync(string idOrName, CancellationToken ct = default)
    {
        await using var c = await AuthTables.OpenAsync(db, ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            UPDATE api_tokens SET revoked_at = @t
            WHERE revoked_at IS NULL AND (name = @k OR CAST(id AS TEXT) = @k)
            RETURNING id, name, created_at, created_by, last_used_at, revoked_at;
            """;
        cmd.Parameters.AddWithValue("@t", time.GetUtcNow().ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("@k", idOrName);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    /// <summary>The active token a bearer value stands for (recording its use), or null.</summary>
    public async Task<ApiTokenInfo?> ValidateAsync(string presented, CancellationToken ct = default)
    {
        if (!ApiTokenFormat.Looks(presented) || presented.Length > 200) return null;
        await using var c = await AuthTables.OpenAsync(db, ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            UPDATE api_tokens SET last_used_at = @t WHERE token_hash = @h AND revoked_at IS NULL
            RETURNING id, name, created_at, created_by, last_used_at, revoked_at;
            """;
        cmd.Parameters.AddWithValue("@t", time.GetUtcNow().ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("@h", TokenHashing.Sha256Hex(presented));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    private static ApiTokenInfo Read(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), FromMs(r.GetInt64(2)), r.GetString(3),
        r.IsDBNull(4) ? null : FromMs(r.GetInt64(4)), r.IsDBNull(5) ? null : FromMs(r.GetInt64(5)));

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex ValidName();
}
