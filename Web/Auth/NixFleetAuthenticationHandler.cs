using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace NixFleet.Web.Auth;

/// <summary>
/// One scheme for everything: <c>Authorization: Bearer nfapi_…</c> on <c>/api/*</c> (API tokens only), otherwise the
/// session cookie. A bearer value elsewhere (e.g. an agent's on <c>/ws</c>) is left to whoever owns that route.
/// Challenge: 401 JSON on <c>/api/*</c>, a redirect to <c>/login</c> on pages.
/// </summary>
public sealed class NixFleetAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    SessionStore sessions, ApiTokenStore tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            if (!IsApi(Request)) return AuthenticateResult.NoResult();
            if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                return AuthenticateResult.Fail("only Bearer API tokens are accepted");
            var token = await tokens.ValidateAsync(authorization["Bearer ".Length..].Trim(), Context.RequestAborted);
            return token is null
                ? AuthenticateResult.Fail("unknown or revoked API token")
                : AuthenticateResult.Success(new AuthenticationTicket(OperatorClaims.ForApiToken(token), Scheme.Name));
        }

        var session = await sessions.FindAsync(SessionCookie.Read(Request), Context.RequestAborted);
        return session is null
            ? AuthenticateResult.NoResult()
            : AuthenticateResult.Success(new AuthenticationTicket(OperatorClaims.ForSession(session), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (IsApi(Request))
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = "Bearer";
            await Response.WriteAsJsonAsync(new { error = "authentication required: a session or an API token (Authorization: Bearer nfapi_…)" });
            return;
        }
        var target = Request.Method == HttpMethods.Get && Request.Path != "/" ? "/login?returnUrl=" + Uri.EscapeDataString(Request.Path + Request.QueryString) : "/login";
        Response.Redirect(target);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        if (IsApi(Request)) await Response.WriteAsJsonAsync(new { error = "forbidden" });
    }
}
