using OtpNet;
using NixFleet.Silo.Configuration;
using NixFleet.Silo.Storage;

namespace NixFleet.Web.Auth;

/// <summary>
/// RFC 6238 codes (30 s, ±1 step). The secret is NIXFLEET_TOTP_SECRET, else the one enrolled on the account page
/// (read from the database on each check, so every node of a cluster agrees at once). The last accepted step is
/// stored too, so a code works once, on every node and across restarts: a replay, or any older code, is refused.
/// </summary>
public sealed class TotpVerifier(NixFleetOptions options, SecretStore secrets, SqliteDatabase db, TimeProvider time)
{
    /// <summary>The secret comes from the environment: the account page can neither change nor remove it.</summary>
    public bool FromEnvironment => options.TotpSecret is not null;

    public async Task<string?> SecretAsync(CancellationToken ct = default) =>
        options.TotpSecret ?? await secrets.GetAsync(SecretStore.TotpSecret, ct);

    public async Task<bool> IsEnabledAsync(CancellationToken ct = default) => await SecretAsync(ct) is not null;

    /// <summary>True when no secret is in force, or the code is right and was not used before.</summary>
    public async Task<bool> VerifyOnceAsync(string? code, CancellationToken ct = default) =>
        await SecretAsync(ct) is not { } secret || await VerifyOnceAsync(secret, code, ct);

    /// <summary>Checks a code against <paramref name="secret"/> (also one still being enrolled) and uses it up.</summary>
    public async Task<bool> VerifyOnceAsync(string secret, string? code, CancellationToken ct)
    {
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
