using System.Collections.Concurrent;
using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Api;

/// <summary>
/// A host's agent as the gateway drives the host grain inside the running dashboard: it registers with a
/// connection observer (kept referenced here: Orleans holds observers weakly), heartbeats and reports output and ends.
/// </summary>
public sealed class GrainAgent(IGrainFactory grains, string hostname, bool extensions)
{
    private readonly RecordingConnection _recorder = new();
    private IAgentConnection? _reference;
    private long _seq;

    public string Hostname => hostname;
    public string ConnectionId { get; } = "conn-" + Guid.NewGuid().ToString("N")[..8];
    public IHostGrain Grain => grains.GetGrain<IHostGrain>(hostname);
    public ConcurrentQueue<AgentInstruction> Received => _recorder.Sent;

    public async Task ConnectAsync(string location = "home", string deviceType = "server")
    {
        _reference = grains.CreateObjectReference<IAgentConnection>(_recorder);
        var caps = extensions ? new[] { "command_id", "ack" } : [];
        await Grain.RegisterAsync(Samples.Registration(hostname) with { Capabilities = caps, Location = location, DeviceType = deviceType },
            ConnectionId, _reference);
        await Grain.HeartbeatAsync(Samples.Heartbeat(), ConnectionId);
    }

    public Task DisconnectAsync() => Grain.DisconnectedAsync(ConnectionId);

    /// <summary>The next <c>command</c> instruction carrying <paramref name="op"/>.</summary>
    public async Task<AgentInstruction> WaitCommandAsync(string op, int seconds = 10)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (_recorder.Sent.FirstOrDefault(i => i.Command == op) is { } found) return found;
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException($"{hostname} never got {op}; got: {string.Join(", ", _recorder.Sent.Select(i => i.Kind + ":" + i.Command))}");
    }

    /// <summary>Prints lines of the command (seq 1, 2, 3… per command as our agent numbers them).</summary>
    public Task PrintAsync(string commandId, IEnumerable<string> lines, string stream = "stdout") =>
        Grain.OutputAsync(ConnectionId, lines.Select(text => new OutputLine(extensions ? commandId : null,
            extensions ? Interlocked.Increment(ref _seq) : null, stream, text, stream == "stderr", extensions ? null : "", DateTimeOffset.UtcNow)).ToList());

    public Task FinishAsync(string commandId, string op, int exitCode) =>
        Grain.CommandStatusAsync(ConnectionId, new CommandStatusReport(extensions ? commandId : null, op,
            exitCode == 0 ? "ok" : "error", exitCode, exitCode == 0 ? "done" : "failed", null));

    /// <summary>Seq numbering restarts for each command.</summary>
    public void NewCommand() => Interlocked.Exchange(ref _seq, 0);
}
