using System.Security.Cryptography;

namespace NixFleet.Web.Security;

/// <summary>A per-response nonce for the few script tags that need one; pages otherwise load external files only.</summary>
public static class CspNonce
{
    private const string Key = "nixfleet.csp-nonce";

    public static string CspNonceValue(this HttpContext context)
    {
        if (context.Items[Key] is string nonce) return nonce;
        nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Items[Key] = nonce;
        return nonce;
    }
}
