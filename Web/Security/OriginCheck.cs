using NixFleet.Silo.Configuration;

namespace NixFleet.Web.Security;

/// <summary>
/// For /ws and browser live-update endpoints: a browser always sends Origin on these, so a present Origin must be
/// this dashboard's own (scheme://Host of the request, after trusted-proxy rewriting) or one of
/// NIXFLEET_ALLOWED_ORIGINS. No Origin means no browser (an agent, curl) and is left to token auth.
/// </summary>
public static class OriginCheck
{
    public static bool IsAllowed(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0) return true;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return false;
        var normalized = uri.GetLeftPart(UriPartial.Authority);
        var own = $"{context.Request.Scheme}://{context.Request.Host.Value}";
        if (Uri.TryCreate(own, UriKind.Absolute, out var ownUri) && string.Equals(normalized, ownUri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
            return true;
        var allowed = context.RequestServices.GetRequiredService<NixFleetOptions>().AllowedOrigins;
        return allowed.Any(a => string.Equals(a, normalized, StringComparison.OrdinalIgnoreCase));
    }
}
