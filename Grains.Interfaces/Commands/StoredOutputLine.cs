namespace NixFleet.Grains.Interfaces.Commands;

/// <summary>One stored output line: ANSI codes kept as the agent sent them.</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.stored-output-line")]
public sealed record StoredOutputLine(
    [property: Id(0)] string CommandId,
    [property: Id(1)] long Seq,
    [property: Id(2)] string Host,
    [property: Id(3)] string Stream,
    [property: Id(4)] bool IsError,
    [property: Id(5)] string Text,
    [property: Id(6)] DateTimeOffset At);
