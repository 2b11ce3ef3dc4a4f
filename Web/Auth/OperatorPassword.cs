using NixFleet.Silo.Configuration;

namespace NixFleet.Web.Auth;

/// <summary>Checks the operator password against NIXFLEET_PASSWORD_HASH, else the hash stored at first start.</summary>
public sealed class OperatorPassword(NixFleetOptions options, SecretStore secrets)
{
    // Verified against when no hash exists at all, so a missing hash costs the same time as a wrong password.
    private static readonly string Decoy = PasswordHashing.Hash(TokenHashing.NewSecret());

    public async Task<bool> VerifyAsync(string? password, CancellationToken ct = default)
    {
        var hash = options.PasswordHash ?? await secrets.GetAsync(SecretStore.PasswordHash, ct);
        if (string.IsNullOrEmpty(password) || password.Length > 1024)
        {
            PasswordHashing.Verify("x", Decoy);
            return false;
        }
        return PasswordHashing.Verify(password, hash ?? Decoy) && hash is not null;
    }
}
