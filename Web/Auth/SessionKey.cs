using System.Security.Cryptography;
using System.Text;
using NixFleet.Silo.Configuration;

namespace NixFleet.Web.Auth;

/// <summary>
/// The HMAC key that signs session cookies: derived from NIXFLEET_SESSION_SECRET (same on every node), else a random
/// key stored in the database at first start, so sessions survive restarts either way.
/// </summary>
public sealed class SessionKey(NixFleetOptions options, SecretStore secrets)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[]? _key;

    public async ValueTask<byte[]> GetAsync(CancellationToken ct = default)
    {
        if (_key is { } key) return key;
        await _gate.WaitAsync(ct);
        try
        {
            return _key ??= options.SessionSecret is { } secret
                ? HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: "nixfleet session cookie v1"u8.ToArray())
                : Convert.FromBase64String((await secrets.AddIfAbsentAsync(SecretStore.SessionKey, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), ct)).Value);
        }
        finally
        {
            _gate.Release();
        }
    }
}
