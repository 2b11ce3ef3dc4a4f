using NixFleet.Grains.Interfaces.Hosts;

namespace NixFleet.Grains.Interfaces.Commands;

/// <summary>
/// Orleans stream names for commands. Provider: the silo's memory streams (<see cref="Provider"/>).
/// Output: key = command id, items <see cref="OutputBatch"/>. Events: key = hostname, and
/// <see cref="AllHosts"/> for every host, items <see cref="CommandEvent"/>.
/// </summary>
public static class CommandStreams
{
    public const string Provider = "nixfleet";
    public const string Output = "nixfleet.command-output";
    public const string Events = "nixfleet.command-events";
    public const string AllHosts = "*";
    public const string Rollouts = "nixfleet.rollouts";
}

/// <summary>Stored output lines of one command, published after they were written.</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.output-batch")]
public sealed record OutputBatch(
    [property: Id(0)] string CommandId,
    [property: Id(1)] IReadOnlyList<StoredOutputLine> Lines,
    [property: Id(2)] bool Final);

/// <summary>
/// A command changed phase (<c>state</c>), passed its warning time (<c>warning</c>), was asked to stop
/// (<c>stopping</c>) or reported progress (<c>progress</c>, with <see cref="Progress"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("nixfleet.command-event")]
public sealed record CommandEvent(
    [property: Id(0)] string Kind,
    [property: Id(1)] CommandRecord Command,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] CommandProgress? Progress = null)
{
    public const string State = "state";
    public const string Warning = "warning";
    public const string Stopping = "stopping";
    public const string ProgressKind = "progress";
}
