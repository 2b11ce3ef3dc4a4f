using Orleans.Concurrency;

namespace NixFleet.Grains.Interfaces.Hosts;

/// <summary>
/// The way back from a host grain to the agent's socket, implemented by the gateway on the node that
/// holds the socket; the grain may live on any silo.
/// </summary>
public interface IAgentConnection : IGrainObserver
{
    /// <summary>Send a command (or kill) to the agent. One-way: a slow socket never blocks the grain.</summary>
    [OneWay] Task SendAsync(AgentInstruction instruction);

    /// <summary>Close the socket, e.g. with 1008 when a newer registration of the same host won.</summary>
    [OneWay] Task CloseAsync(int closeCode, string reason);
}

/// <summary>Something the grain wants the agent to do.</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.agent-instruction")]
public sealed record AgentInstruction(
    [property: Id(0)] string Kind,
    [property: Id(1)] string? Command,
    [property: Id(2)] string? CommandId,
    [property: Id(3)] IReadOnlyDictionary<string, string>? Args,
    [property: Id(4)] string? Signal,
    [property: Id(5)] int Pid,
    [property: Id(6)] long AckSeq)
{
    public const string RunCommand = "command";
    public const string Kill = "kill_command";
    public const string Ack = "ack";

    public static AgentInstruction Run(string command, string? commandId, IReadOnlyDictionary<string, string>? args = null) =>
        new(RunCommand, command, commandId, args, null, 0, 0);

    public static AgentInstruction KillCommand(string signal, int pid = 0) => new(Kill, null, null, null, signal, pid, 0);

    public static AgentInstruction Acknowledge(string commandId, long seq) => new(Ack, null, commandId, null, null, 0, seq);
}
