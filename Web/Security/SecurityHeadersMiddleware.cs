namespace NixFleet.Web.Security;

/// <summary>
/// Headers on every response, errors and redirects included: a CSP without inline script, nosniff, no framing,
/// no referrer beyond the origin, and HSTS when the request came over HTTPS.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var nonce = context.CspNonceValue();
        var h = context.Response.Headers;
        h.ContentSecurityPolicy =
            $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self' data:; " +
            "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "same-origin";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        if (context.Request.IsHttps) h.StrictTransportSecurity = "max-age=63072000";
        return next(context);
    }
}
