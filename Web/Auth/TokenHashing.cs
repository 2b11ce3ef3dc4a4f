using System.Security.Cryptography;
using System.Text;

namespace NixFleet.Web.Auth;

/// <summary>Random secrets and their stored form (SHA-256, hex): long random tokens need no slow hash.</summary>
public static class TokenHashing
{
    public static string NewSecret(int bytes = 32) => Base64Url(RandomNumberGenerator.GetBytes(bytes));

    public static string Sha256Hex(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Compares a presented token with a stored hash in constant time.</summary>
    public static bool MatchesHash(string presented, string storedHex) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sha256Hex(presented)), Encoding.ASCII.GetBytes(storedHex.ToLowerInvariant()));

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
