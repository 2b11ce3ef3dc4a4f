using System.Buffers;
using System.Net.WebSockets;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Web.Gateway;

/// <summary>
/// One agent's socket: reads frames in order and turns them into grain calls, and is the grain's way back
/// (<see cref="IAgentConnection"/>, as a grain observer) wherever in the cluster the grain lives.
/// </summary>
internal sealed partial class AgentSession
{
    private readonly WebSocket _socket;
    private readonly AgentCredential _credential;
    private readonly GatewayContext _ctx;
    private readonly SendQueue _send;
    private readonly OutputBatcher _output = new();
    // Grain calls of one socket happen one at a time, in the order of the frames.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _remote;
    private readonly ILogger _logger;

    private IAgentConnection? _self;
    private IHostGrain? _grain;
    private HostRegistration? _registration;
    private volatile IReadOnlyCollection<string> _capabilities = [];
    private int _badFrames;
    private long _lastHeard = Environment.TickCount64;
    private long _closingSince;
    private volatile bool _closedByGrain;

    public string ConnectionId { get; } = Guid.NewGuid().ToString("N");

    public AgentSession(WebSocket socket, AgentCredential credential, GatewayContext ctx, string remote)
    {
        _socket = socket;
        _send = new SendQueue(socket);
        _credential = credential;
        _ctx = ctx;
        _remote = remote;
        _logger = ctx.Logger;
    }

    public string Hostname => _registration?.Hostname ?? "(unregistered)";

    private bool Closing => Interlocked.Read(ref _closingSince) != 0;

    public async Task RunAsync()
    {
        _ctx.Sessions.Add(this);
        try
        {
            await ReceiveLoopAsync();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            LogSocketEnded(Hostname, e.Message);
        }
        finally
        {
            await EndAsync();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        while (true)
        {
            // An idle socket holds no receive buffer: a zero-byte read waits for the next frame, then one is rented.
            var first = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
            if (!await ReceiveFrameAsync(first)) return;
        }
    }

    /// <summary>Reads the rest of one frame and handles it; false once the agent sent its close.</summary>
    private async Task<bool> ReceiveFrameAsync(ValueWebSocketReceiveResult r)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(GatewayLimits.InitialReceiveBuffer);
        try
        {
            var length = 0;
            var tooBig = false;
            while (!r.EndOfMessage && r.MessageType != WebSocketMessageType.Close)
            {
                if (length == buffer.Length) buffer = Grow(buffer, length);
                r = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                length += r.Count;
                if (length > GatewayLimits.MaxFrameBytes) { tooBig = true; break; }
            }

            if (r.MessageType == WebSocketMessageType.Close)
            {
                // The agent said goodbye: answer in kind (a no-op when we started the close).
                RequestClose(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, "");
                return false;
            }
            Interlocked.Exchange(ref _lastHeard, Environment.TickCount64);
            if (Closing) return true;
            if (tooBig)
            {
                LogTooBig(Hostname, _remote);
                RequestClose(WebSocketCloseStatus.MessageTooBig, $"frame larger than {GatewayLimits.MaxFrameBytes} bytes");
            }
            else if (r.MessageType == WebSocketMessageType.Binary) BadFrame("binary frame; expected a JSON text frame");
            else await OnFrameAsync(buffer.AsMemory(0, length));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task EndAsync()
    {
        _send.Complete();
        try
        {
            await FlushOutputAsync();
            // A socket the grain closed (replaced, deleted, silent) must not mark the host offline again.
            if (_grain is not null && !_closedByGrain && !_ctx.Stopping) await _grain.DisconnectedAsync(ConnectionId);
        }
        catch (Exception e)
        {
            LogGrainFailed(Hostname, e.Message);
        }
        var drained = _send.WhenDrained();
        if (await Task.WhenAny(drained, Task.Delay(GatewayLimits.CloseGrace)) != drained) _socket.Abort();
        if (_self is not null) _ctx.Grains.DeleteObjectReference<IAgentConnection>(_self);
        _ctx.Sessions.Remove(this);
        LogClosed(Hostname, _remote, _socket.CloseStatus is { } c ? (int)c : 0);
    }

    /// <summary>Starts closing: the close frame goes out after what is queued. Frames that still arrive are dropped.</summary>
    public void RequestClose(WebSocketCloseStatus code, string reason)
    {
        if (Interlocked.CompareExchange(ref _closingSince, Environment.TickCount64, 0) != 0) return;
        if (!_send.TryClose(code, reason)) _socket.Abort();
    }

    /// <summary>Called by the sweeper: close silent sockets, abort those that do not finish closing.</summary>
    public void Sweep(long now)
    {
        var closingSince = Interlocked.Read(ref _closingSince);
        if (closingSince != 0)
        {
            if (now - closingSince > GatewayLimits.CloseGrace.TotalMilliseconds) _socket.Abort();
            return;
        }
        var interval = TimeSpan.FromSeconds(_registration?.HeartbeatIntervalSeconds ?? WireMapping.DefaultHeartbeatSeconds);
        var limit = interval * 3 > GatewayLimits.MinSilence ? interval * 3 : GatewayLimits.MinSilence;
        if (now - Interlocked.Read(ref _lastHeard) <= limit.TotalMilliseconds) return;
        LogSilent(Hostname, _remote, limit.TotalSeconds);
        RequestClose(WebSocketCloseStatus.EndpointUnavailable, $"no message for {limit.TotalSeconds:0} s");
        // Mark the host offline now; the socket may take the close grace to go away.
        if (_grain is { } g && !_ctx.Stopping) _ = NotifySilentAsync(g);
    }

    private async Task NotifySilentAsync(IHostGrain grain)
    {
        try { await grain.DisconnectedAsync(ConnectionId); }
        catch (Exception e) { LogGrainFailed(Hostname, e.Message); }
    }

    private static byte[] Grow(byte[] buffer, int used)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 4, GatewayLimits.MaxFrameBytes + 1));
        buffer.AsSpan(0, used).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }
}
