using System.Security.Claims;

namespace NixFleet.Web.Auth;

/// <summary>Who a request acts for. Sessions act as the operator; API tokens as <c>token:NAME</c>.</summary>
public static class OperatorClaims
{
    public const string Scheme = "NixFleet";
    public const string Kind = "nixfleet:kind", SessionKind = "session", ApiTokenKind = "api-token";
    public const string SessionId = "nixfleet:session", Csrf = "nixfleet:csrf", TokenId = "nixfleet:token";
    public const string OperatorUser = "operator";

    public static ClaimsPrincipal ForSession(SessionRecord s) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.Name, OperatorUser), new Claim(Kind, SessionKind),
        new Claim(SessionId, s.IdHash), new Claim(Csrf, s.CsrfToken),
    ], Scheme));

    public static ClaimsPrincipal ForApiToken(ApiTokenInfo t) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.Name, $"token:{t.Name}"), new Claim(Kind, ApiTokenKind), new Claim(TokenId, t.Id.ToString()),
    ], Scheme));

    public static string? OperatorName(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.Identity.Name : null;

    /// <summary>True for a browser session (cookie), the only kind that may use pages and live updates.</summary>
    public static bool IsOperatorSession(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.FindFirstValue(Kind) == SessionKind;

    public static bool IsApiToken(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.FindFirstValue(Kind) == ApiTokenKind;

    /// <summary>The session's anti-forgery token, for the <c>csrf-token</c> meta tag and forms.</summary>
    public static string? CsrfToken(this ClaimsPrincipal user) => user.FindFirstValue(Csrf);
}
