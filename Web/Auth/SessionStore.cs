using System.Security.Cryptography;
using System.Text;
using NixFleet.Silo.Configuration;
using NixFleet.Silo.Storage;

namespace NixFleet.Web.Auth;

/// <summary>
/// Server-side sessions: the cookie is <c>id.hmac</c>, the table keeps SHA-256(id), so deleting a row ends the
/// session everywhere and a copy of the database yields no working cookie.
/// </summary>
public sealed class SessionStore(NixFleetOptions options, SqliteDatabase db, SessionKey key, TimeProvider time)
{
    private TimeSpan Idle => options.SessionIdleTimeout < options.SessionDuration ? options.SessionIdleTimeout : options.SessionDuration;

    // Writing last-seen on every request would serialize page loads on the database; a coarse mark is enough.
    private TimeSpan TouchAfter => TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, Idle.Ticks / 10));

    public async Task<(string Cookie, SessionRecord Session)> CreateAsync(string? address, string? userAgent, CancellationToken ct = default)
    {
        var id = TokenHashing.NewSecret();
        var now = time.GetUtcNow();
        var record = new SessionRecord(TokenHashing.Sha256Hex(id), TokenHashing.NewSecret(), now, now + options.SessionDuration);
        await using var c = await AuthTables.OpenAsync(db, ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            INSERT INTO auth_sessions(id_hash, csrf_token, created_at, last_seen_at, expires_at, address, user_agent)
            VALUES (@h, @c, @n, @n, @e, @a, @u);
            """;
        cmd.Parameters.AddWithValue("@h", record.IdHash);
        cmd.Parameters.AddWithValue("@c", record.CsrfToken);
        cmd.Parameters.AddWithValue("@n", now.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("@e", record.ExpiresAt.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("@a", (object?)address ?? DBNull.Value);
        cmd.Parameters.AddWithValue("@u", (object?)Truncate(userAgent, 512) ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(ct);
        return ($"{id}.{await SignAsync(id, ct)}", record);
    }

    /// <summary>The session a cookie stands for, or null when the cookie is forged, ended, idle too long or too old.</summary>
    public async Task<SessionRecord?> FindAsync(string? cookie, CancellationToken ct = default)
    {
        if (cookie is null || cookie.Length > 200 || cookie.Split('.') is not [var id, var mac]) return null;
        var expected = Encoding.ASCII.GetBytes(await SignAsync(id, ct));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(mac))) return null;

        var hash = TokenHashing.Sha256Hex(id);
        var now = time.GetUtcNow();
        await using var c = await AuthTables.OpenAsync(db, ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT csrf_token, created_at, last_seen_at, expires_at FROM auth_sessions WHERE id_hash = @h;";
        cmd.Parameters.AddWithValue("@h", hash);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        var record = new SessionRecord(hash, r.GetString(0), FromMs(r.GetInt64(1)), FromMs(r.GetInt64(3)));
        var lastSeen = FromMs(r.GetInt64(2));
        await r.DisposeAsync();

        if (now >= record.ExpiresAt || now - lastSeen >= Idle)
        {
            await DeleteAsync(hash, ct);
            return null;
        }
        if (now - lastSeen >= TouchAfter)
        {
            await using var touch = c.CreateCommand();
            touch.CommandText = "UPDATE auth_sessions SET last_seen_at = @n WHERE id_hash = @h;";
            touch.Parameters.AddWithValue("@n", now.ToUnixTimeMilliseconds());
            touch.Parameters.AddWithValue("@h", hash);
            await touch.ExecuteNonQueryAsync(ct);
        }
        return record;
    }

    public async Task DeleteAsync(string idHash, CancellationToken ct = default)
    {
        await using var c = await AuthTables.OpenAsync(db, ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "DELETE FROM auth_sessions WHERE id_hash = @h;";
        cmd.Parameters.AddWithValue("@h", idHash);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Removes sessions past their lifetime or idle limit; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await using var c = await AuthTables.OpenAsync(db, ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "DELETE FROM auth_sessions WHERE expires_at <= @n OR last_seen_at <= @idle;";
        cmd.Parameters.AddWithValue("@n", now.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("@idle", (now - Idle).ToUnixTimeMilliseconds());
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task<string> SignAsync(string id, CancellationToken ct) =>
        TokenHashing.Base64Url(HMACSHA256.HashData(await key.GetAsync(ct), Encoding.UTF8.GetBytes(id)));

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static string? Truncate(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}
