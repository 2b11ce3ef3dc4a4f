using System.Net;
using System.Net.Sockets;

namespace NixFleet.Tests.Support;

public static class FreePort
{
    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>
    /// A free port for a server that is stopped and started again on it. <see cref="Next"/> ports come from the
    /// kernel's ephemeral range, where any outgoing connection (or a TCP self-connect of a client retrying it) may take
    /// the port while the server is down; these come from below that range, and never twice from this process.
    /// </summary>
    public static int ForRestart()
    {
        var ephemeralLow = EphemeralLow();
        var low = Math.Max(10_000, ephemeralLow - 12_000);
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var port = Random.Shared.Next(low, ephemeralLow);
            lock (HandedOut) if (!HandedOut.Add(port)) continue;
            try
            {
                using var l = new TcpListener(IPAddress.Loopback, port);
                l.Start();
                return port;
            }
            catch (SocketException) { }
        }
        throw new InvalidOperationException($"no free port between {low} and {ephemeralLow}");
    }

    private static int EphemeralLow()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (int.TryParse(range[0], out var low) && low > 11_000) return low;
        }
        catch (IOException) { }
        return 32_768;
    }
}
