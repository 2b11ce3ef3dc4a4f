using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace NixFleet.LoadTool;

/// <summary>
/// One agent speaking the Go agent's frames: register, a heartbeat every interval (first one at a random
/// offset), a <c>status</c> answer to every command, and reconnection with the real agent's backoff and jitter.
/// </summary>
internal sealed class SimulatedAgent(int index, LoadOptions options, LoadStats stats, SemaphoreSlim connectSlots, MassDrop drop)
{
    private readonly string _host = $"bench-{index:00000}";
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private bool _registeredBefore;
    private bool _online;

    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = new Backoff();
        while (!ct.IsCancellationRequested)
        {
            _online = false;
            try
            {
                await SessionAsync(ct, backoff.Reset);
            }
            catch (Exception e) when (e is WebSocketException or IOException or HttpRequestException or SocketException or OperationCanceledException or ObjectDisposedException) { }
            if (_online) stats.Dropped();
            if (ct.IsCancellationRequested) return;
            try { await Task.Delay(backoff.Next(), ct); } catch (OperationCanceledException) { return; }
        }
    }

    private async Task SessionAsync(CancellationToken ct, Action onRegistered)
    {
        using var handler = new SocketsHttpHandler { ConnectCallback = AgentSocket.ConnectFrom(options.Source(index)) };
        using var invoker = new HttpMessageInvoker(handler);
        using var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Authorization", "Bearer " + options.Token);
        ws.Options.KeepAliveInterval = TimeSpan.FromSeconds(10);

        await connectSlots.WaitAsync(ct);
        try
        {
            // As the real agent: 15 s to connect, 30 s for `registered`.
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            connectTimeout.CancelAfter(TimeSpan.FromSeconds(15));
            await ws.ConnectAsync(options.Url, invoker, connectTimeout.Token);
            connectTimeout.CancelAfter(TimeSpan.FromSeconds(30));
            await SendAsync(ws, Frames.Register(_host, options.IntervalSeconds), connectTimeout.Token);
            var first = await AgentSocket.ReceiveAsync(ws, connectTimeout.Token);
            if (first is null || !first.Contains("\"registered\"")) return;
        }
        finally { connectSlots.Release(); }
        using var dropped = drop.OnDrop(ws.Abort);

        stats.Registered(!_registeredBefore);
        _registeredBefore = _online = true;
        onRegistered();
        using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var beats = HeartbeatLoopAsync(ws, session.Token);
        try
        {
            while (await AgentSocket.ReceiveAsync(ws, ct) is { } frame)
            {
                if (!frame.Contains("\"type\":\"command\"")) continue;
                Interlocked.Increment(ref stats.Commands);
                await SendAsync(ws, Frames.Status(Frames.CommandOf(frame)), ct);
            }
        }
        finally
        {
            session.Cancel();
            try { await beats; } catch (Exception) { }
        }
    }

    private async Task HeartbeatLoopAsync(ClientWebSocket ws, CancellationToken ct)
    {
        var interval = TimeSpan.FromSeconds(options.IntervalSeconds);
        await SendAsync(ws, Frames.Heartbeat(index), ct);
        await Task.Delay(interval * Random.Shared.NextDouble(), ct);
        using var timer = new PeriodicTimer(interval);
        do await SendAsync(ws, Frames.Heartbeat(index), ct);
        while (await timer.WaitForNextTickAsync(ct));
    }

    private async Task SendAsync(ClientWebSocket ws, string frame, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try { await ws.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, ct); }
        finally { _sendLock.Release(); }
    }
}
