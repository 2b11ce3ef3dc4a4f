using NixFleet.Web.Auth;

namespace NixFleet.Web.Api;

/// <summary>Reboot codes are the sign-in TOTP codes, checked by the same verifier, so each code works once anywhere.</summary>
public sealed class TotpRebootCodeCheck(TotpVerifier totp) : IRebootCodeCheck
{
    public Task<bool> RequiredAsync(CancellationToken ct) => totp.IsEnabledAsync(ct);

    public Task<bool> VerifyOnceAsync(string? code, CancellationToken ct) => totp.VerifyOnceAsync(code, ct);
}
