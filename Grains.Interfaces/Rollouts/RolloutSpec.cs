namespace NixFleet.Grains.Interfaces.Rollouts;

/// <summary>
/// One command across many hosts, wave by wave. Batch: <see cref="BatchSize"/> hosts, or
/// <see cref="BatchPercent"/> of all hosts (rounded up) when set. <see cref="Canary"/>: the first wave is
/// one host. A wave ends when each of its commands ended; more than <see cref="MaxFailures"/> failed
/// hosts stop the rollout.
/// </summary>
[GenerateSerializer, Immutable, Alias("nixfleet.rollout-spec")]
public sealed record RolloutSpec(
    [property: Id(0)] string Op,
    [property: Id(1)] IReadOnlyList<string> Hosts,
    [property: Id(2)] string RequestedBy,
    [property: Id(3)] int BatchSize = 1,
    [property: Id(4)] int? BatchPercent = null,
    [property: Id(5)] bool Canary = true,
    [property: Id(6)] int MaxFailures = 0,
    [property: Id(7)] int WaitBetweenSeconds = 0,
    [property: Id(8)] IReadOnlyDictionary<string, string>? Args = null,
    [property: Id(9)] bool Force = false);
