using System.Net.WebSockets;

namespace NixFleet.Web.Gateway;

/// <summary>
/// The only writer of one socket: frames and finally a close, in order. Bounded, and never waited on: a caller
/// whose frame does not fit learns it at once, and the session drops the stuck socket.
/// </summary>
/// <remarks>
/// Agents are sent little (registered, a command now and then), so nothing waits on an idle socket: the first frame
/// starts a sender that stops when the queue is empty. A channel read by a loop per socket kept about 1 KB of waiting
/// operations and state machines per agent (10 MB at 10,000).
/// </remarks>
internal sealed class SendQueue(WebSocket socket)
{
    private readonly Lock _lock = new();
    private Queue<Outgoing>? _items;
    private bool _sending;
    private bool _completed;
    private bool _failed;
    private TaskCompletionSource? _drained;

    private readonly record struct Outgoing(byte[]? Frame, WebSocketCloseStatus Code, string? Reason);

    /// <summary>False when the queue is full (the socket does not keep up) or already closed.</summary>
    public bool TryEnqueue(byte[] frame) => TryAdd(new Outgoing(frame, default, null), complete: false);

    /// <summary>Queues the close frame as the last item. False when a close was already queued or the queue is full.</summary>
    public bool TryClose(WebSocketCloseStatus code, string reason)
    {
        if (TryAdd(new Outgoing(null, code, Truncate(reason)), complete: true)) return true;
        Complete();
        return false;
    }

    /// <summary>Nothing more will be queued; what is queued still goes out.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            if (!_sending) _drained?.TrySetResult();
        }
    }

    /// <summary>Completes once the queue is complete and everything in it was sent (or the socket failed).</summary>
    public Task WhenDrained()
    {
        lock (_lock)
        {
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_completed && !_sending) _drained.TrySetResult();
            return _drained.Task;
        }
    }

    private bool TryAdd(Outgoing item, bool complete)
    {
        lock (_lock)
        {
            if (_failed) return true; // the socket is gone (aborted): nothing can go out, and nothing to report
            if (_completed || (_items?.Count ?? 0) >= GatewayLimits.SendQueueFrames) return false;
            (_items ??= new Queue<Outgoing>()).Enqueue(item);
            _completed = complete;
            if (_sending) return true;
            _sending = true;
        }
        _ = Task.Run(SendAllAsync);
        return true;
    }

    private async Task SendAllAsync()
    {
        try
        {
            while (Next() is { } item)
            {
                if (item.Frame is { } frame)
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                    continue;
                }
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    await socket.CloseOutputAsync(item.Code, item.Reason, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            socket.Abort();
            lock (_lock)
            {
                _failed = _completed = true;
                _items?.Clear();
                _sending = false;
                _drained?.TrySetResult();
            }
        }
    }

    // The next item, or null when the queue is empty (the sender then stops; the next frame starts another).
    private Outgoing? Next()
    {
        lock (_lock)
        {
            if (_items is { Count: > 0 } items) return items.Dequeue();
            _sending = false;
            if (_completed) _drained?.TrySetResult();
            return null;
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
