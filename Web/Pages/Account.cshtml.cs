using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NixFleet.Web.Audit;
using NixFleet.Web.Auth;
using NixFleet.Web.Cli;

namespace NixFleet.Web.Pages;

/// <summary>
/// The operator's account: two-factor enrollment (a new secret as a QR code; it is switched on only by a valid code
/// from the app, so nobody locks themselves out with a secret they never scanned), switching it off (with a code),
/// and how to change the password hash. A secret from NIXFLEET_TOTP_SECRET is shown as such and left alone.
/// </summary>
public sealed class AccountModel(TotpVerifier totp, SecretStore secrets, IAuditLog audit) : PageModel
{
    public bool Enabled { get; private set; }
    public bool FromEnvironment => totp.FromEnvironment;
    public string? Pending { get; private set; }
    public string PendingUri => TotpSetupCommand.Uri(Pending!, OperatorClaims.OperatorUser);
    public string? Error { get; private set; }
    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostBeginAsync(CancellationToken ct)
    {
        if (await totp.IsEnabledAsync(ct)) return await FailAsync(409, "Two-factor sign-in is already on.", ct);
        await secrets.SetAsync(SecretStore.TotpPending, TotpSetupCommand.NewSecret(), ct);
        return Redirect("/account");
    }

    public async Task<IActionResult> OnPostEnableAsync(string? code, CancellationToken ct)
    {
        if (await totp.IsEnabledAsync(ct)) return await FailAsync(409, "Two-factor sign-in is already on.", ct);
        if (await secrets.GetAsync(SecretStore.TotpPending, ct) is not { } pending)
            return await FailAsync(409, "Start the setup first: there is no new secret to confirm.", ct);
        if (!await totp.VerifyOnceAsync(pending, code, ct))
        {
            await audit.AppendAsync(HttpContext.AuditEntry("totp.enable", detail: "wrong code", success: false), ct);
            return await FailAsync(422, "That code does not match the new secret (or was used already). Try the next one.", ct);
        }
        await secrets.SetAsync(SecretStore.TotpSecret, pending, ct);
        await secrets.DeleteAsync(SecretStore.TotpPending, ct);
        await audit.AppendAsync(HttpContext.AuditEntry("totp.enable"), ct);
        Message = "Two-factor sign-in is on: sign-in and reboots now ask for a code.";
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(string? code, CancellationToken ct)
    {
        if (totp.FromEnvironment) return await FailAsync(409, "The secret comes from NIXFLEET_TOTP_SECRET: unset it there.", ct);
        if (!await totp.IsEnabledAsync(ct)) return await FailAsync(409, "Two-factor sign-in is already off.", ct);
        if (!await totp.VerifyOnceAsync(code, ct))
        {
            await audit.AppendAsync(HttpContext.AuditEntry("totp.disable", detail: "wrong code", success: false), ct);
            return await FailAsync(422, "Wrong or used code: two-factor sign-in stays on.", ct);
        }
        await secrets.DeleteAsync(SecretStore.TotpSecret, ct);
        await audit.AppendAsync(HttpContext.AuditEntry("totp.disable"), ct);
        Message = "Two-factor sign-in is off.";
        await LoadAsync(ct);
        return Page();
    }

    private async Task<IActionResult> FailAsync(int status, string error, CancellationToken ct)
    {
        Error = error;
        Response.StatusCode = status;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        Enabled = await totp.IsEnabledAsync(ct);
        Pending = Enabled ? null : await secrets.GetAsync(SecretStore.TotpPending, ct);
    }
}
