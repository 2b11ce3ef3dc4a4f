namespace NixFleet.Grains.Interfaces.Fleet;

/// <summary>A batch of host changes: the latest summary of each changed host, and the hosts removed.</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.host-changes")]
public sealed record HostChanges(
    [property: Id(0)] IReadOnlyList<HostSummary> Updated,
    [property: Id(1)] IReadOnlyList<string> Removed);
