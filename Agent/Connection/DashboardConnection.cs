using System.Net;
using System.Net.WebSockets;
using NixFleet.Agent.Configuration;
using NixFleet.Protocol;

namespace NixFleet.Agent.Connection;

/// <summary>
/// The agent's WebSocket to the dashboard: connects (with backoff and jitter), registers, keeps the connection
/// alive by ping/pong, dispatches what arrives and sends the outbox in order, again after each reconnect.
/// </summary>
internal sealed class DashboardConnection(AgentSettings settings, Outbox outbox, IDashboardHandler handler)
{
    public const int MaxFrame = 1024 * 1024;
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan PongTimeout = TimeSpan.FromSeconds(45);

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private volatile ClientWebSocket? _socket;

    public bool IsConnected => _socket?.State == WebSocketState.Open;

    public static ClientWebSocket NewSocket(string token)
    {
        var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Authorization", "Bearer " + token);
        ws.Options.KeepAliveInterval = PingInterval;
        ws.Options.KeepAliveTimeout = PongTimeout;
        ws.Options.CollectHttpResponseDetails = true;
        return ws;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        outbox.Changed += () => _wake.Release();
        var backoff = new Backoff(max: TimeSpan.FromSeconds(settings.ReconnectMaxSeconds));
        while (!ct.IsCancellationRequested)
        {
            using var ws = NewSocket(settings.Token);
            try
            {
                using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(15));
                await ws.ConnectAsync(settings.Url, connectTimeout.Token);
                Log.Info($"connected to {settings.Url}");
                if (await ServeAsync(ws, ct)) backoff.Reset();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException or IOException)
            {
                Log.Warn($"connection to {settings.Url} failed: {Describe(ws, ex)}");
            }
            _socket = null;
            outbox.MarkAllUnsent();
            var delay = backoff.Next();
            Log.Info($"reconnecting in {delay.TotalSeconds:0.0} s");
            try { await Task.Delay(delay, ct); } catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>One connection's life; true when it got as far as <c>registered</c>.</summary>
    private async Task<bool> ServeAsync(ClientWebSocket ws, CancellationToken ct)
    {
        using var life = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await SendRawAsync(ws, await handler.RegisterFrameAsync(), life.Token);
        var receive = ReceiveLoopAsync(ws, registered, life.Token);
        var first = await Task.WhenAny(registered.Task, receive, Task.Delay(TimeSpan.FromSeconds(30), life.Token));
        if (first != registered.Task)
        {
            life.Cancel();
            await Observe(receive);
            return false;
        }
        _socket = ws;
        await handler.OnRegisteredAsync();
        var pump = PumpLoopAsync(ws, life.Token);
        await Observe(receive);
        life.Cancel();
        await Observe(pump);
        return true;
    }

    private static async Task Observe(Task t)
    {
        try { await t; }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            Log.Debug("connection task ended: " + ex.Message);
        }
    }

    private async Task ReceiveLoopAsync(ClientWebSocket ws, TaskCompletionSource registered, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var frame = new MemoryStream();
        while (!ct.IsCancellationRequested)
        {
            var r = await ws.ReceiveAsync(buffer, ct);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                Log.Warn($"dashboard closed the connection: {(int?)ws.CloseStatus} {ws.CloseStatusDescription}");
                try { await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None); }
                catch (Exception ex) when (ex is WebSocketException or IOException) { }
                return;
            }
            frame.Write(buffer, 0, r.Count);
            if (frame.Length > MaxFrame)
            {
                Log.Warn("dashboard sent a frame over 1 MiB; closing");
                await ws.CloseAsync(WebSocketCloseStatus.MessageTooBig, "frame too large", CancellationToken.None);
                return;
            }
            if (!r.EndOfMessage) continue;
            Dispatch(frame.ToArray(), registered);
            frame.SetLength(0);
        }
    }

    private void Dispatch(byte[] utf8, TaskCompletionSource registered)
    {
        if (!Envelope.TryParse(utf8, out var env, out var error))
        {
            Log.Warn("ignoring malformed frame from dashboard: " + error);
            return;
        }
        switch (env.Type)
        {
            case MessageTypes.Registered:
                registered.TrySetResult();
                break;
            case MessageTypes.Command when env.PayloadAs(ProtocolJsonContext.Default.CommandPayload) is { } cmd:
                handler.OnCommand(cmd);
                break;
            case MessageTypes.KillCommand when env.PayloadAs(ProtocolJsonContext.Default.KillCommandPayload) is { } kill:
                handler.OnKill(kill);
                break;
            case MessageTypes.Ack when env.PayloadAs(ProtocolJsonContext.Default.AckPayload) is { } ack:
                outbox.Ack(ack.CommandId, ack.Seq);
                break;
            default:
                Log.Warn($"ignoring {env.Type} frame: unknown type or bad payload");
                break;
        }
    }

    private async Task PumpLoopAsync(ClientWebSocket ws, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            while (outbox.Peek() is { } next)
            {
                await SendRawAsync(ws, next.Frame, ct);
                outbox.Sent(next.Token);
            }
            await _wake.WaitAsync(TimeSpan.FromSeconds(1), ct);
        }
    }

    /// <summary>Waits until the outbox has nothing unsent (or the timeout passes), e.g. before the agent exits.</summary>
    public async Task FlushAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && IsConnected && outbox.Peek() is not null) await Task.Delay(50);
    }

    /// <summary>
    /// Before the agent exits for a new binary: waits until everything queued has been sent, however long the
    /// dashboard is away (exiting earlier would lose how the switch ended), then up to <paramref name="ackTimeout"/>
    /// for the acks of the output sent, when this dashboard sends acks at all.
    /// </summary>
    public async Task DeliverAsync(TimeSpan ackTimeout)
    {
        if (outbox.Peek() is not null) Log.Info("waiting until the dashboard has received everything queued");
        while (outbox.Peek() is not null) await Task.Delay(50);
        var deadline = DateTime.UtcNow + ackTimeout;
        while (outbox.AcksSeen && outbox.PendingOutputs > 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
    }

    private async Task SendRawAsync(ClientWebSocket ws, byte[] frame, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try { await ws.SendAsync(frame, WebSocketMessageType.Text, true, ct); }
        finally { _sendLock.Release(); }
    }

    public static string Describe(ClientWebSocket ws, Exception ex) =>
        ws.HttpStatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? $"token refused (HTTP {(int)ws.HttpStatusCode})"
            : ws.HttpStatusCode != 0 && ws.HttpStatusCode != HttpStatusCode.SwitchingProtocols
                ? $"HTTP {(int)ws.HttpStatusCode} instead of a WebSocket"
                : (ex.InnerException?.Message ?? ex.Message);
}
