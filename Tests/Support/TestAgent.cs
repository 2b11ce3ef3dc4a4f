using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace NixFleet.Tests.Support;

/// <summary>
/// An agent for tests: a real <see cref="ClientWebSocket"/> that sends raw frames and collects what the
/// dashboard sends back. Reading runs in the background (so pings are answered) unless <c>read: false</c>.
/// </summary>
public sealed class TestAgent : IAsyncDisposable
{
    private readonly ClientWebSocket _ws;
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly TaskCompletionSource<(WebSocketCloseStatus? Code, string? Reason)> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    private TestAgent(ClientWebSocket ws, bool read)
    {
        _ws = ws;
        if (read) _ = Task.Run(ReadLoopAsync);
    }

    public WebSocketState State => _ws.State;

    /// <summary>Connects; throws <see cref="WebSocketException"/> when the upgrade is refused.</summary>
    public static async Task<TestAgent> ConnectAsync(Uri ws, string? token, bool read = true)
    {
        var client = new ClientWebSocket();
        if (token is not null) client.Options.SetRequestHeader("Authorization", "Bearer " + token);
        client.Options.CollectHttpResponseDetails = true;
        await client.ConnectAsync(ws, CancellationToken.None);
        return new TestAgent(client, read);
    }

    /// <summary>The HTTP status a refused upgrade got.</summary>
    public static async Task<HttpStatusCode> RefusedStatusAsync(Uri ws, string? token)
    {
        using var client = new ClientWebSocket();
        if (token is not null) client.Options.SetRequestHeader("Authorization", "Bearer " + token);
        client.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(ws, CancellationToken.None));
        return client.HttpStatusCode;
    }

    public Task SendRawAsync(string text) => SendBytesAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type)
    {
        await _sendLock.WaitAsync();
        try { await _ws.SendAsync(bytes, type, true, CancellationToken.None); }
        finally { _sendLock.Release(); }
    }

    public Task SendAsync(string type, object payload) =>
        SendRawAsync(new JsonObject { ["type"] = type, ["payload"] = JsonSerializer.SerializeToNode(payload) }.ToJsonString());

    /// <summary>A register payload as our agent sends it; override fields with <paramref name="change"/>.</summary>
    public static Dictionary<string, object?> Register(string hostname, Action<Dictionary<string, object?>>? change = null)
    {
        var p = new Dictionary<string, object?>
        {
            ["hostname"] = hostname, ["host_type"] = "nixos", ["agent_version"] = "3.0.0", ["os_version"] = "25.05.20250101.abcdef0",
            ["nixpkgs_version"] = "25.05", ["generation"] = "abc1234", ["theme_color"] = "#7aa2f7", ["heartbeat_interval"] = 5,
            ["location"] = "home", ["device_type"] = "server", ["repo_url"] = "git@example.invalid:fleet/config.git",
            ["repo_dir"] = "/var/lib/nixfleet-agent/repo", ["source_commit"] = "deadbee", ["store_path"] = "/nix/store/abc-agent",
            ["binary_hash"] = "sha256-xyz",
        };
        change?.Invoke(p);
        return p;
    }

    public static Dictionary<string, object?> Heartbeat(string generation = "abc1234", double cpu = 10, string checkedAt = "2026-11-26T00:00:00Z") => new()
    {
        ["generation"] = generation, ["nixpkgs_version"] = "25.05", ["pending_command"] = null, ["command_pid"] = null,
        ["metrics"] = new Dictionary<string, double> { ["cpu"] = cpu, ["ram"] = 40, ["swap"] = 0, ["load"] = 0.5 },
        ["update_status"] = new Dictionary<string, object>
        {
            ["git"] = new Dictionary<string, string> { ["status"] = "ok", ["message"] = "up to date", ["checked_at"] = checkedAt },
            ["lock"] = new Dictionary<string, string> { ["status"] = "outdated", ["message"] = "3 days old", ["checked_at"] = checkedAt },
            ["system"] = new Dictionary<string, string> { ["status"] = "ok", ["message"] = "", ["checked_at"] = checkedAt },
            ["tests"] = new Dictionary<string, string> { ["status"] = "unknown", ["message"] = "", ["checked_at"] = checkedAt },
        },
        ["source_commit"] = "deadbee", ["store_path"] = "/nix/store/abc-agent", ["binary_hash"] = "sha256-xyz", ["lock_hash"] = "lh1",
    };

    /// <summary>Registers and returns the <c>registered</c> payload.</summary>
    public async Task<JsonElement> RegisterAsync(Dictionary<string, object?> payload)
    {
        await SendAsync("register", payload);
        var reply = await NextAsync();
        Assert.Equal("registered", reply.GetProperty("type").GetString());
        return reply.GetProperty("payload");
    }

    /// <summary>The next frame from the dashboard (a whole envelope).</summary>
    public async Task<JsonElement> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try { return await _frames.Reader.ReadAsync(cts.Token); }
        catch (ChannelClosedException) { throw new InvalidOperationException($"socket closed: {_closed.Task.Result}"); }
    }

    /// <summary>Whether a frame arrives within <paramref name="wait"/>.</summary>
    public async Task<JsonElement?> MaybeNextAsync(TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        try { return await _frames.Reader.ReadAsync(cts.Token); }
        catch (OperationCanceledException) { return null; }
        catch (ChannelClosedException) { return null; }
    }

    /// <summary>The close code and reason the dashboard closed with (null code: the connection was dropped).</summary>
    public async Task<(WebSocketCloseStatus? Code, string? Reason)> ClosedAsync(TimeSpan? timeout = null) =>
        await _closed.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(15));

    public async Task CloseAsync()
    {
        if (_ws.State == WebSocketState.Open)
            await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        await ClosedAsync();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var ms = new MemoryStream();
                WebSocketReceiveResult r;
                do
                {
                    r = await _ws.ReceiveAsync(buffer, CancellationToken.None);
                    ms.Write(buffer, 0, r.Count);
                } while (!r.EndOfMessage);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    if (_ws.State == WebSocketState.CloseReceived)
                        await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    _closed.TrySetResult((r.CloseStatus, r.CloseStatusDescription));
                    break;
                }
                _frames.Writer.TryWrite(JsonDocument.Parse(ms.ToArray()).RootElement.Clone());
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            _closed.TrySetResult((null, e.Message));
        }
        _frames.Writer.TryComplete();
    }

    public ValueTask DisposeAsync()
    {
        _ws.Abort();
        _ws.Dispose();
        return ValueTask.CompletedTask;
    }
}
