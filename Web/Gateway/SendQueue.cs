using System.Net.WebSockets;
using System.Threading.Channels;

namespace NixFleet.Web.Gateway;

/// <summary>
/// The only writer of one socket: frames and finally a close, in order. Bounded, and never waited on: a caller
/// whose frame does not fit learns it at once, and the session drops the stuck socket.
/// </summary>
internal sealed class SendQueue
{
    private readonly Channel<Outgoing> _channel = Channel.CreateBounded<Outgoing>(
        new BoundedChannelOptions(GatewayLimits.SendQueueFrames) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly record struct Outgoing(byte[]? Frame, WebSocketCloseStatus Code, string? Reason);

    /// <summary>False when the queue is full (the socket does not keep up) or already closed.</summary>
    public bool TryEnqueue(byte[] frame) => _channel.Writer.TryWrite(new Outgoing(frame, default, null));

    /// <summary>Queues the close frame as the last item. False when a close was already queued or the queue is full.</summary>
    public bool TryClose(WebSocketCloseStatus code, string reason)
    {
        var queued = _channel.Writer.TryWrite(new Outgoing(null, code, Truncate(reason)));
        _channel.Writer.TryComplete();
        return queued;
    }

    public void Complete() => _channel.Writer.TryComplete();

    public async Task RunAsync(WebSocket socket, CancellationToken ct)
    {
        await foreach (var item in _channel.Reader.ReadAllAsync(ct))
        {
            if (item.Frame is { } frame)
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, ct);
                continue;
            }
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(item.Code, item.Reason, ct);
            return;
        }
    }

    // A close reason is at most 123 bytes of UTF-8.
    private static string Truncate(string reason)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(reason) <= 123) return reason;
        var s = reason;
        while (System.Text.Encoding.UTF8.GetByteCount(s) > 120) s = s[..^1];
        return s + "...";
    }
}
