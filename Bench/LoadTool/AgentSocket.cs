using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace NixFleet.LoadTool;

/// <summary>The socket plumbing every simulated agent shares: one source address each, whole text frames.</summary>
internal static class AgentSocket
{
    // Spreads agents over 127.0.0.x source addresses, as a fleet arrives from many machines.
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectFrom(IPAddress source) =>
        async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

    /// <summary>The next whole text frame, or null when the dashboard closes.</summary>
    public static async Task<string?> ReceiveAsync(ClientWebSocket ws, CancellationToken ct)
    {
        var buffer = new byte[4096];
        using var ms = new MemoryStream();
        ValueWebSocketReceiveResult r;
        do
        {
            r = await ws.ReceiveAsync(buffer.AsMemory(), ct);
            if (r.MessageType == WebSocketMessageType.Close) return null;
            ms.Write(buffer, 0, r.Count);
        } while (!r.EndOfMessage);
        return Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length);
    }
}
