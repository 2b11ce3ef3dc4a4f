using System.Text;

namespace NixFleet.Web.Live;

/// <summary>Element ids for host rows: hex of the hostname, so dots never read as CSS class selectors.</summary>
public static class HostRowId
{
    public static string For(string hostname) => "host-" + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(hostname));
}
