using NixFleet.Web.Audit;

namespace NixFleet.Web.Auth;

/// <summary>
/// Password, then (when configured) a one-time TOTP code; success opens a fresh session and ends the one the browser
/// came with, so an id planted before sign-in is worthless after it. Every attempt is audited.
/// </summary>
public sealed class LoginService(OperatorPassword password, TotpVerifier totp, SessionStore sessions, IAuditLog audit)
{
    public Task<bool> CodeRequiredAsync(CancellationToken ct) => totp.IsEnabledAsync(ct);

    /// <summary>The new session's cookie value, or null (one generic failure for any wrong part).</summary>
    public async Task<(string Cookie, SessionRecord Session)?> SignInAsync(HttpContext context, string? pass, string? code)
    {
        var ct = context.RequestAborted;
        // The code is only checked (and used up) after the password matched, so a guessed password burns no code.
        var ok = await password.VerifyAsync(pass, ct) && await totp.VerifyOnceAsync(code, ct);
        if (!ok)
        {
            await audit.AppendAsync(context.AuditEntry("login", detail: "wrong password or code", success: false) with { Actor = "anonymous" }, ct);
            return null;
        }
        if (context.User.IsOperatorSession())
            await sessions.DeleteAsync(context.User.FindFirst(OperatorClaims.SessionId)!.Value, ct);
        var created = await sessions.CreateAsync(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString(), ct);
        await audit.AppendAsync(context.AuditEntry("login") with { Actor = OperatorClaims.OperatorUser }, ct);
        return created;
    }

    public async Task SignOutAsync(HttpContext context)
    {
        if (context.User.FindFirst(OperatorClaims.SessionId)?.Value is { } id)
            await sessions.DeleteAsync(id, context.RequestAborted);
        await audit.AppendAsync(context.AuditEntry("logout"), context.RequestAborted);
    }
}
