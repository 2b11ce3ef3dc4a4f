using NixFleet.Grains.Interfaces.Hosts;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Commands;

/// <summary>
/// The agent side of a host as the gateway would drive the grain: a connection observer that records what
/// the grain sends, and the reports an agent makes. <c>extensions</c>: our agent (command_id, ack) or the Go agent.
/// </summary>
public sealed class SimAgent(CommandHarness harness, string host, bool extensions)
{
    private int _connections;

    public RecordingConnection Recorder { get; private set; } = new();
    public string ConnectionId { get; private set; } = "";
    public IHostGrain Grain => harness.Host(host);
    private IAgentConnection? _reference;

    public async Task RegisterAsync(string generation = "abc1234")
    {
        Recorder = new RecordingConnection();
        _reference = harness.Client.CreateObjectReference<IAgentConnection>(Recorder);
        ConnectionId = $"{host}-c{++_connections}";
        var caps = extensions ? new[] { "command_id", "ack" } : [];
        await Grain.RegisterAsync(Samples.Registration(host, generation) with { Capabilities = caps }, ConnectionId, _reference);
    }

    public Task DisconnectAsync() => Grain.DisconnectedAsync(ConnectionId);

    public Task<bool> HeartbeatAsync(string? pending, string generation = "abc1234", StatusCompartments? compartments = null) =>
        Grain.HeartbeatAsync(Samples.Heartbeat(generation) with { PendingCommand = pending, Compartments = compartments ?? Samples.Heartbeat().Compartments }, ConnectionId);

    public Task OutputAsync(string? commandId, IEnumerable<(long? Seq, string Text)> lines, string stream = "stdout") =>
        Grain.OutputAsync(ConnectionId, lines.Select(l => new OutputLine(extensions ? commandId : null, extensions ? l.Seq : null,
            stream, l.Text, stream == "stderr", extensions ? null : "", DateTimeOffset.UtcNow)).ToList());

    public Task StatusAsync(string? commandId, string op, string status, int exitCode, string? generation = null, string? message = null) =>
        Grain.CommandStatusAsync(ConnectionId, new CommandStatusReport(extensions ? commandId : null, op, status, exitCode, message, generation));

    public Task CompleteAsync(string? commandId, string op, int exitCode, StatusCompartments fresh) =>
        Grain.CommandCompleteAsync(ConnectionId, new CommandCompleteReport(extensions ? commandId : null, op, exitCode, fresh));

    /// <summary>Instructions received so far on the current connection.</summary>
    public IReadOnlyList<AgentInstruction> Received => Recorder.Sent.ToList();

    public async Task<AgentInstruction> WaitReceivedAsync(Func<AgentInstruction, bool> match, int seconds = 10)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (Recorder.Sent.FirstOrDefault(match) is { } found) return found;
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException($"not received; got: {string.Join(", ", Recorder.Sent.Select(i => $"{i.Kind}:{i.Command}{i.Signal}"))}");
    }

    public static StatusCompartments Compartments(string git = "ok", string system = "ok", DateTimeOffset? at = null)
    {
        var when = at ?? DateTimeOffset.UtcNow;
        return new StatusCompartments(new Compartment(git, git, when), Compartment.Unknown, new Compartment(system, system, when), Compartment.Unknown);
    }
}
