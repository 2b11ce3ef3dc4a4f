using OtpNet;
using NixFleet.Silo.Configuration;
using NixFleet.Silo.Storage;

namespace NixFleet.Web.Auth;

/// <summary>
/// RFC 6238 codes (30 s, ±1 step). The last accepted step is stored in the database, so a code works once,
/// on every node of a cluster and across restarts: a replay, or any older code, is refused.
/// </summary>
public sealed class TotpVerifier(NixFleetOptions options, SqliteDatabase db, TimeProvider time)
{
    public bool Enabled => options.TotpSecret is not null;

    public async Task<bool> VerifyOnceAsync(string? code, CancellationToken ct = default)
    {
        if (options.TotpSecret is not { } secret) return true;
        if (code is null) return false;
        code = code.Trim().Replace(" ", "");
        if (code.Length != 6 || !code.All(char.IsAsciiDigit)) return false;

        var totp = new Totp(Base32Encoding.ToBytes(secret));
        if (!totp.VerifyTotp(time.GetUtcNow().UtcDateTime, code, out var step, new VerificationWindow(previous: 1, future: 1)))
            return false;

        await using var c = await AuthTables.OpenAsync(db, ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            INSERT INTO auth_totp_steps(secret_hash, last_step) VALUES (@h, @s)
            ON CONFLICT(secret_hash) DO UPDATE SET last_step = excluded.last_step WHERE last_step < excluded.last_step;
            """;
        cmd.Parameters.AddWithValue("@h", TokenHashing.Sha256Hex(secret));
        cmd.Parameters.AddWithValue("@s", step);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }
}
