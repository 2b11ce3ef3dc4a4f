namespace NixFleet.Web.Auth;

/// <summary>
/// The session cookie: HttpOnly, SameSite=Lax, and over HTTPS (direct or from a trusted proxy) Secure with the
/// <c>__Host-</c> prefix, which browsers only accept from a secure origin, for path / and without Domain.
/// </summary>
public static class SessionCookie
{
    public const string PlainName = "nixfleet_session";
    public const string SecureName = "__Host-nixfleet_session";

    public static string Name(HttpRequest request) => request.IsHttps ? SecureName : PlainName;

    public static string? Read(HttpRequest request) => request.Cookies[Name(request)];

    public static void Write(HttpResponse response, string value, DateTimeOffset expires) =>
        response.Cookies.Append(Name(response.HttpContext.Request), value, Options(response.HttpContext.Request, expires));

    public static void Clear(HttpResponse response) =>
        response.Cookies.Append(Name(response.HttpContext.Request), "", Options(response.HttpContext.Request, DateTimeOffset.UnixEpoch));

    private static CookieOptions Options(HttpRequest request, DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
