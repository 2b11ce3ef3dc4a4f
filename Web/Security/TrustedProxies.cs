using Microsoft.AspNetCore.HttpOverrides;
using NixFleet.Silo.Configuration;

namespace NixFleet.Web.Security;

/// <summary>
/// X-Forwarded-For / -Proto are believed only from NIXFLEET_TRUSTED_PROXIES. ASP.NET trusts loopback by default;
/// that is cleared, so a local process cannot claim another address or HTTPS.
/// </summary>
public static class TrustedProxies
{
    public static ForwardedHeadersOptions Options(NixFleetOptions options)
    {
        var o = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = 1,
        };
        o.KnownProxies.Clear();
        o.KnownIPNetworks.Clear();
        foreach (var network in options.TrustedProxies) o.KnownIPNetworks.Add(network);
        return o;
    }
}
