using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace NixFleet.OutputBench;

/// <summary>
/// One agent over a real WebSocket, speaking our agent's frames (command ids, seq): it registers, heartbeats,
/// receives its command and prints numbered lines at a fixed rate, each carrying its send time
/// (<see cref="Stopwatch.GetTimestamp"/>; the subscribers run in this process, so they share the clock).
/// </summary>
internal sealed class PrintingAgent(BenchOptions options, string hostname) : IAsyncDisposable
{
    private readonly ClientWebSocket _ws = new();
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly Channel<string> _commands = Channel.CreateUnbounded<string>();
    private Task? _receive, _heartbeat;
    private readonly CancellationTokenSource _stop = new();

    public async Task ConnectAsync()
    {
        _ws.Options.SetRequestHeader("Authorization", "Bearer " + options.AgentToken);
        await _ws.ConnectAsync(options.WebSocketUrl, CancellationToken.None);
        await SendAsync(Envelope("register", new Dictionary<string, object?>
        {
            ["hostname"] = hostname, ["host_type"] = "nixos", ["agent_version"] = "3.0.0", ["os_version"] = "25.05",
            ["nixpkgs_version"] = "25.05.20250624.1c1c9b3", ["generation"] = "8f3e2a1", ["theme_color"] = "#e0af68",
            ["heartbeat_interval"] = 5, ["location"] = "cloud", ["device_type"] = "server", ["repo_url"] = "",
            ["repo_dir"] = "/var/lib/nixfleet/repo", ["capabilities"] = new[] { "command_id", "ack" },
        }));
        _receive = Task.Run(ReceiveLoopAsync);
        _heartbeat = Task.Run(HeartbeatLoopAsync);
    }

    /// <summary>The id of the next command frame the dashboard sends.</summary>
    public async Task<string> NextCommandAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await _commands.Reader.ReadAsync(cts.Token);
    }

    /// <summary>Prints <paramref name="total"/> lines at <paramref name="perSecond"/>, paced every few milliseconds.</summary>
    public async Task<TimeSpan> PrintAsync(string commandId, int total, int perSecond)
    {
        var clock = Stopwatch.StartNew();
        long seq = 0;
        while (seq < total)
        {
            var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * perSecond) + 1);
            await _send.WaitAsync();
            try
            {
                while (seq < due)
                {
                    seq++;
                    var frame = "{\"type\":\"output\",\"payload\":{\"line\":\"ts=" + Stopwatch.GetTimestamp() + " line " + seq
                        + ": building '/nix/store/8f3e2a1b-nixos-system-bench-25.05.drv'\",\"stream\":\"stdout\",\"command\":\"test\",\"is_error\":false,\"command_id\":\""
                        + commandId + "\",\"seq\":" + seq + "}}";
                    await _ws.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, CancellationToken.None);
                }
            }
            finally { _send.Release(); }
            await Task.Delay(2);
        }
        return clock.Elapsed;
    }

    public Task FinishAsync(string commandId) => SendAsync(Envelope("status", new Dictionary<string, object?>
    {
        ["status"] = "ok", ["command"] = "test", ["exit_code"] = 0, ["message"] = "done", ["generation"] = "8f3e2a1", ["command_id"] = commandId,
    }));

    private async Task HeartbeatLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            do
            {
                await SendAsync(Envelope("heartbeat", new Dictionary<string, object?>
                {
                    ["generation"] = "8f3e2a1", ["nixpkgs_version"] = "25.05.20250624.1c1c9b3", ["pending_command"] = null, ["command_pid"] = null,
                    ["metrics"] = new { cpu = 12.5, ram = 41.5, swap = 0, load = 0.5 }, ["update_status"] = null,
                }));
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var ms = new MemoryStream();
        try
        {
            while (_ws.State == WebSocketState.Open)
            {
                ms.SetLength(0);
                ValueWebSocketReceiveResult r;
                do
                {
                    r = await _ws.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                    if (r.MessageType == WebSocketMessageType.Close) return;
                    ms.Write(buffer, 0, r.Count);
                } while (!r.EndOfMessage);
                using var doc = JsonDocument.Parse(ms.ToArray());
                if (doc.RootElement.GetProperty("type").GetString() == "command"
                    && doc.RootElement.GetProperty("payload").TryGetProperty("command_id", out var id))
                    _commands.Writer.TryWrite(id.GetString()!);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
    }

    private async Task SendAsync(string frame)
    {
        await _send.WaitAsync();
        try { await _ws.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, CancellationToken.None); }
        finally { _send.Release(); }
    }

    private static string Envelope(string type, object payload) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["type"] = type, ["payload"] = payload });

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bench done", CancellationToken.None); } catch (WebSocketException) { }
        if (_receive is not null) await _receive;
        if (_heartbeat is not null) await _heartbeat;
        _ws.Dispose();
    }
}
