using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NixFleet.Protocol;
using NixFleet.Tests.Support;
using System.Text.Json.Serialization.Metadata;

namespace NixFleet.Tests.Agent.Support;

/// <summary>
/// A small dashboard side of PROTOCOL.md on real Kestrel at 127.0.0.1: checks the bearer token (401 otherwise),
/// answers <c>register</c> with <c>registered</c>, records every frame, acks output when told to, sends commands,
/// and can cut the connection. It stands in for the gateway, which is built elsewhere.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FakeDashboard : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Frame> _frames = new();
    private readonly SemaphoreSlim _arrived = new(0, int.MaxValue);
    private WebSocket? _socket;
    private int _connections;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    public string Token { get; }
    public int Port { get; }
    public string Url => $"ws://127.0.0.1:{Port}/ws";

    /// <summary>Ack every output line that carries a command id (as the real dashboard does once it stored it).</summary>
    public bool AutoAck { get; set; } = true;

    public IReadOnlyList<Frame> Frames => _frames.ToList();
    public int Connections => _connections;

    private FakeDashboard(string token, int? port)
    {
        Token = token;
        Port = port ?? FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Map("/ws", HandleAsync);
    }

    /// <summary>Starts on a free port, or on <paramref name="port"/> to stand in for a restarted dashboard.</summary>
    public static async Task<FakeDashboard> StartAsync(string token = "test-agent-token", int? port = null)
    {
        var d = new FakeDashboard(token, port);
        await d._app.StartAsync();
        return d;
    }

    private async Task HandleAsync(HttpContext http)
    {
        if (http.Request.Headers.Authorization.ToString() != "Bearer " + Token)
        {
            http.Response.StatusCode = 401;
            return;
        }
        if (!http.WebSockets.IsWebSocketRequest) { http.Response.StatusCode = 400; return; }
        using var ws = await http.WebSockets.AcceptWebSocketAsync();
        var connection = Interlocked.Increment(ref _connections);
        _socket = ws;
        var buffer = new byte[1024 * 1024 + 1];
        try
        {
            while (ws.State == WebSocketState.Open)
            {
                var count = 0;
                ValueWebSocketReceiveResult r;
                do
                {
                    r = await ws.ReceiveAsync(buffer.AsMemory(count), http.RequestAborted);
                    count += r.Count;
                } while (!r.EndOfMessage && r.MessageType != WebSocketMessageType.Close && count < buffer.Length);
                if (r.MessageType == WebSocketMessageType.Close) break;
                if (!Envelope.TryParse(buffer.AsSpan(0, count), out var env, out var error))
                    throw new InvalidOperationException("agent sent a bad frame: " + error);
                _frames.Enqueue(new Frame(connection, env.Type, env.Payload));
                _arrived.Release();
                if (env.Type == MessageTypes.Register)
                    await SendOnAsync(ws, MessageTypes.Registered, new RegisteredPayload(env.Payload.GetProperty("hostname").GetString()!), ProtocolJsonContext.Default.RegisteredPayload);
                else if (env.Type == MessageTypes.Output && AutoAck && env.PayloadAs(ProtocolJsonContext.Default.OutputPayload) is { CommandId: { } id, Seq: { } seq })
                    await SendOnAsync(ws, MessageTypes.Ack, new AckPayload(id, seq), ProtocolJsonContext.Default.AckPayload);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException) { }
    }

    private async Task SendOnAsync<T>(WebSocket ws, string type, T payload, JsonTypeInfo<T> info)
    {
        await _sendLock.WaitAsync();
        try { await ws.SendAsync(Envelope.Serialize(type, payload, info), WebSocketMessageType.Text, true, CancellationToken.None); }
        finally { _sendLock.Release(); }
    }

    public Task SendAsync<T>(string type, T payload, JsonTypeInfo<T> info) =>
        SendOnAsync(_socket ?? throw new InvalidOperationException("no agent connected"), type, payload, info);

    /// <summary>Any text as one frame, for malformed and hostile input.</summary>
    public async Task SendRawAsync(string text)
    {
        var ws = _socket ?? throw new InvalidOperationException("no agent connected");
        await _sendLock.WaitAsync();
        try { await ws.SendAsync(System.Text.Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None); }
        finally { _sendLock.Release(); }
    }

    public Task CommandAsync(string command, string? commandId) =>
        SendAsync(MessageTypes.Command, new CommandPayload(command, commandId), ProtocolJsonContext.Default.CommandPayload);

    public Task AckAsync(string commandId, long seq) =>
        SendAsync(MessageTypes.Ack, new AckPayload(commandId, seq), ProtocolJsonContext.Default.AckPayload);

    /// <summary>Cuts the current connection without a close handshake, as a crashed dashboard or network would.</summary>
    public void Drop() => _socket?.Abort();

    /// <summary>The first recorded frame matching <paramref name="match"/>, waiting for it up to the timeout.</summary>
    public async Task<Frame> WaitForAsync(Func<Frame, bool> match, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var hit = _frames.FirstOrDefault(match);
            if (hit is not null) return hit;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"no {what ?? "matching"} frame; got: " + string.Join(", ", _frames.Select(f => f.Type + "#" + f.Connection)));
            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200), CancellationToken.None);
        }
    }

    public Task<Frame> WaitForTypeAsync(string type, int? connection = null, TimeSpan? timeout = null) =>
        WaitForAsync(f => f.Type == type && (connection is null || f.Connection == connection), timeout, type);

    /// <summary>The final <c>status</c> of a command id.</summary>
    public Task<Frame> WaitForStatusAsync(string commandId, TimeSpan? timeout = null) =>
        WaitForAsync(f => f.Type == MessageTypes.Status && f.Str("command_id") == commandId, timeout ?? TimeSpan.FromSeconds(90), "status of " + commandId);

    public IReadOnlyList<OutputPayload> OutputOf(string commandId) =>
        Frames.Where(f => f.Type == MessageTypes.Output && f.Str("command_id") == commandId)
            .Select(f => f.As(ProtocolJsonContext.Default.OutputPayload)).ToList();

    public async ValueTask DisposeAsync()
    {
        _socket?.Abort();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}
