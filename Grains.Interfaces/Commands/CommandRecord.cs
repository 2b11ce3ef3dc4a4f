namespace NixFleet.Grains.Interfaces.Commands;

/// <summary>
/// One command for one host, with the time of every phase it passed. Immutable: each transition is a
/// new record, published on the host's command stream.
/// </summary>
[GenerateSerializer, Immutable, Alias("nixfleet.command-record")]
public sealed record CommandRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] string Host,
    [property: Id(2)] string Op,
    [property: Id(3)] IReadOnlyDictionary<string, string>? Args,
    [property: Id(4)] string RequestedBy,
    [property: Id(5)] CommandPhase Phase,
    [property: Id(6)] bool Force,
    [property: Id(7)] string? RolloutId,
    [property: Id(8)] DateTimeOffset QueuedAt,
    [property: Id(9)] DateTimeOffset? ExpiresAt,
    [property: Id(10)] DateTimeOffset? DispatchedAt = null,
    [property: Id(11)] DateTimeOffset? StartedAt = null,
    [property: Id(12)] DateTimeOffset? EndedAt = null,
    [property: Id(13)] int? ExitCode = null,
    [property: Id(14)] string? Message = null,
    [property: Id(15)] string? GenerationBefore = null,
    [property: Id(16)] string? GenerationAfter = null,
    [property: Id(17)] DateTimeOffset? WarnedAt = null,
    [property: Id(18)] bool SentWithId = false,
    [property: Id(19)] long LastSeq = 0)
{
    public bool Ended => Phase.IsEnded();
}
