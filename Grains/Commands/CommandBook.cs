using NixFleet.Grains.Interfaces.Commands;

namespace NixFleet.Grains.Commands;

/// <summary>A host's commands, persisted with the host: the one in flight, the FIFO queue, recent history.</summary>
[GenerateSerializer, Alias("nixfleet.command-book")]
public sealed class CommandBook
{
    [Id(0)] public CommandRecord? Current { get; set; }
    [Id(1)] public InFlight? Flight { get; set; }
    [Id(2)] public List<CommandRecord> Queue { get; set; } = [];
    /// <summary>Ended commands, oldest first, trimmed to the history limit.</summary>
    [Id(3)] public List<CommandRecord> History { get; set; } = [];
    /// <summary>When reboots were accepted, for the hourly limit.</summary>
    [Id(4)] public List<DateTimeOffset> Reboots { get; set; } = [];

    public CommandRecord? Find(string id) =>
        Current?.Id == id ? Current : Queue.Find(c => c.Id == id) ?? History.FindLast(c => c.Id == id);
}

/// <summary>What the grain tracks about the command in flight beyond its public record.</summary>
[GenerateSerializer, Alias("nixfleet.command-in-flight")]
public sealed class InFlight
{
    /// <summary>Set when a stop was asked (by an operator or the hard timeout).</summary>
    [Id(0)] public DateTimeOffset? StopAskedAt { get; set; }
    /// <summary>0 = SIGTERM sent, 1 = agent stop sent, 2 = SIGKILL sent.</summary>
    [Id(1)] public int StopStage { get; set; }
    /// <summary>The end a stop leads to: stopped, or timed_out after the hard limit.</summary>
    [Id(2)] public CommandPhase StopEndsAs { get; set; } = CommandPhase.Stopped;
    /// <summary>The agent reported the end and the grain waits for a check (pull: git status; switch: reconnect).</summary>
    [Id(3)] public DateTimeOffset? ExitedAt { get; set; }
    [Id(4)] public string? ExitStatus { get; set; }
    /// <summary>The connection dropped while the command was in flight.</summary>
    [Id(5)] public bool AgentDropped { get; set; }
    /// <summary>The agent re-registered: its next heartbeat tells whether it still runs the command.</summary>
    [Id(6)] public bool AwaitHeartbeat { get; set; }
    [Id(7)] public string? ConnectionId { get; set; }
    [Id(8)] public string? RemoteHeadHint { get; set; }
    /// <summary>When the connection dropped (or, after a dashboard restart, when the grain woke): the reconnect window starts here.</summary>
    [Id(9)] public DateTimeOffset? DroppedAt { get; set; }
    /// <summary>The dashboard restarted while this was in flight: only the agent's own report of it (by command id) decides it.</summary>
    [Id(10)] public bool Recovered { get; set; }
    /// <summary>The agent registered again while this was in flight (it restarted or its connection was replaced).</summary>
    [Id(11)] public bool ReRegistered { get; set; }
}
