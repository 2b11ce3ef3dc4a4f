namespace NixFleet.Grains.Interfaces.Hosts;

/// <summary>Everything the dashboard shows about one host.</summary>
[GenerateSerializer, Immutable, Alias("nixfleet.host-view")]
public sealed record HostView(
    [property: Id(0)] string Hostname,
    [property: Id(1)] bool Known,
    [property: Id(2)] bool Online,
    [property: Id(3)] HostRegistration? Registration,
    [property: Id(4)] HostHeartbeat? LastHeartbeat,
    [property: Id(5)] DateTimeOffset? LastSeen,
    [property: Id(6)] DateTimeOffset? FirstSeen,
    [property: Id(7)] StatusCompartments Compartments,
    [property: Id(8)] string? Generation);
