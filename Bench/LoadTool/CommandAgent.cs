using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace NixFleet.LoadTool;

/// <summary>
/// An agent for the command modes: registers with the Go agent's frames, heartbeats, and notes the moment each
/// <c>command</c> frame arrives (<see cref="Stopwatch.GetTimestamp"/>) before answering it with <c>status</c>
/// <c>ok</c>, as the Go agent does when a command exits 0, so the command ends <c>succeeded</c>. No reconnect:
/// a drop is counted and shows in the result.
/// </summary>
internal sealed class CommandAgent(int index, CommandBenchOptions options)
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private long _lastCommandAt;
    private int _commands;

    public string Hostname => options.Host(index);
    public bool Registered { get; private set; }
    public bool Dropped { get; private set; }
    public int Commands => Volatile.Read(ref _commands);
    /// <summary>When the latest command frame arrived (Stopwatch ticks), 0 before any.</summary>
    public long LastCommandAt => Interlocked.Read(ref _lastCommandAt);

    public async Task RunAsync(SemaphoreSlim connectSlots, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler { ConnectCallback = AgentSocket.ConnectFrom(new IPAddress([127, 0, 0, (byte)(2 + index % options.Sources)])) };
        using var invoker = new HttpMessageInvoker(handler);
        using var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Authorization", "Bearer " + options.Token);
        try
        {
            await connectSlots.WaitAsync(ct);
            try
            {
                await ws.ConnectAsync(options.Url, invoker, ct);
                await SendAsync(ws, Frames.Register(Hostname, options.IntervalSeconds), ct);
                if (await AgentSocket.ReceiveAsync(ws, ct) is not { } first || !first.Contains("\"registered\"")) { Dropped = true; return; }
            }
            finally { connectSlots.Release(); }
            Registered = true;
            var beats = HeartbeatLoopAsync(ws, ct);
            while (await AgentSocket.ReceiveAsync(ws, ct) is { } frame)
            {
                if (!frame.Contains("\"type\":\"command\"")) continue;
                Interlocked.Exchange(ref _lastCommandAt, Stopwatch.GetTimestamp());
                Interlocked.Increment(ref _commands);
                await SendAsync(ws, Frames.Status(Frames.CommandOf(frame)), ct);
            }
            Dropped = !ct.IsCancellationRequested;
            await beats;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e) when (e is WebSocketException or IOException or SocketException or HttpRequestException) { Dropped = true; }
    }

    private async Task HeartbeatLoopAsync(ClientWebSocket ws, CancellationToken ct)
    {
        try
        {
            await SendAsync(ws, Frames.Heartbeat(index), ct);
            await Task.Delay(TimeSpan.FromSeconds(options.IntervalSeconds) * Random.Shared.NextDouble(), ct);
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.IntervalSeconds));
            do await SendAsync(ws, Frames.Heartbeat(index), ct);
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException) { }
    }

    private async Task SendAsync(ClientWebSocket ws, string frame, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try { await ws.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, ct); }
        finally { _sendLock.Release(); }
    }
}
