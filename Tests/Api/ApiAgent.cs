using System.Collections.Concurrent;
using System.Text.Json;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Api;

/// <summary>What the dashboard sent an agent: the frame's type, and for <c>command</c> its op and id.</summary>
public sealed record ReceivedFrame(string Kind, string? Command, string? CommandId);

/// <summary>
/// A host's agent over a real WebSocket to the running dashboard's <c>/ws</c> (<see cref="TestAgent"/>): registers,
/// heartbeats, prints output and reports ends as our agent does (command ids and seq), and records every frame it gets.
/// </summary>
public sealed class ApiAgent(Uri ws, string token, string hostname) : IAsyncDisposable
{
    private TestAgent? _socket;
    private Task? _reader;
    private long _seq;
    private double _cpu = 10;
    private readonly CancellationTokenSource _stop = new();

    public string Hostname => hostname;

    /// <summary>Connects a fresh host (name: prefix plus a random part) to the dashboard's <c>/ws</c> with the shared agent token.</summary>
    public static async Task<ApiAgent> StartAsync(InProcessDashboard dashboard, string prefix)
    {
        var agent = new ApiAgent(new Uri($"ws://127.0.0.1:{dashboard.Options.Listen.Port}/ws"), TestCredentials.AgentToken,
            $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}");
        await agent.ConnectAsync();
        await Eventually.TrueAsync(async () => (await dashboard.Grains.GetGrain<NixFleet.Grains.Interfaces.Hosts.IHostGrain>(agent.Hostname).GetAsync()).Online,
            agent.Hostname + " online");
        return agent;
    }
    public ConcurrentQueue<ReceivedFrame> Received { get; } = new();

    public async Task ConnectAsync(string location = "home", string deviceType = "server")
    {
        _socket = await TestAgent.ConnectAsync(ws, token);
        await _socket.RegisterAsync(TestAgent.Register(hostname, p =>
        {
            p["capabilities"] = new[] { "command_id", "ack" };
            p["location"] = location;
            p["device_type"] = deviceType;
        }));
        await _socket.SendAsync("heartbeat", TestAgent.Heartbeat());
        var socket = _socket;
        _reader = Task.Run(async () =>
        {
            while (await socket.MaybeNextAsync(TimeSpan.FromHours(1)) is { } f)
            {
                var p = f.TryGetProperty("payload", out var payload) ? payload : default;
                Received.Enqueue(new ReceivedFrame(f.GetProperty("type").GetString()!, Str(p, "command"), Str(p, "command_id")));
            }
        });
    }

    private static string? Str(JsonElement p, string name) =>
        p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>
    /// Heartbeats every 4 s from now on (same figures as the last one), as a real agent does, for tests whose steps
    /// may take longer than the dashboard's 15 s silence rule on a busy machine.
    /// </summary>
    public void KeepBeating()
    {
        var socket = _socket!;
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await Task.Delay(TimeSpan.FromSeconds(4), _stop.Token);
                    await socket.SendAsync("heartbeat", TestAgent.Heartbeat(cpu: Volatile.Read(ref _cpu)));
                }
            }
            catch (Exception) { } // stopped, or the socket closed: the test decides what that means
        });
    }

    public async Task DisconnectAsync()
    {
        await _stop.CancelAsync();
        await _socket!.CloseAsync();
        await _reader!;
    }

    public async Task<ReceivedFrame> WaitCommandAsync(string op, int seconds = 10)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (Received.FirstOrDefault(i => i.Kind == "command" && i.Command == op) is { } found) return found;
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException($"{hostname} never got {op}; got: {string.Join(", ", Received.Select(i => i.Kind + ":" + i.Command))}");
    }

    /// <summary>Output lines of the command, numbered 1, 2, 3… per command as our agent does.</summary>
    public async Task PrintAsync(string commandId, IEnumerable<string> lines, string stream = "stdout")
    {
        foreach (var line in lines)
            await _socket!.SendAsync("output", new { line, stream, command = "", is_error = stream == "stderr", command_id = commandId, seq = Interlocked.Increment(ref _seq) });
    }

    public Task FinishAsync(string commandId, string op, int exitCode, string? status = null) =>
        _socket!.SendAsync("status", new
        {
            status = status ?? (exitCode == 0 ? "ok" : "error"), command = op, exit_code = exitCode,
            message = exitCode == 0 ? "done" : "failed", generation = "abc1234", command_id = commandId,
        });

    /// <summary>A heartbeat with this CPU figure, so the host's fleet row changes.</summary>
    public Task HeartbeatAsync(double cpu)
    {
        Volatile.Write(ref _cpu, cpu);
        return _socket!.SendAsync("heartbeat", TestAgent.Heartbeat(cpu: cpu));
    }

    public void NewCommand() => Interlocked.Exchange(ref _seq, 0);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_socket is not null) await _socket.DisposeAsync();
    }
}
