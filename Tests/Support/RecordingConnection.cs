using System.Collections.Concurrent;
using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Tests.Support;

/// <summary>An agent connection as a grain observer, recording what the grain sends it.</summary>
public sealed class RecordingConnection : IAgentConnection
{
    public ConcurrentQueue<AgentInstruction> Sent { get; } = new();
    public ConcurrentQueue<(int Code, string Reason)> Closed { get; } = new();

    public Task SendAsync(AgentInstruction instruction)
    {
        Sent.Enqueue(instruction);
        return Task.CompletedTask;
    }

    public Task CloseAsync(int closeCode, string reason)
    {
        Closed.Enqueue((closeCode, reason));
        return Task.CompletedTask;
    }
}
